package param

import (
	"strings"
	"testing"
)

// TestPriorTooNarrow: a box or σ narrower than a sampler can move in (σ =
// 1e-300 gave "StartCov is not positive definite") is refused, saying to
// fix the parameter; narrow but samplable priors are kept.
func TestPriorTooNarrow(t *testing.T) {
	par := Param{Name: "Om", Min: 0, Max: 1, Lo: 0, Hi: 1}
	for _, s := range []string{"gauss:0.3:1e-300", "gauss:0.3:1e-12", "0.3:0.300000000000001", "gauss:0:1e-160"} {
		if _, err := ParsePrior(par, s); err == nil || !strings.Contains(err.Error(), "too narrow to sample") {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"gauss:0.3:1e-9", "0.3:0.3000001", "gauss:0:1e-100", "0:1e-100"} {
		if _, err := ParsePrior(par, s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
}
