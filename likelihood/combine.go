package likelihood

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
)

// Combine checks that the likelihoods can be combined and returns what
// they need together: Rd, Ombh2 and H0 if any of them needs it, and every
// nuisance parameter, named for the posterior. NewPosterior calls it; fit
// calls it to choose the parameters to sample.
//
// Refused are: no likelihood; two likelihoods with the same data
// (Fingerprint: the same set twice, or a built-in set and its files); two
// with the same name; a pair that a Set's Excludes forbids (a likelihood
// counts as a built-in set if it has its name or its data, so that the
// files of desi-dr1 are not combined with desi-dr2 either); a measurement
// that two of them hold (the same observable at the same redshift with the
// same value: a subset of a set beside it, see checkOverlap); a nuisance
// parameter with an invalid or reserved name (hrd) or declared twice by
// one likelihood.
//
// Each likelihood has its own nuisance parameters. A name declared by one
// likelihood keeps it (M); a name declared by several becomes
// NAME_<data set> for each (M_union3, M_pantheonplus), the data set's name
// reduced to letters, digits and '_' (a file's base name without its
// extension). Nuisance.Declared and Nuisance.Data keep the declared name
// and the data set.
func Combine(likes []Likelihood) (Needs, error) {
	var all Needs
	if len(likes) == 0 {
		return all, errors.New("likelihood: no data")
	}
	fps := make([]string, len(likes))
	for i, l := range likes {
		if l == nil {
			return all, fmt.Errorf("likelihood: data set %d is nil", i+1)
		}
		fps[i] = Fingerprint(l)
		for j := range i {
			switch a, b := likes[j].Name(), l.Name(); {
			case fps[i] == fps[j] && a == b:
				return all, fmt.Errorf("likelihood: data set %s given twice", a)
			case fps[i] == fps[j]:
				return all, fmt.Errorf("likelihood: data sets %s and %s hold the same data (fingerprint %s): give it once", a, b, fps[i])
			case a == b:
				return all, fmt.Errorf("likelihood: two different data sets are named %s: give each its own name", a)
			}
		}
	}
	if err := checkExclusions(likes, fps); err != nil {
		return all, err
	}
	if err := checkOverlap(likes); err != nil {
		return all, err
	}
	count := make(map[string]int)
	for i, l := range likes {
		n := l.Needs()
		all.Rd = all.Rd || n.Rd
		all.Ombh2 = all.Ombh2 || n.Ombh2
		all.H0 = all.H0 || n.H0
		all.Sigma8 = all.Sigma8 || n.Sigma8
		seen := make(map[string]bool)
		for _, p := range n.Nuisance {
			switch {
			case p.Name == "" || strings.ContainsAny(p.Name, " \t\n,=:"):
				return all, fmt.Errorf("likelihood: %s declares a nuisance parameter with the invalid name %q", l.Name(), p.Name)
			case p.Name == HRd.Name:
				return all, fmt.Errorf("likelihood: %s declares the nuisance parameter %s, a name reserved for h·r_d", l.Name(), p.Name)
			case seen[p.Name]:
				return all, fmt.Errorf("likelihood: %s declares the nuisance parameter %s twice", l.Name(), p.Name)
			case !(p.Min < p.Max) || !p.Allowed(p.Min) || !p.Allowed(p.Max):
				return all, fmt.Errorf("likelihood: %s: the default box [%g, %g] of its nuisance parameter %s is not inside %s", l.Name(), p.Min, p.Max, p.Name, p.Range())
			}
			seen[p.Name] = true
			count[p.Name]++
			p.Data, p.Declared, p.owner = l.Name(), p.Name, i
			all.Nuisance = append(all.Nuisance, p)
		}
	}
	taken := make(map[string]bool)
	for k := range all.Nuisance {
		p := &all.Nuisance[k]
		if count[p.Declared] == 1 {
			taken[p.Name] = true
		}
	}
	for k := range all.Nuisance {
		p := &all.Nuisance[k]
		if count[p.Declared] == 1 {
			continue
		}
		sfx := suffix(p.Data)
		for n := 2; taken[p.Declared+"_"+sfx]; n++ {
			sfx = fmt.Sprintf("%s_%d", suffix(p.Data), n)
		}
		p.Name = p.Declared + "_" + sfx
		p.Label = fmt.Sprintf(`%s_{\rm %s}`, p.Label, strings.ReplaceAll(sfx, "_", `\_`))
		taken[p.Name] = true
	}
	return all, nil
}

// suffix reduces a data set's name to letters, digits and '_': a file's
// base name without its extension, "desi-dr2" → "desi_dr2".
func suffix(name string) string {
	if strings.ContainsAny(name, `/\`) || filepath.Ext(name) != "" {
		name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	s := []byte(name)
	for i, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			s[i] = '_'
		}
	}
	if len(s) == 0 {
		return "data"
	}
	return string(s)
}

// checkExclusions refuses a pair of likelihoods that a Set's Excludes
// forbids; fps are their fingerprints.
func checkExclusions(likes []Likelihood, fps []string) error {
	if len(likes) < 2 {
		return nil
	}
	ids := make([]string, len(likes))
	for i, l := range likes {
		ids[i] = identify(l, fps[i])
	}
	for i := range likes {
		for j := range i {
			if ids[i] == "" || ids[j] == "" {
				continue
			}
			why, ok := excluded(ids[j], ids[i])
			if !ok {
				continue
			}
			return fmt.Errorf("likelihood: %s and %s cannot be combined: %s", label(likes[j], ids[j]), label(likes[i], ids[i]), why)
		}
	}
	return nil
}

// label names a likelihood in an error, with the set whose data it holds.
func label(l Likelihood, id string) string {
	if l.Name() == id {
		return id
	}
	return fmt.Sprintf("%s (the data of %s)", l.Name(), id)
}

// excluded reports whether a rule forbids sets a and b together, and why.
func excluded(a, b string) (string, bool) {
	for _, pair := range [2][2]string{{a, b}, {b, a}} {
		if s := lookup(pair[0]); s != nil {
			for _, x := range s.Excludes {
				if x.Set == pair[1] {
					return x.Reason, true
				}
			}
		}
	}
	return "", false
}

// identify returns the built-in set a likelihood is, by name or by the
// fingerprint of its data, among the sets that exclusion rules name; ""
// if none.
func identify(l Likelihood, fp string) string {
	if s := lookup(l.Name()); s != nil {
		return s.Name
	}
	ruled.once.Do(ruled.load)
	return ruled.byFingerprint[fp]
}

// ruled holds the fingerprints of the sets that exclusion rules name,
// computed once (they are small and shipped).
var ruled ruledSets

type ruledSets struct {
	once          sync.Once
	byFingerprint map[string]string
}

func (r *ruledSets) load() {
	r.byFingerprint = make(map[string]string)
	names := make(map[string]bool)
	for i := range sets {
		for _, x := range sets[i].Excludes {
			names[sets[i].Name], names[x.Set] = true, true
		}
	}
	for name := range names {
		s := lookup(name)
		if s == nil {
			continue
		}
		// A set that cannot load without options (a fetched covariance)
		// is known by its name only.
		if l, _, err := s.Load(&Options{}); err == nil {
			r.byFingerprint[Fingerprint(l)] = name
		}
	}
}
