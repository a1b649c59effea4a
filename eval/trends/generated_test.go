package trends

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// generatedShards returns synthetic(seed, scale) as the two shards of one
// run, in the shapes the accumulator meets: documents with an even number
// have classify's sentence ids ("d12:0", "d12:1", ...), the others ids of
// another form ("d13-0"); every 7th sentence's text spans two lines; and
// every third row goes to the second shard, so most documents are spread
// over both files.
func generatedShards(seed uint64, scale int) (string, string) {
	lines := strings.SplitAfter(synthetic(seed, scale), "\n")
	var a, b strings.Builder
	a.WriteString(lines[0])
	b.WriteString(lines[0])
	for i, line := range lines[1:] {
		if line == "" {
			continue
		}
		id, rest, _ := strings.Cut(line, ",")
		doc, sent, _ := strings.Cut(id, "-")
		var n int
		fmt.Sscan(strings.TrimPrefix(doc, "d"), &n)
		if n%2 == 0 {
			id = doc + ":" + sent
		}
		if i%7 == 0 {
			rest = strings.Replace(rest, ",sentence,", ",\"two\nlines\",", 1)
		}
		w := &a
		if i%3 == 2 {
			w = &b
		}
		w.WriteString(id + "," + rest)
	}
	return a.String(), b.String()
}

// TestGeneratedGolden pins everything report writes from a generated
// prediction run of about 7,000 sentences in two shards: the trends CSV,
// the changes of level, the notes, the 20 largest changes stdout shows,
// and a hash of the chart (PNG and SVG). The files under
// testdata/golden/generated-*.txt were written before report stopped
// keeping every sentence id (run with -update only after checking a
// difference is intended).
func TestGeneratedGolden(t *testing.T) {
	shard1, shard2 := generatedShards(7, 1)
	for _, tc := range []struct {
		name string
		unit Unit
		by   string
	}{
		{"year-country", Year, "country"},
		{"quarter", Quarter, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := NewAccumulator(tc.unit, tc.by)
			for i, data := range []string{shard1, shard2} {
				if err := a.Read(fmt.Sprintf("shard-%d.csv", i+1), strings.NewReader(data)); err != nil {
					t.Fatal(err)
				}
			}
			rep := build(t, a, Config{Rates: fixtureRates, Seed: 1, Boot: 200})
			var buf bytes.Buffer
			fmt.Fprintf(&buf, "files %d, sentences %d, documents %d, periods %d, groups %q\n",
				a.Files(), a.Sentences(), a.Documents(), rep.Periods, rep.Groups)
			for _, n := range rep.Notes {
				fmt.Fprintf(&buf, "note: %s\n", n)
			}
			for _, c := range Largest(rep.Changes, 20) {
				fmt.Fprintf(&buf, "change: %s %s %s (%s) from %s: %.3f -> %.3f\n",
					c.Group, c.Target, c.Value, c.Estimator, c.Period.Label, c.Before, c.After)
			}
			for _, format := range []string{"png", "svg"} {
				var chart bytes.Buffer
				if err := WriteChart(&chart, format, rep, ChartOptions{}); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&buf, "chart %s: %d bytes, sha256 %x\n", format, chart.Len(), sha256.Sum256(chart.Bytes()))
			}
			buf.WriteString("\n")
			buf.WriteString(reportText(t, rep))

			golden := filepath.Join("testdata", "golden", "generated-"+tc.name+".txt")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("output differs from %s (run with -update after checking):\n%s", golden, buf.String())
			}
		})
	}
}
