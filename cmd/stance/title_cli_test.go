package main

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
)

// TestHeadlinesClassified ingests the example corpus, whose index.csv
// gives each newspaper article a title: each title is its document's
// sentence 0, marked is_title, in ingest's CSV and in classify's output
// (from the articles and from ingest's CSV alike), and the sentence
// counts of ingest, classify and report agree.
func TestHeadlinesClassified(t *testing.T) {
	corpus, err := filepath.Abs(filepath.Join("..", "..", "examples", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	dir := guardFixture(t) // changes into dir
	ctx := context.Background()
	mustRun := func(args ...string) string {
		t.Helper()
		code, out, errs := stance(t, ctx, args...)
		if code != 0 {
			t.Fatalf("stance %v: exit %d\n%s%s", args, code, out, errs)
		}
		return out + errs
	}
	count := func(re, out string) int {
		t.Helper()
		m := regexp.MustCompile(re).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no %q in:\n%s", re, out)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	ingested := count(`(\d+) sentences`, mustRun("ingest", "-out", "s.csv", corpus))
	sents := readCSV(t, filepath.Join(dir, "s.csv"))
	titles := checkTitles(t, "s.csv", sents, map[string]string{
		"harbour_gazette_2017": "Minister calls for a southern focus",
		"harbour_gazette_2022": "Parliament backs aid to Kyiv",
	})
	if len(sents)-1 != ingested || titles != 2 {
		t.Fatalf("s.csv has %d rows, %d titles; ingest counted %d sentences", len(sents)-1, titles, ingested)
	}
	for _, in := range []string{"s.csv", corpus} {
		out := mustRun("classify", "-model", "m.stance", "-out", "p.csv", in)
		if n := count(`; (\d+) sentences in`, out); n != ingested {
			t.Errorf("classify %s: %d sentences, ingest %d", in, n, ingested)
		}
		pred := readCSV(t, filepath.Join(dir, "p.csv"))
		checkTitles(t, "p.csv from "+in, pred, map[string]string{"harbour_gazette_2017": "Minister calls for a southern focus"})
		rep := mustRun("report", "-in", "p.csv", "-out", "t.csv", "-boot", "0")
		if n := count(`1 files, (\d+) sentences`, rep); n != ingested {
			t.Errorf("report on classify %s: %d sentences, ingest %d", in, n, ingested)
		}
	}
}

// checkTitles checks that rows (a CSV with a header) mark with
// is_title=true exactly sentence 0 of the documents with a title, whose
// text is want[doc_id] where given, and returns how many it marks.
func checkTitles(t *testing.T, what string, rows [][]string, want map[string]string) int {
	t.Helper()
	h := rows[0]
	id, doc, idx, isTitle, text := slices.Index(h, "id"), slices.Index(h, "doc_id"), slices.Index(h, "index"), slices.Index(h, "is_title"), slices.Index(h, "text")
	if isTitle < 0 || text < 0 {
		t.Fatalf("%s: no is_title or text column: %v", what, h)
	}
	n := 0
	for _, r := range rows[1:] {
		if r[isTitle] != "true" {
			if w, ok := want[r[doc]]; ok && r[text] == w {
				t.Errorf("%s: %s holds the title but is not marked", what, r[id])
			}
			continue
		}
		n++
		if r[idx] != "0" {
			t.Errorf("%s: title %s at index %s", what, r[id], r[idx])
		}
		if w, ok := want[r[doc]]; ok && r[text] != w {
			t.Errorf("%s: title of %s is %q, want %q", what, r[doc], r[text], w)
		}
	}
	for d := range want {
		found := false
		for _, r := range rows[1:] {
			found = found || r[doc] == d && r[isTitle] == "true"
		}
		if !found {
			t.Errorf("%s: no title for %s", what, d)
		}
	}
	return n
}
