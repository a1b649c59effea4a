package models

import (
	"bytes"
	"context"
	"errors"
	"os"
	"slices"
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
	return trainClusteredWith(t, fixtureConfig(), c)
}

func trainClusteredWith(t testing.TB, cfg Config, c *clusters.Clusters) *Model {
	t.Helper()
	m, _, err := Train(context.Background(), cfg, labels.Default(), readFixture(t), TrainOptions{Clusters: c})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The cluster features of a sentence are, after its other features, one
// per level for each word the clusters know, hashed here independently of
// wordClusters; their names follow the other features' names.
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
			for l, k := range c.Levels {
				key := uint64(k)<<40 ^ uint64(l)<<32 ^ uint64(c.IDs[i][l])
				want = append(want, int32(m.feats.vocab)+int32(mix64(key^0x2545f4914f6cdd1d)%uint64(m.feats.buckets)))
			}
		}
		if rest := got[len(base):]; !slices.Equal(rest, want) {
			t.Errorf("%q: cluster features %v, want %v", text, rest, want)
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
	// Buckets enough that no character n-gram shares theirs.
	cfg := fixtureConfig()
	cfg.Buckets = 1 << 16
	m := trainClusteredWith(t, cfg, c)
	wc, base := m.feats.clusters, int32(m.feats.vocab)
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
	cfg := fixtureConfig()
	cfg.Buckets = 0
	if _, _, err := Train(context.Background(), cfg, labels.Default(), readFixture(t), TrainOptions{Clusters: c}); err == nil {
		t.Error("clusters without buckets trained")
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
	for name, payload := range map[string][]byte{
		"garbage":    []byte("not\ta clusters file\n"),
		"bad id":     bytes.Replace(good[at:at+n], []byte("\t"), []byte("\tx"), 2),
		"no buckets": good[at : at+n],
	} {
		d := slices.Concat(good[:at], payload, good[at+n:])
		putLen(d, at, len(payload))
		fixCRC(d)
		if name == "no buckets" {
			d = withConfig(t, d, `"Buckets":128`, `"Buckets":0`)
		}
		if _, err := Read(bytes.NewReader(d)); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v, want ErrFormat", name, err)
		}
	}
}

func putLen(d []byte, at, n int) {
	for i := range 8 {
		d[at-8+i] = byte(uint64(n) >> (8 * i))
	}
}
