package fit

// PaperHzPriors returns the priors of the paper's H(z) fits (Rojas
// Olvera, Gómez-Vargas & Vázquez 2022), Ωm ∈ [0.1, 0.5] and
// H0 ∈ [50, 90] km/s/Mpc, in the form of Config.Priors.
func PaperHzPriors() map[string]string {
	return map[string]string{"Om": "0.1:0.5", "H0": "50:90"}
}

// DefaultPriors adds to priors the entries of defaults for the parameters
// it has no prior for.
func DefaultPriors(priors, defaults map[string]string) {
	for name, spec := range defaults {
		if _, ok := priors[name]; !ok {
			priors[name] = spec
		}
	}
}
