//go:build race

package nested

// raceEnabled cuts the many-seed statistical tests under the race
// detector, which checks concurrency and runs about ten times slower.
const raceEnabled = true
