//go:build !unix

package atomicfile

// oNonblock is 0 where named pipes do not block an open.
const oNonblock = 0

// oNofollow is 0 where open has no O_NOFOLLOW; CreateRegular's check of
// the open descriptor remains.
const oNofollow = 0
