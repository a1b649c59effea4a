package clusters

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// lloydIterations caps the Lloyd iterations at each level; k-means stops
// earlier when no word changes cluster.
const lloydIterations = 20

// cluster normalises the n rows of vecs to unit length in place and
// clusters them at each level of cfg.Levels; ids[i][l] is row i's
// cluster at level l.
func cluster(ctx context.Context, vecs []float32, n int, cfg Config, progress func(Progress)) ([][]uint16, error) {
	dim := cfg.Dim
	for i := range n {
		normalize(vecs[i*dim : i*dim+dim])
	}
	nl := len(cfg.Levels)
	flat := make([]uint16, n*nl)
	ids := make([][]uint16, n)
	for i := range ids {
		ids[i] = flat[i*nl : i*nl+nl : i*nl+nl]
	}
	var sumK, doneK int
	for _, k := range cfg.Levels {
		sumK += k
	}
	start := time.Now()
	for l, k := range cfg.Levels {
		km := &kmeans{vecs: vecs, n: n, dim: dim, k: k, threads: cfg.Threads}
		// Each level has its own random stream, so a level's clusters do
		// not depend on the other levels.
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(k)))
		err := km.run(ctx, rng, func(it, changed int) {
			progress(Progress{Phase: "cluster", Kept: n, Level: k, Iteration: it, Changed: changed,
				Done: (float64(doneK) + float64(k*it)/lloydIterations) / float64(sumK), Elapsed: time.Since(start)})
		})
		if err != nil {
			return nil, err
		}
		for i, a := range km.assign {
			ids[i][l] = uint16(a)
		}
		doneK += k
	}
	progress(Progress{Phase: "cluster", Kept: n, Done: 1, Elapsed: time.Since(start), Final: true})
	return ids, nil
}

// kmeans is spherical k-means (cosine similarity, unit-length centroids)
// of n unit rows of vecs into k clusters.
type kmeans struct {
	vecs      []float32 // n×dim, unit rows
	n, dim, k int
	threads   int
	cent      []float32 // k×dim, unit rows
	assign    []int32   // per row: its centroid
	sim       []float32 // per row: cosine with its centroid
}

func (km *kmeans) row(i int) []float32 { return km.vecs[i*km.dim : i*km.dim+km.dim] }

func (km *kmeans) centroid(c int) []float32 { return km.cent[c*km.dim : c*km.dim+km.dim] }

// parallel runs f over km.threads contiguous ranges of 0..n and waits.
func (km *kmeans) parallel(f func(lo, hi int)) {
	t := min(km.threads, km.n)
	if t <= 1 {
		f(0, km.n)
		return
	}
	var wg sync.WaitGroup
	for w := range t {
		wg.Go(func() { f(km.n*w/t, km.n*(w+1)/t) })
	}
	wg.Wait()
}

// run seeds the centroids (k-means++), then runs Lloyd iterations until
// no row changes cluster or lloydIterations; report is called after each.
// The result depends on the rows and rng only, not on km.threads: the
// parallel steps compute each row on its own, and sums are serial.
func (km *kmeans) run(ctx context.Context, rng *rand.Rand, report func(it, changed int)) error {
	km.cent = make([]float32, km.k*km.dim)
	km.assign = make([]int32, km.n)
	km.sim = make([]float32, km.n)
	if err := km.seed(ctx, rng); err != nil {
		return err
	}
	km.assignRows(true)
	for it := 1; it <= lloydIterations; it++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		km.update()
		changed := km.assignRows(false)
		report(it, changed)
		if changed == 0 {
			break
		}
	}
	return nil
}

// seed chooses the first centroid uniformly among the rows and each next
// one with probability proportional to 1 − (the row's largest cosine with
// the centroids so far): k-means++'s squared distance, since
// |x−c|² = 2(1−cos) for unit vectors.
func (km *kmeans) seed(ctx context.Context, rng *rand.Rand) error {
	best := make([]float32, km.n) // largest cosine with a chosen centroid
	chosen := make([]bool, km.n)
	pick := rng.IntN(km.n)
	for c := range km.k {
		if c%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if c > 0 {
			var total float64
			for _, s := range best {
				total += max(0, 1-float64(s))
			}
			pick = -1
			if total > 0 {
				r := rng.Float64() * total
				for i, s := range best {
					if w := max(0, 1-float64(s)); w > 0 {
						pick = i
						if r -= w; r < 0 {
							break
						}
					}
				}
			}
			if pick < 0 || chosen[pick] { // every row lies on a centroid
				pick = rng.IntN(km.n)
			}
		}
		chosen[pick] = true
		cv := km.centroid(c)
		copy(cv, km.row(pick))
		km.parallel(func(lo, hi int) {
			for i := lo; i < hi; i++ {
				if s := dot(km.row(i), cv); c == 0 || s > best[i] {
					best[i] = s
				}
			}
		})
	}
	return nil
}

// assignRows moves each row to its most similar centroid (the first of
// equals) and returns how many rows changed (all, when first).
func (km *kmeans) assignRows(first bool) int {
	var mu sync.Mutex
	changed := 0
	km.parallel(func(lo, hi int) {
		scores := make([]float32, km.k)
		n := 0
		for i := lo; i < hi; i++ {
			gemv(km.cent, km.row(i), scores)
			a := 0
			for c, s := range scores {
				if s > scores[a] {
					a = c
				}
			}
			if first || km.assign[i] != int32(a) {
				n++
			}
			km.assign[i] = int32(a)
			km.sim[i] = scores[a]
		}
		mu.Lock()
		changed += n
		mu.Unlock()
	})
	return changed
}

// update sets each centroid to the normalised sum of its rows. An empty
// cluster takes, as its centroid, the row least similar to its own
// centroid among those not yet taken, so no cluster stays empty while
// some rows fit theirs badly.
func (km *kmeans) update() {
	dim := km.dim
	sums := make([]float64, km.k*dim)
	sizes := make([]int, km.k)
	for i, a := range km.assign {
		sizes[a]++
		s := sums[int(a)*dim : int(a)*dim+dim]
		for j, x := range km.row(i) {
			s[j] += float64(x)
		}
	}
	var worst []int // rows by ascending similarity, made when needed
	for c := range km.k {
		cv := km.centroid(c)
		if sizes[c] == 0 {
			if worst == nil {
				worst = make([]int, km.n)
				for i := range worst {
					worst[i] = i
				}
				slices.SortStableFunc(worst, func(a, b int) int { return cmp.Compare(km.sim[a], km.sim[b]) })
			}
			copy(cv, km.row(worst[0]))
			worst = worst[1:] // taken
			continue
		}
		s := sums[c*dim : c*dim+dim]
		for j := range cv {
			cv[j] = float32(s[j])
		}
		normalize(cv)
	}
}
