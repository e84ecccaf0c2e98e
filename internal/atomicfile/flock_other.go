//go:build !unix

package atomicfile

import (
	"errors"
	"os"
)

var errWouldBlock = errors.New("would block")

// lockFile is unsupported here: Lock then always reports the root as free
// and stale temporary files are recognised by age alone.
func lockFile(*os.File) error { return errors.ErrUnsupported }
