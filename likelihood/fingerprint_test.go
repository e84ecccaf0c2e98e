package likelihood

import "testing"

// TestFingerprintStable: the fingerprints of the built-in sets are those
// fit wrote into the runs of earlier versions (its dataHash), so that
// their chains still resume. planck18-distance changed when its R and l_A
// became Chen, Huang & Wang's (ShiftCHW): its χ² changed, and runs made
// before must not resume.
func TestFingerprintStable(t *testing.T) {
	want := map[string]string{
		"cc31":               "29e5e6a8fa367b2224944d09",
		"simulated20":        "e2a0b15bce89df609bd4e9e9",
		"desi-dr1":           "f1606fd710c3bfed4c6a529e",
		"desi-dr1-eboss-lya": "5e40da1e6285cb0f37f9ec92",
		"desi-dr2":           "ae6ea09f30ab53a4e3eb92c1",
		"sdss-dr12":          "5c39c20139f21748d8e83d55",
		"union3":             "ac5e9a234d03aed0b99ef4cd",
		"pantheonplus":       "f6beee8f6c203047ab884e15", // diagonal errors
		"desy5":              "124f2a04e769a547a9afb1b3", // diagonal errors
		"planck18-distance":  "66f8d83925222fee99f121bb",
		"theta-star":         "1d257a4762e6553ada835ac3",
		"cmb-compressed":     "a7f6bd07bb58e94455d13031",
		"bbn":                "f2d1f295ad280c190c7b2f30",
		"sh0es":              "127a3f7d14e44819c9632c19",
	}
	for name, fp := range want {
		l, _, err := Open(name, &Options{DiagOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := Fingerprint(l); got != fp {
			t.Errorf("%s: fingerprint %s, want %s", name, got, fp)
		}
	}
	// In the convention of the early universe, planck18-distance is the
	// likelihood of before.
	l, _, err := Open("planck18-distance", nil)
	if err != nil {
		t.Fatal(err)
	}
	early, err := NewCMB(l.(*CMB).Data(), ShiftEarly)
	if err != nil {
		t.Fatal(err)
	}
	if got := Fingerprint(early); got != "79c9ad402e1fea166d63b714" {
		t.Errorf("planck18-distance, ShiftEarly: fingerprint %s, want 79c9ad402e1fea166d63b714", got)
	}
}
