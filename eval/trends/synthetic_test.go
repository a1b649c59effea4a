package trends

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// synthetic writes a prediction CSV of monthly documents from 2015 to
// 2022 in three countries with different volumes, for three targets:
// defense_spending favor jumps from 0.15 to 0.45 in March 2022 and
// russia_dialogue favor falls from 0.30 to 0.10 in 2018 (everywhere);
// ukraine_support stays flat. A few documents are dated by year only.
// scale multiplies the number of documents.
func synthetic(seed uint64, scale int) string {
	r := rand.New(rand.NewPCG(seed, 99))
	targets := []string{"russia_dialogue", "defense_spending", "ukraine_support"}
	var b strings.Builder
	b.WriteString("id,doc_id,date,country,text")
	for _, t := range targets {
		fmt.Fprintf(&b, ",%s,p_%s_favor,p_%s_against,p_%s_none", t, t, t, t)
	}
	b.WriteString("\n")
	volume := map[string]int{"DE": 8, "FR": 5, "PL": 3}
	doc := 0
	for y := 2015; y <= 2022; y++ {
		for m := 1; m <= 12; m++ {
			for _, c := range []string{"DE", "FR", "PL"} {
				for range volume[c] * scale {
					doc++
					date := fmt.Sprintf("%04d-%02d-%02d", y, m, 1+r.IntN(28))
					if r.IntN(50) == 0 {
						date = fmt.Sprint(y)
					}
					for s := range 2 + r.IntN(6) {
						fmt.Fprintf(&b, "d%d-%d,d%d,%s,%s,sentence", doc, s, doc, date, c)
						for _, t := range targets {
							fav, ag := 0.2, 0.15
							switch {
							case t == "defense_spending" && (y > 2022 || y == 2022 && m >= 3):
								fav, ag = 0.45, 0.1
							case t == "defense_spending":
								fav = 0.15
							case t == "russia_dialogue" && y >= 2018:
								fav, ag = 0.10, 0.3
							case t == "russia_dialogue":
								fav, ag = 0.30, 0.1
							}
							u := r.Float64()
							v, p := "none", [3]float64{0.1, 0.1, 0.8}
							switch {
							case u < fav:
								v, p = "favor", [3]float64{0.75, 0.1, 0.15}
							case u < fav+ag:
								v, p = "against", [3]float64{0.1, 0.7, 0.2}
							}
							j := 0.1 * r.Float64()
							p[0], p[2] = p[0]-j/2, p[2]+j/2
							fmt.Fprintf(&b, ",%s,%.3f,%.3f,%.3f", v, p[0], p[1], p[2])
						}
						b.WriteString("\n")
					}
				}
			}
		}
	}
	return b.String()
}
