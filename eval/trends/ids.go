package trends

import (
	"slices"
	"strings"
)

// idSet is the set of sentence ids an Accumulator has read, each with the
// place it was first read, kept so that its memory grows with documents
// rather than sentences where the ids have classify's form.
//
// An id of classify's form "<prefix>:<n>" (n in decimal, without sign or
// leading zero, at most 9 digits) is kept as part of a run: numbers
// first, first+1, ... read on consecutive lines of one file, the way
// classify writes a document's sentences. A document of classify's
// output is one run of 16 bytes whatever its length, plus its prefix once.
// Any other id is kept whole, with its place, as a map entry: about 80
// bytes a sentence.
type idSet struct {
	runs  map[string]*idRuns // by prefix
	other map[string]place   // ids not of classify's form
}

// idRuns are the runs of one prefix, sorted by first and disjoint. The
// map holds a pointer so that adding a run never stores the map key
// again (an assignment would replace the kept key with the caller's
// string, a slice of a whole CSV record).
type idRuns struct {
	runs []idRun
}

// idRun holds the numbers first .. first+n-1 of one prefix, read in
// file file, number first+k on line line+k.
type idRun struct {
	first, n, file, line int32
}

func newIDSet() idSet {
	return idSet{runs: make(map[string]*idRuns), other: make(map[string]place)}
}

// add records id as read at p, or returns where it was first read and
// false if it is already in the set.
func (s *idSet) add(id string, p place) (place, bool) {
	prefix, n, ok := splitSentenceID(id)
	if !ok {
		if first, dup := s.other[id]; dup {
			return first, false
		}
		s.other[strings.Clone(id)] = p
		return place{}, true
	}
	rs := s.runs[prefix]
	if rs == nil {
		rs = &idRuns{}
		s.runs[strings.Clone(prefix)] = rs
	}
	// i is the first run starting after n; run i-1, if any, starts at or
	// before n.
	i, _ := slices.BinarySearchFunc(rs.runs, n, func(r idRun, n int32) int {
		if r.first <= n {
			return -1
		}
		return 1
	})
	if i > 0 {
		r := &rs.runs[i-1]
		if n < r.first+r.n {
			return place{file: r.file, line: r.line + (n - r.first)}, false
		}
		if n == r.first+r.n && p.file == r.file && p.line == r.line+r.n {
			r.n++
			return place{}, true
		}
	}
	rs.runs = slices.Insert(rs.runs, i, idRun{first: n, n: 1, file: p.file, line: p.line})
	return place{}, true
}

// splitSentenceID splits an id of classify's form "<prefix>:<n>" into
// its prefix and number, or returns false for any other id (one in which
// another string could stand for the same number, as "d:07" for 7,
// included).
func splitSentenceID(id string) (prefix string, n int32, ok bool) {
	i := strings.LastIndexByte(id, ':')
	if i < 0 {
		return "", 0, false
	}
	digits := id[i+1:]
	if len(digits) == 0 || len(digits) > 9 || (digits[0] == '0' && len(digits) > 1) {
		return "", 0, false
	}
	for j := 0; j < len(digits); j++ {
		c := digits[j]
		if c < '0' || c > '9' {
			return "", 0, false
		}
		n = n*10 + int32(c-'0')
	}
	return id[:i], n, true
}
