package recomb

import "fmt"

// ParamError reports an input outside its allowed range: a field of
// Cosmology or Settings, an argument, or a value the Hubble function
// returned.
type ParamError struct {
	Param   string  // the name of the parameter, e.g. "OmegaBH2" or "Hubble(z=1089.9)"
	Value   float64 // the offending value
	Allowed string  // the allowed range, e.g. "(0, 1)"
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("recomb: %s = %v is outside the allowed range %s", e.Param, e.Value, e.Allowed)
}

// EpochError reports that the thermal history of a background has no
// epoch of the required kind: recombination that does not complete, or no
// redshift in the searched range where the optical depth (or the drag
// depth) reaches 1.
type EpochError struct {
	Epoch  string  // "recombination", "z*" or "z_drag"
	Detail string  // what was found instead
	ZMin   float64 // the searched range of redshifts
	ZMax   float64
}

func (e *EpochError) Error() string {
	return fmt.Sprintf("recomb: no %s for %g ≤ z ≤ %g: %s", e.Epoch, e.ZMin, e.ZMax, e.Detail)
}
