package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stance-project/stance/eval"
)

// This file holds the tests of issue 21's points 2 (signals), 3 (flag
// bounds), 6 (BOM) and 8 (exit codes and messages): tables of bad inputs
// per command, each asserting the exit status, the message (with file
// and line where there is one) and that no input or earlier output
// changed.

// unchanged fails the test when dir's files differ from before, naming
// the differences (a new temporary file among them).
func unchanged(t *testing.T, dir string, before map[string]string) {
	t.Helper()
	after := snapshot(t, dir)
	for p, h := range after {
		if before[p] != h {
			t.Errorf("%s: written or changed", p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			t.Errorf("%s: removed", p)
		}
	}
}

const (
	goldHeader = "id,doc_id,date,source,text,russia_dialogue,southern_flank,defense_spending,ukraine_support\n"
	predHeader = "id,doc_id,date,text,rd,p_rd_favor,p_rd_against,p_rd_none\n"
)

// TestUsageErrorsCLI: nonsense flag values are usage errors (exit 2)
// everywhere, refused before any model or input is read (the model
// paths below do not exist) and before anything is written.
func TestUsageErrorsCLI(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeInputs(t, dir, map[string]string{
		"gold.csv": goldHeader + "s1,d1,2020,x,Talks with Moscow.,favor,none,none,none\ns2,d2,2020,x,Aid to Kyiv.,none,none,none,favor\n",
		"in.jsonl": `{"id":"a","date":"2020","text":"A sentence here."}` + "\n",
		"tr.txt":   "hello world\n",
	})
	maxR := fmt.Sprint(eval.MaxResamples + 1)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"eval -resamples negative", []string{"eval", "-model", "none.stance", "-labels", "gold.csv", "-out", "ev", "-resamples", "-5"}, "eval: -resamples -5: want 0 to 100000"},
		{"eval -resamples huge", []string{"eval", "-model", "none.stance", "-labels", "gold.csv", "-out", "ev", "-resamples", "100000000"}, "eval: -resamples 100000000: want 0 to 100000"},
		{"cv -resamples over the bound", []string{"cv", "-labels", "gold.csv", "-out", "cv", "-resamples", maxR}, "cv: -resamples " + maxR},
		{"cv -folds over the documents", []string{"cv", "-labels", "gold.csv", "-out", "cv", "-folds", "1000"}, "cv: -folds 1000: more folds than documents: 1000 folds, but the rows hold only 2 documents"},
		{"suggest -rarity NaN", []string{"suggest", "-model", "none.stance", "-out", "todo.csv", "-rarity", "NaN", "in.jsonl"}, "suggest: -rarity NaN: want a value in [0, 10]"},
		{"suggest -rarity +Inf", []string{"suggest", "-model", "none.stance", "-out", "todo.csv", "-rarity", "+Inf", "in.jsonl"}, "suggest: -rarity +Inf"},
		{"suggest -rarity negative", []string{"suggest", "-model", "none.stance", "-out", "todo.csv", "-rarity", "-1", "in.jsonl"}, "suggest: -rarity -1"},
		{"suggest -rarity too large", []string{"suggest", "-model", "none.stance", "-out", "todo.csv", "-rarity", "11", "in.jsonl"}, "suggest: -rarity 11"},
		{"tokenize -vocab 0", []string{"tokenize", "-train", "tr.txt", "-vocab", "0"}, "tokenize: -vocab 0 -min-freq 2: subword: vocabulary size 0 is below the minimum"},
		{"tokenize -vocab huge", []string{"tokenize", "-train", "tr.txt", "-vocab", "1000000000"}, "vocabulary size 1000000000 is above the maximum"},
		{"tokenize -min-freq negative", []string{"tokenize", "-train", "tr.txt", "-min-freq", "-1"}, "negative minimum frequency -1"},
		{"classify -meta id", []string{"classify", "-model", "none.stance", "-out", "p.csv", "-meta", "id", "in.jsonl"}, `classify: -meta id: "id" is always a column of the output`},
		{"classify -meta doc_id among others", []string{"classify", "-model", "none.stance", "-out", "p.csv", "-meta", "country,doc_id", "in.jsonl"}, `"doc_id" is always a column`},
		{"ingest -format bogus", []string{"ingest", "-format", "bogus", "-out", "o.csv", "in.jsonl"}, `ingest: -format "bogus"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, dir)
			code, out, errs := stance(t, context.Background(), tc.args...)
			if code != 2 || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d (want 2), stderr lacks %q:\n%s%s", code, tc.want, out, errs)
			}
			unchanged(t, dir, before)
		})
	}
}

// TestBadInputsCLI: inputs that were taken wrongly or with a misleading
// message are refused with one clear message naming the file (and line),
// exit 1, and nothing written; inputs with a BOM are read whole.
func TestBadInputsCLI(t *testing.T) {
	var crOnly strings.Builder
	crOnly.WriteString(strings.ReplaceAll(goldHeader, "\n", "\r"))
	for i := range 60 {
		fmt.Fprintf(&crOnly, "s%d,d%d,2020,x,Sentence %d.,none,none,none,none\r", i, i, i)
	}
	files := map[string]string{
		"bom.jsonl":        "\ufeff" + `{"id":"a","date":"2020-01-01","text":"First document here."}` + "\n" + `{"id":"b","date":"2020-01-02","text":"Second document here."}` + "\n",
		"bom.csv":          "\ufeff\"id\",\"date\",\"text\"\n\"a\",\"2020-01-01\",\"First document here.\"\n",
		"bom-gold.csv":     "\ufeff" + goldHeader + "s1,d1,2020,x,Talks with Moscow.,favor,none,none,none\n",
		"bom-pred.csv":     "\ufeff\"id\"" + predHeader[2:] + "s1,d1,2019,x,favor,1,0,0\ns2,d2,2019,y,none,0,0,1\n",
		"cr.csv":           crOnly.String(),
		"bad-utf8.csv":     goldHeader + "s1,d1,2020,x,ok,none,none,none,none\ns2,d2,2020,x,caf\xe9 au lait,none,none,none,none\n",
		"undecided.csv":    "id,doc_id,date,text,rd,p_rd_favor,p_rd_against,p_rd_none,p_ds_favor,p_ds_against,p_ds_none\ns1,d1,2019,x,favor,1,0,0,0,0,1\n",
		"short-row.csv":    predHeader + "s1,d1,2019,x,favor,1,0\n",
		"folder/keep.txt":  "an earlier output folder\n",
		"old/previous.csv": "id\n",
	}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		want   []string // substrings of stdout and stderr
		unwant []string
		wrote  string // the one file the command may write
	}{
		{name: "ingest of a nonexistent file", args: []string{"ingest", "-out", "o.csv", "no-such.jsonl"}, code: 1,
			want: []string{"no-such.jsonl: unreadable: no such file or directory", "ingest: no document written: every input was skipped; no file written"}},
		{name: "ingest to stdout of a nonexistent file", args: []string{"ingest", "no-such.jsonl"}, code: 1,
			want: []string{"every input was skipped; no document written"}},
		{name: "ingest -out an existing folder", args: []string{"ingest", "-out", "folder", "bom.jsonl"}, code: 1,
			want: []string{"create folder: is a folder: want the path of a file"}, unwant: []string{"file exists"}},
		{name: "ingest of a BOM'd jsonl keeps its first record", args: []string{"ingest", "-out", "o.csv", "bom.jsonl"}, code: 0,
			want: []string{"documents: 2 read, 2 written"}, unwant: []string{"invalid character", "skipped: 1"}, wrote: "o.csv"},
		{name: "ingest of a BOM'd csv with a quoted header", args: []string{"ingest", "-out", "o.csv", "bom.csv"}, code: 0,
			want: []string{"documents: 1 read, 1 written"}, unwant: []string{"bare"}, wrote: "o.csv"},
		{name: "labels check of a BOM'd gold file", args: []string{"labels", "check", "bom-gold.csv"}, code: 0, want: []string{"ok: 1 rows"}},
		{name: "labels check of CR-only line ends: one problem", args: []string{"labels", "check", "cr.csv"}, code: 1,
			want:   []string{"cr.csv:1: malformed CSV: lines end in a carriage return alone", "1 problem(s) in cr.csv"},
			unwant: []string{"duplicate column"}},
		{name: "labels check rejects invalid UTF-8 with file:line", args: []string{"labels", "check", "bad-utf8.csv"}, code: 1,
			want: []string{"bad-utf8.csv:3:", "invalid UTF-8: column 5 (text)"}},
		{name: "report of a file lacking a target's decided column", args: []string{"report", "-out", "t.csv", "undecided.csv"}, code: 1,
			want: []string{`undecided.csv:1: missing column: no "ds" column`, "nothing written"}},
		{name: "report says a field count problem once", args: []string{"report", "-out", "t.csv", "short-row.csv"}, code: 1,
			want: []string{"short-row.csv:2:1: wrong number of fields"}, unwant: []string{"fields: wrong number of fields"}},
		{name: "report of a BOM'd prediction file", args: []string{"report", "-boot", "0", "-out", "t.csv", "bom-pred.csv"}, code: 0, wrote: "t.csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeInputs(t, dir, files)
			t.Chdir(dir)
			before := snapshot(t, dir)
			code, out, errs := stance(t, context.Background(), tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d:\n%s%s", code, tc.code, out, errs)
			}
			checkContains(t, "output", out+errs, tc.want, tc.unwant)
			if tc.wrote != "" {
				if _, err := os.Stat(tc.wrote); err != nil {
					t.Errorf("%s not written: %v", tc.wrote, err)
				}
				os.Remove(tc.wrote)
			}
			unchanged(t, dir, before)
		})
	}
}

// TestInterruptedCLI: a command whose context is cancelled (the first
// SIGINT or SIGTERM) stops with exit 1 and a message saying
// "interrupted", never "context canceled" (as train, eval, cv and
// suggest said), and leaves no output and no temporary file.
func TestInterruptedCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	gold, corpus := filepath.Join(examples, "labels.csv"), filepath.Join(examples, "corpus")
	dir := t.TempDir()
	t.Chdir(dir)
	live := context.Background()
	for _, args := range [][]string{
		{"train", "-quiet", "-labels", gold, "-out", "m.stance"},
		{"classify", "-quiet", "-model", "m.stance", "-out", "pred.csv", corpus},
	} {
		if code, out, errs := stance(t, live, args...); code != 0 {
			t.Fatalf("stance %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
		}
	}
	cancelled, cancel := context.WithCancel(live)
	cancel()
	for _, args := range [][]string{
		{"ingest", "-out", "o.csv", corpus},
		{"classify", "-model", "m.stance", "-out", "p.csv", corpus},
		{"suggest", "-model", "m.stance", "-out", "todo.csv", corpus},
		{"train", "-labels", gold, "-out", "m2.stance"},
		{"eval", "-model", "m.stance", "-labels", gold, "-out", "ev"},
		{"cv", "-labels", gold, "-folds", "2", "-out", "cv"},
		{"report", "-out", "t.csv", "pred.csv"},
	} {
		t.Run(args[0], func(t *testing.T) {
			before := snapshot(t, dir)
			code, out, errs := stance(t, cancelled, args...)
			if code != 1 {
				t.Errorf("exit %d, want 1:\n%s%s", code, out, errs)
			}
			checkContains(t, "stderr", errs, []string{"stance: " + args[0] + ": interrupted"}, []string{"context canceled"})
			unchanged(t, dir, before)
		})
	}
}

// TestIngestSkipsFifo: a named pipe in a folder is skipped and reported,
// never opened (ingest hung in open() for 40 minutes, past SIGTERM).
func TestIngestSkipsFifo(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeInputs(t, dir, map[string]string{"d/a.jsonl": `{"id":"a","date":"2020","text":"A sentence here."}` + "\n"})
	if err := syscall.Mkfifo(filepath.Join("d", "p.txt"), 0o644); err != nil {
		t.Skipf("no named pipes: %v", err)
	}
	type result struct {
		code      int
		out, errs string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errs := stance(t, context.Background(), "ingest", "-out", "o.csv", "d")
		done <- result{code, out, errs}
	}()
	select {
	case r := <-done:
		if r.code != 0 {
			t.Errorf("exit %d, want 0:\n%s%s", r.code, r.out, r.errs)
		}
		checkContains(t, "stderr", r.errs, []string{filepath.Join("d", "p.txt") + ": unreadable: not a regular file (a named pipe)", "documents: 1 read, 1 written", "skipped: 1 (1 unreadable)"}, nil)
	case <-time.After(10 * time.Second):
		t.Fatal("ingest blocked on a named pipe in its input folder")
	}
}

// TestSignalsCLI sends real signals to a built binary: the first SIGINT
// or SIGTERM stops a command blocked in a read within a second, exit 1,
// "interrupted", no temporary file left; a second signal ends even a
// command the first cannot stop (tokenize -train opening a named pipe)
// at once, with status 130.
func TestSignalsCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "stance")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		name    string
		args    []string // "PIPE" is a named pipe nobody writes to
		signals []os.Signal
		code    int
		want    string
	}{
		{"ingest, SIGINT", []string{"ingest", "-out", "out/o.csv", "PIPE"}, []os.Signal{os.Interrupt}, 1, "stance: ingest: interrupted; no file written"},
		{"ingest, SIGTERM", []string{"ingest", "-out", "out/o.csv", "PIPE"}, []os.Signal{syscall.SIGTERM}, 1, "stance: ingest: interrupted; no file written"},
		{"ingest to stdout, SIGINT", []string{"ingest", "PIPE"}, []os.Signal{os.Interrupt}, 1, "interrupted"},
		{"tokenize -train, two SIGINTs", []string{"tokenize", "-train", "PIPE", "-save", "out/tok.json"}, []os.Signal{os.Interrupt, os.Interrupt}, 130, "interrupted twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			pipe := filepath.Join(dir, "pipe.jsonl")
			if err := syscall.Mkfifo(pipe, 0o644); err != nil {
				t.Skipf("no named pipes: %v", err)
			}
			if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
				t.Fatal(err)
			}
			args := slices.Clone(tc.args)
			for i, a := range args {
				if a == "PIPE" {
					args[i] = pipe
				}
			}
			cmd := exec.Command(bin, args...)
			cmd.Dir = dir
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			time.Sleep(500 * time.Millisecond) // blocked in open() by now
			var sent time.Time
			for _, s := range tc.signals {
				if err := cmd.Process.Signal(s); err != nil {
					t.Fatal(err)
				}
				sent = time.Now()
				time.Sleep(100 * time.Millisecond)
			}
			select {
			case <-exited:
				if d := time.Since(sent); d > time.Second {
					t.Errorf("exited %v after the last signal, want within a second", d)
				}
			case <-time.After(time.Second):
				cmd.Process.Kill()
				<-exited
				t.Fatalf("still running a second after the last signal; stderr:\n%s", stderr.String())
			}
			if code := cmd.ProcessState.ExitCode(); code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.want) || strings.Contains(stderr.String(), "context canceled") {
				t.Errorf("stderr lacks %q (or says context canceled):\n%s", tc.want, stderr.String())
			}
			if es, _ := os.ReadDir(filepath.Join(dir, "out")); len(es) > 0 {
				t.Errorf("left in the output folder: %v", es)
			}
		})
	}
}
