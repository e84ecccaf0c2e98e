package emulator

// The limits of TrainSettings, for a caller that checks its input before
// a training starts (the command line's flags): Points and LatePoints in
// [MinTrainPoints, MaxTrainPoints] (0: the default), Width and LateWidth in
// [MinTrainWidth, MaxTrainWidth] (0: the default), Iterations at most
// MaxTrainIterations (0: the default).
const (
	MinTrainPoints     = 200
	MaxTrainPoints     = maxPoints
	MinTrainWidth      = 4
	MaxTrainWidth      = maxWidth
	MaxTrainIterations = maxIter
)
