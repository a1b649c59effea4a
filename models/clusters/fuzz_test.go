package clusters

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

// FuzzReadTSV: ReadTSV never panics, and what it accepts is valid and
// reads back the same after WriteTSV.
func FuzzReadTSV(f *testing.F) {
	f.Add("word\tc2\tc4\nrome\t1\t3\nparis\t0\t2\n")
	f.Add("word\tc2\nRome\t1\nrome\t2\n")
	f.Add("\ufeffword\tc65535\r\nmünchen\t65534\r\n")
	f.Add("word\tc2\tc2\n")
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ReadTSV(strings.NewReader(in), "f.tsv")
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("ReadTSV accepted invalid clusters: %v", err)
		}
		var b bytes.Buffer
		if err := c.WriteTSV(&b); err != nil {
			t.Fatal(err)
		}
		back, err := ReadTSV(&b, "back.tsv")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c, back) {
			t.Fatalf("round trip: %+v, then %+v", c, back)
		}
	})
}

// FuzzWordsAreWords: every word Learn can read (labels.EachWord, as
// labels.Words) is one ReadTSV accepts.
func FuzzWordsAreWords(f *testing.F) {
	f.Add("The KREMLIN's «dialogue» — 2024/25!")
	f.Add("İstanbul a\xffb")
	f.Fuzz(func(t *testing.T, text string) {
		for _, w := range labels.Words(text) {
			if !IsWord(w) {
				t.Fatalf("%q: %q is not IsWord", text, w)
			}
		}
	})
}
