//go:build race

package likelihood

// raceEnabled skips the end-to-end tests with 1701×1701 and 1829×1829
// covariances, which take seconds under the race detector.
const raceEnabled = true
