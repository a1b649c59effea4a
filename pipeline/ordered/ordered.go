package ordered

import (
	"context"
	"iter"
	"runtime"
	"sync"
)

// slot is one item in flight: its input until a worker takes it, then its
// result, ready when done is closed.
type slot[In, Out any] struct {
	in   In
	out  Out
	done chan struct{}
}

// Run reads in from one goroutine, calls work on each item from at most
// workers goroutines at once (workers ≤ 0 means runtime.GOMAXPROCS(0)),
// and calls emit with each result, in input order, from the goroutine
// that called Run. work must be safe for concurrent use.
//
// Run returns nil once every item has been emitted, and the first error
// emit returns (after the input and the workers have stopped: the input's
// yield returns false from then on). When ctx is cancelled it returns
// context.Cause(ctx) at once, without waiting for the input, which may
// be blocked in a read that ctx cannot end (standard input, a named
// pipe): the reading goroutine stops at its next yield, and the workers
// skip the items still queued.
//
// An input with its own errors records them and stops yielding: the
// items yielded before are still worked on and emitted, and the caller
// reports its error after Run returns.
func Run[In, Out any](ctx context.Context, workers int, in iter.Seq[In], work func(In) Out, emit func(Out) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	interrupted := ctx.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan *slot[In, Out], workers*2)
	order := make(chan *slot[In, Out], workers*4)
	go func() {
		defer close(order)
		defer close(jobs)
		for x := range in {
			s := &slot[In, Out]{in: x, done: make(chan struct{})}
			select {
			case jobs <- s:
			case <-ctx.Done():
				return
			}
			select {
			case order <- s:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for s := range jobs {
				if ctx.Err() == nil {
					s.out = work(s.in)
				}
				var zero In
				s.in = zero // free the input before the result is emitted
				close(s.done)
			}
		})
	}
	defer func() {
		cancel()
		select {
		case <-interrupted:
			// Return at once: the input may be blocked in a read that
			// ctx cannot end; it and the workers stop on their own.
			return
		default:
		}
		for range order { // let the input finish
		}
		wg.Wait()
	}()

	for {
		var s *slot[In, Out]
		var ok bool
		select {
		case s, ok = <-order:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		if !ok {
			return context.Cause(ctx)
		}
		select {
		case <-s.done:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		if ctx.Err() != nil { // the worker may have skipped s
			return context.Cause(ctx)
		}
		if err := emit(s.out); err != nil {
			return err
		}
	}
}
