package models

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models/clusters"
)

const clustersPath = "testdata/clusters.tsv"

// fixtureClusters reads the hand-written clusters of the fixture's words.
func fixtureClusters(t testing.TB) *clusters.Clusters {
	t.Helper()
	f, err := os.Open(clustersPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := clusters.ReadTSV(f, clustersPath)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func trainClustered(t testing.TB, c *clusters.Clusters) *Model {
	t.Helper()
	m, _, err := Train(context.Background(), fixtureConfig(), labels.Default(), readFixture(t), TrainOptions{Clusters: c})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The cluster features of a sentence are, after its other features, one
// per level for each word the clusters know, computed here independently
// of wordClusters: ids after the buckets, one per cluster of every level;
// their names follow the other features' names.
func TestClusterFeatures(t *testing.T) {
	c := fixtureClusters(t)
	m := trainClustered(t, c)
	plain, _ := trainFixture(t, fixtureConfig())
	at := map[string]int{}
	for i, w := range c.Words {
		at[w] = i
	}
	for _, text := range []string{
		"Dialogue with RUSSIA, and with Moscow: dialogue!",
		"Nothing here is known.",
		"",
	} {
		got := slices.Clone(m.featurize(m.newScratch(), text))
		base := plain.featurize(plain.newScratch(), text)
		if !slices.Equal(got[:len(base)], base) {
			t.Fatalf("%q: features before the clusters differ from a model without clusters", text)
		}
		var want []int32
		for _, w := range labels.Words(text) {
			i, ok := at[lower(w)]
			if !ok {
				continue
			}
			first := m.feats.vocab + m.feats.buckets
			for l, k := range c.Levels {
				want = append(want, int32(first+int(c.IDs[i][l])))
				first += k
			}
		}
		if rest := got[len(base):]; !slices.Equal(rest, want) {
			t.Errorf("%q: cluster features %v, want %v", text, rest, want)
		}
		if n := m.feats.size() - plain.feats.size(); n != 2+4 {
			t.Errorf("%d cluster features, want one per cluster (2+4)", n)
		}
		names := m.featureNames(text, got)
		for i := len(base); i < len(got); i++ {
			if names[i] == "?" || names[i] == "" {
				t.Errorf("%q: cluster feature %d has no name", text, i)
			}
		}
	}
}

func lower(w string) string { return string(bytes.ToLower([]byte(w))) }

// A word the labels never saw gets weight through its clusters: its
// cluster features are those of the word it shares its clusters with,
// whose rows taught them; they push towards the value that word marks.
func TestClustersCarryUnseenWords(t *testing.T) {
	const unseen = "zorblax" // in no fixture row
	for _, r := range readFixture(t) {
		if slices.Contains(labels.Words(lower(r.Text)), unseen) {
			t.Fatalf("fixture row %s has %q", r.ID, unseen)
		}
	}
	plain, _ := trainFixture(t, fixtureConfig())
	// The word that pushes hardest towards a stance in a fixture row.
	text := readFixture(t)[0].Text
	top := plain.Explain(text, 0, 1)[0]
	if top.Score <= 0 || top.Value != "favor" {
		t.Fatalf("top word of %q: %+v, want one for favor", text, top)
	}
	// The top word and the unseen one share their clusters at every
	// level; two other words have the others.
	c := &clusters.Clusters{Levels: []int{2, 4}, Words: []string{lower(top.Token), unseen, "the", "of"}, IDs: [][]uint16{{0, 0}, {0, 0}, {1, 1}, {1, 2}}}
	m := trainClustered(t, c)
	wc, base := m.feats.clusters, int32(m.feats.vocab+m.feats.buckets)
	fs := wc.appendFeatures(nil, appendWordHashes(nil, unseen), base)
	if shared := wc.appendFeatures(nil, appendWordHashes(nil, top.Token), base); len(fs) != 2 || !slices.Equal(fs, shared) {
		t.Fatalf("cluster features of %q %v, of %q %v: want the same two", unseen, fs, top.Token, shared)
	}
	var push float64 // towards favor rather than none, target 0
	for _, f := range fs {
		row := m.w.W[int(f)*m.w.width():]
		push += float64(m.w.featWeight(f)) * float64(row[0]-row[2])
	}
	if push <= 0 {
		t.Errorf("the clusters of %q push %v towards favor, want > 0", unseen, push)
	}
}

// Clusters survive the file and a retrain, and a retrain refuses others.
func TestClustersSavedAndRetrained(t *testing.T) {
	c := fixtureClusters(t)
	m := trainClustered(t, c)
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	sameClusters(t, got, c)
	texts := append(fixtureTexts(t), "Moscow ξψζω dialogue")
	samePredictions(t, m, got, texts)

	re, _, err := Train(context.Background(), fixtureConfig(), labels.Default(), readFixture(t), TrainOptions{Init: got})
	if err != nil {
		t.Fatal(err)
	}
	sameClusters(t, re, c)
	samePredictions(t, m, re, texts)

	_, _, err = Train(context.Background(), fixtureConfig(), labels.Default(), readFixture(t), TrainOptions{Init: got, Clusters: c})
	if err == nil {
		t.Error("a retrain with other clusters trained")
	}
	// Without character n-grams, clusters still work: they have ids of
	// their own.
	cfg := fixtureConfig()
	cfg.Buckets, cfg.CharMax = 0, 0
	noChars, _, err := Train(context.Background(), cfg, labels.Default(), readFixture(t), TrainOptions{Clusters: c})
	if err != nil {
		t.Fatal(err)
	}
	if n := noChars.feats.size() - noChars.feats.vocab; n != 2+4 {
		t.Errorf("without buckets, %d features after the subwords, want the 6 clusters", n)
	}
	// A model without clusters is written as version 4.
	plain, _ := trainFixture(t, fixtureConfig())
	buf.Reset()
	if err := plain.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(buf.Bytes()[len(magic):]); v != 4 {
		t.Errorf("a model without clusters is written as version %d, want 4", v)
	}
	if _, ok := sections(t, buf.Bytes())["CLUS"]; ok {
		t.Error("a model without clusters has a CLUS section")
	}
	bad := *c
	bad.Words = slices.Clone(c.Words)
	bad.Words[0] = "two words"
	if _, _, err := Train(context.Background(), fixtureConfig(), labels.Default(), readFixture(t), TrainOptions{Clusters: &bad}); err == nil {
		t.Error("clusters with a phrase trained")
	}
}

func sameClusters(t *testing.T, m *Model, c *clusters.Clusters) {
	t.Helper()
	wc := m.feats.clusters
	if wc == nil {
		t.Fatal("the model has no clusters")
	}
	var a, b bytes.Buffer
	if err := wc.src.WriteTSV(&a); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteTSV(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the model's clusters differ from those it was trained with")
	}
}

// A CLUS section that is not a clusters file is a corrupt model file.
func TestReadRejectsBadClusters(t *testing.T) {
	m := trainClustered(t, fixtureClusters(t))
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	sec := sections(t, good)["CLUS"]
	at, n := sec[0], sec[1]
	clus := good[at : at+n]
	header := bytes.IndexByte(clus, '\n') + 1
	for _, tc := range []struct{ name, payload, want string }{
		{"garbage", "not\ta clusters file\n", "CLUS section:1:"},
		{"empty", "", "CLUS section:1:"}, // version 5 always has clusters
		{"bad id", string(clus[:header]) + strings.Replace(string(clus[header:]), "\t", "\tx", 1), "CLUS section:2:"},
		{"id out of range", string(clus[:header]) + "zorblax\t1\t9\n" + string(clus[header:]), "CLUS section:2:"},
	} {
		d := slices.Concat(good[:at], []byte(tc.payload), good[at+n:])
		putLen(d, at, len(tc.payload))
		fixCRC(d)
		_, err := Read(bytes.NewReader(d))
		if !errors.Is(err, ErrFormat) || !strings.Contains(fmt.Sprint(err), tc.want) {
			t.Errorf("%s: %v, want ErrFormat naming %s", tc.name, err, tc.want)
		}
	}
}

func putLen(d []byte, at, n int) {
	for i := range 8 {
		d[at-8+i] = byte(uint64(n) >> (8 * i))
	}
}
