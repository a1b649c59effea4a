package clusters

import (
	"math"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(c *Config)
		want   []string // substrings of the error; none for a valid config
	}{
		{"default", func(c *Config) {}, nil},
		{"smallest", func(c *Config) {
			*c = Config{Dim: 1, Epochs: 1, Window: 1, Negative: 1, MinCount: 1, LR: 1, Threads: 1, Levels: []int{2}}
		}, nil},
		{"largest level", func(c *Config) { c.Levels = []int{MaxLevel} }, nil},
		{"dim", func(c *Config) { c.Dim = 0 }, []string{"dim 0: want 1..4096"}},
		{"dim too large", func(c *Config) { c.Dim = 5000 }, []string{"dim 5000"}},
		{"epochs", func(c *Config) { c.Epochs = 0 }, []string{"epochs 0"}},
		{"window", func(c *Config) { c.Window = -1 }, []string{"window -1"}},
		{"negative", func(c *Config) { c.Negative = 0 }, []string{"negative 0"}},
		{"min count", func(c *Config) { c.MinCount = 0 }, []string{"min-count 0"}},
		{"subsample", func(c *Config) { c.Subsample = -1e-4 }, []string{"subsample -0.0001"}},
		{"subsample NaN", func(c *Config) { c.Subsample = math.NaN() }, []string{"subsample NaN"}},
		{"lr", func(c *Config) { c.LR = 0 }, []string{"lr 0"}},
		{"lr too large", func(c *Config) { c.LR = 2 }, []string{"lr 2"}},
		{"threads", func(c *Config) { c.Threads = 0 }, []string{"threads 0"}},
		{"max words", func(c *Config) { c.MaxWords = -1 }, []string{"max-words -1"}},
		{"no levels", func(c *Config) { c.Levels = nil }, []string{"levels: none given"}},
		{"level 1", func(c *Config) { c.Levels = []int{1, 64} }, []string{"level 1: want 2..65535"}},
		{"level too large", func(c *Config) { c.Levels = []int{MaxLevel + 1} }, []string{"level 65536"}},
		{"level twice", func(c *Config) { c.Levels = []int{64, 256, 64} }, []string{"level 64 given twice"}},
		{"every problem", func(c *Config) { c.Dim, c.Epochs, c.Threads, c.Levels = 0, 0, 0, []int{0} },
			[]string{"dim 0", "epochs 0", "threads 0", "level 0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.change(&c)
			err := c.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate: nil, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate: %v, want %q in it", err, w)
				}
			}
		})
	}
}
