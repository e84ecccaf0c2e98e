package nn

import "math"

// A Schedule sets the learning rate of each epoch.
type Schedule interface {
	// Rate returns the learning rate of epoch (counted from 0), given the
	// optimizer's base rate and the monitored loss of each finished epoch
	// (len(losses) == epoch; see Settings for which loss is monitored).
	Rate(epoch int, base float64, losses []float64) float64
}

// ScheduleFunc adapts a function to a Schedule.
type ScheduleFunc func(epoch int, base float64, losses []float64) float64

// Rate returns f(epoch, base, losses).
func (f ScheduleFunc) Rate(epoch int, base float64, losses []float64) float64 {
	return f(epoch, base, losses)
}

// ExponentialDecay multiplies the rate by Factor every Every epochs:
// η = base·Factor^(epoch/Every), with ⌊epoch/Every⌋ if Staircase (step decay).
type ExponentialDecay struct {
	Factor    float64 // in (0, 1]
	Every     int     // ≥ 1; 0 means 1
	Staircase bool
}

// Rate implements Schedule.
func (s ExponentialDecay) Rate(epoch int, base float64, _ []float64) float64 {
	every := max(s.Every, 1)
	p := float64(epoch) / float64(every)
	if s.Staircase {
		p = float64(epoch / every)
	}
	return base * math.Pow(s.Factor, p)
}

// CosineDecay anneals the rate from base to Min over Epochs epochs:
// η = Min + (base − Min)·(1 + cos(π·min(epoch, Epochs)/Epochs))/2.
type CosineDecay struct {
	Epochs int
	Min    float64
}

// Rate implements Schedule.
func (s CosineDecay) Rate(epoch int, base float64, _ []float64) float64 {
	if s.Epochs <= 0 {
		return base
	}
	f := float64(min(epoch, s.Epochs)) / float64(s.Epochs)
	return s.Min + (base-s.Min)*(1+math.Cos(math.Pi*f))/2
}

// ReduceOnPlateau multiplies the rate by Factor when the monitored loss has
// not improved (decreased by more than MinDelta below its best) for Patience
// epochs, as Keras' ReduceLROnPlateau (without cooldown): after a reduction
// the count starts again, and the rate never goes below Min.
type ReduceOnPlateau struct {
	Factor   float64 // in (0, 1); 0 means 0.1
	Patience int     // 0 means 10
	MinDelta float64
	Min      float64
}

// Rate implements Schedule. It replays the loss history, so one value can
// serve several trainings.
func (s ReduceOnPlateau) Rate(_ int, base float64, losses []float64) float64 {
	factor := orDefault(s.Factor, 0.1)
	patience := s.Patience
	if patience == 0 {
		patience = 10
	}
	lr, best, wait := base, math.Inf(1), 0
	for _, l := range losses {
		if l < best-s.MinDelta {
			best, wait = l, 0
			continue
		}
		wait++
		if wait >= patience {
			lr = max(lr*factor, s.Min)
			wait = 0
		}
	}
	return lr
}
