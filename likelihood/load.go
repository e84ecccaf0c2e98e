package likelihood

import (
	"fmt"

	"github.com/cosmoemu/cosmoemu/data"
)

// LoadSettings configure Load; nil means the defaults.
type LoadSettings struct {
	Data data.Options // how data files are found (cache directory, diagonal-only)
	SN   SNSettings   // supernova nodes and whether M is sampled
}

// Load returns the likelihood of the data set named by spec (a built-in name
// like "desi-dr2" or a file spec like "bao:MEAN:COV"; see data.Load), and
// any warning data.Load gave.
func Load(spec string, s *LoadSettings) (Likelihood, string, error) {
	var set LoadSettings
	if s != nil {
		set = *s
	}
	d, err := data.Load(spec, &set.Data)
	if err != nil {
		return nil, "", err
	}
	var l Likelihood
	switch d.Kind {
	case data.KindHz:
		l, err = NewHz(d.Hz)
	case data.KindBAO:
		l, err = NewBAO(d.BAO)
	case data.KindSN:
		l, err = NewSN(d.SN, &set.SN)
	case data.KindCMB:
		l, err = NewCMB(d.CMB)
	case data.KindH0:
		l, err = NewH0(d.H0)
	default:
		err = fmt.Errorf("data set %s: unknown kind %q", spec, d.Kind)
	}
	if err != nil {
		return nil, "", err
	}
	return l, d.Warning, nil
}
