//go:build !race

package clusters

const raceEnabled = false
