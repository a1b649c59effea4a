package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stanceEnv is stance with the environment vars ("NAME=value") visible to
// the command, as a scheduler sets them.
func stanceEnv(t *testing.T, ctx context.Context, vars []string, args ...string) (int, string, string) {
	t.Helper()
	m := map[string]string{}
	for _, kv := range vars {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		LookupEnv: func(k string) (string, bool) { v, ok := m[k]; return v, ok }}
	code := exitCode(run(ctx, env, args), env.Stderr)
	return code, out.String(), errb.String()
}

// Bad scheduler values and counts that disagree are usage errors (exit 2)
// naming the variable or flag, before the model is read.
func TestShardUsageErrors(t *testing.T) {
	slurm := func(id, count string) []string {
		return []string{"SLURM_ARRAY_TASK_ID=" + id, "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_COUNT=" + count, "SLURM_ARRAY_TASK_MAX=3"}
	}
	dir := t.TempDir()
	parts := filepath.Join(dir, "part-%i-of-%n.csv")
	for _, tc := range []struct {
		name string
		cmd  string
		env  []string
		args []string
		want string
	}{
		{"slurm id not a number", "classify", slurm("x", "4"), []string{"-out", parts}, `SLURM_ARRAY_TASK_ID="x": want a whole number`},
		{"slurm count not a number", "classify", slurm("1", "four"), []string{"-out", parts}, `SLURM_ARRAY_TASK_COUNT="four"`},
		{"slurm id past the array", "classify", slurm("4", "4"), []string{"-out", parts}, "SLURM_ARRAY_TASK_ID=4 is past the array's 4 tasks"},
		{"slurm without min", "classify", []string{"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_COUNT=4"}, []string{"-out", parts}, "SLURM_ARRAY_TASK_MIN is not"},
		{"-shards against slurm", "classify", slurm("1", "4"), []string{"-out", parts, "-shards", "3"}, "-shards 3 disagrees with the Slurm array of 4 tasks"},
		{"-shard against slurm", "classify", slurm("1", "4"), []string{"-out", parts, "-shard", "1/3"}, "-shard 1/3 disagrees with SLURM_ARRAY_TASK_ID=1 (array of 4 tasks): this process is shard 1/4"},
		{"slurm without %i", "classify", slurm("1", "4"), []string{"-out", filepath.Join(dir, "p.csv")}, "every process of the Slurm array would write this file"},
		{"bad template", "classify", slurm("1", "4"), []string{"-out", filepath.Join(dir, "p-%i-%d.csv")}, "unknown %d"},
		{"kubernetes without count", "classify", []string{"JOB_COMPLETION_INDEX=2"}, []string{"-out", parts}, "give -shards N or set STANCE_SHARDS=N"},
		{"kubernetes index past count", "classify", []string{"JOB_COMPLETION_INDEX=4", "STANCE_SHARDS=4"}, []string{"-out", parts}, "JOB_COMPLETION_INDEX=4 is not below the count, 4"},
		{"kubernetes index negative", "classify", []string{"JOB_COMPLETION_INDEX=-1"}, []string{"-out", parts, "-shards", "4"}, `JOB_COMPLETION_INDEX="-1"`},
		{"kubernetes -shards against env", "classify", []string{"JOB_COMPLETION_INDEX=1", "STANCE_SHARDS=4"}, []string{"-out", parts, "-shards", "2"}, "-shards 2 disagrees with STANCE_SHARDS=4"},
		{"both schedulers", "classify", append(slurm("1", "4"), "JOB_COMPLETION_INDEX=1"), []string{"-out", parts}, "both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX"},
		{"-shards alone", "classify", nil, []string{"-out", parts, "-shards", "4"}, "on one machine give -shard i/4"},
		{"-shard against -shards", "classify", nil, []string{"-out", parts, "-shard", "1/4", "-shards", "3"}, "-shard 1/4 is one of 4 shards, -shards says 3"},
		{"suggest too", "suggest", slurm("x", "4"), []string{"-out", parts}, `suggest: SLURM_ARRAY_TASK_ID="x"`},
		{"suggest without %i", "suggest", []string{"JOB_COMPLETION_INDEX=1", "STANCE_SHARDS=4"}, []string{"-out", filepath.Join(dir, "todo.csv")}, "every process of the Kubernetes Indexed Job would write"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{tc.cmd, "-model", filepath.Join(dir, "no-model.stance")}, tc.args...), "../../examples/corpus")
			code, out, errs := stanceEnv(t, context.Background(), tc.env, args...)
			if code != 2 || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d (want 2); stderr lacks %q:\n%s%s", code, tc.want, out, errs)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Fatalf("usage errors wrote %v", entries)
	}
}

// The output guard checks the name -out expands to: a shard's part may
// not overwrite an input.
func TestShardOutputGuard(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "part-2-of-4.csv")
	os.WriteFile(in, []byte("id,text\n1,Hello.\n"), 0o644)
	code, _, errs := stanceEnv(t, context.Background(), []string{"JOB_COMPLETION_INDEX=2", "STANCE_SHARDS=4"},
		"classify", "-model", filepath.Join(dir, "m.stance"), "-out", filepath.Join(dir, "part-%i-of-%n.csv"), in)
	if code != 2 || !strings.Contains(errs, in) {
		t.Fatalf("exit %d (want 2), stderr:\n%s", code, errs)
	}
}

// report reads folders and globs of parts and refuses incomplete sets,
// naming the part, before reading a row.
func TestReportParts(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), nil, 0o644)
	}
	write("a/part-0-of-3.csv")
	write("a/part-2-of-3.csv")
	write("b/part-1-of-3.csv")
	write("b/part-0-of-2.csv")
	write("c/part-0-of-2.csv")
	write("c/notes.txt")
	for _, tc := range []struct {
		name string
		in   []string
		want []string
	}{
		{"missing", []string{"a"}, []string{"part 1 of 3 missing: expected " + filepath.Join(dir, "a", "part-1-of-3.csv"), "nothing written"}},
		{"mixed counts", []string{"a", filepath.Join("b", "part-1-of-3.csv"), filepath.Join("b", "part-0-of-2.csv")}, []string{"parts of runs split differently", "part 1 of 2 missing"}},
		{"twice", []string{filepath.Join("b", "part-0-of-2.csv"), filepath.Join("c", "part-*.csv")}, []string{"part 0 of 2 given twice", "part 1 of 2 missing"}},
		{"not a part in a folder", []string{"c"}, []string{"notes.txt: not a part of a split run"}},
		{"glob of nothing", []string{"x-*.csv"}, []string{"x-*.csv: no file matches"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"report", "-out", filepath.Join(dir, "trends.csv")}
			for _, in := range tc.in {
				args = append(args, "-in", filepath.Join(dir, in))
			}
			code, out, errs := stance(t, context.Background(), args...)
			for _, w := range tc.want {
				if code != 1 || !strings.Contains(errs, w) {
					t.Fatalf("exit %d (want 1); stderr lacks %q:\n%s%s", code, w, out, errs)
				}
			}
		})
	}
}
