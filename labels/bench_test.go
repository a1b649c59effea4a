package labels

import (
	"bytes"
	"fmt"
	"testing"
)

// goldBytes builds a gold file of n rows over n/5 documents.
func goldBytes(n int) []byte {
	var buf bytes.Buffer
	rows := make([]Gold, n)
	vals := []string{Favor, Against, None, None, None, ""}
	for i := range rows {
		rows[i] = Gold{
			ID: fmt.Sprintf("s%06d", i), DocID: fmt.Sprintf("D%05d", i/5), Date: "2021-09", Source: "Speech",
			Text:   "The government will keep talking with its partners about sanctions, aid and the Mediterranean.",
			Labels: []string{vals[i%6], vals[(i+1)%6], vals[(i+2)%6], vals[(i+3)%6]},
		}
	}
	if err := WriteGold(&buf, Default(), nil, rows); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func benchmarkParseGold(b *testing.B, n int) {
	data := goldBytes(n)
	tax := Default()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseGold(bytes.NewReader(data), "bench", tax); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

func BenchmarkParseGoldSmall(b *testing.B) { benchmarkParseGold(b, 2000) }
func BenchmarkParseGoldLarge(b *testing.B) { benchmarkParseGold(b, 100000) }

func BenchmarkGroupFolds(b *testing.B) {
	rows := syntheticRows(100000, 20, 1)
	b.ReportAllocs()
	for b.Loop() {
		GroupFolds(rows, 10, 1)
	}
	b.ReportMetric(float64(len(rows))*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}
