package clusters

// The kinds of random stream Learn draws from: the initial vectors of a
// run, a worker's share of an epoch, the seeding of a level's k-means.
const (
	streamInit = iota + 1
	streamWorker
	streamKMeans
)

// stream names the random stream of a kind, run (from 0) and index (the
// worker's epoch·workers+worker, the level's number of clusters): the
// second seed of rand.NewPCG beside Config.Seed. It hashes the three
// with SplitMix64's finaliser, so that streams of other kinds, runs or
// indexes get unrelated seeds (the indexes of one kind and run, distinct
// ones).
func stream(kind, run int, i uint64) uint64 {
	h := uint64(kind)
	for _, x := range []uint64{uint64(run), i} {
		h = mix64(h ^ mix64(x+0x9e3779b97f4a7c15))
	}
	return h
}

// mix64 is SplitMix64's finaliser, a bijection of uint64.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
