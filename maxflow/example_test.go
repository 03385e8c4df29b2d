package maxflow_test

import (
	"fmt"

	"github.com/argmaxvae/argmaxvae/maxflow"
)

// Two pixels that prefer different labels, tied by a smoothness arc pair.
func Example() {
	g := maxflow.New(2, 1)
	g.AddTerminal(0, 5, 1) // node 0: s→0 capacity 5, 0→t capacity 1
	g.AddTerminal(1, 2, 6) // node 1: s→1 capacity 2, 1→t capacity 6
	g.AddEdge(0, 1, 3, 3)  // 0→1 and 1→0, capacity 3 each
	flow, err := g.MaxFlow()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("flow:", flow)
	fmt.Println("source side:", g.SourceSide(0), g.SourceSide(1))
	// Output:
	// flow: 6
	// source side: true false
}

// The same two pixels solved by IBFS: same graph calls, same flow, same
// cut.
func ExampleNewWith() {
	g := maxflow.NewWith(maxflow.IBFS, 2, 1)
	g.AddTerminal(0, 5, 1)
	g.AddTerminal(1, 2, 6)
	g.AddEdge(0, 1, 3, 3)
	flow, err := g.MaxFlow()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(g.Algorithm(), "flow:", flow)
	fmt.Println("source side:", g.SourceSide(0), g.SourceSide(1))
	// Output:
	// ibfs flow: 6
	// source side: true false
}
