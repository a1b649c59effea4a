package trends

import (
	"fmt"
	"strings"
	"testing"
)

func benchmarkRead(b *testing.B, scale int) {
	data := synthetic(1, scale)
	sentences := strings.Count(data, "\n") - 1
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		a := NewAccumulator(Month, "country")
		if err := a.Read("synthetic.csv", strings.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sentences)*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkReadSmall reads about 7,000 sentences, Large about 70,000.
func BenchmarkReadSmall(b *testing.B) { benchmarkRead(b, 1) }
func BenchmarkReadLarge(b *testing.B) { benchmarkRead(b, 10) }

func benchmarkBuild(b *testing.B, scale, boot int) {
	a := NewAccumulator(Month, "country")
	data := synthetic(1, scale)
	if err := a.Read("synthetic.csv", strings.NewReader(data)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(a, Config{Rates: fixtureRates, Seed: 1, Boot: boot}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(a.Sentences())*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
	b.ReportMetric(float64(a.Documents())*float64(b.N)/b.Elapsed().Seconds(), "documents/s")
}

// BenchmarkBuild bootstraps 500 resamples of every cell (month × country).
func BenchmarkBuildSmall(b *testing.B) { benchmarkBuild(b, 1, 500) }
func BenchmarkBuildLarge(b *testing.B) { benchmarkBuild(b, 10, 500) }

// FuzzRead reads a prediction file with yearly and weekly periods and
// builds its report. The seeds are a few rows each: the fuzzer minimises
// every input that finds new coverage by trying to remove each span of its
// bytes, which takes time quadratic in the input's length, and with the
// 1.4 kB fixture as a seed both workers spent most of a run minimising
// (6 executions in 8 s, issue 21).
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		okHeader + "s1,d1,2019-02,DE,x,favor,1,0,0\ns2,d1,2019-02,DE,y,none,.1,.2,.7\ns3,d2,2020,FR,z,against,0,1,0\n",
		okHeader + "d1:0,d1,2019-12-30,DE,x,against,0,1,0\nd1:1,d1,2019-12-30,DE,x,none,0,0,1\nd1:0,d1,2019-12-30,DE,x,none,0,0,1\n",
		okHeader + "s1,d1,2019-02,DE,\"x\ny\",favor,1,0,0\n",
		okHeader + "s1,d1,2019-02,DE,x,favor,1,0\n\"\n",
		"id,doc_id,date,country,b,a,p_a_none,p_b_favor,p_a_favor,p_b_against,p_a_against,p_b_none\ns1,d1,2021-03-04,PL,none,favor,0,0,1,0,0,1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, u := range []Unit{Year, Week} {
			a := NewAccumulator(u, "country")
			err := a.Read("fuzz.csv", strings.NewReader(string(data)))
			if a.Documents() > a.Sentences() {
				t.Fatalf("%d documents from %d sentences", a.Documents(), a.Sentences())
			}
			if err != nil && !strings.HasPrefix(err.Error(), "fuzz.csv") {
				t.Fatalf("error without the file name: %v", err)
			}
			if a.Sentences() == 0 {
				continue
			}
			rep, err := Build(a, Config{Boot: 3, Seed: 1})
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			docs, sents := 0, 0
			for _, r := range rep.Rows {
				if r.Target == rep.Targets[0] {
					docs += r.Documents
					sents += r.Sentences
				}
				if r.Favor.Count+r.Against.Count+r.None != r.Sentences {
					t.Fatalf("row %+v: counts do not add up", r)
				}
			}
			if docs != a.Documents() || sents != a.Sentences() {
				t.Fatalf("rows hold %d documents, %d sentences; read %d, %d", docs, sents, a.Documents(), a.Sentences())
			}
			var sb strings.Builder
			if err := WriteCSV(&sb, rep.Rows); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func Example() {
	const predictions = `id,doc_id,date,text,nato,p_nato_favor,p_nato_against,p_nato_none
s1,d1,2021-03-02,We need the alliance.,favor,0.8,0.1,0.1
s2,d1,2021-03-02,It was a cold day.,none,0.1,0.1,0.8
s3,d2,2022-07-11,The alliance is obsolete.,against,0.2,0.7,0.1
`
	a := NewAccumulator(Year, "")
	if err := a.Read("predictions.csv", strings.NewReader(predictions)); err != nil {
		fmt.Println(err)
		return
	}
	rep, err := Build(a, Config{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Rows {
		fmt.Printf("%s %s: %d docs, %d sentences, favor %.2f, against %.2f, net %+.2f, PCC favor %.2f\n",
			r.Period.Label, r.Target, r.Documents, r.Sentences, r.Favor.Share, r.Against.Share, r.Net, r.Favor.PCC.Value)
	}
	fmt.Println(rep.Notes[0])
	// Output:
	// 2021 nato: 1 docs, 2 sentences, favor 0.50, against 0.00, net +0.50, PCC favor 0.45
	// 2022 nato: 1 docs, 1 sentences, favor 0.00, against 1.00, net -1.00, PCC favor 0.20
	// ACC columns are empty: no model error rates were given (use -model).
}
