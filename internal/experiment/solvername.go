package experiment

// argmaxSolver maps a spec's -solver to the argmax solver name: argmax
// names one solver once, and "independent" (the command line's name for
// the categorical solver on independent bits, kept so that existing run
// folders and scripts keep meaning the same) is argmax's "categorical".
func argmaxSolver(name string) string {
	if name == "independent" {
		return "categorical"
	}
	return name
}
