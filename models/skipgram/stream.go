package skipgram

import (
	"context"
	"errors"
	"iter"
	"runtime"
	"strings"
	"sync"

	"github.com/stance-project/stance/pipeline/subword"
)

// Sep marks a paragraph boundary in Stream.IDs: context windows never
// cross it. It is larger than any token id (vocabularies are capped below
// it).
const Sep = 0xFFFF

// Stream is a corpus tokenised once into a compact sequence of token ids,
// two bytes a token, so epochs can run over it without re-reading or
// re-tokenising the text.
type Stream struct {
	IDs    []uint16 // token ids in corpus order, paragraphs ended by Sep
	Counts []int64  // occurrences of each token id in IDs
	Words  int64    // whitespace-separated words of the text
	Tokens int64    // token ids in IDs (Sep excluded)
	Paras  int64    // paragraphs (non-empty texts)
}

// Tokenize streams texts once (each one a paragraph, say a line or a
// sentence) through tok, on all cores, and returns the token stream in
// text order. It stops at the first error of texts or when ctx is done.
// The tokenizer must have at most 65535 tokens. progress, if not nil, is
// called now and then (from another goroutine, never concurrently) with
// the running totals.
func Tokenize(ctx context.Context, tok *subword.Tokenizer, texts iter.Seq2[string, error], progress func(words, tokens int64)) (*Stream, error) {
	v := tok.VocabSize()
	if v > maxVocab {
		return nil, errors.New("tokenizer has more than 65535 tokens")
	}
	s := &Stream{Counts: make([]int64, v)}

	type batch struct {
		texts []string
		ids   []uint16
		words int64
		done  chan struct{}
	}
	const batchSize = 512
	work := make(chan *batch, 8)
	order := make(chan *batch, 32)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var buf []int
			for b := range work {
				for _, t := range b.texts {
					buf = tok.AppendIDs(buf[:0], t)
					if len(buf) == 0 {
						continue
					}
					for _, id := range buf {
						b.ids = append(b.ids, uint16(id))
					}
					b.ids = append(b.ids, Sep)
					b.words += int64(len(strings.Fields(t)))
				}
				b.texts = nil
				close(b.done)
			}
		})
	}
	// Collect in order while the producer runs.
	var collect sync.WaitGroup
	collect.Go(func() {
		for b := range order {
			<-b.done
			for _, id := range b.ids {
				if id == Sep {
					s.Paras++
					continue
				}
				s.Counts[id]++
			}
			s.IDs = append(s.IDs, b.ids...)
			s.Words += b.words
			if progress != nil {
				progress(s.Words, int64(len(s.IDs))-s.Paras)
			}
		}
	})

	var err error
	cur := &batch{done: make(chan struct{})}
	flush := func() {
		order <- cur
		work <- cur
		cur = &batch{done: make(chan struct{})}
	}
	for t, e := range texts {
		if e != nil {
			err = e
			break
		}
		if ctx.Err() != nil {
			err = ctx.Err()
			break
		}
		cur.texts = append(cur.texts, t)
		if len(cur.texts) == batchSize {
			flush()
		}
	}
	if len(cur.texts) > 0 {
		flush()
	}
	close(work)
	close(order)
	wg.Wait()
	collect.Wait()
	if err != nil {
		return nil, err
	}
	s.Tokens = int64(len(s.IDs)) - s.Paras
	s.IDs = s.IDs[:len(s.IDs):len(s.IDs)]
	return s, nil
}
