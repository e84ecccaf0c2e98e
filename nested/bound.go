package nested

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// bound is the region proposals are drawn from: the union of ellipsoids
// intersected with the unit cube, or the cube itself when the ellipsoids
// are larger than it (early in a run).
type bound struct {
	ells []ellipsoid
	cube bool
	cum  []float64 // cumulative volume fractions of ells
}

// maxBoundTries bounds the draws from the ellipsoids for one proposal; past
// it (ellipsoids almost entirely outside the cube) the proposal is drawn
// from the cube. A mixture of uniform draws from supersets of the
// constrained region is still uniform on it, so this costs efficiency only.
const maxBoundTries = 10000

// unit returns a uniform deviate in the open interval (0, 1): a prior
// transform may map 0 to −Inf.
func unit(rng *rand.Rand) float64 {
	for {
		if v := rng.Float64(); v > 0 {
			return v
		}
	}
}

func inCube(x []float64) bool {
	for _, v := range x {
		if !(v > 0 && v < 1) {
			return false
		}
	}
	return true
}

// setCum computes the cumulative volume fractions and whether to use the
// cube instead: when the ellipsoids' total volume is at least the cube's.
func (b *bound) setCum() {
	b.cum = b.cum[:0]
	for i := range b.ells {
		b.ells[i].setBox()
	}
	if len(b.ells) == 0 {
		b.cube = true
		return
	}
	total := math.Inf(-1)
	for i := range b.ells {
		total = logAddExp(total, b.ells[i].logV)
	}
	acc := 0.0
	for i := range b.ells {
		acc += math.Exp(b.ells[i].logV - total)
		b.cum = append(b.cum, acc)
	}
	b.cum[len(b.cum)-1] = 1
	b.cube = total >= 0
}

// logVolume returns the ln of the bound's volume: of the cube (0), or the
// sum of the ellipsoids' (at least that of their union and of its part
// inside the cube).
func (b *bound) logVolume() float64 {
	if b.cube {
		return 0
	}
	v := math.Inf(-1)
	for i := range b.ells {
		v = logAddExp(v, b.ells[i].logV)
	}
	return v
}

// sample sets x to a uniform draw from the bound; z and y are scratch of
// length d. With several ellipsoids, one is chosen with probability ∝ its
// volume, a point drawn in it and kept with probability 1/q, q the number
// of ellipsoids containing it: that makes the draw uniform on the union.
func (b *bound) sample(x, z, y []float64, rng *rand.Rand) {
	if !b.cube {
		for range maxBoundTries {
			e := b.pick(rng)
			e.sample(x, z, rng)
			if !inCube(x) {
				continue
			}
			if len(b.ells) > 1 {
				q := 1
				for j := range b.ells {
					if &b.ells[j] != e && b.ells[j].contains(x, y) {
						q++
					}
				}
				if q > 1 && rng.Float64()*float64(q) >= 1 {
					continue
				}
			}
			return
		}
	}
	for i := range x {
		x[i] = unit(rng)
	}
}

// pick returns an ellipsoid drawn with probability ∝ its volume.
func (b *bound) pick(rng *rand.Rand) *ellipsoid {
	k := 0
	if len(b.ells) > 1 {
		v := rng.Float64()
		for k < len(b.cum)-1 && b.cum[k] <= v {
			k++
		}
	}
	return &b.ells[k]
}

// builder decomposes the live points into bounding ellipsoids.
type builder struct {
	f    *fitter
	d    int
	live []float64 // the live points (n×d), set by build
	pts  []float64 // gathered points of one cluster
	w    []float64 // whitened points for k-means
	lab  []int8
	idx  []int
	tmp  []int
	cen  [2][]float64
	logN float64 // ln of the number of live points
}

func newBuilder(n, d int, enlarge float64) *builder {
	return &builder{
		f: newFitter(d, enlarge), d: d,
		pts: make([]float64, n*d), w: make([]float64, n*d),
		lab: make([]int8, n), idx: make([]int, n), tmp: make([]int, n),
		cen:  [2][]float64{make([]float64, d), make([]float64, d)},
		logN: math.Log(float64(n)),
	}
}

// build sets dst to the ellipsoids bounding the n live points (n×d),
// the expected ln prior volume of their region being logX.
func (b *builder) build(dst *bound, live []float64, n int, logX float64) {
	b.live = live
	idx := b.idx[:n]
	for i := range idx {
		idx[i] = i
	}
	var root ellipsoid
	b.fitIdx(&root, idx, logX)
	dst.ells = b.split(idx, root, logX, secondChances)
	dst.setCum()
}

// fitIdx fits e to the live points idx, with a volume of at least the
// expected volume of their share of the region, X·m/n (as MultiNest): an
// ellipsoid fitted to few points is otherwise too easily too small.
func (b *builder) fitIdx(e *ellipsoid, idx []int, logX float64) {
	d := b.d
	pts := b.pts[:len(idx)*d]
	for k, i := range idx {
		copy(pts[k*d:(k+1)*d], b.live[i*d:(i+1)*d])
	}
	b.f.fit(e, pts, len(idx), logX+math.Log(float64(len(idx)))-b.logN)
}

// split recursively divides the points idx bounded by e into two clusters
// (2-means) and returns the ellipsoids of the accepted decomposition. A
// split into k ellipsoids is accepted when their total volume is below
// exp(−(k−1)·p·ln m/m) times e's, p = d(d+3)/2 the parameters of an
// ellipsoid: the volume decrease a Bayesian information criterion asks for
// (as dynesty does). When the first split alone does not
// pay but e is more than twice the expected volume of its points' region
// (as MultiNest's criterion), the children's own decompositions are tried
// as a whole: a curved region (an arc, a shell) may need several pieces to
// gain. Such tries go at most secondChances levels down without a gain,
// since each level costs a k-means and two fits of all the points.
func (b *builder) split(idx []int, e ellipsoid, logX float64, chances int) []ellipsoid {
	d, m := b.d, len(idx)
	if m < 2*(d+1) {
		return []ellipsoid{e}
	}
	n0 := b.kmeans(idx, &e)
	pen := float64(d*(d+3)/2) * math.Log(float64(m)) / float64(m)
	if n0 < d+1 || m-n0 < d+1 {
		return b.splitOff(idx, n0, e, logX, pen)
	}
	var e0, e1 ellipsoid
	b.fitIdx(&e0, idx[:n0], logX)
	b.fitIdx(&e1, idx[n0:], logX)
	if logAddExp(e0.logV, e1.logV) < e.logV-pen {
		return append(b.split(idx[:n0], e0, logX, secondChances), b.split(idx[n0:], e1, logX, secondChances)...)
	}
	expected := logX + math.Log(float64(m)) - b.logN + math.Log(b.f.enlarge)
	if chances == 0 || e.logV-expected < math.Ln2 {
		return []ellipsoid{e}
	}
	children := append(b.split(idx[:n0], e0, logX, chances-1), b.split(idx[n0:], e1, logX, chances-1)...)
	total := math.Inf(-1)
	for i := range children {
		total = logAddExp(total, children[i].logV)
	}
	if len(children) > 2 && total < e.logV-float64(len(children)-1)*pen {
		return children
	}
	return []ellipsoid{e}
}

// splitOff handles a k-means split whose smaller cluster has too few
// points (1…d) to fit an ellipsoid, typically the last points of a mode
// that is dying out: without its own ellipsoid one huge ellipsoid would
// span both modes until they die, at a great cost in calls. It gets the
// shape of the other cluster's ellipsoid, centred on its points, covering
// them twice over and of at least twice their expected volume X·m/n (the
// shape is a guess). The split is accepted on the usual volume criterion.
func (b *builder) splitOff(idx []int, n0 int, e ellipsoid, logX, pen float64) []ellipsoid {
	d, m := b.d, len(idx)
	small, big := idx[:n0], idx[n0:]
	if n0 > m-n0 {
		small, big = idx[n0:], idx[:n0]
	}
	if len(small) == 0 || len(big) < d+1 {
		return []ellipsoid{e}
	}
	var eb ellipsoid
	b.fitIdx(&eb, big, logX)
	es := ellipsoid{c: make([]float64, d), t: make([]float64, d*d)}
	for _, i := range small {
		floats.Add(es.c, b.live[i*d:(i+1)*d])
	}
	floats.Scale(1/float64(len(small)), es.c)
	copy(es.t, eb.t)
	r2 := 0.0
	y := b.f.y
	for _, i := range small {
		r2 = math.Max(r2, es.whiten(y, b.live[i*d:(i+1)*d]))
	}
	logS := math.Log(2) + 0.5*math.Log(r2) // log of the factor on eb's T
	minLogV := math.Ln2 + logX + math.Log(float64(len(small))) - b.logN
	if eb.logV+float64(d)*logS < minLogV || r2 == 0 {
		logS = (minLogV - eb.logV) / float64(d)
	}
	floats.Scale(math.Exp(logS), es.t)
	es.logV = eb.logV + float64(d)*logS
	if logAddExp(eb.logV, es.logV) < e.logV-pen {
		return append(b.split(big, eb, logX, secondChances), es)
	}
	return []ellipsoid{e}
}

// secondChances is how many levels of splits without a volume gain are
// tried: a ring needs two (halves, then quarter arcs).
const secondChances = 2

// kmeansIters caps Lloyd's iterations (as dynesty's use of SciPy's
// kmeans2): well-separated clusters are found in a few, and on a single
// blob the last iterations only move a few points between two halves.
const kmeansIters = 10

// kmeans splits the points idx into two clusters by Lloyd's algorithm
// (Euclidean, in the unit cube), started from the point farthest from the
// centre of e and the point farthest from that one. (Whitened coordinates
// would be affine invariant but squash the gap between two clusters, which
// lies along the direction of largest variance.) It reorders idx so that
// the first cluster comes first and returns its size.
func (b *builder) kmeans(idx []int, e *ellipsoid) int {
	d, m := b.d, len(idx)
	w := b.w[:m*d]
	far, farR := 0, -1.0
	for k, i := range idx {
		p := w[k*d : (k+1)*d]
		copy(p, b.live[i*d:(i+1)*d])
		if r := dist2(p, e.c); r > farR {
			far, farR = k, r
		}
	}
	other, otherR := 0, -1.0
	for k := range m {
		if r := dist2(w[k*d:(k+1)*d], w[far*d:(far+1)*d]); r > otherR {
			other, otherR = k, r
		}
	}
	copy(b.cen[0], w[far*d:(far+1)*d])
	copy(b.cen[1], w[other*d:(other+1)*d])
	lab := b.lab[:m]
	for k := range lab {
		lab[k] = -1
	}
	c0, c1 := b.cen[0], b.cen[1]
	var count [2]int
	for range kmeansIters {
		changed := 0
		count = [2]int{}
		for k := range m {
			p := w[k*d : (k+1)*d]
			var l int8
			if dist2(p, c1) < dist2(p, c0) {
				l = 1
			}
			if l != lab[k] {
				lab[k] = l
				changed++
			}
			count[l]++
		}
		if changed == 0 || count[0] == 0 || count[1] == 0 {
			break
		}
		clear(c0)
		clear(c1)
		for k := range m {
			c := c0
			if lab[k] == 1 {
				c = c1
			}
			for j, v := range w[k*d : (k+1)*d] {
				c[j] += v
			}
		}
		floats.Scale(1/float64(count[0]), c0)
		floats.Scale(1/float64(count[1]), c1)
	}
	tmp := b.tmp[:0]
	for k, i := range idx {
		if lab[k] == 0 {
			tmp = append(tmp, i)
		}
	}
	for k, i := range idx {
		if lab[k] == 1 {
			tmp = append(tmp, i)
		}
	}
	copy(idx, tmp)
	return count[0]
}

// logAddExp returns ln(eᵃ + eᵇ) without overflow.
func logAddExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(b, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// dist2 returns the squared Euclidean distance |a − b|²; k-means needs no
// square root.
func dist2(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		r := v - b[i]
		s += r * r
	}
	return s
}
