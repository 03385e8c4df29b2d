package qip

// #include <lp_lib.h>
import "C"

import (
	"fmt"
	"reflect"

	"github.com/draffensperger/golp"
)

// noStepOF turns off lp_solve's "minimum objective step" heuristic for lp
// by setting its solution limit to 0 (lp_solve computes the step only when
// the limit is 1, its default). golp does not bind set_solutionlimit, so
// the lp_solve handle is read from golp.LP's unexported field ptr by
// reflection; if golp ever stores it differently this returns an error
// rather than solving without the fix.
//
// Why it is needed: before branch and bound, lp_solve 5.5.2.5 (Debian's
// liblpsolve55) estimates the smallest possible improvement of the
// objective (bb_deltaOF, from MIP_stepOF) and then prunes every node whose
// bound does not beat the incumbent by that much. The estimate is meant for
// objectives with integer coefficients; for real weights it comes out
// wrong, often 1 or the smallest coefficient, and lp_solve then returns a
// suboptimal assignment with status OPTIMAL (observed on about 1% of random
// dense n = 9 models with N(0,1) weights, losing up to 4% of the scale).
// With the heuristic off, the MIP gaps alone decide pruning.
func noStepOF(lp *golp.LP) error {
	f := reflect.ValueOf(lp).Elem().FieldByName("ptr")
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() {
		return fmt.Errorf("qip: cannot find the lp_solve handle in golp.LP (field ptr); golp changed, the MIP-step workaround needs updating")
	}
	h := (*C.lprec)(f.UnsafePointer())
	if got, want := int(C.get_Ncolumns(h)), lp.NumCols(); got != want {
		return fmt.Errorf("qip: golp.LP field ptr does not look like its lp_solve handle (%d columns, golp says %d)", got, want)
	}
	C.set_solutionlimit(h, 0)
	if lim := C.get_solutionlimit(h); lim != 0 {
		return fmt.Errorf("qip: lp_solve kept solution limit %d after set_solutionlimit(0)", int(lim))
	}
	return nil
}
