package skipgram

import (
	"errors"
	"fmt"
	"runtime"
)

// Config holds every setting of Train. Flags of `stance pretrain` bind into
// it; the whole Config is saved in the embedding file for the record.
type Config struct {
	Dim       int     // vector length
	Epochs    int     // passes over the token stream
	Window    int     // maximum context distance; each centre draws 1..Window
	Negative  int     // negative samples per (centre, context) pair
	MinCount  int     // tokens seen fewer times are skipped in training
	Subsample float64 // frequent-token subsampling threshold t (0: off)
	LR        float64 // initial learning rate, decayed linearly to 0
	Threads   int     // worker goroutines; 1 is bit-reproducible
	Seed      uint64  // seeds initialisation, subsampling and negatives
	Vocab     int     // target tokenizer vocabulary size
}

// DefaultConfig returns the word2vec/fastText skip-gram defaults: dim 100,
// window 5, 5 negatives, t=1e-4, learning rate 0.05, one thread per core.
func DefaultConfig() Config {
	return Config{
		Dim:       100,
		Epochs:    5,
		Window:    5,
		Negative:  5,
		MinCount:  5,
		Subsample: 1e-4,
		LR:        0.05,
		Threads:   runtime.GOMAXPROCS(0),
		Seed:      1,
		Vocab:     8000,
	}
}

// Validate reports every setting out of range, joined.
func (c Config) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(c.Dim >= 1 && c.Dim <= 4096, "dim %d: want 1..4096", c.Dim)
	check(c.Epochs >= 1, "epochs %d: want at least 1", c.Epochs)
	check(c.Window >= 1, "window %d: want at least 1", c.Window)
	check(c.Negative >= 1, "neg %d: want at least 1", c.Negative)
	check(c.MinCount >= 1, "min-count %d: want at least 1", c.MinCount)
	check(c.Subsample >= 0, "subsample %g: want at least 0", c.Subsample)
	check(c.LR > 0, "lr %g: want more than 0", c.LR)
	check(c.Threads >= 1, "threads %d: want at least 1", c.Threads)
	check(c.Vocab >= 2 && c.Vocab <= maxVocab, "vocab %d: want 2..%d", c.Vocab, maxVocab)
	return errors.Join(errs...)
}

// maxVocab keeps token ids (and one separator) in a uint16 stream.
const maxVocab = 65535
