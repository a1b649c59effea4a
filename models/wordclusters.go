package models

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/stance-project/stance/models/clusters"
)

// clusterSalt keeps the hashes of cluster features apart from those of
// character n-grams in the shared buckets.
const clusterSalt = 0x2545f4914f6cdd1d

// wordClusters gives each word of the clusters file (`stance pretrain`:
// word embeddings learnt on the unlabelled corpus, clustered at several
// granularities) one bucket feature per level: the cluster of the word
// at that level. A word the labels never saw thus borrows the weight of
// the words of its clusters that they did.
type wordClusters struct {
	src   *clusters.Clusters // written to the model file
	index map[uint64]int32   // word hash (appendWordHashes) → offset into buckets
	slots []uint32           // per word, per level: bucket, before the vocabulary offset
}

// newWordClusters indexes c for featurization with the given buckets.
func newWordClusters(c *clusters.Clusters, buckets int) (*wordClusters, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	nL := len(c.Levels)
	wc := &wordClusters{src: c, index: make(map[uint64]int32, len(c.Words)), slots: make([]uint32, 0, len(c.Words)*nL)}
	var hs []uint64
	for i, w := range c.Words {
		hs = appendWordHashes(hs[:0], w)
		if len(hs) != 1 {
			return nil, fmt.Errorf("word clusters: %q is not one word", w)
		}
		wc.index[hs[0]] = int32(len(wc.slots))
		for l, k := range c.Levels {
			key := uint64(k)<<40 ^ uint64(l)<<32 ^ uint64(c.IDs[i][l])
			wc.slots = append(wc.slots, uint32(mix64(key^clusterSalt)%uint64(buckets)))
		}
	}
	return wc, nil
}

// levels is the number of cluster features of a known word.
func (wc *wordClusters) levels() int { return len(wc.src.Levels) }

// appendFeatures appends the cluster features of the words (word hashes)
// that have clusters; base is the first bucket's feature id.
func (wc *wordClusters) appendFeatures(dst []int32, words []uint64, base int32) []int32 {
	nL := wc.levels()
	for _, w := range words {
		if at, ok := wc.index[w]; ok {
			for _, s := range wc.slots[at : int(at)+nL] {
				dst = append(dst, base+int32(s))
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

// marshal is the CLUS section's payload: the clusters file, or nothing.
func (wc *wordClusters) marshal() ([]byte, error) {
	if wc == nil {
		return nil, nil
	}
	var b bytes.Buffer
	if err := wc.src.WriteTSV(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// unmarshalWordClusters reads a CLUS section (nil for an empty one).
func unmarshalWordClusters(data []byte, buckets int) (*wordClusters, error) {
	if len(data) == 0 {
		return nil, nil
	}
	if buckets == 0 {
		return nil, fmt.Errorf("word clusters without hash buckets")
	}
	c, err := clusters.ReadTSV(bytes.NewReader(data), "CLUS section")
	if err != nil {
		return nil, err
	}
	return newWordClusters(c, buckets)
}
