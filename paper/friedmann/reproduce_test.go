package friedmann

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/cosmoemu/cosmoemu/emulator"
)

// The embedded friedmann.bin is what the default recipe makes on its own
// grid with the default settings (`cosmoemu train -out friedmann.bin`),
// byte for byte: about 80 s on two cores, so the test runs only with
// COSMOEMU_TRAIN=friedmann or all, as emulator's TestReproduceDefaults.
func TestReproduceEmbedded(t *testing.T) {
	if w := os.Getenv("COSMOEMU_TRAIN"); w != "friedmann" && w != "all" {
		t.Skip("set COSMOEMU_TRAIN=friedmann|all to retrain the embedded friedmann.bin and compare the bytes")
	}
	ctx := context.Background()
	spec, err := Grid(emulator.RecipeDefault)
	if err != nil {
		t.Fatal(err)
	}
	set, err := Build(ctx, spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := Train(ctx, emulator.RecipeDefault, set, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want, err := emulator.DefaultBytes("friedmann")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("training with the default recipe and settings does not reproduce the embedded friedmann.bin (%d bytes, embedded %d)", len(got), len(want))
	}
}
