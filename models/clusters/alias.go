package clusters

// alias samples word ids in proportion to given weights in O(1) with
// Walker's alias method. Its two arrays take 8 bytes a word and stay in
// cache far better than word2vec's 10^8-entry unigram table, whose
// random reads cost a cache miss per negative sample.
type alias struct {
	prob  []uint32 // keep column i with probability prob[i]/2^32
	other []uint32 // else take other[i]
}

// newAlias builds the sampler for weights (non-negative, not all zero).
func newAlias(weights []float64) alias {
	n := len(weights)
	var sum float64
	for _, w := range weights {
		sum += w
	}
	a := alias{prob: make([]uint32, n), other: make([]uint32, n)}
	scaled := make([]float64, n)
	var small, large []int
	for i, w := range weights {
		scaled[i] = w / sum * float64(n)
		if scaled[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		a.prob[s] = uint32(scaled[s] * (1 << 32))
		a.other[s] = uint32(l)
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// Left-overs are 1 up to rounding.
	for _, i := range append(small, large...) {
		a.prob[i] = 1<<32 - 1
		a.other[i] = uint32(i)
	}
	return a
}

// sample maps 64 random bits to a word id: the high 32 bits pick a
// column (multiply-shift, no division), the low 32 bits decide between
// the column and its alias.
func (a alias) sample(r uint64) uint32 {
	i := (r >> 32) * uint64(len(a.prob)) >> 32
	if uint32(r) < a.prob[i] {
		return uint32(i)
	}
	return a.other[i]
}
