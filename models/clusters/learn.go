package clusters

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"time"

	"github.com/stance-project/stance/labels"
)

// Progress is a snapshot of a running Learn, for a progress line.
type Progress struct {
	Phase string // "read", "train" or "cluster"
	// Sentences and Words are the sentences with at least one word and
	// the words read so far (read), or the words of the training stream
	// processed so far, subsampled ones included, as word2vec counts
	// them (train).
	Sentences int64
	Words     int64
	WordsPS   float64 // Words per second of the phase
	// Distinct is the number of distinct words read; Kept, in the final
	// read report, those kept (MinCount, MaxWords).
	Distinct, Kept int
	Epoch, Epochs  int           // train: the current epoch, from 1
	Loss           float64       // train: mean loss per (centre, context) pair since the last report; NaN if none
	Level          int           // cluster: the level (number of clusters) being clustered
	Iteration      int           // cluster: Lloyd iterations done at Level
	Changed        int           // cluster: words that changed cluster in the last iteration
	Done           float64       // fraction of the phase done, 0..1 (train, cluster)
	Elapsed        time.Duration // since the phase began
	Final          bool          // the phase has ended; the figures are its totals
}

// String formats p as one progress line.
func (p Progress) String() string {
	el := p.Elapsed.Round(100 * time.Millisecond)
	switch p.Phase {
	case "read":
		if p.Final {
			return fmt.Sprintf("read: %d sentences, %d words, %d distinct, %d kept, %.0f words/s, %s",
				p.Sentences, p.Words, p.Distinct, p.Kept, p.WordsPS, el)
		}
		return fmt.Sprintf("read: %d sentences, %d words, %d distinct, %.0f words/s, %s",
			p.Sentences, p.Words, p.Distinct, p.WordsPS, el)
	case "train":
		return fmt.Sprintf("train: epoch %d/%d %5.1f%%, %d words, %.0f words/s, loss %.4f, %s",
			p.Epoch, p.Epochs, 100*p.Done, p.Words, p.WordsPS, p.Loss, el)
	default:
		if p.Final {
			return fmt.Sprintf("cluster: %d words, %s", p.Kept, el)
		}
		return fmt.Sprintf("cluster: level %d, iteration %d, %d words changed cluster, %5.1f%%, %s",
			p.Level, p.Iteration, p.Changed, 100*p.Done, el)
	}
}

// blockLen is the length of a block of the corpus's stream (4 MB),
// blockSlack the room left for the sentence that crosses it. (A variable
// for the tests.)
var blockLen, blockSlack = 1 << 20, 1 << 10

// progressInterval is how often Learn reports progress.
const progressInterval = time.Second

// sep ends a sentence in the word stream; no word id reaches it.
const sep = math.MaxUint32

// corpus is the corpus read once: a stream of word ids, each sentence
// ended by sep, with the words and their counts by id. The stream is
// kept in blocks of about blockLen ids, each ending at a sentence end,
// so that it grows without copying (and without the garbage of copies,
// which would double the peak memory).
type corpus struct {
	blocks [][]uint32
	words  []string // by id
	counts []int64  // by id
	kept   int64    // words in stream (after keep: of the kept words)
}

// Learn reads sentences once, learns word vectors with skip-gram and
// negative sampling, and clusters the words at each of cfg.Levels with
// spherical k-means. See the package documentation for the recipe.
//
// The words of a sentence are those labels.Words finds. The corpus is
// kept in memory as 4 bytes a word. Words seen fewer than cfg.MinCount
// times, or beyond the cfg.MaxWords most frequent, are dropped before
// training, as word2vec does: they neither train nor get clusters.
// Learn fails when fewer words are kept than the largest level.
//
// Learn stops at the first error of sentences and returns it. When ctx
// is done it stops within a fraction of a second and returns ctx.Err().
// progress, if not nil, is called about once a second and at the end of
// each phase, never concurrently (not always from the calling goroutine).
func Learn(ctx context.Context, sentences iter.Seq2[string, error], cfg Config, progress func(Progress)) (*Clusters, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if progress == nil {
		progress = func(Progress) {}
	}
	c, err := read(ctx, sentences, cfg, progress)
	if err != nil {
		return nil, err
	}
	if len(c.words) < slices.Max(cfg.Levels) {
		return nil, fmt.Errorf("%d words kept (min-count %d): fewer than the %d clusters of the largest level", len(c.words), cfg.MinCount, slices.Max(cfg.Levels))
	}
	vecs, err := train(ctx, c, cfg, progress)
	if err != nil {
		return nil, err
	}
	c.blocks = nil // the clusters need only the vectors
	ids, err := cluster(ctx, vecs, len(c.words), cfg, progress)
	if err != nil {
		return nil, err
	}
	return &Clusters{Levels: slices.Clone(cfg.Levels), Words: c.words, IDs: ids, Counts: c.counts}, nil
}

// read reads the sentences into a corpus whose ids are ranks of the kept
// words by descending count, ties by word; dropped words are left out of
// the stream.
func read(ctx context.Context, sentences iter.Seq2[string, error], cfg Config, progress func(Progress)) (*corpus, error) {
	start := time.Now()
	c := &corpus{}
	index := map[string]uint32{}
	var nSent, nWords int64
	report := func(final bool) Progress {
		p := Progress{Phase: "read", Sentences: nSent, Words: nWords, Distinct: len(c.words), Elapsed: time.Since(start), Final: final}
		if s := p.Elapsed.Seconds(); s > 0 {
			p.WordsPS = float64(nWords) / s
		}
		return p
	}
	last := start
	var buf []byte
	var n int
	cur := make([]uint32, 0, blockLen+blockSlack)
	var seen int64 // sentences, empty ones included
	add := func(w []byte) {
		id, ok := index[string(w)]
		if !ok {
			id = uint32(len(c.words))
			word := string(w)
			index[word] = id
			c.words = append(c.words, word)
			c.counts = append(c.counts, 0)
		}
		c.counts[id]++
		cur = append(cur, id)
		n++
	}
	for text, err := range sentences {
		if err != nil {
			return nil, err
		}
		n = 0
		buf = labels.EachWord(text, buf, add)
		if n > 0 {
			cur = append(cur, sep)
			nSent++
			nWords += int64(n)
			if len(cur) >= blockLen {
				c.blocks = append(c.blocks, cur)
				cur = make([]uint32, 0, blockLen+blockSlack)
			}
		}
		if seen++; seen%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if now := time.Now(); now.Sub(last) >= progressInterval {
				last = now
				progress(report(false))
			}
		}
		if len(c.words) == sep {
			return nil, fmt.Errorf("more than %d distinct words", sep-1)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(cur) > 0 {
		c.blocks = append(c.blocks, cur)
	}
	index = nil
	p := report(true)
	p.Kept = c.keep(cfg)
	kept := p.Kept
	progress(p)
	if nWords == 0 {
		return nil, errors.New("no words read")
	}
	if kept == 0 {
		return nil, fmt.Errorf("no word occurs at least %d times (min-count)", cfg.MinCount)
	}
	return c, nil
}

// keep renumbers the words by descending count, ties by word, keeps
// those seen at least cfg.MinCount times (at most cfg.MaxWords of them),
// rewrites the stream's blocks in place without the others (and without the
// sentences left empty), and returns the number kept.
func (c *corpus) keep(cfg Config) int {
	order := make([]uint32, len(c.words))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int {
		if c := cmp.Compare(c.counts[b], c.counts[a]); c != 0 {
			return c
		}
		return cmp.Compare(c.words[a], c.words[b])
	})
	kept := 0
	for kept < len(order) && c.counts[order[kept]] >= int64(cfg.MinCount) && (cfg.MaxWords == 0 || kept < cfg.MaxWords) {
		kept++
	}
	const dropped = sep - 1
	newID := make([]uint32, len(c.words))
	for i := range newID {
		newID[i] = dropped
	}
	words := make([]string, kept)
	counts := make([]int64, kept)
	for rank, id := range order[:kept] {
		newID[id] = uint32(rank)
		words[rank] = c.words[id]
		counts[rank] = c.counts[id]
	}
	blocks := c.blocks[:0]
	for _, b := range c.blocks {
		out := b[:0]
		open := false // a sentence has a kept word not yet ended
		for _, id := range b {
			switch {
			case id == sep:
				if open {
					out = append(out, sep)
					open = false
				}
			case newID[id] != dropped:
				out = append(out, newID[id])
				open = true
			}
		}
		if len(out) > 0 {
			blocks = append(blocks, out)
		}
	}
	clear(c.blocks[len(blocks):])
	c.blocks = blocks
	c.words, c.counts = words, counts
	c.kept = 0
	for _, n := range counts {
		c.kept += n
	}
	return kept
}
