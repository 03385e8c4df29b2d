package qip

// #include <lp_lib.h>
import "C"

import (
	"fmt"
	"reflect"
	"runtime"

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
// objectives with integer coefficients; for real weights it often comes out
// as 1 or as the smallest coefficient, and lp_solve then returns a
// suboptimal assignment with status OPTIMAL. Measured against enumeration
// (n ≤ 12, mixed densities): about 1% of models with N(0,1) weights, losing
// up to 4% of Σ|scores|, and 2% with weights of scale 1e-6, losing up to
// 11%; none once the heuristic is off. TestStepOFRegression keeps a
// three-variable instance.
func noStepOF(lp *golp.LP) error {
	h, err := handle(lp)
	if err != nil {
		return err
	}
	C.set_solutionlimit(h, 0)
	if lim := C.get_solutionlimit(h); lim != 0 {
		return fmt.Errorf("qip: lp_solve kept solution limit %d after set_solutionlimit(0)", int(lim))
	}
	return nil
}

// handle returns the lp_solve problem that lp wraps, read from golp.LP's
// unexported field ptr by reflection, after checking that it agrees with
// golp on the number of columns.
func handle(lp *golp.LP) (*C.lprec, error) {
	f := reflect.ValueOf(lp).Elem().FieldByName("ptr")
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() {
		return nil, fmt.Errorf("qip: cannot find the lp_solve handle in golp.LP (field ptr); golp changed, qip's workarounds need updating")
	}
	h := (*C.lprec)(f.UnsafePointer())
	if got, want := int(C.get_Ncolumns(h)), lp.NumCols(); got != want {
		return nil, fmt.Errorf("qip: golp.LP field ptr does not look like its lp_solve handle (%d columns, golp says %d)", got, want)
	}
	return h, nil
}

// release frees lp's lp_solve problem now instead of in golp's finalizer,
// which runs only after a garbage collection: the C memory (tens of kB per
// problem) is invisible to Go's GC pacing, so with one problem per solve it
// piled up to hundreds of MB over 10⁴ solves. The finalizer is removed
// first, so the problem is freed exactly once; lp must not be used after.
func release(lp *golp.LP) {
	h, err := handle(lp)
	if err != nil {
		return // leave it to golp's finalizer
	}
	runtime.SetFinalizer(lp, nil)
	C.delete_lp(h)
}
