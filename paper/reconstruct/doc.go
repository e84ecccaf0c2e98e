// Package reconstruct learns H(z) and its error σ_H(z) from a set of
// measurements with a small neural network, as in Section 4 of Rojas
// Olvera, Gómez-Vargas & Vázquez (2022), "Observational cosmology with
// Artificial Neural Networks", and estimates the uncertainty of the
// reconstruction with an ensemble.
//
// # Network
//
// One input z, one hidden layer (100 sigmoid units by default), two linear
// outputs (H, σ_H):
//
//	t = (z − z_min)/(z_max − z_min)                         (data's redshift range)
//	(Ĥ, σ̂) = inverse min–max of  W₂·σ(W₁·t + b₁) + b₂      (targets scaled to [0, 1])
//
// trained with Adam on the mean squared error of the scaled targets over a
// random 80% of the points; the other 20%, drawn among the interior points,
// are the validation set.
//
// # Costs
//
// Fit.TrainCost and Fit.ValCost are the mean squared error of both outputs
// in physical units,
//
//	cost = (1/2n) Σ_i [(Ĥ(z_i) − H_i)² + (σ̂(z_i) − σ_i)²]   in (km/s/Mpc)²,
//
// the quantity Keras reports as "mse" for unscaled targets; the paper's cost
// of 1.7 for its simulated points is of this kind. Fit.TrainLoss and
// Fit.ValLoss are the same mean on the scaled targets, which the optimizer
// minimizes.
//
// # Ensemble
//
// A network's σ_H output interpolates the measurement errors; it is not the
// uncertainty of the reconstructed curve. Result.Members are K networks,
// each with its own seed and split, trained on the data perturbed within
// their errors, H_i + σ_i·ε_i with ε_i ~ N(0, 1): a parametric bootstrap.
// Result.Curve gives their mean and standard deviation at any z.
//
// FitLCDM gives the best-fit flat ΛCDM curve for comparison.
package reconstruct
