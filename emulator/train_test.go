package emulator

import (
	"bytes"
	"context"
	"encoding"
	"errors"
	"os"
	"strings"
	"testing"
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
	if _, err := Train(ctx, "lcdm", nil); err == nil || !strings.Contains(err.Error(), "closed form") {
		t.Errorf("a closed-form model trained: %v", err)
	}
	if _, err := TrainEarly(ctx, &TrainSettings{Points: 10}); err == nil || !strings.Contains(err.Error(), "Points") {
		t.Errorf("early universe, 10 points: %v", err)
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
		_, err := Train(ctx, "quintessence", &c.s)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: error %v, want one line naming %s", c.s, err, c.want)
		}
	}
}

// The same settings and seed give the same bytes whatever the number of
// workers; another seed gives others: the scalar field's emulator and the
// early universe's.
func TestReproducible(t *testing.T) {
	ctx := context.Background()
	train := map[string]func(*TrainSettings) (encoding.BinaryMarshaler, error){
		"quintessence": func(s *TrainSettings) (encoding.BinaryMarshaler, error) { return Train(ctx, "quintessence", s) },
		"early":        func(s *TrainSettings) (encoding.BinaryMarshaler, error) { return TrainEarly(ctx, s) },
	}
	for name, tr := range train {
		var files [][]byte
		for _, s := range []*TrainSettings{small(1), small(2), func() *TrainSettings { s := small(2); s.Seed = 9; return s }()} {
			e, err := tr(s)
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
			t.Errorf("%s: 1 and 2 workers give different files", name)
		}
		if bytes.Equal(files[1], files[2]) {
			t.Errorf("%s: seeds 1 and 9 give the same file", name)
		}
	}
}

// A cancelled training returns the context's error (and writes nothing:
// Train returns no emulator to write).
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e, err := Train(ctx, "quintessence", small(0))
	if !errors.Is(err, context.Canceled) || e != nil {
		t.Errorf("Train with a cancelled context: %v, %v", e, err)
	}
}

// The embedded emulators are what TrainEarly(ctx, nil),
// Train(ctx, "quintessence", nil) and TrainGrowth(ctx, "quintessence", nil)
// make, byte for byte. The early universe takes about 3 minutes on two
// cores, the scalar field 8 minutes of CPU and its growth about 16, so the
// test runs only with COSMOEMU_TRAIN set (early, quintessence,
// growth_quintessence, growth_w0wacdm or all).
func TestReproduceDefaults(t *testing.T) {
	which := os.Getenv("COSMOEMU_TRAIN")
	if which == "" {
		t.Skip("set COSMOEMU_TRAIN=early|quintessence|growth_quintessence|growth_w0wacdm|all to retrain the embedded emulators and compare the bytes")
	}
	ctx := context.Background()
	for name, tr := range map[string]func() (encoding.BinaryMarshaler, error){
		"early":        func() (encoding.BinaryMarshaler, error) { return TrainEarly(ctx, nil) },
		"quintessence": func() (encoding.BinaryMarshaler, error) { return Train(ctx, "quintessence", nil) },
		"growth_quintessence": func() (encoding.BinaryMarshaler, error) {
			return TrainGrowth(ctx, "quintessence", nil)
		},
		"growth_w0wacdm": func() (encoding.BinaryMarshaler, error) {
			return TrainGrowth(ctx, "w0wacdm", nil)
		},
	} {
		if which != "all" && which != name {
			continue
		}
		e, err := tr()
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		want, err := DefaultBytes(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: training with the default settings does not reproduce the embedded file", name)
		}
	}
}
