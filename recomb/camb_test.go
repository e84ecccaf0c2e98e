package recomb

import (
	"math"
	"testing"
)

func TestBackgroundMatchesCAMB(t *testing.T) {
	pts := loadCAMBPoints(t)
	worstH, worstD, worstNu := 0.0, 0.0, 0.0
	for i := range pts {
		p := &pts[i]
		b := newBackground(p)
		for _, r := range p.AtZ {
			dh := math.Abs(b.Hubble(r.Z)/r.H - 1)
			dd := math.Abs(b.dM(r.Z)/r.DM - 1)
			worstH, worstD = math.Max(worstH, dh), math.Max(worstD, dd)
			if p.Omnuh2 > 0 {
				worstNu = math.Max(worstNu, math.Abs(b.rhoNu(1/(1+r.Z))/r.RhoNu-1))
			}
		}
		t.Logf("%-20s Ω_DE %.3e Ω_γ %.3e", p.Name, b.omDE/p.OmegaDE-1, b.omG/p.OmegaGamma-1)
	}
	t.Logf("max |ΔH/H| %.2e, |ΔD_M/D_M| %.2e, |Δρ_ν/ρ_ν| %.2e", worstH, worstD, worstNu)
}

func TestCAMBPointsExplore(t *testing.T) {
	pts := loadCAMBPoints(t)
	for i := range pts {
		p := &pts[i]
		b := newBackground(p)
		c := Cosmology{OmegaBH2: p.Inputs.Ombh2, TCMB: p.TCMB, NEff: p.Inputs.Nnu, Hubble: b.Hubble}
		var h History
		if err := Solve(&h, &c, nil); err != nil {
			t.Fatal(err)
		}
		e := h.Epochs()
		th := 100 * e.ThetaStar(b.dM(e.ZStar))
		d := p.Derived
		t.Logf("%-20s YHe %.1e z* %+.2e zd %+.2e r* %+.2e rd %+.2e θ %+.2e  steps %d rej %d ev %d", p.Name,
			h.YHe()-p.YHe, e.ZStar/d.ZStar-1, e.ZDrag/d.ZDrag-1, e.RStar/d.RStar-1, e.RDrag/d.RDrag-1, th/d.ThetaStar-1,
			h.Stats().Steps, h.Stats().Rejected, h.Stats().Evaluations)
	}
}
