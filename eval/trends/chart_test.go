package trends

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline/atomicfile"
)

var keepCharts = flag.String("keep-charts", "", "also write the test charts into this directory, to look at")

func TestWriteChart(t *testing.T) {
	rates := map[string]map[string]labels.ErrorRate{
		"russia_dialogue":  {"favor": {TPR: 0.8, FPR: 0.05}, "against": {TPR: 0.75, FPR: 0.08}},
		"defense_spending": {"favor": {TPR: 0.7, FPR: 0.06}, "against": {TPR: 0.6, FPR: 0.05}},
	}
	tests := []struct {
		name string
		unit Unit
		by   string
	}{
		{"year", Year, ""},
		{"quarter-country", Quarter, "country"},
		{"month", Month, ""},
	}
	data := synthetic(5, 1)
	if *keepCharts != "" {
		if err := os.WriteFile(filepath.Join(*keepCharts, "synthetic.csv"), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range tests {
		a := NewAccumulator(tt.unit, tt.by)
		if err := a.Read("synthetic.csv", strings.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		rep := build(t, a, Config{Rates: rates, Seed: 1, Boot: 100})
		for _, format := range []string{"png", "svg"} {
			t.Run(tt.name+"."+format, func(t *testing.T) {
				dir := t.TempDir()
				if *keepCharts != "" {
					dir = *keepCharts
				}
				path := filepath.Join(dir, tt.name+"."+format)
				err := atomicfile.WriteFile(path, func(w io.Writer) error { return WriteChart(w, format, rep, ChartOptions{}) })
				if err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				switch format {
				case "png":
					img, err := png.Decode(bytes.NewReader(b))
					if err != nil {
						t.Fatalf("not a PNG: %v", err)
					}
					// One row of panels per target, a column per group.
					cols := 1
					if tt.by != "" {
						cols = 3
					}
					if r := img.Bounds(); r.Dy() < 3*250 || r.Dx() < cols*500 {
						t.Errorf("image %v too small for 3 targets × %d groups", r, cols)
					}
				case "svg":
					s := string(b)
					if !strings.Contains(s, "<svg") || !strings.Contains(s, "defense_spending") {
						t.Errorf("SVG lacks <svg or a panel title (%d bytes)", len(b))
					}
				}
			})
		}
	}
}

func TestWriteChartErrors(t *testing.T) {
	a := readFiles(t, Year, "", "predictions.csv")
	rep := build(t, a, Config{Boot: 10})
	if err := WriteChart(&bytes.Buffer{}, "gif", rep, ChartOptions{}); err == nil {
		t.Error("gif accepted")
	}
	if err := WriteChart(&bytes.Buffer{}, "png", &Report{}, ChartOptions{}); err == nil {
		t.Error("empty report accepted")
	}
}

// TestChartLegendShading checks that the chart explains its shading only
// when some interval has width: not with one document per period (every
// resample is the same document) nor without a bootstrap.
func TestChartLegendShading(t *testing.T) {
	onePerYear := series([]int{2015, 2016, 2017, 2018}, 1, func(y, d int) bool { return y%2 == 0 })
	// Four documents are the fewest a 95% interval takes.
	fourPerYear := series([]int{2015, 2016, 2017, 2018}, 4, func(y, d int) bool { return d == 0 })
	frMany := "f1,e1,2016,FR,x,favor,0.8,0.1,0.1\nf2,e2,2016,FR,x,none,0.1,0.1,0.8\nf3,e3,2016,FR,x,none,0.1,0.1,0.8\nf4,e4,2016,FR,x,favor,0.8,0.1,0.1\n"
	oneFR := "f1,e1,2016,FR,x,favor,0.8,0.1,0.1\n"
	twoPerYear := series([]int{2015, 2016, 2017, 2018}, 2, func(y, d int) bool { return d == 0 })
	tests := []struct {
		name   string
		data   string
		by     string
		boot   int
		groups int
		shaded bool
	}{
		{"several documents per period", fourPerYear, "", 50, 0, true},
		{"one document per period", onePerYear, "", 50, 0, false},
		{"two documents per period: too few for an interval", twoPerYear, "", 50, 0, false},
		{"no bootstrap", fourPerYear, "", -1, 0, false},
		// Only drawn groups count: DE has one document a year, FR four in
		// 2016 but fewer in all, so one group draws only DE.
		{"undrawn group has width", onePerYear + frMany, "country", 50, 1, false},
		{"drawn group has width", onePerYear + frMany, "country", 50, 2, true},
		{"drawn group has one document", onePerYear + oneFR, "country", 50, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewAccumulator(Year, tt.by)
			if err := a.Read("s.csv", strings.NewReader(tt.data)); err != nil {
				t.Fatal(err)
			}
			rep := build(t, a, Config{Seed: 1, Boot: tt.boot})
			var b bytes.Buffer
			if err := WriteChart(&b, "svg", rep, ChartOptions{MaxGroups: tt.groups}); err != nil {
				t.Fatal(err)
			}
			svg := b.String()
			for _, s := range []string{"favor prevalence, 95% interval shaded", "shaded: 95% bootstrap interval"} {
				if got := strings.Contains(svg, s); got != tt.shaded {
					t.Errorf("chart says %q: %v, want %v", s, got, tt.shaded)
				}
			}
			if !strings.Contains(svg, "favor prevalence") {
				t.Error("chart lacks the favor legend entry")
			}
		})
	}
}

// predLine is one sentence of target rd in okHeader's layout: its own
// document, predicted favor or none.
func predLine(id, date, country string, favor bool) string {
	if favor {
		return fmt.Sprintf("%s,doc-%s,%s,%s,x,favor,0.8,0.1,0.1\n", id, id, date, country)
	}
	return fmt.Sprintf("%s,doc-%s,%s,%s,x,none,0.1,0.1,0.8\n", id, id, date, country)
}

// TestChartMarks checks what the chart says and draws: which estimator
// each panel uses and the header's words for it, the groups drawn
// (ChartOptions.Groups, or the largest with rows to draw), and the
// groups refused.
func TestChartMarks(t *testing.T) {
	// rd favor: half the documents, ACC (0.5−0.1)/0.7; rd against: none
	// predicted, below FPR 0.05, so ACC is clipped to 0 and PCC drawn.
	rates := map[string]map[string]labels.ErrorRate{"rd": {"favor": {TPR: 0.8, FPR: 0.1}, "against": {TPR: 0.7, FPR: 0.05}}}
	years := []int{2015, 2016, 2017, 2018}
	de := series(years, 4, func(y, d int) bool { return d%2 == 0 })
	fr := predLine("fr1", "2016", "FR", true) + predLine("fr2", "2017", "FR", false)
	// IT is dated to the year only: coarse in a monthly report.
	monthly := okHeader + predLine("m1", "2016-03-02", "DE", true) + predLine("m2", "2016-04-02", "DE", false) +
		predLine("m3", "2016", "IT", true) + predLine("m4", "2016", "IT", true)
	tests := []struct {
		name    string
		data    string
		unit    Unit
		by      string
		rates   map[string]map[string]labels.ErrorRate
		opt     ChartOptions
		want    []string
		notWant []string
		wantErr string
	}{
		{name: "clipped ACC is drawn as PCC, and said so", data: de, rates: rates,
			want:    []string{"rd (favor ACC, against PCC)", "ACC (adjusted classify and count): the share of sentences classified", "PCC (probabilistic classify and count): the mean probability", "clipped at 0 or 1", "CC (classify and count"},
			notWant: []string{"no usable error rates"}},
		{name: "without rates every series is PCC", data: de,
			want:    []string{"rd (PCC)", "PCC (probabilistic classify and count)"},
			notWant: []string{"ACC (adjusted", "clipped"}},
		{name: "largest groups by default", data: de + fr, by: "country", opt: ChartOptions{MaxGroups: 1},
			want: []string{"rd — country DE"}, notWant: []string{"country FR"}},
		{name: "-groups chooses", data: de + fr, by: "country", opt: ChartOptions{Groups: []string{"FR"}},
			want: []string{"rd — country FR", "open circle: fewer than 4 documents"}, notWant: []string{"country DE"}},
		{name: "a coarse-only group is not drawn", data: monthly, unit: Month, by: "country",
			want: []string{"rd — country DE", "coarser period"}, notWant: []string{"country IT", "()"}},
		{name: "unknown group", data: de, by: "country", opt: ChartOptions{Groups: []string{"ITA"}},
			wantErr: `no country "ITA" in the report (1 groups, the largest DE)`},
		{name: "groups without grouping", data: de, opt: ChartOptions{Groups: []string{"DE"}},
			wantErr: "the report is not grouped"},
		{name: "a coarse-only group asked for", data: monthly, unit: Month, by: "country", opt: ChartOptions{Groups: []string{"IT"}},
			wantErr: `country "IT" has only documents dated more coarsely than month periods`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewAccumulator(tt.unit, tt.by)
			if err := a.Read("s.csv", strings.NewReader(tt.data)); err != nil {
				t.Fatal(err)
			}
			rep := build(t, a, Config{Seed: 1, Boot: 50, Rates: tt.rates})
			var b bytes.Buffer
			err := WriteChart(&b, "svg", rep, tt.opt)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			svg := b.String()
			for _, s := range tt.want {
				if !strings.Contains(svg, s) {
					t.Errorf("chart lacks %q", s)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(svg, s) {
					t.Errorf("chart says %q", s)
				}
			}
		})
	}
}

// TestSeriesRuns checks that a period without documents breaks a series'
// line: 2017 is empty, so 2015–2016 and 2018–2019 are two runs.
func TestSeriesRuns(t *testing.T) {
	tests := []struct {
		name  string
		years []int
		want  [][]string
	}{
		{"consecutive", []int{2015, 2016, 2017}, [][]string{{"2015", "2016", "2017"}}},
		{"one empty year", []int{2015, 2016, 2018, 2019}, [][]string{{"2015", "2016"}, {"2018", "2019"}}},
		{"isolated years", []int{2010, 2015, 2020}, [][]string{{"2010"}, {"2015"}, {"2020"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewAccumulator(Year, "")
			if err := a.Read("s.csv", strings.NewReader(series(tt.years, 1, func(int, int) bool { return true }))); err != nil {
				t.Fatal(err)
			}
			var got [][]string
			for _, run := range seriesRuns(build(t, a, Config{Boot: -1}), "rd", "") {
				var labels []string
				for _, r := range run {
					labels = append(labels, r.Period.Label)
				}
				got = append(got, labels)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("runs %q, want %q", got, tt.want)
			}
		})
	}
}
