package likelihood

import "testing"

// TestFingerprintStable: the fingerprints of the built-in sets are those
// fit wrote into the runs of earlier versions (its dataHash), so that
// their chains still resume.
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
		"planck18-distance":  "79c9ad402e1fea166d63b714",
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
}
