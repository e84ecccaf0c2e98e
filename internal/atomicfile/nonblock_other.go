//go:build !unix

package atomicfile

// oNonblock is 0 where named pipes do not block an open.
const oNonblock = 0
