// Package cli is the command-line convention of the argmaxvae commands:
// one way to parse flags, to report a bad command line, to exit, and to
// stop on Ctrl-C.
//
// A command's main is one line, cli.Main("name", run), where run parses
// its arguments with [NewFlagSet] and [Parse] and returns an error. Main
// prints the error and exits with status 2 for a [UsageError] (a bad flag
// value or combination, found before any work starts), 130 when the run
// was interrupted, 1 for any other failure (a lost write to standard
// output included) and 0 otherwise. The context run receives is cancelled
// by the first SIGINT, SIGTERM or SIGHUP; a second one ends the process
// within a second (see [Interruptible]).
//
// The flags several commands share are registered by one function each
// ([Seed], [Out], [Threads], [Limit], [Data], [Datasets], [DataDir],
// [Epochs], [Batch], [LR], [Resume], [OnlyFinished]), with one name, one
// default and one help text; comma-separated lists are typed flags
// ([Ints], [Floats], [Uint64s], [Strings], [Names]: no item twice) and
// numbers are range flags ([IntIn], [FloatIn] with a [Range]), all checked
// while parsing, naming the flag. A parse error is one line that says
// -help lists the flags; a flag of an earlier version says what replaced
// it. A command whose messages come from a shared spec spelled in other
// flags translates them with [RenameFlags], so that every message names
// flags the command has (cmd/commands_test.go checks it on every command).
// It is internal: the commands' convention, not a library API.
package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses of [Main].
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitInterrupted = 130 // 128 + SIGINT, as shells report it
)

// UsageError marks an error in the command line (a bad flag value or
// combination), as opposed to a failure while running.
type UsageError struct{ Err error }

func (u UsageError) Error() string { return u.Err.Error() }
func (u UsageError) Unwrap() error { return u.Err }

// Usage wraps a non-nil err as a [UsageError]; it returns nil for nil.
func Usage(err error) error {
	if err == nil {
		return nil
	}
	return UsageError{err}
}

// Usagef is Usage(fmt.Errorf(format, a...)).
func Usagef(format string, a ...any) error { return UsageError{fmt.Errorf(format, a...)} }

// IsUsage reports whether err is (or wraps) a [UsageError].
func IsUsage(err error) bool {
	var u UsageError
	return errors.As(err, &u)
}

// Status returns the exit status for the error a command returned: 0 for
// nil and for -help, 2 for a usage error, 130 for an interrupted run, 1
// otherwise.
func Status(err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return ExitOK
	case IsUsage(err):
		return ExitUsage
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	}
	return ExitFailure
}

// Run is a command's body: it parses args, does its work until ctx is
// cancelled, writes results to stdout and progress to stderr.
type Run func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// Main runs a command with the process's arguments and streams under a
// context that the first SIGINT or SIGTERM cancels, prints its error as
// "name: error" and exits with [Status].
//
// A failed write to standard output (a full disk, a closed descriptor, a
// reader gone away: SIGPIPE does not end the process) does not stop the
// command, whose files are written as usual, but turns a success into
// status 1 with a message: the results printed there were lost.
func Main(name string, run Run) {
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := Interruptible(context.Background(), name, os.Stderr)
	err := Checked(run)(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(Report(name, err, os.Stderr))
}

// Checked returns run with its stdout watched: when run succeeds but a
// write to stdout failed, the returned Run fails with that write's error.
func Checked(run Run) Run {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		w := &watched{w: stdout}
		err := run(ctx, args, w, stderr)
		if err == nil && w.err != nil {
			err = fmt.Errorf("writing to standard output: %w (what the command printed there is lost; its files are written)", w.err)
		}
		return err
	}
}

// watched is a writer that remembers its first error.
type watched struct {
	w   io.Writer
	err error
}

func (w *watched) Write(b []byte) (int, error) {
	n, err := w.w.Write(b)
	if err != nil && w.err == nil {
		w.err = err
	}
	return n, err
}

// Report prints err for the command name to w (nothing for nil or -help;
// "name: interrupted" for a cancelled run) and returns its exit status.
func Report(name string, err error, w io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, context.Canceled) && err.Error() == context.Canceled.Error():
		fmt.Fprintf(w, "%s: interrupted\n", name)
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(w, "%s: interrupted: %v\n", name, err)
	default:
		fmt.Fprintf(w, "%s: %v\n", name, err)
	}
	return Status(err)
}

// NewFlagSet returns a flag set for the command name that reports its own
// parse errors and usage to stderr and returns them to the caller.
func NewFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// Parse parses args into fs and rejects stray arguments. A bad flag comes
// back as a [UsageError] that names it and says that -help lists the
// flags (the flag list itself is printed for -help only, so the error is
// not lost above it); -help prints the list and returns flag.ErrHelp.
// Then the [AtStart] checks run, and a folder given to an [Out] flag is
// checked with [CheckFolder].
func Parse(fs *flag.FlagSet, args []string) error {
	w := fs.Output()
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	err := fs.Parse(args)
	fs.SetOutput(w)
	if errors.Is(err, flag.ErrHelp) {
		io.Copy(w, &buf)
		return err
	}
	if err != nil {
		if now := renamed(fs, err); now != "" {
			return Usagef("%v: %s (%s -help lists the flags)", err, now, fs.Name())
		}
		return Usagef("%v (%s -help lists the flags)", err, fs.Name())
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected arguments %q (flags go before any other argument)", fs.Args())
	}
	for _, check := range startChecks {
		if err := check(); err != nil {
			return Usage(err)
		}
	}
	return checkOut(fs)
}

// startChecks are the checks [Parse] runs once the flags are parsed.
var startChecks []func() error

// AtStart adds a check that [Parse] runs after parsing the flags, before
// any work; its error is a [UsageError]. A package that reads settings
// outside the command line registers one in its init (internal/experiment
// registers nn.CheckEnv: an environment variable set to a value nn does
// not know).
func AtStart(check func() error) { startChecks = append(startChecks, check) }

// IsSet reports whether the flag name was given on fs's command line.
func IsSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// Given returns [IsSet] for fs's command line as it stands after parsing,
// as a function of the flag's name.
func Given(fs *flag.FlagSet) func(name string) bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return func(name string) bool { return set[name] }
}
