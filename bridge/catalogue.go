package bridge

import (
	"encoding/json"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/likelihood"
)

type paramInfo struct {
	Name     string   `json:"name"`
	Label    string   `json:"label"`
	Unit     string   `json:"unit,omitempty"`
	Doc      string   `json:"doc"`
	Min      float64  `json:"min"`
	Max      float64  `json:"max"`
	Fiducial float64  `json:"fiducial"`
	Default  *float64 `json:"default,omitempty"`
	Range    string   `json:"range"`
}

// Models returns the built-in models as JSON: name, what it is, whether
// it has a closed form, the parameters it needs (in canonical order) and
// the declarations of every parameter it takes (its own, then ombh2,
// omch2, mnu, nnu): label, unit, default prior box, fiducial value,
// default value, physical range.
func Models() ([]byte, error) {
	var out []map[string]any
	for _, m := range cosmo.Models() {
		var decl []paramInfo
		for _, p := range m.Declarations() {
			pi := paramInfo{Name: p.Name, Label: p.Label, Unit: p.Unit, Doc: p.Doc, Min: p.Min, Max: p.Max, Fiducial: p.Fiducial, Range: p.Range()}
			if p.HasDefault {
				v := p.Default
				pi.Default = &v
			}
			decl = append(decl, pi)
		}
		out = append(out, map[string]any{"name": m.Name(), "doc": m.Doc(), "closed_form": m.ClosedForm(), "params": m.Params(), "declarations": decl})
	}
	return json.Marshal(out)
}

// DataSets returns the catalogue of built-in data sets as JSON (name,
// what it measures, what it is, the citation, whether its covariance is
// fetched with `cosmoemu data get`).
func DataSets() ([]byte, error) {
	var out []map[string]any
	for _, s := range likelihood.Sets() {
		out = append(out, map[string]any{"name": s.Name, "measures": s.Measures, "doc": s.Doc, "citation": s.Citation, "fetched_covariance": s.Cov != nil})
	}
	return json.Marshal(out)
}
