//go:build race

package likelihood

// raceEnabled: the race detector makes sync.Pool drop items at random, so
// allocation counts through the pool are meaningless.
const raceEnabled = true
