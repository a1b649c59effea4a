package models

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/stance-project/stance/models/clusters"
)

// wordClusters gives each word of the clusters file (`stance pretrain`:
// word embeddings learnt on the unlabelled corpus, clustered at several
// granularities) one feature per level: the cluster of the word at that
// level. Cluster features have ids of their own after the hash buckets,
// one per cluster of every level (Σ levels), so they share no weight
// with character n-grams. A word the labels never saw thus borrows the
// weight of the words of its clusters that they did.
type wordClusters struct {
	src   *clusters.Clusters // written to the model file
	index map[uint64]int32   // word hash (appendWordHashes) → offset into ids
	ids   []int32            // per word, per level: the cluster's feature, counted from the first cluster feature
}

// newWordClusters indexes c for featurization.
func newWordClusters(c *clusters.Clusters) (*wordClusters, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	nL := len(c.Levels)
	wc := &wordClusters{src: c, index: make(map[uint64]int32, len(c.Words)), ids: make([]int32, 0, len(c.Words)*nL)}
	var hs []uint64
	for i, w := range c.Words {
		hs = appendWordHashes(hs[:0], w)
		if len(hs) != 1 { // cannot happen: Validate
			return nil, fmt.Errorf("word clusters: %q is not one word", w)
		}
		wc.index[hs[0]] = int32(len(wc.ids))
		first := 0 // the first feature of level l
		for l, k := range c.Levels {
			wc.ids = append(wc.ids, int32(first+int(c.IDs[i][l])))
			first += k
		}
	}
	return wc, nil
}

// size is the number of cluster features: one per cluster of every
// level (0 for nil).
func (wc *wordClusters) size() int {
	if wc == nil {
		return 0
	}
	n := 0
	for _, k := range wc.src.Levels {
		n += k
	}
	return n
}

// appendFeatures appends the cluster features of the words (word hashes)
// that have clusters, level by level; base is the first cluster
// feature's id.
func (wc *wordClusters) appendFeatures(dst []int32, words []uint64, base int32) []int32 {
	nL := len(wc.src.Levels)
	for _, w := range words {
		if at, ok := wc.index[w]; ok {
			for _, id := range wc.ids[at : int(at)+nL] {
				dst = append(dst, base+id)
			}
		}
	}
	return dst
}

// appendNames appends the names of the cluster features of words in
// appendFeatures' order: "word~k256" for word's cluster at level 256.
func (wc *wordClusters) appendNames(dst []string, words []string) []string {
	var hs []uint64
	for _, w := range words {
		hs = appendWordHashes(hs[:0], w)
		if len(hs) == 1 {
			if _, ok := wc.index[hs[0]]; ok {
				for _, k := range wc.src.Levels {
					dst = append(dst, w+"~k"+strconv.Itoa(k))
				}
			}
		}
	}
	return dst
}

// marshal is the CLUS section's payload: the clusters file.
func (wc *wordClusters) marshal() ([]byte, error) {
	var b bytes.Buffer
	if err := wc.src.WriteTSV(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// unmarshalWordClusters reads a CLUS section.
func unmarshalWordClusters(data []byte) (*wordClusters, error) {
	c, err := clusters.ReadTSV(bytes.NewReader(data), "CLUS section")
	if err != nil {
		return nil, err
	}
	return newWordClusters(c)
}
