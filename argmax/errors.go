package argmax

import "fmt"

func errEdges(m *Model) error {
	e := m.Edges[0]
	return fmt.Errorf("%w: categorical solver needs a model without edges, got %d (first (%d,%d) w=%v)", ErrUnsupported, len(m.Edges), e.I, e.J, e.W)
}
