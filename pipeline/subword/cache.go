package subword

import (
	"maps"
	"sync"
	"sync/atomic"
)

// maxCachedWords bounds the word -> ids memo of one Tokenizer. Natural
// text has a long tail of rare words; once the cache is full, new words
// are still encoded correctly, just not remembered. 1<<20 words of about
// 10 bytes with their ids take roughly 100 MB at worst; a corpus of news
// or speeches in a few languages has far fewer distinct words.
const maxCachedWords = 1 << 20

// wordCache memoises word -> token ids; it is safe for concurrent use.
//
// Reads are lock-free: most words are found in frozen, an immutable map
// behind an atomic pointer, so encoding on several cores shares no
// written memory. Words seen since the last freeze wait in fresh, behind
// a mutex; when fresh reaches a quarter of frozen (or 1024 words) both
// are merged into a new frozen map. Each word is copied O(1) times on
// average, since frozen at least grows by a quarter every time.
type wordCache struct {
	limit  int64 // most words stored; 0 means maxCachedWords
	frozen atomic.Pointer[map[string][]int]

	mu    sync.Mutex
	fresh map[string][]int
	size  int // words in frozen and fresh
}

// get returns the cached ids of word; the slice must not be modified. It
// does not allocate.
func (c *wordCache) get(word []byte) ([]int, bool) {
	if m := c.frozen.Load(); m != nil {
		if ids, ok := (*m)[string(word)]; ok {
			return ids, true
		}
	}
	c.mu.Lock()
	ids, ok := c.fresh[string(word)]
	c.mu.Unlock()
	return ids, ok
}

// put stores a copy of ids for word unless the cache is full.
func (c *wordCache) put(word []byte, ids []int) {
	limit := c.limit
	if limit == 0 {
		limit = maxCachedWords
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if int64(c.size) >= limit {
		return
	}
	if _, ok := c.fresh[string(word)]; ok {
		return // another goroutine was first
	}
	var frozen map[string][]int
	if m := c.frozen.Load(); m != nil {
		frozen = *m
		if _, ok := frozen[string(word)]; ok {
			return
		}
	}
	if c.fresh == nil {
		c.fresh = make(map[string][]int)
	}
	c.fresh[string(word)] = append([]int(nil), ids...)
	c.size++
	if len(c.fresh) >= max(1024, len(frozen)/4) || int64(c.size) >= limit {
		merged := make(map[string][]int, len(frozen)+len(c.fresh))
		maps.Copy(merged, frozen)
		maps.Copy(merged, c.fresh)
		c.frozen.Store(&merged)
		c.fresh = nil
	}
}

// len is the number of cached words.
func (c *wordCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}
