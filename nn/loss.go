package nn

import (
	"fmt"
	"math"
	"strings"

	"github.com/cosmoemu/cosmoemu/internal/fastmath"
)

// Loss is the cost function minimized by training. For N rows and m
// outputs, with network outputs a and targets y:
//
//	MSE:          L = (1/(N·m)) Σ_r Σ_j (a_rj − y_rj)²
//	              (mean over all elements, as Keras' "mse" and the paper's Eq. 22
//	              with that normalization; ∂L/∂a_rj = 2(a_rj − y_rj)/(N·m))
//	CrossEntropy: L = −(1/N) Σ_r Σ_j y_rj·log a_rj                with a Softmax output,
//	              L = −(1/N) Σ_r Σ_j [y log a + (1−y) log(1−a)]_rj with a Sigmoid output
//	              (the paper's Eq. 18), mean over rows, sum over outputs.
//
// CrossEntropy is computed from the pre-activations z (log a = z − logΣexp z,
// log σ(z) = −log(1+e^{−z})), so it is finite even when a rounds to 0 or 1,
// and its gradient with respect to z is the combined (a·Σ_j y_j − y)/N,
// which is (a − y)/N for one-hot or probability targets.
type Loss int

const (
	// MSE is the mean squared error over all elements.
	MSE Loss = iota
	// CrossEntropy is the categorical (Softmax output) or binary (Sigmoid
	// output) cross-entropy, mean over rows.
	CrossEntropy
)

var lossNames = [...]string{MSE: "mse", CrossEntropy: "crossentropy"}

// String returns "mse" or "crossentropy".
func (l Loss) String() string {
	if l == MSE || l == CrossEntropy {
		return lossNames[l]
	}
	return fmt.Sprintf("Loss(%d)", int(l))
}

// ParseLoss returns the loss named s (case-insensitive): "mse" or
// "crossentropy" (also "cross-entropy").
func ParseLoss(s string) (Loss, error) {
	switch strings.ToLower(s) {
	case "mse":
		return MSE, nil
	case "crossentropy", "cross-entropy":
		return CrossEntropy, nil
	}
	return 0, fmt.Errorf("nn: unknown loss %q (want mse or crossentropy)", s)
}

// checkLoss reports whether loss can be used with the output activation.
func checkLoss(loss Loss, out Activation) error {
	switch loss {
	case MSE:
		return nil
	case CrossEntropy:
		if out == Softmax || out == Sigmoid {
			return nil
		}
		return fmt.Errorf("nn: crossentropy needs a softmax or sigmoid output layer, got %v", out)
	}
	return fmt.Errorf("nn: invalid loss %v", loss)
}

// lossScale returns the factor that turns the sum of the row terms of
// outputRow into the loss of n rows with m outputs.
func lossScale(loss Loss, n, m int) float64 {
	if loss == MSE {
		return 1 / (float64(n) * float64(m))
	}
	return 1 / float64(n)
}

// gradScale returns the factor of the output delta for n rows, m outputs.
func gradScale(loss Loss, n, m int) float64 {
	if loss == MSE {
		return 2 / (float64(n) * float64(m))
	}
	return 1 / float64(n)
}

// outputRow finishes the output layer for one row. On entry h holds a·W
// (without the bias). On return h holds the output f(a·W + b), the result is
// the row's term of the loss sum (see lossScale), and, if d is not nil,
// d = gscale·∂(row term)/∂z.
func outputRow(loss Loss, act Activation, h, b, y, d []float64, gscale float64) float64 {
	y = y[:len(h)]
	if loss == CrossEntropy {
		for j := range h {
			h[j] += b[j]
		}
		var sum float64
		if act == Softmax {
			lse := logSumExp(h)
			sy := 0.0
			for j, z := range h {
				sum += float64(y[j] * (lse - z))
				sy += y[j]
			}
			softmax(h)
			if d != nil {
				d = d[:len(h)]
				for j, p := range h {
					d[j] = gscale * (float64(p*sy) - y[j])
				}
			}
			return sum
		}
		for j, z := range h { // sigmoid
			sum += float64(y[j]*softplus(-z)) + float64((1-y[j])*softplus(z))
			h[j] = fastmath.Sigmoid(z)
		}
		if d != nil {
			d = d[:len(h)]
			for j, p := range h {
				d[j] = gscale * (p - y[j])
			}
		}
		return sum
	}
	biasActivate(act, h, b)
	var sum float64
	for j, a := range h {
		e := a - y[j]
		sum += float64(e * e)
	}
	if d == nil {
		return sum
	}
	d = d[:len(h)]
	for j, a := range h {
		d[j] = gscale * (a - y[j])
	}
	if act == Softmax {
		// ∂a_j/∂z_k = a_j(δ_jk − a_k): d_k = a_k(g_k − Σ_j a_j g_j).
		s := 0.0
		for j, a := range h {
			s += float64(a * d[j])
		}
		for j, a := range h {
			d[j] = a * (d[j] - s)
		}
		return sum
	}
	mulDerivative(act, d, h)
	return sum
}

// softplus is log(1+eᵗ), computed without overflow.
func softplus(t float64) float64 {
	return max(t, 0) + math.Log1p(math.Exp(-math.Abs(t)))
}

// rowHit reports whether the prediction a classifies the row like the
// target y: same argmax, or for one output the same side of 0.5.
func rowHit(a, y []float64) bool {
	if len(a) == 1 {
		return (a[0] >= 0.5) == (y[0] >= 0.5)
	}
	return argmax(a) == argmax(y[:len(a)])
}

func argmax(s []float64) int {
	k := 0
	for j, v := range s {
		if v > s[k] {
			k = j
		}
	}
	return k
}
