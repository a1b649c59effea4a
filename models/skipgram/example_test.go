package skipgram_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/stance-project/stance/models/skipgram"
)

// Pretrain on a handful of paragraphs, save, load and query the file.
func Example() {
	var paras []string
	for range 300 {
		paras = append(paras,
			"the talks in rome ended with a joint declaration",
			"the talks in paris ended with a joint declaration",
			"the army fired a missile at the base",
			"the army fired a rocket at the base")
	}
	texts := func(yield func(string, error) bool) {
		for _, p := range paras {
			if !yield(p, nil) {
				return
			}
		}
	}
	cfg := skipgram.DefaultConfig()
	cfg.Dim, cfg.Vocab, cfg.Threads, cfg.MinCount = 16, 100, 1, 1
	cfg.Subsample = 0 // off: the corpus is tiny
	cfg.Epochs = 10
	e, err := skipgram.Pretrain(context.Background(), texts, cfg, skipgram.TrainOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	path := filepath.Join(os.TempDir(), "example-emb.stance")
	defer os.Remove(path)
	if err := e.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := skipgram.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("epochs:", loaded.Epochs, "dim:", loaded.Dim)
	fmt.Println("nearest to rome:", loaded.Nearest("rome", 1)[0].Token)
	fmt.Println("nearest to missile:", loaded.Nearest("missile", 1)[0].Token)
	// Output:
	// epochs: 10 dim: 16
	// nearest to rome: paris
	// nearest to missile: rocket
}
