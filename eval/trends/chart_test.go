package trends

import (
	"bytes"
	"flag"
	"image/png"
	"io"
	"os"
	"path/filepath"
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
	twoPerYear := series([]int{2015, 2016, 2017, 2018}, 2, func(y, d int) bool { return d == 0 })
	tests := []struct {
		name   string
		data   string
		by     string
		boot   int
		groups int
		shaded bool
	}{
		{"several documents per period", twoPerYear, "", 50, 0, true},
		{"one document per period", onePerYear, "", 50, 0, false},
		{"no bootstrap", twoPerYear, "", -1, 0, false},
		// Only drawn groups count: DE has one document a year, FR two in
		// 2016 but fewer in all, so one group draws only DE.
		{"undrawn group has width", onePerYear + "f1,e1,2016,FR,x,favor,0.8,0.1,0.1\nf2,e2,2016,FR,x,none,0.1,0.1,0.8\n", "country", 50, 1, false},
		{"drawn group has width", onePerYear + "f1,e1,2016,FR,x,favor,0.8,0.1,0.1\nf2,e2,2016,FR,x,none,0.1,0.1,0.8\n", "country", 50, 2, true},
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
