package atomicfile_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

// A command checks its outputs before the work and writes them after it,
// holding the lock of its output root throughout.
func Example() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	root := filepath.Join(dir, "run")
	out, plot := root+".txt", root+".png"

	if err := atomicfile.Distinct(out, plot, filepath.Join(dir, "x", "..", "run.txt")); err != nil {
		fmt.Println(err != nil)
	}
	for _, p := range []string{out, plot} {
		if err := atomicfile.CheckWritable(p); err != nil {
			fmt.Println(err)
			return
		}
	}
	unlock, err := atomicfile.Lock(root)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer unlock()
	// … the long computation …
	err = atomicfile.Write(out, func(w io.Writer) error {
		_, err := fmt.Fprintln(w, "result")
		return err
	})
	b, _ := os.ReadFile(out)
	fmt.Print(string(b), err)
	// Output:
	// true
	// result
	// <nil>
}
