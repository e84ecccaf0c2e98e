package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestBackgroundNeverNonFinite: for every model, backend and redshift from
// the smallest positive float64 to the largest, and for extreme but valid
// parameters, background either answers with finite numbers only (exit 0,
// valid JSON without null) or refuses with exit 2 and one line — never a
// NaN or an infinity with exit 0, never exit 1.
func TestBackgroundNeverNonFinite(t *testing.T) {
	zs := []string{"5e-324", "1e-300", "1e-10", "1", "1100", "1e8", "1e10", "1e77", "1e154", "1e200", "1.7e308"}
	points := map[string][]string{
		"lcdm":         {"Om=0.3,H0=70", "Om=1e-300,H0=70,mnu=0", "Om=0.3,H0=70,ombh2=0.0224"},
		"olcdm":        {"Om=0.3,Ok=-0.1,H0=70", "Om=0.3,Ok=0.1,H0=70"},
		"wcdm":         {"Om=0.3,w=-0.9,H0=70"},
		"w0wacdm":      {"Om=0.3,w0=-0.9,wa=0.2,H0=70"},
		"quintessence": {"Om=0.3,lambda=0.5,H0=70"},
	}
	for model, ps := range points {
		for _, p := range ps {
			for _, be := range []string{"analytic", "solver", "emulator"} {
				for _, z := range zs {
					args := []string{"background", "-model", model, "-backend", be, "-p", p, "-z", z, "-json"}
					code, stdout, stderr := runCLI(t, args...)
					cmd := "cosmoemu " + strings.Join(args, " ")
					switch code {
					case 0:
						if strings.Contains(stdout, "null") || strings.Contains(stdout, "NaN") || strings.Contains(stdout, "Inf") {
							t.Errorf("%s: a non-finite value: %s", cmd, stdout)
						}
						var v map[string]any
						if err := json.Unmarshal([]byte(stdout), &v); err != nil {
							t.Errorf("%s: %v", cmd, err)
						}
						checkFiniteJSON(t, cmd, v)
					case 2:
						if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
							t.Errorf("%s: not one line: %q", cmd, stderr)
						}
					default:
						t.Errorf("%s: exit %d, %q", cmd, code, stderr)
					}
				}
			}
		}
	}
}

func checkFiniteJSON(t *testing.T, cmd string, v any) {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			t.Errorf("%s: %v", cmd, x)
		}
	case []any:
		for _, e := range x {
			checkFiniteJSON(t, cmd, e)
		}
	case map[string]any:
		for _, e := range x {
			checkFiniteJSON(t, cmd, e)
		}
	}
}
