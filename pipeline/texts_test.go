package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSentenceTexts(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.jsonl", `{"id":"d1","date":"2020-01-02","text":"First sentence here. Second one follows."}
not json
{"id":"d2","date":"2021","text":"Third sentence of the corpus."}
`)
	write("LOR_75_2020.txt", "A speech from Lorenia. It has two sentences.\n")

	var got []string
	var skips []error
	for s, err := range SentenceTexts([]string{dir}, ReadOptions{}, func(e error) error { skips = append(skips, e); return nil }) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	want := "A speech from Lorenia.|It has two sentences.|First sentence here.|Second one follows.|Third sentence of the corpus."
	if strings.Join(got, "|") != want {
		t.Fatalf("got %q\nwant %q", strings.Join(got, "|"), want)
	}
	var se *SkipError
	if len(skips) != 1 || !errors.As(skips[0], &se) || se.Line != 2 {
		t.Fatalf("skips %v", skips)
	}

	stop := errors.New("strict")
	var last error
	n := 0
	for _, err := range SentenceTexts([]string{dir}, ReadOptions{}, func(error) error { return stop }) {
		n++
		last = err
	}
	if !errors.Is(last, stop) {
		t.Fatalf("a strict onSkip must end the stream with its error; got %v after %d texts", last, n)
	}
}
