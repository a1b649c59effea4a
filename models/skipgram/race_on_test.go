//go:build race

package skipgram

// raceEnabled: Hogwild training races by design, so multi-threaded runs
// are skipped under the race detector.
const raceEnabled = true
