package main

import (
	"errors"
	"io/fs"

	"github.com/cosmoemu/cosmoemu/data"
	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

// badInput reports an error reading the file a user named with -flag (it
// is missing, not a regular file, too large or malformed) as a usage error
// of cmd: exit status 2.
func badInput(cmd, flag string, err error) error {
	if err == nil {
		return nil
	}
	return usagef("%s: -%s: %v", cmd, flag, err)
}

// isFileError reports whether err is about a file a user named rather
// than a failure of the run: missing, not readable, not a regular file,
// too large, or malformed (a parse error of package data).
func isFileError(err error) bool {
	var pe *data.ParseError
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) ||
		errors.Is(err, atomicfile.ErrNotRegular) || errors.Is(err, atomicfile.ErrTooLarge) || errors.As(err, &pe)
}
