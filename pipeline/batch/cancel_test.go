package batch

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestRunStopsWhileReadBlocks: when the input blocks in a read that ctx
// cannot end (standard input from a terminal, a named pipe with no
// writer), cancelling ctx still ends Run at once with ctx's error.
func TestRunStopsWhileReadBlocks(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	blocked := func(yield func(Unit, error) bool) {
		<-release // a read that never returns while the test runs
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := Run(ctx, blocked, &fakePredictor{}, Options{Split: splitWords}, func(Result) error { return nil })
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Run did not return within a second of the cancellation")
	}
}
