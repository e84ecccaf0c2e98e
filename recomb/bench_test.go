package recomb

import "testing"

func BenchmarkSolve(b *testing.B) {
	pts := loadCAMBPoints(b)
	p := &pts[0]
	bg := newBackground(p)
	c := Cosmology{OmegaBH2: p.Inputs.Ombh2, TCMB: p.TCMB, NEff: p.Inputs.Nnu, Hubble: bg.Hubble}
	for _, rtol := range []float64{1e-4, 1e-5, 1e-6} {
		b.Run(fmtRTol(rtol), func(b *testing.B) {
			var h History
			s := &Settings{RTol: rtol}
			if err := Solve(&h, &c, s); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := Solve(&h, &c, s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkHubble(b *testing.B) {
	pts := loadCAMBPoints(b)
	bg := newBackground(&pts[0])
	s := 0.0
	z := 1000.0
	for b.Loop() {
		s += bg.Hubble(z)
		z += 1e-3
	}
	_ = s
}

func fmtRTol(r float64) string {
	switch r {
	case 1e-4:
		return "rtol=1e-4"
	case 1e-5:
		return "rtol=1e-5"
	}
	return "rtol=1e-6"
}
