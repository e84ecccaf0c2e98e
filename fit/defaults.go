package fit

import "github.com/cosmoemu/cosmoemu/cosmo"

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

// PaperDefaults gives the paper's fit — flat ΛCDM on the cc31 chronometers
// alone — the paper's priors (PaperHzPriors) for the parameters c has no
// prior for, so that every command that runs it (sample; compare, which
// times the backends on it) runs the paper's posterior. Any other
// configuration is left as it is.
func PaperDefaults(c *Config) {
	if (c.Model == nil || c.Model == cosmo.LCDM) && len(c.Data) == 1 && c.Data[0] == "cc31" && len(c.Likelihoods) == 0 {
		if c.Priors == nil {
			c.Priors = make(map[string]string)
		}
		DefaultPriors(c.Priors, PaperHzPriors())
	}
}
