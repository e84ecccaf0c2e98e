package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestBackgroundJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "background", "-model", "w0wacdm", "-p", "Om=0.3,H0=70,w0=-0.9,wa=-0.3,ombh2=0.0224", "-z", "0.1,0.5,2.33", "-json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for _, k := range []string{"z", "E", "H", "DC", "DM", "DA", "DL", "mu", "DH", "DV", "w"} {
		a, ok := r[k].([]any)
		if !ok || len(a) != 3 {
			t.Errorf("-json %s = %v, want an array of 3", k, r[k])
		}
	}
	for _, k := range []string{"rdrag", "zdrag", "zstar", "rs_star", "DM_star", "theta_star_100", "R", "lA", "YHe", "Omega_nu", "age_Gyr"} {
		if _, ok := r[k].(float64); !ok {
			t.Errorf("-json lacks the number %s", k)
		}
	}
	// Internal consistency: D_V³ = z D_M² D_H and D_L = (1+z)² D_A.
	z, dm, dh, dv := r["z"].([]any), r["DM"].([]any), r["DH"].([]any), r["DV"].([]any)
	for i := range z {
		zi, m, h, v := z[i].(float64), dm[i].(float64), dh[i].(float64), dv[i].(float64)
		if d := math.Abs(v*v*v/(zi*m*m*h) - 1); d > 1e-12 {
			t.Errorf("D_V inconsistent by %g", d)
		}
	}
	// Without ombh2 the early-universe scalars are absent, the age is not.
	code, stdout, _ = runCLI(t, "background", "-model", "lcdm", "-p", "Om=0.3,H0=70", "-z", "1", "-json")
	if code != 0 || strings.Contains(stdout, `"rdrag"`) || !strings.Contains(stdout, `"age_Gyr"`) {
		t.Errorf("without ombh2: exit %d, %s", code, stdout)
	}
	// The table names every column and the scalars.
	code, stdout, _ = runCLI(t, "background", "-model", "quintessence", "-p", "Om=0.31,H0=67,lambda=0.7,ombh2=0.02236", "-z", "0.5")
	if code != 0 || !strings.Contains(stdout, "D_M") || !strings.Contains(stdout, "l_A =") {
		t.Errorf("table: exit %d\n%s", code, stdout)
	}
}

func TestBackgroundErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-model", "lambdacdm", "-p", "Om=0.3,H0=70"}, `unknown model "lambdacdm"`},
		{[]string{"-model", "lcdm", "-p", "Om=0.3"}, "needs parameter H0"},
		// A second -p adds to the first; a name given twice is refused (it
		// silently replaced the first -p at e1c6a3b).
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=70", "-p", "Om=0.4", "-z", "1"}, "parameter Om given twice"},
		{[]string{"-model", "lcdm", "-p", "Om=0.3", "-p", "H0=70", "-z", "-1"}, "redshift -1 must be > 0"},
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=70,w=-1"}, `does not take parameter "w"`},
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=70,Omega=1"}, `does not take parameter "Omega"`},
		{[]string{"-model", "lcdm", "-p", "Om=-0.3,H0=70"}, "Om = -0.3"},
		{[]string{"-model", "lcdm", "-p", "Om=NaN,H0=70"}, "finite number"},
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=Inf"}, "finite number"},
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=0"}, "H0 = 0"},
		{[]string{"-model", "w0wacdm", "-p", "Om=0.3,H0=70,w0=-0.5,wa=0.6"}, "w0 + wa < 0"},
		{[]string{"-model", "wcdm", "-p", "Om=0.3,H0=70,w=0.2"}, "w < 0"},
		{[]string{"-model", "olcdm", "-p", "Om=0.02,Ok=-0.6,H0=70", "-z", "3"}, "E²(z)"},
		{[]string{"-model", "quintessence", "-p", "Om=0.1,H0=70,lambda=3"}, "unphysical scalar field"},
		{[]string{"-model", "quintessence", "-p", "Om=0.3,H0=70,lambda=1", "-backend", "analytic"}, "no closed form"},
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=70", "-z", "0,1"}, "must be > 0"},
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=70", "-z", "x"}, "not a finite number"},
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=70", "-zhel", "1,2", "-z", "1"}, "2 values for 1 redshifts"},
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=70", "-backend", "magic"}, `unknown backend "magic"`},
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=70", "-rtol", "-1"}, "-rtol"},
		{[]string{"-model", "quintessence", "-p", "Om=0.3,H0=95,lambda=0.5", "-backend", "emulator", "-no-fallback"}, "H0 = 95 is outside the training domain [50, 90]"},
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=70,mnu=-0.1"}, "mnu = -0.1"},
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=70,nnu=0"}, "nnu = 0"},
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=70,ombh2=0.05"}, "ombh2 = 0.05: outside the early universe's range [0.005, 0.04]"},
		{[]string{"-model", "lcdm", "-p", "Om=0.3,H0=70,ombh2=0.0224", "-early", "warm"}, "-early"},
	} {
		code, _, stderr := runCLI(t, append([]string{"background"}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("background %s: exit %d, stderr %q; want exit 2 and one line with %q", strings.Join(tc.args, " "), code, stderr, tc.want)
		}
	}
}

// Outside the emulator's domain the solver answers, and background says so
// on stderr; inside it, nothing is said.
func TestBackgroundEmulatorFallback(t *testing.T) {
	for _, tc := range []struct {
		h0   string
		note bool
	}{{"95", true}, {"70", false}} {
		code, stdout, stderr := runCLI(t, "background", "-model", "quintessence", "-p", "Om=0.3,lambda=0.5,H0="+tc.h0+",ombh2=0.0224", "-backend", "emulator", "-z", "0.5", "-json")
		if code != 0 || !strings.Contains(stdout, `"backend": "emulator"`) {
			t.Fatalf("H0 = %s: exit %d, %s", tc.h0, code, stderr)
		}
		if got := strings.Contains(stderr, "outside the emulator's domain") && strings.Contains(stderr, "the solver answered"); got != tc.note {
			t.Errorf("H0 = %s: stderr %q, note expected %v", tc.h0, stderr, tc.note)
		}
	}
}

// The table names the early universe's route and prints what it computes,
// with each route.
func TestBackgroundEarlyRoutes(t *testing.T) {
	for _, early := range []string{"exact", "emulator", "fitting"} {
		code, stdout, stderr := runCLI(t, "background", "-model", "w0wacdm", "-p", "Om=0.31,w0=-0.8,wa=-0.6,H0=67.5,ombh2=0.0224", "-early", early)
		if code != 0 {
			t.Fatalf("-early %s: exit %d, %s", early, code, stderr)
		}
		for _, want := range []string{"early universe (" + early + "): z* = 10", "r_d = 14", "l_A = 30"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("-early %s: no %q in\n%s", early, want, stdout)
			}
		}
		if strings.Contains(stdout, "z_drag") != (early != "fitting") {
			t.Errorf("-early %s: z_drag printed or missing:\n%s", early, stdout)
		}
	}
}
