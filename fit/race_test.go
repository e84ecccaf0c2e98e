//go:build race

package fit

// raceEnabled skips the reproductions of published fits with the exact
// early universe, which take minutes under the race detector and exercise
// no concurrency that the shorter tests do not.
const raceEnabled = true
