package recomb_test

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/recomb"
)

// The CMB and drag epochs of a flat ΛCDM model with massless neutrinos;
// Y_He from BBN. The caller supplies H(z) and D_M(z*).
func Example() {
	const (
		h0, ob, oc = 67.36, 0.02237, 0.12
		neff       = 3.046
		c          = 299792.458 // km/s
	)
	h2 := h0 * h0 / 1e4
	og := 2.4728e-5 / h2 // Ω_γ for T_CMB = 2.7255 K
	or := og * (1 + neff*7.0/8*math.Pow(4.0/11, 4.0/3))
	om := (ob + oc) / h2
	hubble := func(z float64) float64 {
		a := 1 + z
		return h0 * math.Sqrt(or*a*a*a*a+om*a*a*a+1-om-or)
	}
	cosmo := recomb.Cosmology{OmegaBH2: ob, NEff: neff, Hubble: hubble}
	var h recomb.History
	if err := recomb.Solve(&h, &cosmo, nil); err != nil {
		fmt.Println(err)
		return
	}
	e := h.Epochs()
	// D_M(z*) of a flat universe: ∫ c dz/H by the midpoint rule in ln(1+z).
	dm, n := 0.0, 20000
	l := math.Log1p(e.ZStar)
	for i := range n {
		z := math.Expm1((float64(i) + 0.5) * l / float64(n))
		dm += (1 + z) * c / hubble(z) * l / float64(n)
	}
	theta, err := e.ThetaStar(dm)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("Y_He = %.4f\n", h.YHe())
	fmt.Printf("z* = %.2f, r* = %.2f Mpc, 100θ* = %.5f\n", e.ZStar, e.RStar, 100*theta)
	fmt.Printf("z_drag = %.2f, r_drag = %.2f Mpc\n", e.ZDrag, e.RDrag)
	fmt.Printf("x_e: %.4f at z = 3000, %.4f at z = 1500, %.3f at z*, %.1e today\n", h.Xe(3000), h.Xe(1500), h.Xe(e.ZStar), h.Xe(0))
	// Output:
	// Y_He = 0.2457
	// z* = 1089.90, r* = 144.44 Mpc, 100θ* = 1.03960
	// z_drag = 1059.93, r_drag = 147.10 Mpc
	// x_e: 1.0819 at z = 3000, 0.9550 at z = 1500, 0.132 at z*, 1.7e-04 today
}
