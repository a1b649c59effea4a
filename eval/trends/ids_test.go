package trends

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

// TestSentenceIDRuns checks that repeated sentence ids of classify's form,
// kept as runs, are found wherever they repeat and named with the line
// where they were first read, as ids of other forms are.
func TestSentenceIDRuns(t *testing.T) {
	row := func(id, doc string) string { return id + "," + doc + ",2019,DE,x,favor,1,0,0\n" }
	rows := func(ids ...string) string {
		var b strings.Builder
		b.WriteString(okHeader)
		for _, id := range ids {
			b.WriteString(row(id, "d"))
		}
		return b.String()
	}
	tests := []struct {
		name      string
		names     []string // file names; f0.csv, f1.csv, ... when nil
		files     []string
		want      []string // every problem
		sentences int
	}{
		{
			name:      "repeat inside a run",
			files:     []string{rows("d1:0", "d1:1", "d1:2", "d1:3", "d1:2")},
			want:      []string{`f0.csv:6:1: duplicate id: sentence "d1:2" also at f0.csv:4`},
			sentences: 4,
		},
		{
			name: "a record over two lines starts a new run",
			files: []string{okHeader + "d1:0,d1,2019,DE,\"a\nb\",favor,1,0,0\n" + row("d1:1", "d1") + row("d1:2", "d1") +
				row("d1:1", "d1") + row("d1:0", "d1") + row("d1:2", "d1")},
			want: []string{
				`f0.csv:6:1: duplicate id: sentence "d1:1" also at f0.csv:4`,
				`f0.csv:7:1: duplicate id: sentence "d1:0" also at f0.csv:2`,
				`f0.csv:8:1: duplicate id: sentence "d1:2" also at f0.csv:5`,
			},
			sentences: 3,
		},
		{
			name:  "out of order, then each again",
			files: []string{rows("d1:5", "d1:3", "d1:4", "d1:0", "d1:6", "d1:4", "d1:0", "d1:5", "d1:3", "d1:6")},
			want: []string{
				`f0.csv:7:1: duplicate id: sentence "d1:4" also at f0.csv:4`,
				`f0.csv:8:1: duplicate id: sentence "d1:0" also at f0.csv:5`,
				`f0.csv:9:1: duplicate id: sentence "d1:5" also at f0.csv:2`,
				`f0.csv:10:1: duplicate id: sentence "d1:3" also at f0.csv:3`,
				`f0.csv:11:1: duplicate id: sentence "d1:6" also at f0.csv:6`,
			},
			sentences: 5,
		},
		{
			name:      "the same id under another doc_id",
			files:     []string{okHeader + row("d1:0", "d1") + row("d1:1", "d1") + row("d1:1", "d2")},
			want:      []string{`f0.csv:4:1: duplicate id: sentence "d1:1" also at f0.csv:3`},
			sentences: 2,
		},
		{
			name: "ids of other forms stay distinct from classify's",
			files: []string{rows("d1:1", "d1:01", "d1:+1", "d1: 1", "d1:1a", "d1:", "a:b:1", "a:b1", ":1", "d1:1234567890", "d1:123456789",
				"d1:01", "d1:", "a:b:1", ":1", "d1:1234567890", "d1:123456789")},
			want: []string{
				`f0.csv:13:1: duplicate id: sentence "d1:01" also at f0.csv:3`,
				`f0.csv:14:1: duplicate id: sentence "d1:" also at f0.csv:7`,
				`f0.csv:15:1: duplicate id: sentence "a:b:1" also at f0.csv:8`,
				`f0.csv:16:1: duplicate id: sentence ":1" also at f0.csv:10`,
				`f0.csv:17:1: duplicate id: sentence "d1:1234567890" also at f0.csv:11`,
				`f0.csv:18:1: duplicate id: sentence "d1:123456789" also at f0.csv:12`,
			},
			sentences: 11,
		},
		{
			name:  "a document over two shards, then one shard again",
			files: []string{rows("d1:0", "d1:1", "d2:0"), rows("d1:2", "d1:3", "d2:1"), rows("d2:1", "d1:3", "d1:1")},
			want: []string{
				`f2.csv:2:1: duplicate id: sentence "d2:1" also at f1.csv:4`,
				`f2.csv:3:1: duplicate id: sentence "d1:3" also at f1.csv:3`,
				`f2.csv:4:1: duplicate id: sentence "d1:1" also at f0.csv:3`,
			},
			sentences: 6,
		},
		{
			name:      "one file twice",
			names:     []string{"p.csv", "p.csv"},
			files:     []string{rows("d1:0", "d1:1"), rows("d1:0", "d1:1")},
			want:      []string{`p.csv:2:1: duplicate id: sentence "d1:0" also at p.csv:2 (the same file, given twice)`, `p.csv:3:1: duplicate id: sentence "d1:1" also at p.csv:3 (the same file, given twice)`},
			sentences: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewAccumulator(Year, "")
			var got []string
			for i, f := range tt.files {
				name := fmt.Sprintf("f%d.csv", i)
				if tt.names != nil {
					name = tt.names[i]
				}
				var list labels.ErrorList
				if err := a.Read(name, strings.NewReader(f)); errors.As(err, &list) {
					for _, p := range list {
						if !errors.Is(p, labels.ErrDuplicateID) {
							t.Errorf("problem %q is not a duplicate id", p)
						}
						got = append(got, p.Error())
					}
				} else if err != nil {
					t.Fatal(err)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if a.Sentences() != tt.sentences {
				t.Errorf("%d sentences, want %d", a.Sentences(), tt.sentences)
			}
		})
	}
}

// TestIDSetMatchesMap adds random ids, in and out of classify's form, read
// from random files on lines that mostly follow each other, and checks
// every answer of idSet.add against a plain map of id to first place.
func TestIDSetMatchesMap(t *testing.T) {
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 1))
		s := newIDSet()
		ref := map[string]place{}
		var file, line int32 = 0, 1
		prefixes := []string{"d1", "d2", "a:b", ""}
		for range 3000 {
			switch r.IntN(40) {
			case 0:
				file, line = file+1, 1
			case 1:
				file = int32(r.IntN(int(file) + 1))
			}
			line += 1 + int32(r.IntN(10)/9)
			id := fmt.Sprintf("%s:%d", prefixes[r.IntN(len(prefixes))], r.IntN(60))
			if r.IntN(20) == 0 {
				id = fmt.Sprintf("%s:0%d", prefixes[r.IntN(len(prefixes))], r.IntN(5))
			}
			p := place{file: file, line: line}
			first, ok := s.add(id, p)
			want, dup := ref[id]
			if !dup {
				ref[id] = p
			}
			if ok == dup || dup && first != want {
				t.Fatalf("seed %d: add(%q, %v) = %v, %v; want %v, %v", seed, id, p, first, ok, want, !dup)
			}
		}
	}
}
