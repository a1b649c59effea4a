package clusters

import (
	"errors"
	"fmt"
	"math"
	"runtime"
)

// Config holds every setting of Learn; the flags of `stance pretrain`
// bind into it.
type Config struct {
	Dim       int     // vector length
	Epochs    int     // passes over the corpus
	Window    int     // maximum context distance in words; each centre draws 1..Window
	Negative  int     // negative samples per (centre, context) pair
	MinCount  int     // words seen fewer times are dropped: not trained, not clustered
	Subsample float64 // frequent-word subsampling threshold t (0: off)
	LR        float64 // initial learning rate, decayed linearly to 0 over all epochs
	Threads   int     // worker goroutines; 1 makes the result reproducible
	Seed      uint64  // seeds initialisation, subsampling, negatives and k-means
	Levels    []int   // clusters at each granularity, one column of the file each
	MaxWords  int     // keep only this many most frequent words (0: no cap)
}

// MaxLevel is the largest number of clusters a level may have: cluster
// ids are uint16.
const MaxLevel = math.MaxUint16

// maxDim bounds Config.Dim.
const maxDim = 4096

// DefaultConfig returns word2vec's skip-gram defaults (dim 100, window 5,
// 5 negatives, min count 5, t = 1e-4, learning rate 0.05), 3 epochs, one
// thread per core, seed 1, and levels 64, 256 and 1024.
func DefaultConfig() Config {
	return Config{
		Dim:       100,
		Epochs:    3,
		Window:    5,
		Negative:  5,
		MinCount:  5,
		Subsample: 1e-4,
		LR:        0.05,
		Threads:   runtime.GOMAXPROCS(0),
		Seed:      1,
		Levels:    []int{64, 256, 1024},
	}
}

// Validate reports every setting out of range, joined, each naming its
// setting as the flag of `stance pretrain` spells it.
func (c Config) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(c.Dim >= 1 && c.Dim <= maxDim, "dim %d: want 1..%d", c.Dim, maxDim)
	check(c.Epochs >= 1, "epochs %d: want at least 1", c.Epochs)
	check(c.Window >= 1, "window %d: want at least 1", c.Window)
	check(c.Negative >= 1, "negative %d: want at least 1", c.Negative)
	check(c.MinCount >= 1, "min-count %d: want at least 1", c.MinCount)
	check(c.Subsample >= 0 && !math.IsInf(c.Subsample, 1), "subsample %g: want a finite value of at least 0", c.Subsample) // NaN fails too
	check(c.LR > 0 && c.LR <= 1, "lr %g: want a value in (0, 1]", c.LR)
	check(c.Threads >= 1, "threads %d: want at least 1", c.Threads)
	check(c.MaxWords >= 0, "max-words %d: want 0 (no cap) or more", c.MaxWords)
	if err := checkLevels(c.Levels); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// checkLevels reports every problem of a list of levels: none, a level
// outside 2..MaxLevel, a level given twice.
func checkLevels(levels []int) error {
	if len(levels) == 0 {
		return errors.New("levels: none given; want at least one")
	}
	var errs []error
	seen := map[int]bool{}
	for _, k := range levels {
		switch {
		case k < 2 || k > MaxLevel:
			errs = append(errs, fmt.Errorf("level %d: want 2..%d clusters", k, MaxLevel))
		case seen[k]:
			errs = append(errs, fmt.Errorf("level %d given twice", k))
		}
		seen[k] = true
	}
	return errors.Join(errs...)
}
