// Command stance labels sentences of dated articles and speeches for a set
// of stance targets and reports how those stances change over time.
//
// main only wires: it calls run and maps the returned error to an exit code
// (0 success, 1 runtime failure, 2 usage error) in one place.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"

	"github.com/stance-project/stance/internal/spell"
	"github.com/stance-project/stance/pipeline"
	"github.com/stance-project/stance/pipeline/atomicfile"
	"github.com/stance-project/stance/pipeline/shard"
)

func main() {
	ctx := interruptible()
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Terminal: isTerminal(os.Stderr), LookupEnv: os.LookupEnv}
	os.Exit(exitCode(run(ctx, env, os.Args[1:]), env.Stderr))
}

// interruptible returns a context cancelled by the first SIGINT or
// SIGTERM, so the command stops cleanly (temporary files removed); a
// second signal exits at once with status 130, for whatever the context
// cannot stop.
func interruptible() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		cancel()
		<-sig
		fmt.Fprintln(os.Stderr, "stance: interrupted twice: exiting at once")
		os.Exit(130)
	}()
	return ctx
}

// Env is what a subcommand may touch of the outside world.
type Env struct {
	Stdin    io.Reader
	Stdout   io.Writer
	Stderr   io.Writer
	Terminal bool // stderr is a terminal: progress bars allowed
	// LookupEnv reads an environment variable, as os.LookupEnv (a
	// scheduler's shard index); nil for an empty environment.
	LookupEnv func(string) (string, bool)
}

// shardFlags are the -shard and -shards flags of classify and suggest.
type shardFlags struct {
	shard  *string
	shards *int
}

// addShardFlags defines -shard and -shards on fs.
func addShardFlags(fs *flag.FlagSet) shardFlags {
	return shardFlags{
		shard:  fs.String("shard", "", "process only shard `i/n` of the documents (0 ≤ i < n); all: every document, whatever the scheduler says (default: the Slurm array task's or Kubernetes Indexed Job pod's shard, if any)"),
		shards: fs.Int("shards", 0, "the number of shards `N` beside JOB_COMPLETION_INDEX (default: $"+shard.CountVar+")"),
	}
}

// resolve returns the shard this process runs (shard.Resolve) and sets
// fs's -out to the file that shard writes (shard.Output), so that
// guardOutputs checks the expanded name. Its errors are usage errors.
func (sf shardFlags) resolve(env *Env, cmd string, fs *flag.FlagSet) (shard.Shard, error) {
	s, err := shard.Resolve(shard.Request{Shard: *sf.shard, Shards: *sf.shards}, env.LookupEnv)
	if err != nil {
		return s, usagef("%s: %v", cmd, err)
	}
	out := fs.Lookup("out").Value
	name, err := shard.Output(out.String(), s)
	if err != nil {
		return s, usagef("%s: -out %v", cmd, err)
	}
	out.Set(name)
	return s, nil
}

// command is one subcommand: a name, a one-line summary, and a Run that
// parses its own flags.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// commands lists every subcommand, in the order `stance help` shows them.
func commands() []command {
	return []command{
		{"ingest", "read articles and speeches, write clean dated sentences (CSV)", runIngest},
		{"tokenize", "print the subword tokens of each stdin line", runTokenize},
		{"labels", "check, describe, merge, compare and export gold label files", runLabels},
		{"train", "train a stance classifier on gold labels", runTrain},
		{"classify", "predict stances for articles or pre-split sentences", runClassify},
		{"explain", "show the words that pushed each decision for a sentence", runExplain},
		{"eval", "evaluate a model on gold labels: metrics, errors, HTML report", runEval},
		{"cv", "cross-validate training on gold labels, folds grouped by document", runCV},
		{"report", "stance prevalence over time from prediction files", runReport},
		{"suggest", "choose the sentences worth labelling next", runSuggest},
		{"pretrain", "learn word clusters from unlabelled text, for train -clusters", runPretrain},
	}
}

// usageError marks a mistake in how stance was called (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// guardOutputs is every command's check, before it reads or writes
// anything, that none of its outputs is, or lies in, one of its inputs
// or is another output (pipeline.CheckOverlap: a usage error naming the
// flag, the output and the input). Then, since the run will write them,
// it removes the temporary files that earlier runs writing the same
// outputs left when they were killed (atomicfile.RemoveStale), saying so
// on stderr, and warns of those another run may still be writing.
func guardOutputs(env *Env, cmd string, outputs, inputs []pipeline.PathArg) error {
	if err := pipeline.CheckOverlap(outputs, inputs); err != nil {
		return usagef("%s: %v", cmd, err)
	}
	for _, out := range pipeline.OutputFiles(outputs) {
		removed, kept, err := atomicfile.RemoveStale(out)
		for _, p := range removed {
			fmt.Fprintf(env.Stderr, "%s: removed %s, a temporary file of %s left by an earlier run that did not finish\n", cmd, p, out)
		}
		for _, p := range kept {
			fmt.Fprintf(env.Stderr, "%s: warning: %s, a temporary file of %s, may belong to a run still writing it; left in place\n", cmd, p, out)
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "%s: warning: %v\n", cmd, err)
		}
	}
	return nil
}

// pathFlags lists the paths the flags names of fs hold (every value of
// a repeatable flag), each named by its flag, for guardOutputs. Flags
// not given hold "", which it ignores.
func pathFlags(fs *flag.FlagSet, names ...string) []pipeline.PathArg {
	var paths []pipeline.PathArg
	for _, name := range names {
		f := fs.Lookup(name)
		if f == nil {
			panic("pathFlags: no flag -" + name)
		}
		if list, ok := f.Value.(*stringList); ok {
			paths = append(paths, pipeline.Paths("-"+name, *list...)...)
			continue
		}
		paths = append(paths, pipeline.PathArg{Flag: "-" + name, Path: f.Value.String()})
	}
	return paths
}

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// errSilent is returned when a subcommand already printed its own failure
// (for example a list of validation problems) and only the exit status is
// left to set.
var errSilent = errors.New("failed")

func run(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "version", "--version", "-version":
			fmt.Fprintln(env.Stdout, version(debug.ReadBuildInfo()))
			return nil
		case "help", "-h", "--help", "-help":
			if len(args) > 1 {
				return run(ctx, env, []string{args[1], "-h"})
			}
		}
	}
	c, err := topLevel().lookup(env, args)
	if c == nil {
		return err
	}
	err = c.run(ctx, env, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return interrupted(ctx, c.name, err)
}

// commandSet is a table of subcommands with their usage: the top level
// (`stance <command>`) and `stance labels <command>` are both one.
type commandSet struct {
	name  string // "" for the top level, else the command they belong to ("labels")
	cmds  []command
	notes []string // lines after the list in the usage
}

// topLevel is the set of stance's commands.
func topLevel() commandSet {
	return commandSet{cmds: commands(), notes: []string{
		"Run `stance help <command>` or `stance <command> -h` for its flags and defaults,",
		"`stance version` (or --version) for the version and commit of this binary.",
		"Exit status: 0 success, 1 runtime failure, 2 usage error.",
	}}
}

// usage prints the usage line, the commands with their summaries, and
// the notes.
func (s commandSet) usage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s <command> [flags] [args]\n", strings.TrimSpace("stance "+s.name))
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	width := 0
	for _, c := range s.cmds {
		width = max(width, len(c.name))
	}
	for _, c := range s.cmds {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintln(w)
	for _, n := range s.notes {
		fmt.Fprintln(w, n)
	}
}

// lookup returns the command of s that args[0] names. Otherwise it
// returns a nil command and the error to return after printing the
// usage: nil for a request for help (usage on stdout), a usage error
// for no command or an unknown one (usage on stderr, with a
// did-you-mean).
func (s commandSet) lookup(env *Env, args []string) (*command, error) {
	prefix := ""
	if s.name != "" {
		prefix = s.name + ": "
	}
	if len(args) == 0 {
		s.usage(env.Stderr)
		return nil, usagef("%sno command given", prefix)
	}
	switch args[0] {
	case "help", "-h", "--help", "-help":
		s.usage(env.Stdout)
		return nil, nil
	}
	for _, c := range s.cmds {
		if c.name == args[0] {
			return &c, nil
		}
	}
	s.usage(env.Stderr)
	return nil, usagef("%sunknown command %q%s", prefix, args[0], didYouMean(args[0], s.cmds))
}

// didYouMean returns "; did you mean NAME?" for the command nearest to
// name, within two edits (a letter left out, doubled or swapped), or "".
func didYouMean(name string, cs []command) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.name
	}
	if best := spell.Closest(strings.ToLower(name), names, 2); best != "" {
		return fmt.Sprintf("; did you mean %s?", best)
	}
	return ""
}

// version describes the binary from its build information: the module
// version ("(devel)" for a build from a checkout) and, when the build
// recorded them, the VCS commit, its time and whether the work tree had
// uncommitted changes.
func version(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "stance (version unknown: built without module information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	s := "stance " + v
	var rev, at, modified string
	for _, kv := range info.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.time":
			at = kv.Value
		case "vcs.modified":
			modified = kv.Value
		}
	}
	if rev != "" {
		s += " commit " + rev
		if at != "" {
			s += " (" + at + ")"
		}
		if modified == "true" {
			s += " with uncommitted changes"
		}
	}
	if info.GoVersion != "" {
		s += ", " + info.GoVersion
	}
	return s
}

// interrupted returns err, or for a command stopped by ctx's
// cancellation whose error does not say so, "<name>: interrupted".
func interrupted(ctx context.Context, name string, err error) error {
	if err == nil || ctx.Err() == nil || !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "interrupted") {
		return err
	}
	return fmt.Errorf("%s: interrupted", name)
}

// exitCode maps an error to the process exit status and prints it.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "stance: %v\n", err)
		return 2
	}
	if !errors.Is(err, errSilent) {
		fmt.Fprintf(stderr, "stance: %v\n", err)
	}
	return 1
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints a usage line, the description and every flag with its default.
func newFlagSet(env *Env, name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "usage: stance %s %s\n\n", name, synopsis)
		if description != "" {
			fmt.Fprintln(out, strings.TrimSpace(description))
			fmt.Fprintln(out)
		}
		fmt.Fprintln(out, "flags:")
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args into fs, turning flag errors into usage
// errors. Flags may come before, between or after the positional
// arguments (`ingest DIR -out x.csv`), which fs.Args then returns in
// their order; everything after "--" is positional, even what looks like
// a flag, and a flag fs does not define is an error, never a path. A
// lone "-" (standard input) is positional. -h/-help prints usage to
// stdout and yields flag.ErrHelp.
func parseFlags(env *Env, fs *flag.FlagSet, args []string) error {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(env.Stdout)
			fs.Usage()
			return flag.ErrHelp
		}
		flags = append(flags, a)
		// As the flag package reads it: -name value, unless the flag is
		// boolean or written -name=value.
		name, _, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if f := fs.Lookup(name); f != nil && !hasValue && !isBoolFlag(f) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	if err := fs.Parse(append(append(flags, "--"), pos...)); err != nil {
		return usageError{err}
	}
	return nil
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// stringList is a repeatable flag (-labels a.csv -labels b.csv), also
// accepting comma-separated values.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*s = append(*s, p)
		}
	}
	return nil
}

// metaColumns reads the -meta flag of ingest and classify as their
// Meta options do: nil (no flag) for the first document's keys, "none"
// for no column, else the columns named.
func metaColumns(meta stringList) []string {
	switch {
	case len(meta) == 1 && strings.EqualFold(meta[0], "none"):
		return []string{}
	case len(meta) > 0:
		return meta
	}
	return nil
}

// sortedKeys is used by subcommands that print maps.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	return fi.Mode()&os.ModeCharDevice != 0
}
