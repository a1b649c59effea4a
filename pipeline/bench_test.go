package pipeline

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// benchDocs builds documents of about n bytes in all from our own
// fixtures (web pages and a hard-wrapped speech), each fixture a document,
// repeated; the speech is repeated inside its document to make it longer.
func benchDocs(b *testing.B, n int) []string {
	b.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", "clean", "*.txt"))
	var parts []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		s := string(data)
		if strings.Contains(f, "speech") {
			s = strings.Repeat(s+"\n", 20)
		}
		parts = append(parts, s)
	}
	var docs []string
	for total := 0; total < n; {
		for _, p := range parts {
			docs = append(docs, p)
			total += len(p)
		}
	}
	return docs
}

func bytesOf(docs []string) int64 {
	n := 0
	for _, d := range docs {
		n += len(d)
	}
	return int64(n)
}

func benchmarkSplit(b *testing.B, size int) {
	docs := benchDocs(b, size)
	n := 0
	for i, d := range docs {
		docs[i] = Clean(d)
		n += len(SplitSentences(docs[i]))
	}
	b.SetBytes(bytesOf(docs))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, d := range docs {
			SplitSentences(d)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "sentences/s")
}

func benchmarkClean(b *testing.B, size int) {
	docs := benchDocs(b, size)
	n := 0
	for _, d := range docs {
		n += len(SplitSentences(Clean(d)))
	}
	b.SetBytes(bytesOf(docs))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, d := range docs {
			Clean(d)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "sentences/s")
}

func benchmarkSentences(b *testing.B, size int) {
	var docs []Document
	n := 0
	for i, t := range benchDocs(b, size) {
		d := Document{ID: "bench" + strconv.Itoa(i), Date: "2020", Text: t}
		docs = append(docs, d)
		n += len(Sentences(d))
	}
	var size64 int64
	for _, d := range docs {
		size64 += int64(len(d.Text))
	}
	b.SetBytes(size64)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, d := range docs {
			Sentences(d)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "sentences/s")
}

func BenchmarkSplitSentencesSmall(b *testing.B) { benchmarkSplit(b, 4<<10) }
func BenchmarkSplitSentencesLarge(b *testing.B) { benchmarkSplit(b, 1<<20) }
func BenchmarkCleanSmall(b *testing.B)          { benchmarkClean(b, 4<<10) }
func BenchmarkCleanLarge(b *testing.B)          { benchmarkClean(b, 1<<20) }
func BenchmarkSentencesSmall(b *testing.B)      { benchmarkSentences(b, 4<<10) }
func BenchmarkSentencesLarge(b *testing.B)      { benchmarkSentences(b, 1<<20) }

// BenchmarkIngestUNGDC runs Ingest on the whole UN General Debate corpus
// (../shared/corpus/ungdc.jsonl.gz), discarding the output. It is the
// library side of bench/ingest.sh; each iteration takes seconds.
func BenchmarkIngestUNGDC(b *testing.B) {
	path := filepath.Join("..", "..", "shared", "corpus", "ungdc.jsonl.gz")
	if _, err := os.Stat(path); err != nil {
		b.Skipf("corpus not available: %v", err)
	}
	b.ReportAllocs()
	sentences := 0
	for b.Loop() {
		sum, err := Ingest(context.Background(), []string{path}, IngestOptions{}, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		sentences += sum.Sentences
	}
	b.ReportMetric(float64(sentences)/b.Elapsed().Seconds(), "sentences/s")
}
