package ordered

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"testing"
	"time"
)

func count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
}

func TestRun(t *testing.T) {
	square := func(i int) int {
		if i%7 == 0 {
			time.Sleep(time.Microsecond) // let later items finish first
		}
		return i * i
	}
	for _, tc := range []struct {
		name    string
		workers int
		n       int
	}{
		{"one worker", 1, 100},
		{"default workers", 0, 1000},
		{"many workers", 16, 1000},
		{"empty input", 4, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []int
			err := Run(context.Background(), tc.workers, count(tc.n), square, func(v int) error {
				got = append(got, v)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.n {
				t.Fatalf("emitted %d, want %d", len(got), tc.n)
			}
			for i, v := range got {
				if v != i*i {
					t.Fatalf("result %d = %d, want %d (out of order)", i, v, i*i)
				}
			}
		})
	}
}

func TestRunEmitError(t *testing.T) {
	stop := errors.New("stop")
	var got []int
	read := 0
	in := func(yield func(int) bool) {
		for i := range 100000 {
			read++
			if !yield(i) {
				return
			}
		}
	}
	err := Run(context.Background(), 4, in, func(i int) int { return i }, func(v int) error {
		if v == 10 {
			return stop
		}
		got = append(got, v)
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("got %v, want %v", err, stop)
	}
	if !slices.Equal(got, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Fatalf("emitted %v", got)
	}
	if read == 100000 {
		t.Fatal("the input was read to the end after emit failed")
	}
}

// TestRunCancelBlockedInput: a cancelled Run returns at once even when
// the input is blocked in a read that ctx cannot end.
func TestRunCancelBlockedInput(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	in := func(yield func(int) bool) {
		if !yield(1) {
			return
		}
		<-release // a read that never returns while the test runs
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		errc <- Run(ctx, 2, in, func(i int) int { return i }, func(int) error { cancel(); return nil })
	}()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Run did not return within a second of cancellation")
	}
}

func ExampleRun() {
	words := slices.Values([]string{"one", "two", "three", "four"})
	err := Run(context.Background(), 0, words, func(w string) int { return len(w) }, func(n int) error {
		fmt.Print(n, " ")
		return nil
	})
	fmt.Println(err)
	// Output: 3 3 5 4 <nil>
}
