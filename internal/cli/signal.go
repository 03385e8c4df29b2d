package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// exit ends the process on a second signal; tests replace it.
var exit = os.Exit

// Interruptible returns a context derived from parent that the first
// SIGINT or SIGTERM (or SIGHUP, a closed terminal, unless the process
// started with it ignored, as under nohup) cancels, after printing to w that the run is stopping
// and that a second signal quits at once. A second such signal
// prints that it is quitting and exits with status 130 within a second,
// without waiting for the work in progress (whatever was committed stays:
// the run folders are written atomically). stop releases the signals.
//
// Commands get this context from [Main]; long work (training,
// evaluation, solvers) checks it and returns its error, which [Main]
// reports as status 130.
func Interruptible(parent context.Context, name string, w io.Writer) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	if !signal.Ignored(syscall.SIGHUP) { // under nohup it stays ignored
		signal.Notify(sig, syscall.SIGHUP)
	}
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sig:
			fmt.Fprintf(w, "%s: %v: stopping after the current step and saving what is done (again to quit at once)\n", name, s)
			cancel()
		case <-done:
			return
		}
		select {
		case s := <-sig:
			fmt.Fprintf(w, "%s: second %v: quitting now, the epoch in progress is lost\n", name, s)
			exit(ExitInterrupted)
		case <-done:
		}
	}()
	var once bool
	return ctx, func() {
		if once {
			return
		}
		once = true
		signal.Stop(sig)
		close(done)
		cancel()
	}
}
