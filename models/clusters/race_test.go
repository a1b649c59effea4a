//go:build race

package clusters

// raceEnabled: the race detector reports Hogwild's lock-free writes, so
// tests with more than one training thread are skipped under it.
const raceEnabled = true
