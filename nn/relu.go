package nn

// ReLU sets every negative entry of v to zero in place (NaN and −0 are
// kept). O(len(v)), vectorised in the default build.
func ReLU(v []float32) { relu(v) }
