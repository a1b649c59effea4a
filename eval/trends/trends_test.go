package trends

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stance-project/stance/labels"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// fixtureRates are made-up error rates for the fixture's two targets:
// defense_spending favor has TPR − FPR = 0.05, too small to correct by.
var fixtureRates = map[string]map[string]labels.ErrorRate{
	"russia_dialogue":  {"favor": {TPR: 0.8, FPR: 0.1}, "against": {TPR: 0.7, FPR: 0.2}},
	"defense_spending": {"favor": {TPR: 0.6, FPR: 0.55}, "against": {TPR: 0.9, FPR: 0.1}},
}

func readFiles(t testing.TB, u Unit, by string, files ...string) *Accumulator {
	t.Helper()
	a := NewAccumulator(u, by)
	for _, name := range files {
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		err = a.Read(name, f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func build(t testing.TB, a *Accumulator, cfg Config) *Report {
	t.Helper()
	rep, err := Build(a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func near(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) < 1e-9
}

// TestBuildHandChecked checks the arithmetic of a yearly, ungrouped
// report of testdata/predictions.csv against values worked out by hand.
//
// 2019 holds d1 (3 sentences) and d2 (2); 2020 holds d3 (2) and d4 (1,
// dated 2020: precise enough for years).
//
// russia_dialogue 2019: predicted favor d1-1, d1-2; against d1-3, d2-2;
// none d2-1. favor share 2/5 = 0.4, against 0.4, net 0.
// p_favor = (0.7+0.6+0.2+0.1+0.1)/5 = 0.34; p_against =
// (0.1+0.2+0.5+0.1+0.7)/5 = 0.32. ACC favor = (0.4−0.1)/(0.8−0.1) =
// 3/7; ACC against = (0.4−0.2)/(0.7−0.2) = 0.4.
// russia_dialogue 2020: favor d3-1, none d3-2, against d4-1: shares 1/3,
// net 0; p_favor = (0.8+0.2+0.3)/3 = 1.3/3, p_against = (0.1+0.2+0.6)/3
// = 0.3. ACC favor = (1/3−0.1)/0.7 = 1/3; ACC against = (1/3−0.2)/0.5 =
// 4/15.
// defense_spending 2019: favor d1-2; against d2-1, d2-2; none d1-1,
// d1-3: shares 0.2, 0.4, net −0.2; p_favor = (0.1+0.5+0.2+0.1+0.2)/5 =
// 0.22; p_against = (0.1+0.2+0.2+0.6+0.5)/5 = 0.32. ACC favor undefined
// (TPR − FPR = 0.05); ACC against = (0.4−0.1)/0.8 = 0.375.
// defense_spending 2020: favor d3-1, d3-2; none d4-1: shares 2/3, 0, net
// 2/3; p_favor = (0.6+0.7+0.1)/3 = 1.4/3, p_against = (0.1+0.1+0.2)/3 =
// 0.4/3. ACC against = (0−0.1)/0.8 < 0, clipped to 0: the
// defense_spending against series then uses PCC in both years.
func TestBuildHandChecked(t *testing.T) {
	a := readFiles(t, Year, "", "predictions.csv")
	rep := build(t, a, Config{Rates: fixtureRates, Seed: 1})
	nan := math.NaN()
	type want struct {
		period, target      string
		docs, sents         int
		favor, against, non int
		fShare, aShare, net float64
		pF, pA              float64
		accF, accA          float64
		estF, estA          string
		clipA               bool
	}
	wants := []want{
		{"2019", "russia_dialogue", 2, 5, 2, 2, 1, 0.4, 0.4, 0, 0.34, 0.32, 3.0 / 7, 0.4, ACC, ACC, false},
		{"2019", "defense_spending", 2, 5, 1, 2, 2, 0.2, 0.4, -0.2, 0.22, 0.32, nan, 0.375, PCC, PCC, false},
		{"2020", "russia_dialogue", 2, 3, 1, 1, 1, 1.0 / 3, 1.0 / 3, 0, 1.3 / 3, 0.3, 1.0 / 3, 4.0 / 15, ACC, ACC, false},
		{"2020", "defense_spending", 2, 3, 2, 0, 1, 2.0 / 3, 0, 2.0 / 3, 1.4 / 3, 0.4 / 3, nan, 0, PCC, PCC, true},
	}
	if len(rep.Rows) != len(wants) {
		t.Fatalf("%d rows, want %d", len(rep.Rows), len(wants))
	}
	for i, w := range wants {
		r := rep.Rows[i]
		t.Run(w.period+"/"+w.target, func(t *testing.T) {
			if r.Period.Label != w.period || r.Target != w.target {
				t.Fatalf("row %d is %s %s", i, r.Period.Label, r.Target)
			}
			if r.Documents != w.docs || r.Sentences != w.sents || r.Favor.Count != w.favor || r.Against.Count != w.against || r.None != w.non {
				t.Errorf("counts docs=%d sents=%d favor=%d against=%d none=%d, want %d %d %d %d %d",
					r.Documents, r.Sentences, r.Favor.Count, r.Against.Count, r.None, w.docs, w.sents, w.favor, w.against, w.non)
			}
			for _, c := range []struct {
				name      string
				got, want float64
			}{
				{"favor share", r.Favor.Share, w.fShare},
				{"against share", r.Against.Share, w.aShare},
				{"net", r.Net, w.net},
				{"p_favor", r.Favor.MeanProb, w.pF},
				{"p_against", r.Against.MeanProb, w.pA},
				{"cc favor", r.Favor.CC.Value, w.fShare},
				{"pcc favor", r.Favor.PCC.Value, w.pF},
				{"pcc against", r.Against.PCC.Value, w.pA},
				{"acc favor", r.Favor.ACC.Value, w.accF},
				{"acc against", r.Against.ACC.Value, w.accA},
			} {
				if !near(c.got, c.want) {
					t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
				}
			}
			if r.Favor.Estimator != w.estF || r.Against.Estimator != w.estA {
				t.Errorf("estimators %s/%s, want %s/%s", r.Favor.Estimator, r.Against.Estimator, w.estF, w.estA)
			}
			if r.Favor.ACCClipped || r.Against.ACCClipped != w.clipA {
				t.Errorf("ACC clipped favor %v against %v, want false %v", r.Favor.ACCClipped, r.Against.ACCClipped, w.clipA)
			}
			// Two documents are fewer than a 95% interval needs (4).
			for _, e := range []Estimate{r.Favor.CC, r.Favor.PCC, r.Against.CC, r.Against.PCC, r.Against.ACC} {
				if !math.IsNaN(e.Lo) || !math.IsNaN(e.Hi) {
					t.Errorf("interval %v..%v from 2 documents, want none", e.Lo, e.Hi)
				}
			}
			if math.IsNaN(w.accF) && !(math.IsNaN(r.Favor.ACC.Lo) && math.IsNaN(r.Favor.ACC.Hi)) {
				t.Errorf("undefined ACC has bounds %v..%v", r.Favor.ACC.Lo, r.Favor.ACC.Hi)
			}
		})
	}
	// With two documents a resample is d1 twice, d2 twice (a quarter of
	// the resamples each) or both, so the 95% interval runs from one
	// document's estimate to the other's. russia_dialogue favor, 2019:
	// CC d1 2/3, d2 0; PCC d1 (0.7+0.6+0.2)/3 = 0.5, d2 (0.1+0.1)/2 = 0.1;
	// ACC d1 (2/3−0.1)/0.7 = 17/21, d2 clipped to 0. Such an interval is
	// drawn only when asked for with IntervalMinDocs.
	f := build(t, a, Config{Rates: fixtureRates, Seed: 1, IntervalMinDocs: -1}).Rows[0].Favor
	for _, c := range []struct {
		name   string
		got    Estimate
		lo, hi float64
	}{
		{"cc", f.CC, 0, 2.0 / 3},
		{"pcc", f.PCC, 0.1, 0.5},
		{"acc", f.ACC, 0, 17.0 / 21},
	} {
		if !near(c.got.Lo, c.lo) || !near(c.got.Hi, c.hi) {
			t.Errorf("2019 russia_dialogue favor %s interval %v..%v, want %v..%v", c.name, c.got.Lo, c.got.Hi, c.lo, c.hi)
		}
	}
	wantNotes := []string{
		"ACC for defense_spending favor is empty",
		"ACC for defense_spending against is clipped to 0 in 1 row, in 2020: the share predicted against was at or below the model's false-positive rate",
		"4 of 4 rows have no interval (empty _lo and _hi cells): fewer than 4 documents",
	}
	if len(rep.Notes) != len(wantNotes) {
		t.Errorf("notes %q, want %d", rep.Notes, len(wantNotes))
	}
	for i, n := range rep.Notes[:min(len(rep.Notes), len(wantNotes))] {
		if !strings.Contains(n, wantNotes[i]) {
			t.Errorf("note %d %q, want %q in it", i, n, wantNotes[i])
		}
	}
	if rep.Periods != 2 || !reflect.DeepEqual(rep.Groups, []string{""}) {
		t.Errorf("periods %d groups %q", rep.Periods, rep.Groups)
	}
}

func TestBuildWithoutRates(t *testing.T) {
	a := readFiles(t, Year, "", "predictions.csv")
	rep := build(t, a, Config{Seed: 1, Boot: 50})
	for _, r := range rep.Rows {
		for _, v := range []ValueStats{r.Favor, r.Against} {
			if !math.IsNaN(v.ACC.Value) || v.Estimator != PCC {
				t.Errorf("%s %s: ACC %v estimator %s without rates", r.Period.Label, r.Target, v.ACC.Value, v.Estimator)
			}
		}
	}
	if len(rep.Notes) != 2 || !strings.Contains(rep.Notes[0], "no model error rates") || !strings.Contains(rep.Notes[1], "no interval") {
		t.Errorf("notes %q", rep.Notes)
	}
	// NaN rates and a missing target give notes, not numbers.
	rates := map[string]map[string]labels.ErrorRate{
		"russia_dialogue": {"favor": {TPR: math.NaN(), FPR: 0.1}, "against": {TPR: 0.7, FPR: 0.2}},
	}
	rep = build(t, a, Config{Seed: 1, Boot: 50, Rates: rates})
	if len(rep.Notes) != 4 {
		t.Errorf("notes %q, want 4 (rd favor NaN, ds favor and against missing, no intervals)", rep.Notes)
	}
	if !math.IsNaN(rep.Rows[0].Favor.ACC.Value) || math.IsNaN(rep.Rows[0].Against.ACC.Value) {
		t.Errorf("rd 2019 ACC favor %v against %v", rep.Rows[0].Favor.ACC.Value, rep.Rows[0].Against.ACC.Value)
	}
}

// TestGolden pins the CSV of a quarterly report grouped by country, with
// the coarse-dated d4 in its own year row, and its change list. The
// fixture has at most two documents a cell, too few for intervals, so
// the bounds are empty but in year-all-intervals, which asks for
// intervals from any number of documents.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name    string
		unit    Unit
		by      string
		minDocs int
	}{
		{"quarter-country", Quarter, "country", 0},
		{"month", Month, "", 0},
		{"week-source", Week, "source", 0},
		{"year", Year, "", 0},
		{"year-all-intervals", Year, "", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := readFiles(t, tc.unit, tc.by, "predictions.csv")
			rep := build(t, a, Config{Rates: fixtureRates, Seed: 1, Boot: 200, IntervalMinDocs: tc.minDocs})
			buf := bytes.NewBufferString(reportText(t, rep))
			golden := filepath.Join("testdata", "golden", tc.name+".csv")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
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

func TestCoarseRows(t *testing.T) {
	a := readFiles(t, Month, "country", "predictions.csv")
	rep := build(t, a, Config{Boot: -1})
	var labels []string
	for _, r := range rep.Rows {
		if r.Target != "russia_dialogue" {
			continue
		}
		labels = append(labels, fmt.Sprintf("%s/%s/%v", r.Period.Label, r.Group, r.Period.Coarse))
		if !math.IsNaN(r.Favor.CC.Lo) {
			t.Errorf("Boot < 0 still gave an interval")
		}
	}
	want := []string{"2019-03/DE/false", "2019-11/FR/false", "2020/FR/true", "2020-05/DE/false"}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("rows %q, want %q", labels, want)
	}
}

// TestShards checks that reading the shards of a run (rows of one
// document spread over two files, the second with its target columns in
// another order) gives exactly the report of the whole file.
func TestShards(t *testing.T) {
	for _, u := range []Unit{Year, Quarter, Week} {
		t.Run(u.String(), func(t *testing.T) {
			whole := build(t, readFiles(t, u, "country", "predictions.csv"), Config{Rates: fixtureRates, Seed: 3, Boot: 100})
			a := readFiles(t, u, "country", "shard-1.csv", "shard-2.csv")
			if a.Files() != 2 || a.Sentences() != 8 || a.Documents() != 4 {
				t.Errorf("files %d sentences %d documents %d, want 2 8 4", a.Files(), a.Sentences(), a.Documents())
			}
			shards := build(t, a, Config{Rates: fixtureRates, Seed: 3, Boot: 100})
			// Probability sums differ in the last bits with the order of
			// addition, so compare what is written.
			if w, s := reportText(t, whole), reportText(t, shards); w != s {
				t.Errorf("shards differ from the whole file:\n%s\n%s", w, s)
			}
			if len(whole.Rows) != len(shards.Rows) {
				t.Fatalf("%d rows, want %d", len(shards.Rows), len(whole.Rows))
			}
			for i := range whole.Rows {
				if d := math.Abs(whole.Rows[i].Favor.PCC.Value - shards.Rows[i].Favor.PCC.Value); d > 1e-12 {
					t.Errorf("row %d PCC favor differs by %g", i, d)
				}
			}
		})
	}
}

func reportText(t testing.TB, rep *Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rep.Rows); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("\n")
	if err := WriteChanges(&buf, rep.Changes); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestBucket(t *testing.T) {
	tests := []struct {
		date   string
		unit   Unit
		label  string
		start  string
		end    string
		coarse bool
	}{
		{"2019-03-10", Year, "2019", "2019-01-01", "2020-01-01", false},
		{"2019", Year, "2019", "2019-01-01", "2020-01-01", false},
		{"2019-03-31", Quarter, "2019-Q1", "2019-01-01", "2019-04-01", false},
		{"2019-04-01", Quarter, "2019-Q2", "2019-04-01", "2019-07-01", false},
		{"2019-11", Quarter, "2019-Q4", "2019-10-01", "2020-01-01", false},
		{"2019", Quarter, "2019", "2019-01-01", "2020-01-01", true},
		{"2019-02-28", Month, "2019-02", "2019-02-01", "2019-03-01", false},
		{"2017", Month, "2017", "2017-01-01", "2018-01-01", true},
		// ISO weeks across year ends: Monday 2019-12-30 opens 2020-W01;
		// Sunday 2021-01-03 closes 2020-W53; Friday 2016-01-01 is in
		// 2015-W53; Monday 2018-12-31 is 2019-W01.
		{"2019-12-30", Week, "2020-W01", "2019-12-30", "2020-01-06", false},
		{"2021-01-03", Week, "2020-W53", "2020-12-28", "2021-01-04", false},
		{"2016-01-01", Week, "2015-W53", "2015-12-28", "2016-01-04", false},
		{"2018-12-31", Week, "2019-W01", "2018-12-31", "2019-01-07", false},
		{"2019-02-14", Week, "2019-W07", "2019-02-11", "2019-02-18", false},
		{"2017-03", Week, "2017-03", "2017-03-01", "2017-04-01", true},
		{"2017", Week, "2017", "2017-01-01", "2018-01-01", true},
		{"2020-02-29", Day, "2020-02-29", "2020-02-29", "2020-03-01", false},
		{"2020-02", Day, "2020-02", "2020-02-01", "2020-03-01", true},
	}
	for _, tt := range tests {
		t.Run(tt.date+"/"+tt.unit.String(), func(t *testing.T) {
			p, err := Bucket(tt.date, tt.unit)
			if err != nil {
				t.Fatal(err)
			}
			if p.Label != tt.label || !p.Start.Equal(day(tt.start)) || !p.End.Equal(day(tt.end)) || p.Coarse != tt.coarse {
				t.Errorf("got %s %s..%s coarse=%v, want %s %s..%s coarse=%v", p.Label,
					p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly), p.Coarse, tt.label, tt.start, tt.end, tt.coarse)
			}
		})
	}
	for _, bad := range []string{"", "19", "2019-13", "2019-02-30", "2019/01/01", "2019-1-1", "01-02-2019", "2019-01-01T00:00"} {
		t.Run("bad "+bad, func(t *testing.T) {
			if _, err := Bucket(bad, Month); err == nil {
				t.Errorf("Bucket(%q) gave no error", bad)
			}
		})
	}
}

func TestParseUnit(t *testing.T) {
	for _, u := range []Unit{Year, Quarter, Month, Week, Day} {
		got, err := ParseUnit(strings.ToUpper(u.String()))
		if err != nil || got != u {
			t.Errorf("ParseUnit(%q) = %v, %v", u.String(), got, err)
		}
	}
	if _, err := ParseUnit("fortnight"); err == nil {
		t.Error("ParseUnit(fortnight) gave no error")
	}
}

const okHeader = "id,doc_id,date,country,text,rd,p_rd_favor,p_rd_against,p_rd_none\n"

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name  string
		by    string
		files []string // contents; named f0.csv, f1.csv, ...
		want  []string // substrings of the error, in order
		kind  error
	}{
		{name: "empty file", files: []string{""}, want: []string{"f0.csv: empty file"}, kind: labels.ErrEmptyFile},
		{
			name:  "no date column",
			files: []string{"id,doc_id,text,rd,p_rd_favor,p_rd_against,p_rd_none\ns1,d1,x,favor,1,0,0\n"},
			want:  []string{`f0.csv:1: missing column: no "date" column`}, kind: labels.ErrMissingColumn,
		},
		{
			name:  "no doc_id column",
			files: []string{"id,date,text,rd,p_rd_favor,p_rd_against,p_rd_none\ns1,2019,x,favor,1,0,0\n"},
			want:  []string{`f0.csv:1: missing column: no "doc_id" column`}, kind: labels.ErrMissingColumn,
		},
		{
			name:  "no by column",
			by:    "source",
			files: []string{okHeader + "s1,d1,2019,DE,x,favor,1,0,0\n"},
			want:  []string{`f0.csv:1: missing column: no "source" column`}, kind: labels.ErrMissingColumn,
		},
		{
			name:  "no targets",
			files: []string{"id,doc_id,date,text,rd,p_rd_favor,p_rd_none\ns1,d1,2019,x,favor,1,0\n"},
			want:  []string{"f0.csv:1: missing column: no target columns"}, kind: labels.ErrMissingColumn,
		},
		{
			name:  "bad date",
			files: []string{okHeader + "s1,d1,2019,DE,x,favor,1,0,0\ns2,d2,2019-13-01,DE,x,favor,1,0,0\n"},
			want:  []string{`f0.csv:3:7: invalid date: date "2019-13-01"`}, kind: labels.ErrBadDate,
		},
		{
			name:  "empty date",
			files: []string{okHeader + "s1,d1,,DE,x,favor,1,0,0\n"},
			want:  []string{"f0.csv:2:7: invalid date: empty date"}, kind: labels.ErrBadDate,
		},
		{
			name:  "bad value and bad probability, both reported",
			files: []string{okHeader + "s1,d1,2019,DE,x,maybe,1,0,0\ns2,d1,2019,DE,x,favor,1.5,0,0\n"},
			want:  []string{`f0.csv:2:17: invalid value: rd = "maybe"`, `f0.csv:3:23: invalid value: p_rd_favor = "1.5"`}, kind: labels.ErrBadValue,
		},
		{
			name:  "field count",
			files: []string{okHeader + "s1,d1,2019,DE,x,favor,1,0\n"},
			want:  []string{"f0.csv:2:", "wrong number of fields"}, kind: labels.ErrFieldCount,
		},
		{
			name:  "document with two dates across files",
			files: []string{okHeader + "s1,d1,2019,DE,x,favor,1,0,0\n", okHeader + "s2,d1,2020,DE,x,favor,1,0,0\n"},
			want:  []string{`f1.csv:2:7: document metadata conflict: document "d1" has date "2020" here but "2019" at f0.csv:2`}, kind: ErrConflict,
		},
		{
			name:  "document with two groups",
			by:    "country",
			files: []string{okHeader + "s1,d1,2019,DE,x,favor,1,0,0\ns2,d1,2019,FR,x,favor,1,0,0\n"},
			want:  []string{`f0.csv:3:12: document metadata conflict: document "d1" has country "FR" here but "DE" at f0.csv:2`}, kind: ErrConflict,
		},
		{
			name: "targets differ between files",
			files: []string{okHeader + "s1,d1,2019,DE,x,favor,1,0,0\n",
				"id,doc_id,date,text,ds,p_ds_favor,p_ds_against,p_ds_none\ns2,d2,2019,x,none,0,0,1\n"},
			want: []string{"f1.csv:1: unknown target column: targets ds differ from the first file's rd"}, kind: labels.ErrUnknownTarget,
		},
		{
			name:  "empty doc_id",
			files: []string{okHeader + "s1,,2019,DE,x,favor,1,0,0\n"},
			want:  []string{"f0.csv:2:4: invalid value: empty doc_id"}, kind: labels.ErrBadValue,
		},
		{
			name:  "no id column",
			files: []string{"doc_id,date,text,rd,p_rd_favor,p_rd_against,p_rd_none\nd1,2019,x,favor,1,0,0\n"},
			want:  []string{`f0.csv:1: missing column: no "id" column`}, kind: labels.ErrMissingColumn,
		},
		{
			name:  "empty sentence id",
			files: []string{okHeader + ",d1,2019,DE,x,favor,1,0,0\n"},
			want:  []string{"f0.csv:2:1: empty id: empty sentence id"}, kind: labels.ErrEmptyID,
		},
		{
			name:  "sentence twice in one file",
			files: []string{okHeader + "s1,d1,2019,DE,x,favor,1,0,0\ns2,d1,2019,DE,x,none,0,0,1\ns1,d1,2019,DE,x,favor,1,0,0\n"},
			want:  []string{`f0.csv:4:1: duplicate id: sentence "s1" also at f0.csv:2`}, kind: labels.ErrDuplicateID,
		},
		{
			name: "sentence in two files, reported even when its row has another problem",
			files: []string{okHeader + "s1,d1,2019,DE,x,favor,1,0,0\ns2,d2,2019,DE,x,favor,1,0,0\n",
				okHeader + "s3,d3,2019,DE,x,favor,1,0,0\ns2,d2,2019,DE,x,maybe,1,0,0\n"},
			want: []string{`f1.csv:3:1: duplicate id: sentence "s2" also at f0.csv:3`}, kind: labels.ErrDuplicateID,
		},
		{
			name: "repeat of a row that had a problem",
			files: []string{okHeader + "s1,d1,2019,DE,x,maybe,1,0,0\n",
				okHeader + "s1,d1,2019,DE,x,favor,1,0,0\n"},
			want: []string{`f0.csv:2:17: invalid value`, `f1.csv:2:1: duplicate id: sentence "s1" also at f0.csv:2`}, kind: labels.ErrDuplicateID,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewAccumulator(Year, tt.by)
			var errs []error
			for i, f := range tt.files {
				if err := a.Read(fmt.Sprintf("f%d.csv", i), strings.NewReader(f)); err != nil {
					errs = append(errs, err)
				}
			}
			err := errors.Join(errs...)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			rest := msg
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error %q lacks %q", msg, w)
				}
				rest = rest[i+len(w):]
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("error %q is not %v", msg, tt.kind)
			}
			var pe *labels.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %q holds no *labels.ParseError", msg)
			}
		})
	}
}

// TestOverlappingInputs checks that a sentence read twice (a file given
// twice, or a whole run with one of its shards) is a problem for each
// repeated row, naming where it was first read, and is counted once.
func TestOverlappingInputs(t *testing.T) {
	tests := []struct {
		name      string
		files     []string // under testdata
		problems  int
		first     string // the first problem, if any
		sentences int
	}{
		{"shards of one run", []string{"shard-1.csv", "shard-2.csv"}, 0, "", 8},
		{"one file twice", []string{"predictions.csv", "predictions.csv"}, 8,
			`predictions.csv:2:1: duplicate id: sentence "d1-1" also at predictions.csv:2 (the same file, given twice)`, 8},
		{"whole run and a shard", []string{"predictions.csv", "shard-2.csv"}, 4,
			`shard-2.csv:2:1: duplicate id: sentence "d1-2" also at predictions.csv:3`, 8},
		{"a shard and the whole run", []string{"shard-1.csv", "predictions.csv"}, 4,
			`predictions.csv:2:1: duplicate id: sentence "d1-1" also at shard-1.csv:2`, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewAccumulator(Year, "")
			var problems labels.ErrorList
			for _, name := range tt.files {
				b, err := os.ReadFile(filepath.Join("testdata", name))
				if err != nil {
					t.Fatal(err)
				}
				var list labels.ErrorList
				if err := a.Read(name, bytes.NewReader(b)); errors.As(err, &list) {
					problems = append(problems, list...)
				} else if err != nil {
					t.Fatal(err)
				}
			}
			if len(problems) != tt.problems {
				t.Errorf("%d problems, want %d:\n%v", len(problems), tt.problems, problems)
			}
			if len(problems) > 0 && problems[0].Error() != tt.first {
				t.Errorf("first problem %q, want %q", problems[0].Error(), tt.first)
			}
			for _, p := range problems {
				if !errors.Is(p, labels.ErrDuplicateID) {
					t.Errorf("problem %q is not a duplicate id", p)
				}
			}
			if a.Sentences() != tt.sentences || a.Documents() != 4 {
				t.Errorf("%d sentences in %d documents, want %d in 4", a.Sentences(), a.Documents(), tt.sentences)
			}
		})
	}
}

// TestBadRowsNotCounted checks that a row with a problem leaves no trace
// in the counts.
func TestBadRowsNotCounted(t *testing.T) {
	a := NewAccumulator(Year, "")
	err := a.Read("x.csv", strings.NewReader(okHeader+"s1,d1,2019,DE,x,favor,1,0,0\ns2,d1,2019,DE,x,favor,x,0,0\n"))
	if err == nil {
		t.Fatal("no error")
	}
	if a.Sentences() != 1 || a.docs["d1"].sentences != 1 || a.docs["d1"].counts[0] != 1 {
		t.Errorf("bad row counted: sentences %d", a.Sentences())
	}
}

// series writes a prediction CSV with docs documents of one sentence per
// year, each year's favor probability (and decision) from favor(year).
func series(years []int, docs int, favor func(year, doc int) bool) string {
	var b strings.Builder
	b.WriteString(okHeader)
	for _, y := range years {
		for d := range docs {
			v, p := "none", "0.1,0.1,0.8"
			if favor(y, d) {
				v, p = "favor", "0.8,0.1,0.1"
			}
			fmt.Fprintf(&b, "s%d-%d,d%d-%d,%d,DE,x,%s,%s\n", y, d, y, d, y, v, p)
		}
	}
	return b.String()
}

// TestShiftsAndChanges builds a series that jumps from 10% to 60% favor
// in 2016 and stays there: 2016 must shift up and be the one change of
// level; against (always 0.1) must neither shift nor change.
func TestShiftsAndChanges(t *testing.T) {
	years := []int{2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019}
	csv := series(years, 40, func(y, d int) bool {
		if y >= 2016 {
			return d%10 < 6
		}
		return d%10 < 1
	})
	a := NewAccumulator(Year, "")
	if err := a.Read("s.csv", strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
	rep := build(t, a, Config{Seed: 1, Boot: 300})
	for _, r := range rep.Rows {
		want := 0
		if r.Period.Label == "2016" {
			want = 1
		}
		if r.Favor.Shift != want || r.Against.Shift != 0 {
			t.Errorf("%s: favor shift %d against %d, want %d 0", r.Period.Label, r.Favor.Shift, r.Against.Shift, want)
		}
	}
	if len(rep.Changes) != 1 {
		t.Fatalf("changes %+v, want one", rep.Changes)
	}
	c := rep.Changes[0]
	// favor PCC: 0.1 + 0.7·share favor; 10% favor → 0.17, 60% → 0.52.
	if c.Value != "favor" || c.Period.Label != "2016" || !near(c.Before, 0.17) || !near(c.After, 0.52) {
		t.Errorf("change %+v, want favor at 2016 from 0.17 to 0.52", c)
	}
}

// TestNoChangeOnNearFlatSeries: a step from 1 to 2 favor documents in
// 40 (a PCC step of 0.0175) is well inside sampling noise; a series flat
// on both sides must not make it a change of level (the estimated noise
// is floored at the binomial sampling variance).
func TestNoChangeOnNearFlatSeries(t *testing.T) {
	years := []int{2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019}
	csv := series(years, 40, func(y, d int) bool {
		if y >= 2016 {
			return d < 2
		}
		return d < 1
	})
	a := NewAccumulator(Year, "")
	if err := a.Read("s.csv", strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
	rep := build(t, a, Config{Seed: 1, Boot: 100})
	if len(rep.Changes) != 0 {
		t.Fatalf("changes %+v, want none", rep.Changes)
	}
}

// TestWriteEmpty checks that an empty report still has its header.
func TestWriteEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := WriteChanges(&b, nil); err != nil {
		t.Fatal(err)
	}
	if b.String() != "group,target,value,estimator,period,period_start,before,after\n" {
		t.Errorf("changes: got %q", b.String())
	}
	b.Reset()
	if err := WriteCSV(&b, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "period,period_start,") || strings.Count(b.String(), "\n") != 1 {
		t.Errorf("rows: got %q", b.String())
	}
}

// TestChangesOnSynthetic checks change detection end to end on monthly
// data whose levels change only in January 2018 (russia_dialogue) and
// March 2022 (defense_spending), with noise that differs between levels
// (a share's variance is p(1−p)/n), over 8 seeds × 3 countries × 5
// checked series (3 targets × favor and against, less defense_spending
// against, which falls only from 0.19 to 0.16 and whose date is
// uncertain by months with 15 documents a month).
//
// Every true change (russia_dialogue favor and against, defense_spending
// favor) must be found within a month of its date in every country and
// seed. Spurious changes (anywhere else, ukraine_support included) are a
// matter of rate: we measured 3 in these 120 series of 96 months (seeds
// 1-8) and 5 on seeds 5-12, so the test allows at most 10.
func TestChangesOnSynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("about 35,000 sentences per seed")
	}
	truth := map[string]string{
		"russia_dialogue favor":   "2018-01-01",
		"russia_dialogue against": "2018-01-01",
		"defense_spending favor":  "2022-03-01",
	}
	spurious := 0
	for seed := uint64(1); seed <= 8; seed++ {
		a := NewAccumulator(Month, "country")
		if err := a.Read("synthetic.csv", strings.NewReader(synthetic(seed, 5))); err != nil {
			t.Fatal(err)
		}
		rep := build(t, a, Config{Seed: 1, Boot: 20})
		found := map[string]int{}
		for _, c := range rep.Changes {
			key := c.Target + " " + c.Value
			if key == "defense_spending against" {
				continue
			}
			if d := c.Period.Start.Sub(day(truth[key])).Hours() / 24; truth[key] == "" || d < -31 || d > 31 {
				t.Logf("seed %d: spurious change: %s %s at %s (%.3f -> %.3f)", seed, c.Group, key, c.Period.Label, c.Before, c.After)
				spurious++
				continue
			}
			found[c.Group+" "+key]++
		}
		for _, g := range []string{"DE", "FR", "PL"} {
			for key := range truth {
				if found[g+" "+key] != 1 {
					t.Errorf("seed %d: %s %s: %d changes near %s, want 1", seed, g, key, found[g+" "+key], truth[key])
				}
			}
		}
	}
	if spurious > 10 {
		t.Errorf("%d spurious changes in 120 series, want at most 10", spurious)
	}
}

// TestBootstrapDeterminism checks that a seed fixes every interval,
// whatever the number of goroutines, and that another seed moves them.
func TestBootstrapDeterminism(t *testing.T) {
	a := NewAccumulator(Quarter, "country")
	if err := a.Read("synthetic.csv", strings.NewReader(synthetic(1, 1))); err != nil {
		t.Fatal(err)
	}
	first := reportText(t, build(t, a, Config{Seed: 7, Boot: 100}))
	prev := runtime.GOMAXPROCS(1)
	single := reportText(t, build(t, a, Config{Seed: 7, Boot: 100}))
	runtime.GOMAXPROCS(prev)
	if first != single {
		t.Error("same seed, different output with GOMAXPROCS=1")
	}
	if other := reportText(t, build(t, a, Config{Seed: 8, Boot: 100})); other == first {
		t.Error("seeds 7 and 8 gave the same intervals")
	}
}

func TestLargest(t *testing.T) {
	ch := func(target string, before, after float64) Change {
		return Change{Target: target, Before: before, After: after}
	}
	// Sizes 0.25, 0.5, 0.25, 0.5, 0.375: exact in binary, so ties are ties.
	changes := []Change{ch("a", 0.25, 0.5), ch("b", 0.75, 0.25), ch("c", 0.5, 0.75), ch("d", 0.125, 0.625), ch("e", 1, 0.625)}
	tests := []struct {
		name string
		n    int
		want string // targets, largest change first
	}{
		{"fewer than all", 2, "bd"},           // a fall and a rise of 0.5 tie: order given
		{"ties in the order given", 3, "bde"}, // then 0.375
		{"all", 5, "bdeac"},                   // 0.25 and 0.25 tie: a before c
		{"more than all", 20, "bdeac"},
		{"none", 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got strings.Builder
			for _, c := range Largest(changes, tc.n) {
				got.WriteString(c.Target)
			}
			if got.String() != tc.want {
				t.Errorf("Largest(%d) = %q, want %q", tc.n, got.String(), tc.want)
			}
		})
	}
	if changes[0].Target != "a" {
		t.Errorf("Largest reordered its argument")
	}
}

// TestClippedACCSeries checks that a series whose ACC is clipped in some
// period is measured by PCC throughout, so that its change of level is
// not "x → 0.000" from a clipped ACC: favor is never predicted before
// 2016 (CC 0, below FPR 0.1, ACC clipped to 0) and in 60% of documents
// from 2016 (ACC (0.6−0.1)/0.7, not clipped).
func TestClippedACCSeries(t *testing.T) {
	years := []int{2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019}
	csv := series(years, 40, func(y, d int) bool { return y >= 2016 && d%10 < 6 })
	a := NewAccumulator(Year, "")
	if err := a.Read("s.csv", strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
	rates := map[string]map[string]labels.ErrorRate{"rd": {"favor": {TPR: 0.8, FPR: 0.1}, "against": {TPR: 0.8, FPR: 0.01}}}
	rep := build(t, a, Config{Rates: rates, Seed: 1, Boot: 100})
	for _, r := range rep.Rows {
		if clipped := r.Period.Start.Year() < 2016; r.Favor.ACCClipped != clipped {
			t.Errorf("%s favor ACC %v clipped %v, want %v", r.Period.Label, r.Favor.ACC.Value, r.Favor.ACCClipped, clipped)
		}
		if r.Favor.Estimator != PCC {
			t.Errorf("%s favor estimator %s, want pcc (the series is clipped in 2012–2015)", r.Period.Label, r.Favor.Estimator)
		}
		// against: never predicted, CC 0 ≤ FPR 0.01: clipped everywhere.
		if !r.Against.ACCClipped || r.Against.Estimator != PCC {
			t.Errorf("%s against clipped %v estimator %s", r.Period.Label, r.Against.ACCClipped, r.Against.Estimator)
		}
		if math.IsNaN(r.Favor.PCC.Lo) {
			t.Errorf("%s: no interval from 40 documents", r.Period.Label)
		}
	}
	var favorChanges []Change
	for _, c := range rep.Changes {
		if c.Value == "favor" {
			favorChanges = append(favorChanges, c)
		}
	}
	if len(favorChanges) != 1 {
		t.Fatalf("favor changes %+v, want one", favorChanges)
	}
	c := favorChanges[0]
	// PCC: 0.1 before; 0.6·0.8 + 0.4·0.1 = 0.52 after.
	if c.Estimator != PCC || c.ACCClipped != 4 || c.Period.Label != "2016" || !near(c.Before, 0.1) || !near(c.After, 0.52) {
		t.Errorf("change %s %s (%d clipped) %.3f -> %.3f, want pcc 2016 (4 clipped) 0.100 -> 0.520", c.Estimator, c.Period.Label, c.ACCClipped, c.Before, c.After)
	}
	if len(rep.Notes) != 2 || !strings.Contains(rep.Notes[0], "ACC for rd favor is clipped to 0 in 4 rows, in 2012, 2013, 2014, 2015:") {
		t.Errorf("notes %q", rep.Notes)
	}
}
