package skipgram

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Progress is a snapshot of a running Pretrain or TrainStream, for a
// progress line on stderr.
type Progress struct {
	Phase   string  // "tokenizer", "tokenize" or "train"
	Epoch   int     // current epoch, from 1 (train only)
	Epochs  int     // epochs in the run
	Done    float64 // fraction of the whole phase done, 0..1 (train only)
	Words   int64   // whitespace words processed so far in the phase
	Tokens  int64   // tokens processed so far in the phase
	WordsPS float64 // words per second (train: word-equivalents of tokens)
	TokPS   float64 // tokens per second
	Loss    float64 // mean loss per (centre, context) pair since the last report; NaN if none
	ETA     time.Duration
	Elapsed time.Duration
	Final   bool // the phase has ended; the figures are its totals
}

// String formats p as one progress line.
func (p Progress) String() string {
	switch p.Phase {
	case "train":
		return fmt.Sprintf("train: epoch %d/%d %5.1f%%  %.0f words/s (%.0f tokens/s)  loss %.4f  elapsed %s  ETA %s",
			p.Epoch, p.Epochs, 100*p.Done, p.WordsPS, p.TokPS, p.Loss,
			p.Elapsed.Round(time.Second), p.ETA.Round(time.Second))
	case "tokenizer":
		return fmt.Sprintf("tokenizer: ~%d words read, %.0f words/s, elapsed %s",
			p.Words, p.WordsPS, p.Elapsed.Round(time.Second))
	default:
		return fmt.Sprintf("%s: %d words, %d tokens, %.0f words/s, elapsed %s",
			p.Phase, p.Words, p.Tokens, p.WordsPS, p.Elapsed.Round(time.Second))
	}
}

// TrainOptions are the hooks of TrainStream and Pretrain (all optional).
type TrainOptions struct {
	// Progress is called about every Interval from one goroutine.
	Progress func(Progress)
	Interval time.Duration // default 1s
	// OnEpoch is called after each complete epoch with a snapshot of the
	// vectors (Epochs set); an error from it stops training and is
	// returned. Use it to save the last complete epoch. It runs on the
	// calling goroutine, possibly while Progress runs on another.
	OnEpoch func(*Embeddings) error
}

const (
	flushEvery = 10000 // tokens between a worker's updates of shared counters
)

// trainer holds the shared state of one training run. Workers update in
// and out without locks (Hogwild): collisions are rare with thousands of
// rows, and they make runs with more than one thread non-reproducible.
type trainer struct {
	cfg     Config
	dim     int
	in, out []float32
	keep    []uint32 // per token: keep with probability keep/2^32; 0 = skipped (min-count)
	neg     alias    // unigram^0.75 sampler of negatives
	ids     []uint16

	total     int64        // tokens to process over all epochs
	processed atomic.Int64 // tokens processed so far
	stop      atomic.Bool

	mu      sync.Mutex
	lossSum float64
	lossN   int64
}

// TrainStream learns vectors from a token stream with skip-gram and
// negative sampling and returns them (Tokenizer left nil for the caller to
// set). Counts must have one entry per token id.
//
// When ctx is done, training stops within a few milliseconds and
// TrainStream returns the snapshot of the last complete epoch (nil if
// none) together with ctx.Err().
func TrainStream(ctx context.Context, s *Stream, cfg Config, opts TrainOptions) (*Embeddings, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	v := len(s.Counts)
	if v == 0 || v > maxVocab {
		return nil, fmt.Errorf("vocabulary of %d tokens: want 1..%d", v, maxVocab)
	}
	t := &trainer{cfg: cfg, dim: cfg.Dim, ids: s.IDs}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	t.in = make([]float32, v*cfg.Dim)
	for i := range t.in {
		t.in[i] = (rng.Float32()*2 - 1) / float32(cfg.Dim)
	}
	t.out = make([]float32, v*cfg.Dim)
	if err := t.tables(s.Counts); err != nil {
		return nil, err
	}
	t.total = int64(len(s.IDs)) * int64(cfg.Epochs)
	chunks := splitChunks(s.IDs, cfg.Threads)

	// Stop the workers when ctx is done.
	stopWatch := context.AfterFunc(ctx, func() { t.stop.Store(true) })
	defer stopWatch()

	start := time.Now()
	// The workers count stream positions (tokens and paragraph ends);
	// progress converts them to tokens and whitespace words.
	var per perID
	if len(s.IDs) > 0 {
		per = perID{words: float64(s.Words) / float64(len(s.IDs)), tokens: float64(s.Tokens) / float64(len(s.IDs))}
	}
	var epoch atomic.Int64
	reportDone := make(chan struct{})
	var reporter sync.WaitGroup
	if opts.Progress != nil {
		interval := opts.Interval
		if interval <= 0 {
			interval = time.Second
		}
		reporter.Go(func() {
			tick := time.NewTicker(interval)
			defer tick.Stop()
			for {
				select {
				case <-reportDone:
					return
				case <-tick.C:
					opts.Progress(t.progress(start, int(epoch.Load()), per))
				}
			}
		})
	}
	// Progress is called from one goroutine at a time: the final report
	// waits for the ticker's goroutine to end.
	stopReporter := sync.OnceFunc(func() {
		close(reportDone)
		reporter.Wait()
	})
	defer stopReporter()

	var last *Embeddings
	for ep := range cfg.Epochs {
		if ctx.Err() != nil {
			return last, ctx.Err()
		}
		epoch.Store(int64(ep + 1))
		var wg sync.WaitGroup
		for w, c := range chunks {
			wg.Go(func() {
				seed := uint64(ep)*uint64(len(chunks)) + uint64(w)
				t.work(c[0], c[1], rand.NewPCG(cfg.Seed, seed+1))
			})
		}
		wg.Wait()
		if ctx.Err() != nil { // the epoch may be incomplete: keep the last whole one
			return last, ctx.Err()
		}
		last = &Embeddings{
			Dim:     cfg.Dim,
			Vectors: slices.Clone(t.in),
			Counts:  slices.Clone(s.Counts),
			Config:  cfg,
			Epochs:  ep + 1,
			Words:   s.Words,
			Tokens:  s.Tokens,
		}
		if opts.OnEpoch != nil {
			if err := opts.OnEpoch(last); err != nil {
				return last, err
			}
		}
	}
	stopReporter()
	if opts.Progress != nil {
		p := t.progress(start, cfg.Epochs, per)
		p.Final = true
		opts.Progress(p)
	}
	return last, nil
}

// perID converts stream positions to words and tokens.
type perID struct{ words, tokens float64 }

func (t *trainer) progress(start time.Time, epoch int, per perID) Progress {
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
		Tokens:  int64(float64(done) * per.tokens),
		Words:   int64(float64(done) * per.words),
		Loss:    loss,
		Elapsed: el,
	}
	if sec := el.Seconds(); sec > 0 {
		p.TokPS = float64(done) * per.tokens / sec
		p.WordsPS = float64(done) * per.words / sec
	}
	if done > 0 {
		p.ETA = time.Duration(float64(el) * float64(t.total-done) / float64(done))
	}
	return p
}

// tables builds the subsampling thresholds and the negative table.
func (t *trainer) tables(counts []int64) error {
	var total int64
	for _, c := range counts {
		total += c
	}
	t.keep = make([]uint32, len(counts))
	var pow []float64
	var powSum float64
	for id, c := range counts {
		p := 0.0
		if c >= int64(t.cfg.MinCount) {
			p = 1
			if t.cfg.Subsample > 0 {
				// word2vec: keep with (sqrt(f/(t·N)) + 1)·t·N/f.
				f := float64(c)
				tn := t.cfg.Subsample * float64(total)
				p = min(1, (math.Sqrt(f/tn)+1)*tn/f)
			}
			pw := math.Pow(float64(c), 0.75)
			pow = append(pow, pw)
			powSum += pw
		} else {
			pow = append(pow, 0)
		}
		t.keep[id] = uint32(min(p*(1<<32), math.MaxUint32))
	}
	if powSum == 0 {
		return fmt.Errorf("no token occurs at least %d times (min-count)", t.cfg.MinCount)
	}
	t.neg = newAlias(pow)
	return nil
}

// splitChunks cuts ids into n contiguous ranges, each ending after a Sep
// (or at the end), so no paragraph is split between workers.
func splitChunks(ids []uint16, n int) [][2]int {
	var chunks [][2]int
	lo := 0
	for i := 1; i <= n && lo < len(ids); i++ {
		hi := max(len(ids)*i/n, lo+1)
		for hi < len(ids) && ids[hi-1] != Sep {
			hi++
		}
		if i == n {
			hi = len(ids)
		}
		if hi > lo {
			chunks = append(chunks, [2]int{lo, hi})
		}
		lo = hi
	}
	return chunks
}

// maxLine caps the tokens of one paragraph kept at once (as fastText does),
// bounding the worker's buffer.
const maxLine = 1024

// work runs one epoch of skip-gram over ids[lo:hi].
func (t *trainer) work(lo, hi int, src *rand.PCG) {
	dim := t.dim
	window := uint64(t.cfg.Window)
	neg := t.cfg.Negative
	grad := make([]float32, dim)
	line := make([]uint16, 0, maxLine)
	var local int64
	var lossSum float64
	var lossN int64
	lr := float32(t.cfg.LR)

	flush := func() {
		done := t.processed.Add(local)
		local = 0
		frac := float64(done) / float64(t.total)
		lr = float32(t.cfg.LR * max(1-frac, 1e-4))
		t.mu.Lock()
		t.lossSum += lossSum
		t.lossN += lossN
		t.mu.Unlock()
		lossSum, lossN = 0, 0
	}

	for pos := lo; pos < hi; {
		// Subsample one paragraph into line.
		line = line[:0]
		end := pos
		for end < hi && t.ids[end] != Sep && len(line) < maxLine {
			id := t.ids[end]
			k := t.keep[id]
			if k == math.MaxUint32 || (k > 0 && uint32(src.Uint64()) < k) {
				line = append(line, id)
			}
			end++
		}
		if end < hi && t.ids[end] == Sep {
			end++
		}
		local += int64(end - pos)
		pos = end

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
					tok, label := target, float32(1)
					if n > 0 {
						tok = t.neg.sample(src.Uint64())
						if tok == target {
							continue
						}
						label = 0
					}
					o := t.out[int(tok)*dim : int(tok)*dim+dim]
					s := sigmoid(dotBLAS(h, o))
					g := (label - s) * lr
					if label == 1 {
						loss -= logApprox(s)
					} else {
						loss -= logApprox(1 - s)
					}
					axpyBLAS(g, o, grad)
					axpyBLAS(g, h, o)
				}
				axpyBLAS(1, grad, h)
				lossSum += float64(loss)
				lossN++
			}
		}
		if local >= flushEvery {
			flush()
			if t.stop.Load() {
				return
			}
		}
	}
	flush()
}
