package plots

import (
	"image"
	"image/png"
	"os"
	"testing"
)

// readPNG decodes the PNG at path, failing the test if it is not one.
func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	return img
}
