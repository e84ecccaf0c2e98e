package nn

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// scalerData has a constant third column.
func scalerData(rnd *rand.Rand) *mat.Dense {
	x := mat.NewDense(50, 3, nil)
	for i := 0; i < 50; i++ {
		x.SetRow(i, []float64{-12 + 12*rnd.Float64(), 66 + 14*rnd.Float64(), 0.3})
	}
	return x
}

func TestScalerRoundTrip(t *testing.T) {
	rnd := rand.New(rand.NewPCG(91, 92))
	x := scalerData(rnd)
	for _, c := range []struct {
		name     string
		s        Scaler
		constant float64 // where the constant column goes
	}{
		{"minmax [0,1]", &MinMaxScaler{}, 0},
		{"minmax [-1,1]", &MinMaxScaler{Low: -1, High: 1}, -1},
		{"standard", &StandardScaler{}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.s.Fit(x); err != nil {
				t.Fatal(err)
			}
			var tr, back mat.Dense
			c.s.Transform(&tr, x)
			c.s.Inverse(&back, &tr)
			for i := 0; i < 50; i++ {
				for j := 0; j < 3; j++ {
					v := tr.At(i, j)
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("transformed [%d,%d] = %v", i, j, v)
					}
					if d := math.Abs(back.At(i, j) - x.At(i, j)); d > 1e-13*math.Max(1, math.Abs(x.At(i, j))) {
						t.Errorf("round trip [%d,%d]: %v → %v → %v", i, j, x.At(i, j), v, back.At(i, j))
					}
				}
				if tr.At(i, 2) != c.constant {
					t.Errorf("constant column maps to %v, want %v", tr.At(i, 2), c.constant)
				}
			}
			// Column statistics of the transformed data.
			for j := 0; j < 2; j++ {
				col := mat.Col(nil, j, &tr)
				lo, hi := col[0], col[0]
				mean, sq := 0.0, 0.0
				for _, v := range col {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
					mean += v / 50
				}
				for _, v := range col {
					sq += (v - mean) * (v - mean) / 50
				}
				switch s := c.s.(type) {
				case *MinMaxScaler:
					wantLo, wantHi := s.bounds()
					if math.Abs(lo-wantLo) > 1e-15 || math.Abs(hi-wantHi) > 1e-15 {
						t.Errorf("column %d spans [%v, %v]", j, lo, hi)
					}
				case *StandardScaler:
					if math.Abs(mean) > 1e-14 || math.Abs(sq-1) > 1e-13 {
						t.Errorf("column %d: mean %v, variance %v", j, mean, sq)
					}
				}
			}
			// In place and row by row agree with Transform.
			in := mat.DenseCopyOf(x)
			c.s.Transform(in, in)
			row := make([]float64, 3)
			for i := 0; i < 50; i++ {
				c.s.TransformRow(row, x.RawRowView(i))
				if !bitsEqual(row, tr.RawRowView(i)) || !bitsEqual(in.RawRowView(i), tr.RawRowView(i)) {
					t.Fatalf("row %d: TransformRow %v, in place %v, Transform %v", i, row, in.RawRowView(i), tr.RawRowView(i))
				}
				c.s.InverseRow(row, row)
				if !bitsEqual(row, back.RawRowView(i)) {
					t.Fatalf("row %d: InverseRow %v, Inverse %v", i, row, back.RawRowView(i))
				}
			}
			if n := testing.AllocsPerRun(10, func() { c.s.TransformRow(row, row) }); n != 0 {
				t.Errorf("TransformRow allocates %v times", n)
			}
		})
	}
}

func TestScalerErrors(t *testing.T) {
	bad := mat.NewDense(2, 2, []float64{1, 2, math.Inf(1), 4})
	for _, s := range []Scaler{&MinMaxScaler{}, &StandardScaler{}} {
		if err := s.Fit(bad); err == nil || !strings.Contains(err.Error(), "[1, 0] is +Inf") {
			t.Errorf("%T.Fit with +Inf: %v", s, err)
		}
	}
	if err := (&MinMaxScaler{Low: 1, High: 1}).Fit(mat.NewDense(1, 1, nil)); err == nil {
		t.Error("MinMaxScaler with Low = High: no error")
	}
	defer func() {
		if recover() == nil {
			t.Error("a scaler fitted on 2 columns accepted 3")
		}
	}()
	s := &StandardScaler{}
	if err := s.Fit(mat.NewDense(2, 2, []float64{1, 2, 3, 4})); err != nil {
		t.Fatal(err)
	}
	s.TransformRow(make([]float64, 3), make([]float64, 3))
}
