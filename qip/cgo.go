package qip

// Build flags for lp_solve on Debian/Ubuntu (package liblpsolve55-dev).
//
// CFLAGS: this package includes lp_lib.h itself (see handle.go); Debian puts
// it in /usr/include/lpsolve. golp's own #cgo lines point elsewhere, so
// building golp still needs CGO_CFLAGS="-I/usr/include/lpsolve" in the
// environment (see the package documentation).
//
// LDFLAGS: Debian ships only the static archive liblpsolve55.a, which
// depends on COLAMD, libm and libdl. golp's #cgo LDFLAGS name -llpsolve55
// alone, and the external linker reads archives left to right, so the
// dependencies are listed here after a second -llpsolve55: the link then
// resolves whichever package's flags come first on the command line.

// #cgo linux CFLAGS: -I/usr/include/lpsolve
// #cgo linux LDFLAGS: -llpsolve55 -lcolamd -lm -ldl
import "C"
