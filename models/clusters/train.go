package clusters

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// flushEvery is the number of words between a worker's
	// updates of the shared counter (and so of its learning rate) and
	// its checks for cancellation.
	flushEvery = 10000
	// maxSentence caps the words of a sentence taken at once, as
	// word2vec's MAX_SENTENCE_LENGTH does: a longer one is cut.
	maxSentence = 1000
)

// trainer holds the shared state of one training run. Workers update in
// and out without locks (Hogwild, as word2vec does): collisions are rare
// with thousands of rows, and they make runs with more than one thread
// non-reproducible.
type trainer struct {
	cfg     Config
	dim     int
	in, out []float32
	keep    []uint32   // per word: keep with probability keep/2^32
	neg     alias      // unigram^0.75 sampler of negatives
	blocks  [][]uint32 // the corpus's stream
	off     []int      // off[b]: the position of blocks[b]'s first id; off[len(blocks)]: the stream's length

	total     int64        // words to process over all epochs
	processed atomic.Int64 // words processed so far, subsampled ones included
	stop      atomic.Bool

	mu      sync.Mutex
	lossSum float64
	lossN   int64
}

// train learns the input vectors of c's words with skip-gram and
// negative sampling and returns them, row-major, one row of cfg.Dim per
// word id.
func train(ctx context.Context, c *corpus, cfg Config, progress func(Progress)) ([]float32, error) {
	v, dim := len(c.words), cfg.Dim
	t := &trainer{cfg: cfg, dim: dim, blocks: c.blocks, off: make([]int, len(c.blocks)+1)}
	for b, blk := range c.blocks {
		t.off[b+1] = t.off[b] + len(blk)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	t.in = make([]float32, v*dim)
	for i := range t.in {
		t.in[i] = (rng.Float32() - 0.5) / float32(dim) // word2vec's initialisation
	}
	t.out = make([]float32, v*dim)
	t.tables(c.counts)
	t.total = c.kept * int64(cfg.Epochs)
	chunks := t.splitChunks(cfg.Threads)

	stopWatch := context.AfterFunc(ctx, func() { t.stop.Store(true) })
	defer stopWatch()

	start := time.Now()
	var epoch atomic.Int64
	done := make(chan struct{})
	var reporter sync.WaitGroup
	reporter.Go(func() {
		tick := time.NewTicker(progressInterval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				progress(t.progress(start, int(epoch.Load()), false))
			}
		}
	})
	// progress is called from one goroutine at a time: the final report
	// waits for the ticker's goroutine to end.
	stopReporter := sync.OnceFunc(func() {
		close(done)
		reporter.Wait()
	})
	defer stopReporter()

	for ep := range cfg.Epochs {
		epoch.Store(int64(ep + 1))
		var wg sync.WaitGroup
		for w, ch := range chunks {
			wg.Go(func() {
				stream := uint64(ep)*uint64(len(chunks)) + uint64(w) + 1
				t.work(ch[0], ch[1], rand.NewPCG(cfg.Seed, stream))
			})
		}
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	stopReporter()
	progress(t.progress(start, cfg.Epochs, true))
	return t.in, nil
}

func (t *trainer) progress(start time.Time, epoch int, final bool) Progress {
	el := time.Since(start)
	done := t.processed.Load()
	t.mu.Lock()
	loss := math.NaN()
	if t.lossN > 0 {
		loss = t.lossSum / float64(t.lossN)
	}
	t.lossSum, t.lossN = 0, 0
	t.mu.Unlock()
	p := Progress{
		Phase:   "train",
		Epoch:   epoch,
		Epochs:  t.cfg.Epochs,
		Done:    float64(done) / float64(max(t.total, 1)),
		Words:   done,
		Loss:    loss,
		Elapsed: el,
		Final:   final,
	}
	if sec := el.Seconds(); sec > 0 {
		p.WordsPS = float64(done) / sec
	}
	return p
}

// tables builds the subsampling thresholds and the negative sampler from
// the counts of the kept words.
func (t *trainer) tables(counts []int64) {
	var total int64
	for _, c := range counts {
		total += c
	}
	t.keep = make([]uint32, len(counts))
	pow := make([]float64, len(counts))
	for id, c := range counts {
		p := 1.0
		if t.cfg.Subsample > 0 {
			// word2vec: keep with probability (sqrt(f/(t·N)) + 1)·t·N/f.
			f := float64(c)
			tn := t.cfg.Subsample * float64(total)
			p = min(1, (math.Sqrt(f/tn)+1)*tn/f)
		}
		t.keep[id] = uint32(min(p*(1<<32), math.MaxUint32))
		pow[id] = math.Pow(float64(c), 0.75)
	}
	t.neg = newAlias(pow)
}

// splitChunks cuts the stream into at most n contiguous ranges of
// positions, each ending after a sep, so no sentence is split between
// workers.
func (t *trainer) splitChunks(n int) [][2]int {
	total := t.off[len(t.blocks)]
	var chunks [][2]int
	lo := 0
	for i := 1; i <= n && lo < total; i++ {
		hi := max(total*i/n, lo+1)
		for hi < total && t.at(hi-1) != sep {
			hi++
		}
		if i == n {
			hi = total
		}
		chunks = append(chunks, [2]int{lo, hi})
		lo = hi
	}
	return chunks
}

// at returns the id at position pos of the stream.
func (t *trainer) at(pos int) uint32 {
	b, found := slices.BinarySearch(t.off, pos)
	if !found {
		b--
	}
	return t.blocks[b][pos-t.off[b]]
}

// worker is one goroutine's state in an epoch.
type worker struct {
	t       *trainer
	src     *rand.PCG
	grad    []float32
	line    []uint32
	local   int64 // words processed since the last flush
	lossSum float64
	lossN   int64
	lr      float32
}

// work runs one epoch of skip-gram over the stream positions lo..hi-1.
func (t *trainer) work(lo, hi int, src *rand.PCG) {
	w := &worker{t: t, src: src, grad: make([]float32, t.dim), line: make([]uint32, 0, maxSentence)}
	w.lr = t.rate(t.processed.Load())
	for b, blk := range t.blocks {
		s, e := max(lo, t.off[b]), min(hi, t.off[b+1])
		if s >= e {
			continue
		}
		if !w.segment(blk[s-t.off[b] : e-t.off[b]]) {
			return
		}
	}
	w.flush()
}

// rate is the learning rate once done words are processed.
func (t *trainer) rate(done int64) float32 {
	return float32(t.cfg.LR * max(1-float64(done)/float64(t.total), 1e-4))
}

// flush adds the worker's counts to the shared ones and updates its
// learning rate.
func (w *worker) flush() {
	t := w.t
	w.lr = t.rate(t.processed.Add(w.local))
	w.local = 0
	t.mu.Lock()
	t.lossSum += w.lossSum
	t.lossN += w.lossN
	t.mu.Unlock()
	w.lossSum, w.lossN = 0, 0
}

// segment trains on ids, whole sentences: each kept centre word predicts
// each word within a window drawn from 1..Window, against Negative words
// drawn from the unigram^0.75 distribution. It returns false when
// training is to stop.
func (w *worker) segment(ids []uint32) bool {
	t := w.t
	dim := t.dim
	window := uint64(t.cfg.Window)
	neg := t.cfg.Negative
	src, grad := w.src, w.grad
	for pos := 0; pos < len(ids); {
		// Subsample one sentence (or its next maxSentence words) into line.
		line := w.line[:0]
		end := pos
		for end < len(ids) && ids[end] != sep && end-pos < maxSentence {
			id := ids[end]
			if k := t.keep[id]; k == math.MaxUint32 || uint32(src.Uint64()) < k {
				line = append(line, id)
			}
			end++
		}
		w.local += int64(end - pos)
		if end < len(ids) && ids[end] == sep {
			end++
		}
		pos = end

		lr := w.lr
		for i, centre := range line {
			b := int(1 + src.Uint64()%window)
			h := t.in[int(centre)*dim : int(centre)*dim+dim]
			for j := max(0, i-b); j <= min(len(line)-1, i+b); j++ {
				if j == i {
					continue
				}
				target := line[j]
				clear(grad)
				var loss float32
				for n := 0; n <= neg; n++ {
					word, label := target, float32(1)
					if n > 0 {
						word = t.neg.sample(src.Uint64())
						if word == target {
							continue
						}
						label = 0
					}
					o := t.out[int(word)*dim : int(word)*dim+dim]
					s := sigmoid(dot(h, o))
					g := (label - s) * lr
					if label == 1 {
						loss -= logApprox(s)
					} else {
						loss -= logApprox(1 - s)
					}
					axpy(g, o, grad)
					axpy(g, h, o)
				}
				axpy(1, grad, h)
				w.lossSum += float64(loss)
				w.lossN++
			}
		}
		if w.local >= flushEvery {
			w.flush()
			if t.stop.Load() {
				return false
			}
		}
	}
	return true
}
