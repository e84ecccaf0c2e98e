//go:build unix

package atomicfile

import "syscall"

// oNonblock makes opening a FIFO return at once (see OpenRegular).
const oNonblock = syscall.O_NONBLOCK

// oNofollow makes opening a symbolic link fail (see CreateRegular).
const oNofollow = syscall.O_NOFOLLOW
