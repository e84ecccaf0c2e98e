package emulator

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// small are settings for quick trainings in tests.
func small(workers int) *TrainSettings {
	return &TrainSettings{Points: 400, LatePoints: 300, Width: 8, LateWidth: 8, Epochs: 3, Iterations: 15, Validate: -1, Workers: workers}
}

// Every setting out of range is one clear error naming it.
func TestSettingsErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Train(ctx, "cdm", nil); err == nil || !strings.Contains(err.Error(), "unknown model") {
		t.Errorf("unknown model: %v", err)
	}
	for _, c := range []struct {
		s    TrainSettings
		want string
	}{
		{TrainSettings{Points: 10}, "Points"},
		{TrainSettings{LatePoints: -1}, "LatePoints"},
		{TrainSettings{Width: 1000}, "Width"},
		{TrainSettings{LateWidth: 2}, "LateWidth"},
		{TrainSettings{Epochs: -3}, "Epochs"},
		{TrainSettings{Iterations: -1}, "Iterations"},
		{TrainSettings{Workers: -2}, "Workers"},
		{TrainSettings{Validate: 1 << 30}, "Validate"},
	} {
		_, err := Train(ctx, "lcdm", &c.s)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: error %v, want one line naming %s", c.s, err, c.want)
		}
	}
}

// The same settings and seed give the same bytes whatever the number of
// workers; another seed gives others.
func TestReproducible(t *testing.T) {
	models := []string{"wcdm", "quintessence"}
	if testing.Short() {
		models = models[:1]
	}
	ctx := context.Background()
	for _, m := range models {
		var files [][]byte
		for _, s := range []*TrainSettings{small(1), small(2), func() *TrainSettings { s := small(2); s.Seed = 9; return s }()} {
			e, err := Train(ctx, m, s)
			if err != nil {
				t.Fatal(err)
			}
			b, err := e.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, b)
		}
		if !bytes.Equal(files[0], files[1]) {
			t.Errorf("%s: 1 and 2 workers give different files", m)
		}
		if bytes.Equal(files[1], files[2]) {
			t.Errorf("%s: seeds 1 and 9 give the same file", m)
		}
	}
}

// A cancelled training returns the context's error (and writes nothing:
// Train returns no emulator to write).
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e, err := Train(ctx, "lcdm", small(0))
	if !errors.Is(err, context.Canceled) || e != nil {
		t.Errorf("Train with a cancelled context: %v, %v", e, err)
	}
}

// The embedded emulators are what `train.Train(ctx, model, nil)` makes,
// byte for byte. Training all five takes about ten minutes on two cores, so
// the test runs only with COSMOEMU_TRAIN set (to a model name, or "all").
func TestReproduceDefaults(t *testing.T) {
	which := os.Getenv("COSMOEMU_TRAIN")
	if which == "" {
		t.Skip("set COSMOEMU_TRAIN=<model>|all to retrain the embedded emulators and compare the bytes")
	}
	for _, m := range cosmo.Models() {
		if which != "all" && which != m.Name() {
			continue
		}
		e, err := Train(context.Background(), m.Name(), nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		want, err := DefaultBytes(m.Name())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: training with the default settings does not reproduce the embedded file", m.Name())
		}
	}
}
