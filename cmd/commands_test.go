// Package cmd_test runs every command's binary as a user would, with bad
// command lines, and checks the convention of internal/cli: exit status 2
// and a message naming the flag for a usage error, found before any work
// starts (no data set is read, no folder is written), exit 1 for a
// failure while running, 130 for an interrupted run, and every message
// naming only flags the command has.
package cmd_test

import (
	"bytes"
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/argmaxvae/argmaxvae/internal/cmdtest"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
)

// bin is the folder of the built commands.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "argmaxvae-cmd")
	if err != nil {
		panic(err)
	}
	build := exec.Command("go", "build", "-o", dir+string(filepath.Separator), "./...")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		panic("building the commands: " + err.Error())
	}
	bin = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// commands lists the command folders (each holds a main package).
func commands(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if len(names) < 12 {
		t.Fatalf("found %d commands: %v", len(names), names)
	}
	return names
}

// result is one run of a command.
type result struct {
	code           int
	stdout, stderr string
}

// runCmd runs the command name with args in dir, for at most a minute.
func runCmd(t *testing.T, dir, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(bin, name), args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("%s %q: %v", name, args, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("%s %q: still running after a minute", name, args)
	}
	return result{cmd.ProcessState.ExitCode(), out.String(), errb.String()}
}

// flagsOf returns the flags the command's -help lists.
func flagsOf(t *testing.T, name string) map[string]bool {
	t.Helper()
	r := runCmd(t, t.TempDir(), name, "-help")
	if r.code != 0 {
		t.Fatalf("%s -help: exit %d, %s", name, r.code, r.stderr)
	}
	flags := map[string]bool{"help": true, "h": true}
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(r.stderr, -1) {
		flags[m[1]] = true
	}
	if len(flags) < 5 {
		t.Fatalf("%s -help lists %d flags:\n%s", name, len(flags), r.stderr)
	}
	return flags
}

// flagMention is a flag named in a message: a dash and a lower-case word
// at the start or after a space, quote, parenthesis or comma.
var flagMention = regexp.MustCompile(`(?:^|[\s("',])-([a-z][a-z0-9-]*)`)

// Hostile but fair command lines: each must be refused with status 2
// and a message holding want, before any work (each runs in an empty
// folder with no data set at hand, within seconds), and every flag the
// message names must be one the command has.
func TestBadCommandLines(t *testing.T) {
	cases := map[string][][2]string{ // command: {args (space-separated), want}
		"categorical": {
			{"-out /dev/null", "-out /dev/null: /dev/null is a file, not a folder"},
			{"-out -", "flag -out: want a folder"},
			{"-k 1", "flag -k: want 2 to"},
			{"-k 100000", "-k (one latent"},
			{"-lr NaN", "flag -lr: want a number in (0, 1]"},
			{"-lr 1e9", "flag -lr"},
			{"-anneal Inf", "flag -anneal"},
			{"-threads 100000", "flag -threads"},
			{"-threads -1", "flag -threads"},
			{"-estimator nope", "-estimator"},
			{"-estimator gsm -direct-kl none", "-direct-kl applies to the direct estimators only"},
			{"-eval -resume", "-eval"},
			{"-out=", "invalid value \"\" for flag -out: want a folder"},
			{"-eval -out nonexistent", "-eval: nonexistent holds no run"},
			{"-resume -out nonexistent", "-resume: nonexistent holds no run"},
			{"-data cifar", "-data"},
			{"-states 3", "flag provided but not defined: -states"},
			{"-kl-grad none", "flag provided but not defined: -kl-grad"},
			{"-epochs 0", "flag -epochs"},
			{"stray", "unexpected arguments"},
		},
		"structured": {
			{"-out /dev/null", "-out /dev/null: /dev/null is a file, not a folder"},
			{"-out -", "flag -out: want a folder"},
			{"-out=", "flag -out"},
			{"-k 3", "-k 3: -structure complete has binary variables"},
			{"-structure independent -k 0", "flag -k"},
			{"-structure matching -n 1", "-n 1: -structure matching wants n ≥ 2"},
			{"-structure tree -n 2", "-n 2: -structure tree wants n ≥ 3"},
			{"-structure matching -k 3", "leave -k out"},
			{"-lambda 5", "-lambda applies to -estimator imle and imle-sog only, not direct"},
			{"-estimator imle -solves 5", "-solves applies to -estimator perturbed only, not imle"},
			{"-estimator imle -lambda 0", "flag -lambda"},
			{"-structure independent -signs general", "-signs applies to"},
			{"-structure subset", "-subset-k 0"},
			{"-structure subset -subset-k 15", "-subset-k 15"},
			{"-subset-k 3", "-subset-k and -subset-parts apply to -structure subset only"},
			{"-structure nope", "-structure \"nope\""},
			{"-solver nope", "-solver nope does not apply"},
			{"-solver maxflow -signs general", "-solver maxflow does not apply"},
			{"-n 100000", "-n: the run would hold"},
			{"-structure matching -n 100000", "-n (f̃ decodes every local change of a code): the run would hold"},
			{"-structure tree -n 100000", "the run would hold"},
			{"-structure independent -n 16000000 -k 16000000", "-n, -k (f̃ decodes every local change of a code): the run would hold"},
			{"-hidden 16000000", "-hidden"},
			{"-batch 16000000", "-batch"},
			{"-ftilde exact", "flag provided but not defined: -ftilde"},
			{"-states 4", "flag provided but not defined: -states"},
			{"-lr -1", "flag -lr"},
			{"-eps0 NaN", "flag -eps0"},
			{"-samples 0", "flag -samples"},
			{"-structure chain -kl-exact 5", "-kl-exact"},
			{"-resume -out nonexistent", "-resume: nonexistent holds no run"},
		},
		"figure1": {
			{"-out /dev/null", "-out /dev/null: /dev/null is a file, not a folder"},
			{"-out -", "flag -out: want a folder"},
			{"-k 1", "flag -k"},
			{"-eps 0,1", "flag -eps"},
			{"-tau NaN", "flag -tau"},
			{"-examples 0", "flag -examples"},
			{"-batch 10", "flag provided but not defined: -batch"},
			{"-hidden 16000000", "-hidden"},
			{"-data foo", "-data"},
			{"-checkpoint /dev/zero", "-checkpoint: /dev/zero is a device, not a regular file"},
			{"-checkpoint /", "-checkpoint: / is a folder, not a file"},
		},
		"figure3": {
			{"-out /dev/null", "-out /dev/null: /dev/null is a file, not a folder"},
			{"-out -", "flag -out: want a folder"},
			{"-encoders nope", "-encoders"},
			{"-encoders complete@nope", "solver nope does not apply"},
			{"-estimators bogus", "flag -estimators: \"bogus\": not an estimator"},
			{"-relaxed -estimators direct", "-relaxed applies to the gsm cells"},
			{"-estimator gsm", "flag provided but not defined: -estimator"},
			{"-direct-kl none", "flag provided but not defined: -direct-kl"},
			{"-milp-epochs 0", "flag -milp-epochs"},
			{"-n 0", "flag -n"},
			{"-n 100000", "-n"},
			{"-estimators= -encoders=", "all empty: nothing to run"},
			{"-estimators direct -lambda 3", "-lambda applies to the imle and imle-sog cells, and the grid has none"},
		},
		"structgrid": {
			{"-out /dev/null", "-out /dev/null: /dev/null is a file, not a folder"},
			{"-out -", "flag -out: want a folder"},
			{"-structures nope", "flag -structures"},
			{"-structures tree:0", "flag -structures"},
			{"-structures matching:100000", "-structures matching:100000: N (f̃ decodes every local change of a code): the run would hold"},
			{"-structures matching:1", "-structures matching:1: N 1: -structures matching wants n ≥ 2"},
			{"-matching-n 6", "flag provided but not defined: -matching-n: a structure's size is the N of -structures STRUCTURE:N"},
			{"-subset-k 30", "-subset-k 30"},
			{"-structures tree:4 -subset-k 2", "-subset-k: no structure in -structures reads it"},
			{"-structures tree:4 -k 3", "-k: no structure in -structures reads it"},
			{"-estimators direct -subset-estimators direct -solves 20", "-solves applies to the perturbed cells, and the grid has none"},
			{"-solves 1", "flag -solves"},
			{"-lambda -1", "flag -lambda"},
			{"-structures tree:4 -estimators imle -anneal 0.1", "-anneal: no estimator of the grid has a temperature"},
			{"-estimators nope", "flag -estimators"},
			{"-subset-estimators nope", "flag -subset-estimators"},
			{"-estimator direct", "flag provided but not defined: -estimator"},
			{"-kl-grad none", "flag provided but not defined: -kl-grad"},
		},
		"table1": {
			{"-out /dev/null", "-out /dev/null: /dev/null is a file, not a folder"},
			{"-out -", "flag -out: want a folder"},
			{"-seed 3", "flag provided but not defined: -seed"},
			{"-k 1", "flag -k"},
			{"-estimators bogus", "flag -estimators"},
			{"-datasets cifar", "flag -datasets"},
			{"-name ../x", "-name"},
			{"-relaxed -estimators direct", "-relaxed applies to the gsm cells"},
			{"-data mnist", "flag provided but not defined: -data"},
			{"-estimator direct", "flag provided but not defined: -estimator"},
			{"-seeds -1", "flag -seeds"},
			{"-seeds 1,2,1", "\"1\": given twice"},
			{"-estimators exact -eps0 0.5", "-eps0: no estimator of the grid has a temperature"},
		},
		"table2": {
			{"-out /dev/null", "-out /dev/null: /dev/null is a file, not a folder"},
			{"-out -", "flag -out: want a folder"},
			{"-jobs 0", "flag -jobs"},
			{"-jobs 100000", "flag -jobs"},
			{"-epochs 0", "flag -epochs"},
			{"-labels 15", "-labels: 15 is not a multiple of 10"},
			{"-labels 60000", "flag -labels"},
			{"-estimators exact", "flag -estimators"},
			{"-datasets omniglot", "flag -datasets"},
		},
		"semisup": {
			{"-out /dev/null", "-out /dev/null: /dev/null is a file, not a folder"},
			{"-out -", "flag -out: want a folder"},
			{"-batch 0", "flag -batch"},
			{"-batch 100000000", "flag -batch"},
			{"-gaussian-dim 1000000000", "flag -gaussian-dim"},
			{"-anneal Inf", "flag -anneal"},
			{"-alpha Inf", "flag -alpha"},
			{"-alpha 3", "-alpha applies to -estimator gsm only"},
			{"-estimator gsm -eps-sup 0.5", "-eps-sup applies to -estimator direct only"},
			{"-labels 0 -label-batch 5", "-label-batch"},
			{"-labels 15", "-labels 15"},
			{"-labels 60000", "flag -labels"},
			{"-lr 2", "flag -lr"},
			{"-data omniglot", "-data \"omniglot\""},
			{"-estimator exact", "-estimator \"exact\""},
			{"-anneal-rate 0.1", "flag provided but not defined: -anneal-rate"},
			{"-threads 100000", "flag -threads"},
			{"-resume -out nonexistent", "nonexistent does not exist"},
		},
		"maxflow": {
			{"", "missing -in"},
			{"-in x -backend nope", "-backend"},
			{"-in x -workers 2", "flag provided but not defined: -workers"},
			{"-in x -scale 3", "-scale applies only to -backend yourbasic"},
			{"-in x -backend yourbasic -scale NaN", "flag -scale"},
			{"-in x -threads 1", "-threads applies only to -backend pbk"},
			{"-in x -seed 2", "-seed applies only with -gen"},
			{"-gen 3x3 -out - -cut c", "-cut applies only when solving"},
			{"-gen 0x5 -out -", "-gen wants WxH"},
		},
		"solverbench": {
			{"-out /dev/null", "-out /dev/null: /dev/null is a file, not a folder"},
			{"-out -", "flag -out: want a folder"},
			{"-count 0", "flag -count"},
			{"-p 0.5", "-p applies only with -qpbo-scaling"},
			{"-qpbo-scaling -p 2", "flag -p"},
			{"-qpbo-scaling -sizes 100000000000", "-sizes, -count: the run would hold"},
			{"-qpbo-crossover -count 100000", "flag -count"},
			{"-qpbo-crossover -qpbo-scaling", "choose one"},
			{"-qpbo-crossover -quick", "-quick applies only to the solver table"},
		},
		"structlab": {
			{"-out /dev/null", "-out /dev/null: /dev/null is a file, not a folder"},
			{"-out -", "flag -out: want a folder"},
			{"", "-run is required"},
			{"-reps 1", "flag -reps"},
			{"-eps 0", "flag -eps"},
			{"-run nonexistent", "-run"},
			{"-run x -pair-scale NaN", "flag -pair-scale"},
		},
		"latents": {
			{"-out /dev/null", "-out /dev/null: /dev/null is a file, not a folder"},
			{"-out -", "flag -out: want a folder"},
			{"", "-run is required"},
			{"-images 0", "flag -images"},
			{"-scale 100", "flag -scale"},
			{"-run nonexistent", "-run"},
		},
	}
	for _, name := range commands(t) {
		if _, ok := cases[name]; !ok {
			t.Errorf("no bad command lines for %s", name)
		}
	}
	for name, list := range cases {
		flags := flagsOf(t, name)
		for _, c := range list {
			args := strings.Fields(c[0])
			dir := t.TempDir()
			r := runCmd(t, dir, name, args...)
			if r.code != 2 || !strings.Contains(r.stderr, c[1]) {
				t.Errorf("%s %s: exit %d, stderr %q; want 2 and %q", name, c[0], r.code, r.stderr, c[1])
				continue
			}
			if strings.Contains(r.stderr, "Usage of") || strings.Count(r.stderr, "\n") > 2 {
				t.Errorf("%s %s: the error is not one short message: %q", name, c[0], r.stderr)
			}
			if !strings.HasPrefix(r.stderr, name+": ") {
				t.Errorf("%s %s: stderr %q does not start with the command's name", name, c[0], r.stderr)
			}
			if left, _ := os.ReadDir(dir); len(left) > 0 {
				t.Errorf("%s %s: a refused command line left %v behind", name, c[0], left)
			}
			if strings.Contains(c[1], "not defined") {
				continue // names the flag it does not have, on purpose
			}
			for _, m := range flagMention.FindAllStringSubmatch(r.stderr, -1) {
				if !flags[m[1]] {
					t.Errorf("%s %s: the message names -%s, which %s does not have: %q", name, c[0], m[1], name, r.stderr)
				}
			}
		}
	}
}

// An environment variable of package nn set to a value nn does not know
// (it would keep its default silently) stops every command that uses nn
// before any work.
func TestBadEnvironment(t *testing.T) {
	for _, name := range commands(t) {
		if name == "maxflow" || name == "solverbench" {
			continue // no neural network
		}
		for _, env := range []string{"ARGMAXVAE_BF16=garbage", "ARGMAXVAE_KERNELS=avx3"} {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			cmd := exec.CommandContext(ctx, filepath.Join(bin, name))
			cmd.Dir = t.TempDir()
			cmd.Env = append(os.Environ(), env)
			var errb bytes.Buffer
			cmd.Stderr = &errb
			cmd.Run()
			cancel()
			v, _, _ := strings.Cut(env, "=")
			if code := cmd.ProcessState.ExitCode(); code != 2 || !strings.Contains(errb.String(), "environment variable "+v) {
				t.Errorf("%s with %s: exit %d, %q; want 2 naming %s", name, env, code, errb.String(), v)
			}
			if left, _ := os.ReadDir(cmd.Dir); len(left) > 0 {
				t.Errorf("%s with %s left %v", name, env, left)
			}
		}
	}
}

// A folder that holds a run is refused to a new run, and to a -resume of
// fewer epochs than it holds, before the data are read: here no data set
// can be read at all.
func TestRefusedBeforeTheData(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	if err := os.Mkdir(run, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := runfolder.Commit(run, runfolder.Checkpoint{State: []byte("x"), Epochs: 3, BestIndex: -1}); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][]string{
		{"categorical", "already holds a run of 3 epochs"}, {"structured", "already holds a run of 3 epochs"}, {"semisup", "already holds a run of 3 epochs"},
		{"categorical", "holds 3 epochs, more than the 2 asked", "-resume", "-epochs", "2"},
		{"structured", "holds 3 epochs, more than the 2 asked", "-resume", "-epochs", "2"},
		{"semisup", "holds 3 epochs, more than the 2 asked", "-resume", "-epochs", "2"},
	} {
		name, want := c[0], c[1]
		cmd := exec.Command(filepath.Join(bin, name), append([]string{"-out", run}, c[2:]...)...)
		cmd.Dir = dir
		for _, e := range []string{"MNIST", "FASHION", "OMNIGLOT", "BINARIZED_MNIST"} {
			cmd.Env = append(cmd.Env, "ARGMAXVAE_"+e+"="+filepath.Join(dir, "no-data"))
		}
		cmd.Env = append(os.Environ(), cmd.Env...)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != 2 || !strings.Contains(errb.String(), want) {
			t.Errorf("%s -out RUN %q: exit %d, %q; want 2 and %q before reading data", name, c[2:], code, errb.String(), want)
		}
	}
}

// -help prints the flags and exits 0; a runtime failure exits 1.
func TestHelpAndFailure(t *testing.T) {
	for _, name := range commands(t) {
		flagsOf(t, name)
	}
	dir := t.TempDir()
	r := runCmd(t, dir, "maxflow", "-in", "missing.max")
	if r.code != 1 || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("maxflow on a missing file: exit %d, %q; want 1", r.code, r.stderr)
	}
}

// Every command's main is cli.Main, so every command gets the
// convention: usage errors exit 2, the first SIGINT or SIGTERM cancels
// the run, a second one quits at once.
func TestEveryMainIsCliMain(t *testing.T) {
	for _, name := range commands(t) {
		file := filepath.Join(name, "main.go")
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ok := false
		for _, d := range f.Decls {
			fn, isFn := d.(*ast.FuncDecl)
			if !isFn || fn.Name.Name != "main" || fn.Recv != nil || len(fn.Body.List) != 1 {
				continue
			}
			if es, isExpr := fn.Body.List[0].(*ast.ExprStmt); isExpr {
				if call, isCall := es.X.(*ast.CallExpr); isCall {
					if sel, isSel := call.Fun.(*ast.SelectorExpr); isSel {
						id, _ := sel.X.(*ast.Ident)
						ok = id != nil && id.Name == "cli" && sel.Sel.Name == "Main"
					}
				}
			}
		}
		if !ok {
			t.Errorf("%s: func main is not the one statement cli.Main(...)", file)
		}
	}
}

// maxflow has nothing to save, so the first SIGINT ends it within seconds
// with status 130, even blocked reading standard input (a read and a
// solve do not look at a context). The second signal's forced exit, for
// commands that save first, is internal/cli's TestSecondSignalForcesExit;
// every command has it, as every main is cli.Main (above).
func TestFirstInterruptEndsMaxflow(t *testing.T) {
	// A signal that arrives before the command installs its handler
	// kills it outright: then try again, waiting longer.
	for wait := 100 * time.Millisecond; wait < time.Minute; wait *= 2 {
		if firstInterrupt(t, wait) {
			return
		}
	}
	t.Fatal("the command never saw the signal")
}

// firstInterrupt starts maxflow on a standard input that never ends,
// signals it after wait and checks how it ended; it reports false when the
// signal came before the handler.
func firstInterrupt(t *testing.T, wait time.Duration) bool {
	cmd := exec.Command(filepath.Join(bin, "maxflow"), "-in", "-")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var errb cmdtest.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	time.Sleep(wait)
	start := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatal("still running 10 s after SIGINT")
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return false
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 || !strings.Contains(errb.String(), "maxflow: interrupted") {
		t.Errorf("exit %d after %v, stderr %q; want 130 and \"maxflow: interrupted\"", code, time.Since(start), errb.String())
	}
	return true
}

// docCommand is a command line in the documentation: `go run ./cmd/NAME
// ARGS` or `./run.sh ARGS` (the main job, cmd/structured), inside
// backquotes, up to a pipe or another command.
var docCommand = regexp.MustCompile("(?:go run \\./cmd/(\\w+)|\\./run\\.sh)([^`|;&]*)")

// Every command line the README and docs/ record beside a number names
// only flags today's command has, so each can still be run to reproduce
// its number (renamed flags are refused, not aliased).
func TestDocsCommandsUseRealFlags(t *testing.T) {
	files, err := filepath.Glob("../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../docs/*/*.md")
	files = append(append(files, "../README.md"), more...)
	have := map[string]map[string]bool{}
	seen := 0
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, quoted := range regexp.MustCompile("`[^`]*`").FindAll(text, -1) {
			for _, m := range docCommand.FindAllStringSubmatch(string(quoted), -1) {
				name := m[1]
				if name == "" {
					name = "structured"
				}
				if _, err := os.Stat(name); err != nil {
					t.Errorf("%s: %q runs cmd/%s, which does not exist", file, m[0], name)
					continue
				}
				if have[name] == nil {
					have[name] = flagsOf(t, name)
				}
				seen++
				for _, f := range regexp.MustCompile(`(?:^|\s)--?([a-z][a-z0-9-]*)`).FindAllStringSubmatch(m[2], -1) {
					if !have[name][f[1]] {
						t.Errorf("%s: %q: %s has no flag -%s", file, m[0], name, f[1])
					}
				}
			}
		}
	}
	if seen < 20 {
		t.Errorf("found %d command lines in the docs; the pattern has stopped matching them", seen)
	}
}
