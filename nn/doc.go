// Package nn implements float64 multilayer perceptrons: dense layers,
// backpropagation on mini-batches, the optimizers SGD (with momentum),
// RMSprop and Adam, learning-rate schedules, early stopping, a full-batch
// L-BFGS fit for very accurate small regressions, column scalers, and a
// single-sample forward pass that does not allocate.
//
// The conventions follow Rojas Olvera, Gómez-Vargas & Vázquez (2022),
// "Observational cosmology with Artificial Neural Networks": the MSE cost of
// their Eq. 22, the cross-entropy of Eq. 18 and backpropagation as in
// Eqs. 25–28.
//
// # Forward pass
//
// Data are matrices whose rows are samples. Layer l (l = 1…L) has a weight
// matrix Wˡ (In×Out, row-major: Wˡ[i,j] connects input i to output j, the
// layout of a Keras Dense kernel), a bias row bˡ and an activation fˡ. For a
// batch A⁰ = X of n rows:
//
//	Zˡ = Aˡ⁻¹·Wˡ + 1·bˡ,   Aˡ = fˡ(Zˡ),   the output is Aᴸ.
//
// Activations are Linear, Sigmoid 1/(1+e⁻ᶻ), Tanh, ReLU max(z, 0), and
// Softmax e^{z_j}/Σ_k e^{z_k} (output layer only). Sigmoid and Tanh use an
// exponential accurate to about 1 ulp (sigmoid to 2 ulp, tanh to 2e−16
// absolute) that has a vector version.
//
// # Backpropagation
//
// With Δˡ = ∂L/∂Zˡ (n×Out), the output delta is Δᴸ = ∂L/∂Aᴸ ⊙ fᴸ′(Zᴸ),
// or for the pairs Softmax + CrossEntropy and Sigmoid + CrossEntropy the
// combined Δᴸ = (Aᴸ − Y)/n. Then, for l = L…1,
//
//	∂L/∂Wˡ = (Aˡ⁻¹)ᵀ·Δˡ,   ∂L/∂bˡ = 1ᵀ·Δˡ (column sums),
//	Δˡ⁻¹ = (Δˡ·(Wˡ)ᵀ) ⊙ fˡ⁻¹′(Zˡ⁻¹),
//
// with the derivatives written in terms of the outputs: σ′ = a(1−a),
// tanh′ = 1−a², ReLU′ = [a > 0]. The losses and their normalizations are
// documented at Loss.
//
// # Optimizers
//
// Each mini-batch gives the gradient g of its mean loss and one step
// (η the learning rate of the epoch, t the step count from 1):
//
//	SGD:       p ← p − η·g
//	Momentum:  v ← μ·v − η·g;  p ← p + v              (Keras form)
//	Nesterov:  v ← μ·v − η·g;  p ← p + μ·v − η·g
//	RMSprop:   v ← ρ·v + (1−ρ)·g²;  p ← p − η·g/√(v + ε)   (Keras: ρ = 0.9, ε = 1e−7)
//	Adam:      m ← β₁·m + (1−β₁)·g;  v ← β₂·v + (1−β₂)·g²;
//	           p ← p − η·(m/(1−β₁ᵗ))/(√(v/(1−β₂ᵗ)) + ε)   (β₁ = 0.9, β₂ = 0.999, ε = 1e−8)
//
// A Schedule (ExponentialDecay, CosineDecay, ReduceOnPlateau or any
// ScheduleFunc) sets η per epoch.
//
// # Parameters and models
//
// Network.Layers exposes each layer's sizes, activation, W (In·Out values,
// row-major) and B, so other packages can serialize a network
// (Activation implements encoding.TextMarshaler) and check it back with
// Network.Validate. Params and SetParams copy all parameters to and from
// one vector, layer by layer W then B; LossGrad gives the loss and its
// gradient in that order, and FitLBFGS polishes a fit with L-BFGS.
//
// # Reproducibility and speed
//
// Randomness comes only from the *rand.Rand passed in (initialization,
// validation split, shuffles). Every sum has a fixed order: each element of
// a matrix product is one fused multiply-add chain over its reduction index,
// and work is split among goroutines so that no sum depends on the split.
// The same seed therefore gives the same bits (weights, history,
// predictions) whatever GOMAXPROCS or Settings.Workers; and since the AVX2
// kernels of amd64 perform the same IEEE operations as the portable Go code
// (build tag purego), and expressions that the compiler could fuse are
// written with explicit FMAs or float64 conversions, also on other CPUs and
// GOAMD64 levels. (FitLBFGS does its vector algebra with gonum's floats,
// whose summation order may differ between platforms.)
//
// Training preallocates every buffer; a mini-batch runs in two parallel
// phases (forward pass, loss and deltas split by rows; gradient, optimizer
// step and transposed weights split by parameter rows). Workspace.Forward
// evaluates one row with no allocation, using register-blocked kernels
// suited to small layers.
package nn
