// Package bench holds the solver and training microbenchmarks
// (go test -bench . ./bench/) and the model generators and timing helpers
// that cmd/solverbench shares with them, so that the benchmark table and
// the go test benchmarks measure the same problems.
package bench
