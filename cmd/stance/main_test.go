package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stance-project/stance/eval/suggest"
)

// stance runs the command line in-process and returns its exit status and
// output, as main would.
func stance(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
	code := exitCode(run(ctx, env, args), env.Stderr)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string // substring of stdout+stderr
	}{
		{"no command", nil, 2, "usage: stance"},
		{"help", []string{"help"}, 0, "classify"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"unknown flag", []string{"train", "-frob"}, 2, "flag provided but not defined"},
		{"missing required flag", []string{"classify", "x.csv"}, 2, "-model is required"},
		{"bad shard", []string{"classify", "-model", "m", "-out", "o", "-shard", "3/2", "x"}, 2, "shard"},
		{"runtime failure", []string{"labels", "check", "no/such/file.csv"}, 1, "no/such/file.csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := stance(t, ctx, tc.args...)
			if code != tc.code || !strings.Contains(out+errs, tc.out) {
				t.Fatalf("exit %d (want %d); output lacks %q:\n%s%s", code, tc.code, tc.out, out, errs)
			}
		})
	}
}

// Every command's -h lists its flags with their defaults and exits 0.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			code, out, _ := stance(t, context.Background(), c.name, "-h")
			if code != 0 || !strings.Contains(out, "usage: stance "+c.name) {
				t.Fatalf("exit %d, output:\n%s", code, out)
			}
			if c.name != "labels" && !strings.Contains(out, "flags:") {
				t.Fatalf("no flag list:\n%s", out)
			}
		})
	}
}

// The main job on the example corpus: train, classify in shards and in one
// run, interrupt a run, report.
func TestTrainClassifyReport(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	ctx := context.Background()
	dir := t.TempDir()
	examples := filepath.Join("..", "..", "examples")
	model := filepath.Join(dir, "model.stance")
	mustRun := func(args ...string) string {
		t.Helper()
		code, out, errs := stance(t, ctx, args...)
		if code != 0 {
			t.Fatalf("stance %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
		}
		return out + errs
	}
	mustRun("train", "-quiet", "-labels", filepath.Join(examples, "labels.csv"), "-out", model)

	// Evaluation writes every report file; a second run compares with the
	// first.
	gold := filepath.Join(examples, "labels.csv")
	evalDir, evalDir2 := filepath.Join(dir, "eval1"), filepath.Join(dir, "eval2")
	mustRun("eval", "-model", model, "-labels", gold, "-out", evalDir, "-resamples", "50")
	for _, f := range []string{"metrics.csv", "confusion.csv", "calibration.csv", "errors.csv", "report.html"} {
		if fi, err := os.Stat(filepath.Join(evalDir, f)); err != nil || fi.Size() == 0 {
			t.Fatalf("eval wrote no %s: %v", f, err)
		}
	}
	if out := mustRun("eval", "-model", model, "-labels", gold, "-out", evalDir2, "-resamples", "50", "-baseline", evalDir); !strings.Contains(out, "report.html") {
		t.Fatalf("eval -baseline printed no report path:\n%s", out)
	}
	// A retrain from the model reports what changed.
	if out := mustRun("train", "-labels", gold, "-init", model, "-out", filepath.Join(dir, "warm.stance")); !strings.Contains(out, "since") {
		t.Fatalf("train -init summary does not say what changed since the old model:\n%s", out)
	}

	corpus := filepath.Join(examples, "corpus")
	all := filepath.Join(dir, "all.csv")
	mustRun("classify", "-quiet", "-model", model, "-out", all, corpus)
	whole := readIDs(t, all)
	if len(whole) == 0 {
		t.Fatal("no predictions")
	}

	// Suggest: the default strategy gives half the picks to the decision
	// margins and half to the rarest values, counted from the model's own
	// training labels when no -labels are given; the todo file merges back
	// with nothing filled in. By default the reasons name the description
	// words that weighed a pick (the examples mention the targets), and
	// with -cues=false none; with -labels, how many of them the labelled
	// examples contain (without, there are no examples to confirm them).
	for _, extra := range [][]string{nil, {"-labels", gold}, {"-cues=false"}} {
		todo := filepath.Join(dir, "todo.csv")
		out := mustRun(append(append([]string{"suggest", "-q", "-per-doc", "0", "-model", model, "-n", "10", "-out", todo}, extra...), corpus)...)
		if !strings.Contains(out, "picks per target: ") {
			t.Fatalf("suggest printed no summary of its picks:\n%s", out)
		}
		recs := readCSV(t, todo)
		col := slices.Index(recs[0], "suggested_reason")
		if len(recs) != 11 || col < 0 {
			t.Fatalf("todo %v: %d rows, header %v", extra, len(recs)-1, recs[0])
		}
		kinds := map[string]int{}
		for _, r := range recs[1:] {
			if strings.Contains(r[col], " cue word") {
				kinds["cues"]++
			}
			if strings.Contains(r[col], " in labelled examples") {
				kinds["confirmed"]++
			}
			switch {
			case strings.Contains(r[col], " targets "):
				kinds["targets"]++
			case strings.Contains(r[col], "(rare"):
				kinds["rare"]++
			}
		}
		if kinds["targets"] < 3 || kinds["rare"] < 3 || kinds["targets"]+kinds["rare"] != 10 {
			t.Fatalf("todo %v: reasons %v, want both kinds, 10 in all", extra, kinds)
		}
		if noCues := slices.Contains(extra, "-cues=false"); noCues != (kinds["cues"] == 0) {
			t.Fatalf("todo %v: %d reasons name cue words", extra, kinds["cues"])
		}
		if withLabels := slices.Contains(extra, "-labels"); withLabels != (kinds["confirmed"] > 0) {
			t.Fatalf("todo %v: %d reasons name description words confirmed by labelled examples", extra, kinds["confirmed"])
		}
		if out := mustRun("labels", "merge", "-out", filepath.Join(dir, "merged.csv"), gold, todo); !strings.Contains(out, "still empty (ignored) 10") {
			t.Fatalf("labels merge does not count the 10 empty rows:\n%s", out)
		}
	}

	// The union of n shards is one run.
	var union []string
	for i := range 3 {
		part := filepath.Join(dir, "part"+string(rune('0'+i))+".csv")
		mustRun("classify", "-quiet", "-model", model, "-out", part, "-shard", string(rune('0'+i))+"/3", corpus)
		union = append(union, readIDs(t, part)...)
	}
	sort.Strings(union)
	sorted := append([]string(nil), whole...)
	sort.Strings(sorted)
	if strings.Join(union, " ") != strings.Join(sorted, " ") {
		t.Fatalf("shards hold %v\none run holds %v", union, sorted)
	}

	// An interrupted run leaves no output file, not even a partial one.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	gone := filepath.Join(dir, "interrupted.csv")
	if code, _, errs := stance(t, cancelled, "classify", "-quiet", "-model", model, "-out", gone, corpus); code != 1 || !strings.Contains(errs, "interrupted") {
		t.Fatalf("interrupted classify: exit %d, %s", code, errs)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "interrupted") {
			t.Fatalf("interrupted run left %s behind", e.Name())
		}
	}

	// Reports accept several prediction files: the shards give the same
	// trends as the single run.
	one, three := filepath.Join(dir, "t1.csv"), filepath.Join(dir, "t3.csv")
	mustRun("report", "-model", model, "-in", all, "-out", one)
	mustRun("report", "-model", model, "-in", filepath.Join(dir, "part0.csv"), "-in", filepath.Join(dir, "part1.csv"), "-in", filepath.Join(dir, "part2.csv"), "-out", three)
	a, _ := os.ReadFile(one)
	b, _ := os.ReadFile(three)
	if !bytes.Equal(a, b) {
		t.Fatalf("trends from shards differ from trends of one run:\n%s\n---\n%s", a, b)
	}

	// A Slurm array's tasks take their shards from the environment and
	// write the parts -out names; report reads their folder.
	preds := filepath.Join(dir, "preds")
	os.Mkdir(preds, 0o755)
	for id := 5; id < 8; id++ {
		vars := []string{"SLURM_ARRAY_TASK_ID=" + string(rune('0'+id)), "SLURM_ARRAY_TASK_MIN=5", "SLURM_ARRAY_TASK_MAX=7", "SLURM_ARRAY_TASK_COUNT=3"}
		code, _, errs := stanceEnv(t, ctx, vars, "classify", "-model", model, "-out", filepath.Join(preds, "part-%i-of-%n.csv"), corpus)
		want := "classify: shard " + string(rune('0'+id-5)) + "/3 from SLURM_ARRAY_TASK_ID -> " + filepath.Join(preds, "part-"+string(rune('0'+id-5))+"-of-3.csv")
		if code != 0 || !strings.Contains(errs, want) {
			t.Fatalf("array task %d: exit %d, stderr lacks %q:\n%s", id, code, want, errs)
		}
	}
	folder := filepath.Join(dir, "t-folder.csv")
	mustRun("report", "-model", model, "-in", preds, "-out", folder)
	if c, _ := os.ReadFile(folder); !bytes.Equal(a, c) {
		t.Fatalf("trends from the array's parts differ from trends of one run:\n%s\n---\n%s", c, a)
	}
	// suggest takes its shard likewise.
	if code, _, errs := stanceEnv(t, ctx, []string{"JOB_COMPLETION_INDEX=0"}, "suggest", "-q", "-shards", "2", "-model", model, "-n", "2", "-out", filepath.Join(dir, "todo-%i-of-%n.csv"), corpus); code != 0 ||
		!strings.Contains(errs, "suggest: shard 0/2 from JOB_COMPLETION_INDEX") || len(readCSV(t, filepath.Join(dir, "todo-0-of-2.csv"))) < 2 {
		t.Fatalf("suggest in pod 0 of 2: exit %d\n%s", code, errs)
	}
	os.Remove(filepath.Join(preds, "part-1-of-3.csv"))
	if code, _, errs := stance(t, ctx, "report", "-in", preds, "-out", folder+"2"); code != 1 || !strings.Contains(errs, "part 1 of 3 missing") {
		t.Fatalf("report over a folder without part 1: exit %d\n%s", code, errs)
	}
}

func readIDs(t *testing.T, path string) []string {
	t.Helper()
	recs := readCSV(t, path)
	var ids []string
	for _, r := range recs[1:] {
		ids = append(ids, r[0])
	}
	return ids
}

// Suggest fails, writing nothing, when no input yields a sentence, naming
// the inputs' problems; and its hint for fewer than -n picks names the
// caps only when they passed candidates over.
func TestSuggestInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	ctx := context.Background()
	dir := t.TempDir()
	model := filepath.Join(dir, "model.stance")
	if code, out, errs := stance(t, ctx, "train", "-quiet", "-labels", filepath.Join("..", "..", "examples", "labels.csv"), "-out", model); code != 0 {
		t.Fatalf("train: exit %d\n%s%s", code, out, errs)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	three := write("three.csv", "id,doc_id,date,text\n"+
		"a1,d1,2020-01-01,We must talk to Moscow about sanctions.\n"+
		"a2,d1,2020-01-01,The Mediterranean is a priority for our security.\n"+
		"a3,d2,2021-01-01,Defence spending has to rise to two percent.\n")
	empty := write("empty.csv", "id,doc_id,text\n")
	missing := filepath.Join(dir, "missing.csv")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		rows   int      // todo rows written; -1: no file
		want   []string // substrings of stderr
		unwant []string
	}{
		{"unreadable input", []string{missing}, 1, -1,
			[]string{"no sentences to choose from: 1 inputs skipped (1 unreadable): " + missing + ": unreadable", "no file written"}, []string{"wrote"}},
		{"unreadable and empty, quiet", []string{"-q", empty, missing}, 1, -1,
			[]string{"no sentences to choose from", missing + ": unreadable"}, []string{"suggest: skipped"}},
		{"empty input", []string{empty}, 1, -1,
			[]string{"no sentences to choose from: the inputs are empty"}, nil},
		{"fewer sentences than -n", []string{"-per-doc", "0", missing, three}, 0, 3,
			[]string{"suggest: skipped " + missing, "1 inputs skipped (1 unreadable)", "wrote 3 of 10", "fewer than -n: the inputs have only 3 sentences to choose from"}, []string{"raise"}},
		{"passed over by a cap", []string{"-per-doc", "1", three}, 0, 2,
			[]string{"wrote 2 of 10", "fewer than -n: passed over 1 candidates by the per-document cap (raise -per-doc)"}, []string{"only 3 sentences"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			todo := filepath.Join(t.TempDir(), "todo.csv")
			code, out, errs := stance(t, ctx, append([]string{"suggest", "-model", model, "-out", todo, "-n", "10"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, errs)
			}
			checkContains(t, "stderr", errs, tc.want, tc.unwant)
			if tc.rows < 0 {
				if _, err := os.Stat(todo); !os.IsNotExist(err) {
					t.Errorf("todo file written (stat: %v)", err)
				}
				return
			}
			if got := len(readIDs(t, todo)); got != tc.rows {
				t.Errorf("todo has %d rows, want %d", got, tc.rows)
			}
		})
	}
}

func TestSuggestFewerHint(t *testing.T) {
	for _, tc := range []struct {
		name string
		seen int
		res  suggest.Result
		want string
	}{
		{"too few sentences", 3, suggest.Result{}, "suggest: fewer than -n: the inputs have only 3 sentences to choose from"},
		{"too few distinct sentences", 5, suggest.Result{NearLabelled: 1, NearPicked: 1, DupID: 1}, "suggest: fewer than -n: the inputs have only 5 sentences to choose from, 3 of them near-duplicates or repeated ids"},
		{"the pool", 900, suggest.Result{PoolCap: 800, NearPicked: 40}, "suggest: fewer than -n: passed over 800 candidates by the pool (raise -pool)"},
		{"document and year caps", 90, suggest.Result{DocCap: 7, YearCap: 2}, "suggest: fewer than -n: passed over 7 candidates by the per-document cap, 2 by the per-year cap (raise -per-doc or -per-year)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fewerHint(tc.seen, tc.res); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// readCSV reads the whole CSV file at path, failing the test on error.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// checkContains reports each of want that out (named what, e.g.
// "stderr") lacks and each of unwant that it has.
func checkContains(t *testing.T, what, out string, want, unwant []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, out)
		}
	}
	for _, w := range unwant {
		if strings.Contains(out, w) {
			t.Errorf("%s has %q:\n%s", what, w, out)
		}
	}
}

// A command whose output is one of its inputs would replace the input
// when its atomic rename lands: a usage error, and the input stays.
func TestOutputIsNotAnInput(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	model := filepath.Join("..", "..", "models", "testdata", "v2.stance")
	sentences := filepath.Join(dir, "s.csv")
	const body = "id,doc_id,date,source,index,text\na:0,a,2020,W,0,Talks with Moscow must resume.\n"
	if err := os.WriteFile(sentences, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"ingest", []string{"ingest", "-out", sentences, sentences}, "ingest: -out " + sentences + " is the input " + sentences},
		{"classify", []string{"classify", "-model", model, "-presplit", "-out", sentences, sentences}, "classify: -out " + sentences + " is the input"},
		{"suggest", []string{"suggest", "-model", model, "-out", sentences, filepath.Join(dir, ".", "s.csv")}, "suggest: -out " + sentences + " is the input"},
		{"report", []string{"report", "-in", sentences, "-out", filepath.Join(dir, "t.csv"), "-changes", sentences}, "report: -changes " + sentences + " is the input"},
		{"into an input folder", []string{"ingest", "-out", filepath.Join(dir, "s2.csv"), dir}, "ingest: -out " + filepath.Join(dir, "s2.csv") + " is in the input folder " + dir},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := stance(t, ctx, tc.args...)
			if code != 2 || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d, want 2 and %q\n%s%s", code, tc.want, out, errs)
			}
			if got, _ := os.ReadFile(sentences); string(got) != body {
				t.Fatalf("input changed:\n%s", got)
			}
		})
	}
}
