package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// guardFixture makes a folder of inputs every command can be pointed
// at, changes into it (the rows spell paths relative to it) and returns
// its path.
func guardFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyFile := func(from, to string) {
		t.Helper()
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, to), string(b))
	}
	gold := filepath.Join("..", "..", "examples", "labels.csv")
	for _, name := range []string{"g.csv", "b.csv", "base.csv", "new.csv", filepath.Join("d", "fold1.train.csv")} {
		copyFile(gold, name)
	}
	copyFile(filepath.Join("..", "..", "models", "testdata", "v2.stance"), "m.stance")
	copyFile(filepath.Join("..", "..", "eval", "trends", "testdata", "predictions.csv"), "p.csv")
	const doc = `{"id":"a","date":"2020-01-02","text":"Talks with Moscow must resume."}` + "\n"
	writeFile(t, filepath.Join(dir, "x.jsonl"), doc)
	writeFile(t, filepath.Join(dir, "in.jsonl"), doc)
	writeFile(t, filepath.Join(dir, "in", "a.jsonl"), doc)
	writeFile(t, filepath.Join(dir, "ITA", "a.jsonl"), doc)
	writeFile(t, filepath.Join(dir, "D", "metrics.csv"), "old metrics\n")
	writeFile(t, filepath.Join(dir, "D", "fingerprint.csv"), "old fingerprint\n")
	writeFile(t, filepath.Join(dir, "tax.csv"), "target,description,values\n")
	writeFile(t, filepath.Join(dir, "emb.stance"), "embeddings\n")
	writeFile(t, filepath.Join(dir, "tok.json"), "{}\n")
	if err := os.Symlink("in", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	return dir
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshot maps every file, folder and link under dir to its content,
// so that a test can tell that a run changed, created or removed nothing.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			m[rel] = "link to " + target
			return err
		case e.Type()&fs.ModeNamedPipe != 0:
			m[rel] = "fifo"
		case e.IsDir():
			m[rel] = "folder"
		default:
			b, err := os.ReadFile(p)
			m[rel] = string(b)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Flags may follow positional arguments in every command; "--" ends the
// flags, and what follows is data even if it looks like a flag; an
// unknown flag is an error, never a path.
func TestFlagsAfterArguments(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		stderr  string // substring
		stdout  string // substring; "" for empty stdout
		written string // a file the run must write
	}{
		{"ingest, -out after the path", []string{"ingest", "in", "-out", "s.csv"}, 0, "ingest: ", "", "s.csv"},
		{"ingest, -- then a path like a flag", []string{"ingest", "-out", "s.csv", "--", "-odd.jsonl"}, 0, "ingest: ", "", "s.csv"},
		{"ingest, an unknown flag after the path", []string{"ingest", "in", "-bogus", "-out", "s.csv"}, 2, "flag provided but not defined: -bogus", "", ""},
		{"report, -out after the path", []string{"report", "p.csv", "-out", "t.csv", "-boot", "0"}, 0, "report: 1 files", "", "t.csv"},
		{"labels check, -taxonomy after the file", []string{"labels", "check", "g.csv", "-taxonomy", "no-such-tax.csv"}, 1, "no-such-tax.csv", "", ""},
		{"labels check, -- then a file like a flag", []string{"labels", "check", "--", "-g.csv"}, 0, "", "ok: 60 rows", ""},
		{"labels split, -folds after the file", []string{"labels", "split", "g.csv", "-folds", "1", "-out", "folds"}, 2, "-folds must be at least 2", "", ""},
		{"labels taxonomy, a flag value that looks like --", []string{"labels", "taxonomy", "-taxonomy", "--"}, 1, "--", "", ""},
		{"train, flags after an argument", []string{"train", "extra", "-labels", "g.csv", "-out", "m2.stance"}, 2, "train: unexpected arguments [extra]", "", ""},
		{"eval, flags after an argument", []string{"eval", "extra", "-model", "m.stance", "-labels", "g.csv", "-out", "E"}, 2, `eval: unexpected arguments ["extra"]`, "", ""},
		{"cv, flags after an argument", []string{"cv", "extra", "-labels", "g.csv", "-out", "E"}, 2, `cv: unexpected arguments ["extra"]`, "", ""},
		{"tokenize, flags after an argument", []string{"tokenize", "extra", "-model", "m.stance"}, 2, `tokenize: unexpected arguments ["extra"]`, "", ""},
		{"-h after an argument", []string{"ingest", "in", "-h"}, 0, "", "usage: stance ingest", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := guardFixture(t)
			if err := os.Rename("x.jsonl", "-odd.jsonl"); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename("g.csv", "-g.csv"); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("-g.csv", "g.csv"); err != nil {
				t.Fatal(err)
			}
			code, out, errs := stance(t, ctx, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.stderr) {
				t.Errorf("exit %d (want %d), stderr lacks %q:\n%s", code, tc.code, tc.stderr, errs)
			}
			if tc.stdout == "" && out != "" || !strings.Contains(out, tc.stdout) {
				t.Errorf("stdout %q, want %q", out, tc.stdout)
			}
			if tc.written != "" {
				if _, err := os.Stat(filepath.Join(dir, tc.written)); err != nil {
					t.Errorf("%s not written: %v", tc.written, err)
				}
			}
		})
	}
}
