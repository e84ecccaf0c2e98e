package recomb

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gonum.org/v1/gonum/interp"
)

// primatTable is PRIMAT's BBN table (Pitrou, Coc, Uzan & Vangioni 2018,
// arXiv:1801.08023; updated in arXiv:2011.11320; 2024 rates, τ_n = 878.4 s),
// the table CAMB 2.x interpolates by default for the primordial helium
// abundance. It is copied byte for byte from CAMB's
// camb/PRIMAT_Yp_DH_ErrorMC_2024.dat; its header names the columns.
//
//go:embed PRIMAT_Yp_DH_ErrorMC_2024.dat
var primatTable []byte

// NEffStandard is the N_eff of the standard model with three neutrino
// species (QED corrections and incomplete decoupling, arXiv:2008.01074):
// the PRIMAT table's ΔN = 0, CAMB's default_nnu.
const NEffStandard = 3.044

// bbnGrid is the PRIMAT table as a tensor-product not-a-knot cubic spline
// in (ω_b, ΔN): rows[j] interpolates Y_p^BBN along ω_b at ΔN = deltaN[j],
// and card[j] is the cardinal spline along ΔN that is 1 at deltaN[j] and
// 0 at the other nodes, so that
//
//	Y_p^BBN(ω_b, ΔN) = Σ_j card[j](ΔN) · rows[j](ω_b).
//
// This is the interpolant of scipy's RectBivariateSpline with s = 0 and
// cubic degree (FITPACK's interpolating spline has knots at the data
// points except the second and the second-to-last: the not-a-knot
// condition), which CAMB's BBN_table_interpolator uses.
type bbnGrid struct {
	omegaB, deltaN []float64
	rows, card     []interp.NotAKnotCubic
}

var (
	bbnOnce sync.Once
	bbn     *bbnGrid
	bbnErr  error
)

// loadBBN parses the embedded table once.
func loadBBN() (*bbnGrid, error) {
	bbnOnce.Do(func() { bbn, bbnErr = parsePRIMAT(primatTable) })
	return bbn, bbnErr
}

// parsePRIMAT reads the table: '#' comment lines, the last of which names
// the columns, then rows on a full (ω_b, ΔN) grid.
func parsePRIMAT(data []byte) (*bbnGrid, error) {
	var header []string
	type row struct{ ob, dn, yp float64 }
	var rowsIn []row
	iOB, iDN, iYP := -1, -1, -1
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if line[0] == '#' {
			header = strings.Fields(line[1:])
			continue
		}
		if iOB < 0 {
			iOB, iDN, iYP = slices.Index(header, "ombh2"), slices.Index(header, "DeltaN"), slices.Index(header, "Yp^BBN")
			if iOB < 0 || iDN < 0 || iYP < 0 {
				return nil, fmt.Errorf("recomb: BBN table header %q lacks ombh2, DeltaN or Yp^BBN", header)
			}
		}
		f := strings.Fields(line)
		if len(f) != len(header) {
			return nil, fmt.Errorf("recomb: BBN table row %q has %d columns, header %d", line, len(f), len(header))
		}
		var v [3]float64
		for k, i := range [3]int{iOB, iDN, iYP} {
			x, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("recomb: BBN table: %w", err)
			}
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("recomb: BBN table row %q has a value that is not finite", line)
			}
			v[k] = x
		}
		rowsIn = append(rowsIn, row{v[0], v[1], v[2]})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	g := &bbnGrid{}
	for _, r := range rowsIn {
		g.omegaB = append(g.omegaB, r.ob)
		g.deltaN = append(g.deltaN, r.dn)
	}
	slices.Sort(g.omegaB)
	g.omegaB = slices.Compact(g.omegaB)
	slices.Sort(g.deltaN)
	g.deltaN = slices.Compact(g.deltaN)
	no, nd := len(g.omegaB), len(g.deltaN)
	if no < 4 || nd < 4 || len(rowsIn) != no*nd {
		return nil, fmt.Errorf("recomb: BBN table is not a full grid: %d rows for %d ω_b × %d ΔN", len(rowsIn), no, nd)
	}
	grid := make([]float64, no*nd) // grid[j*no+i] = Y_p^BBN(ω_b[i], ΔN[j])
	seen := make([]bool, no*nd)
	for _, r := range rowsIn {
		i, _ := slices.BinarySearch(g.omegaB, r.ob)
		j, _ := slices.BinarySearch(g.deltaN, r.dn)
		if seen[j*no+i] {
			return nil, fmt.Errorf("recomb: BBN table repeats ombh2 = %v, DeltaN = %v", r.ob, r.dn)
		}
		seen[j*no+i] = true
		grid[j*no+i] = r.yp
	}
	g.rows = make([]interp.NotAKnotCubic, nd)
	g.card = make([]interp.NotAKnotCubic, nd)
	unit := make([]float64, nd)
	for j := range nd {
		if err := g.rows[j].Fit(g.omegaB, grid[j*no:(j+1)*no]); err != nil {
			return nil, fmt.Errorf("recomb: BBN table: %w", err)
		}
		clear(unit)
		unit[j] = 1
		if err := g.card[j].Fit(g.deltaN, unit); err != nil {
			return nil, fmt.Errorf("recomb: BBN table: %w", err)
		}
	}
	return g, nil
}

// ypToYHe converts PRIMAT's Y_p^BBN = 4 n_He/n_b (the nucleon fraction) to
// the helium mass fraction Y_He = ρ_He/ρ_b with the atomic masses of
// constants.go, as CAMB's bbn.ypBBN_to_yhe.
func ypToYHe(yp float64) float64 {
	return yp * mHelium4 / (yp*mHelium4 - 4*yp*mHydrogen + 4*mHydrogen)
}

// BBNRange returns the range of the PRIMAT table: ω_b ∈ [obMin, obMax] and
// N_eff ∈ [nMin, nMax] (ΔN_eff = N_eff − NEffStandard ∈ [−3, 7]).
func BBNRange() (obMin, obMax, nMin, nMax float64) {
	g, err := loadBBN()
	if err != nil {
		panic(err) // the embedded table is tested
	}
	return g.omegaB[0], g.omegaB[len(g.omegaB)-1], NEffStandard + g.deltaN[0], NEffStandard + g.deltaN[len(g.deltaN)-1]
}

// HeliumBBN returns the primordial helium mass fraction Y_He predicted by
// BBN for the baryon density omegaBH2 = Ω_b h² and the effective number of
// neutrino species nEff, as CAMB does by default: the column Y_p^BBN of
// PRIMAT's 2024 table (Pitrou et al. 2018, arXiv:1801.08023; update
// arXiv:2011.11320), interpolated by a bicubic not-a-knot spline in
// (ω_b, ΔN_eff = nEff − 3.044) (CAMB's BBN_table_interpolator, scipy's
// RectBivariateSpline) and converted from the nucleon fraction
// 4 n_He/n_b to the mass fraction with the atomic masses of H and ⁴He.
//
// It returns a *ParamError for arguments that are not finite or lie
// outside the table (BBNRange). It does not allocate.
func HeliumBBN(omegaBH2, nEff float64) (float64, error) {
	g, err := loadBBN()
	if err != nil {
		return 0, err
	}
	obMin, obMax := g.omegaB[0], g.omegaB[len(g.omegaB)-1]
	dn := nEff - NEffStandard
	dMin, dMax := g.deltaN[0], g.deltaN[len(g.deltaN)-1]
	if !(omegaBH2 >= obMin && omegaBH2 <= obMax) {
		return 0, &ParamError{Param: "OmegaBH2", Value: omegaBH2, Allowed: fmt.Sprintf("[%g, %g] (the BBN table)", obMin, obMax)}
	}
	// Allow for the rounding of nEff − 3.044 at the table's ends.
	const slack = 1e-12
	if !(dn >= dMin-slack && dn <= dMax+slack) {
		return 0, &ParamError{Param: "NEff", Value: nEff, Allowed: fmt.Sprintf("[%.6g, %.6g] (the BBN table)", NEffStandard+dMin, NEffStandard+dMax)}
	}
	dn = math.Min(math.Max(dn, dMin), dMax)
	yp := 0.0
	for j := range g.rows {
		yp += g.card[j].Predict(dn) * g.rows[j].Predict(omegaBH2)
	}
	return ypToYHe(yp), nil
}
