package shard

import (
	"strings"
	"testing"
)

// env is a lookup function over a fixed environment.
func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for _, s := range kv {
		k, v, _ := strings.Cut(s, "=")
		m[k] = v
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// slurm is the environment of task id of an array min-max:step, as sbatch
// --array sets it.
func slurm(id, min, max, count, step string) []string {
	return []string{"SLURM_ARRAY_TASK_ID=" + id, "SLURM_ARRAY_TASK_MIN=" + min, "SLURM_ARRAY_TASK_MAX=" + max,
		"SLURM_ARRAY_TASK_COUNT=" + count, "SLURM_ARRAY_TASK_STEP=" + step, "SLURM_ARRAY_JOB_ID=7", "SLURM_JOB_ID=9"}
}

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		name    string
		req     Request
		env     []string
		want    Shard
		wantErr string // substring of the error; "" for none
	}{
		{name: "nothing", want: Shard{}},
		{name: "flag", req: Request{Shard: "2/4"}, want: Shard{2, 4, FromFlag}},
		{name: "flag with -shards", req: Request{Shard: "2/4", Shards: 4}, want: Shard{2, 4, FromFlag}},
		{name: "flag against -shards", req: Request{Shard: "2/4", Shards: 3}, wantErr: "-shard 2/4 is one of 4 shards, -shards says 3"},
		{name: "bad flag", req: Request{Shard: "4/4"}, wantErr: `-shard "4/4": need 0 ≤ i < n`},
		{name: "negative -shards", req: Request{Shards: -1}, wantErr: "-shards -1"},
		{name: "-shards alone", req: Request{Shards: 4}, wantErr: "on one machine give -shard i/4"},
		{name: "all", req: Request{Shard: "all"}, env: slurm("2", "0", "3", "4", "1"), want: Shard{}},
		{name: "all with -shards", req: Request{Shard: "all", Shards: 2}, wantErr: "takes no -shards"},
		{name: "empty variables are unset", env: []string{"SLURM_ARRAY_TASK_ID=", "JOB_COMPLETION_INDEX="}, want: Shard{}},

		{name: "slurm", env: slurm("2", "0", "3", "4", "1"), want: Shard{2, 4, FromSlurm}},
		{name: "slurm from 1", env: slurm("4", "1", "4", "4", "1"), want: Shard{3, 4, FromSlurm}},
		{name: "slurm without count", env: []string{"SLURM_ARRAY_TASK_ID=5", "SLURM_ARRAY_TASK_MIN=3", "SLURM_ARRAY_TASK_MAX=6"}, want: Shard{2, 4, FromSlurm}},
		{name: "slurm without max", env: []string{"SLURM_ARRAY_TASK_ID=5", "SLURM_ARRAY_TASK_MIN=3", "SLURM_ARRAY_TASK_COUNT=4"}, want: Shard{2, 4, FromSlurm}},
		{name: "slurm one task", env: slurm("0", "0", "0", "1", "1"), want: Shard{0, 1, FromSlurm}},
		{name: "slurm step", env: slurm("6", "0", "8", "5", "2"), want: Shard{3, 5, FromSlurm}},
		{name: "slurm step without count", env: []string{"SLURM_ARRAY_TASK_ID=7", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=10", "SLURM_ARRAY_TASK_STEP=3"}, want: Shard{2, 4, FromSlurm}},
		{name: "slurm id off step", env: slurm("5", "0", "8", "5", "2"), wantErr: "SLURM_ARRAY_TASK_ID=5 is not SLURM_ARRAY_TASK_MIN=0 plus a multiple of SLURM_ARRAY_TASK_STEP=2"},
		// Slurm 22.05 sets these for --array=0-9:4 and --array=1,3,7
		// (examples/slurm/test-local-cluster.sh's cluster, env in a job).
		{name: "slurm 0-9:4", env: slurm("8", "0", "8", "3", "4"), want: Shard{2, 3, FromSlurm}},
		{name: "slurm list 1,3,7", env: slurm("3", "1", "7", "3", "1"), wantErr: "not one range"},
		{name: "slurm step 0", env: slurm("0", "0", "3", "4", "0"), wantErr: "SLURM_ARRAY_TASK_STEP=0: want at least 1"},
		{name: "slurm id not a number", env: slurm("two", "0", "3", "4", "1"), wantErr: `SLURM_ARRAY_TASK_ID="two": want a whole number ≥ 0`},
		{name: "slurm negative min", env: slurm("0", "-1", "3", "4", "1"), wantErr: `SLURM_ARRAY_TASK_MIN="-1"`},
		{name: "slurm count not a number", env: slurm("0", "0", "3", "4x", "1"), wantErr: `SLURM_ARRAY_TASK_COUNT="4x"`},
		{name: "slurm no min", env: []string{"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_COUNT=4"}, wantErr: "SLURM_ARRAY_TASK_MIN is not"},
		{name: "slurm no count", env: []string{"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_MIN=0"}, wantErr: "neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX"},
		{name: "slurm id past count", env: []string{"SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_COUNT=4"}, wantErr: "SLURM_ARRAY_TASK_ID=4 is past the array's 4 tasks"},
		{name: "slurm id below min", env: slurm("0", "1", "4", "4", "1"), wantErr: "SLURM_ARRAY_TASK_ID=0 is below SLURM_ARRAY_TASK_MIN=1"},
		{name: "slurm max below min", env: slurm("3", "3", "1", "1", "1"), wantErr: "SLURM_ARRAY_TASK_MAX=1 is below SLURM_ARRAY_TASK_MIN=3"},
		{name: "slurm count 0", env: []string{"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_COUNT=0"}, wantErr: "SLURM_ARRAY_TASK_COUNT=0: want at least 1"},
		{name: "slurm and -shards agree", req: Request{Shards: 4}, env: slurm("2", "0", "3", "4", "1"), want: Shard{2, 4, FromSlurm}},
		{name: "slurm and -shards disagree", req: Request{Shards: 3}, env: slurm("2", "0", "3", "4", "1"), wantErr: "-shards 3 disagrees with the Slurm array of 4 tasks"},
		{name: "slurm and -shard agree", req: Request{Shard: "2/4"}, env: slurm("2", "0", "3", "4", "1"), want: Shard{2, 4, FromFlag}},
		{name: "slurm and -shard count disagree", req: Request{Shard: "1/3"}, env: slurm("1", "0", "3", "4", "1"),
			wantErr: "-shard 1/3 disagrees with SLURM_ARRAY_TASK_ID=1 (array of 4 tasks): this process is shard 1/4"},
		{name: "slurm and -shard index disagree", req: Request{Shard: "1/4"}, env: slurm("2", "0", "3", "4", "1"), wantErr: "this process is shard 2/4"},
		{name: "slurm broken under -shard", req: Request{Shard: "1/4"}, env: slurm("x", "0", "3", "4", "1"), wantErr: `SLURM_ARRAY_TASK_ID="x"`},
		{name: "slurm and kubernetes", env: append(slurm("2", "0", "3", "4", "1"), "JOB_COMPLETION_INDEX=1"), wantErr: "both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX"},

		{name: "kubernetes with -shards", req: Request{Shards: 4}, env: []string{"JOB_COMPLETION_INDEX=3"}, want: Shard{3, 4, FromKubernetes}},
		{name: "kubernetes with STANCE_SHARDS", env: []string{"JOB_COMPLETION_INDEX=0", "STANCE_SHARDS=2"}, want: Shard{0, 2, FromKubernetes}},
		{name: "kubernetes both agree", req: Request{Shards: 2}, env: []string{"JOB_COMPLETION_INDEX=1", "STANCE_SHARDS=2"}, want: Shard{1, 2, FromKubernetes}},
		{name: "kubernetes both disagree", req: Request{Shards: 3}, env: []string{"JOB_COMPLETION_INDEX=1", "STANCE_SHARDS=2"}, wantErr: "-shards 3 disagrees with STANCE_SHARDS=2"},
		{name: "kubernetes no count", env: []string{"JOB_COMPLETION_INDEX=1"}, wantErr: "JOB_COMPLETION_INDEX=1 gives this pod's index but not the count: give -shards N or set STANCE_SHARDS=N"},
		{name: "kubernetes index past count", env: []string{"JOB_COMPLETION_INDEX=4", "STANCE_SHARDS=4"}, wantErr: "JOB_COMPLETION_INDEX=4 is not below the count, 4"},
		{name: "kubernetes index not a number", env: []string{"JOB_COMPLETION_INDEX=1.5", "STANCE_SHARDS=4"}, wantErr: `JOB_COMPLETION_INDEX="1.5"`},
		{name: "kubernetes count not a number", env: []string{"JOB_COMPLETION_INDEX=1", "STANCE_SHARDS=four"}, wantErr: `STANCE_SHARDS="four"`},
		{name: "kubernetes count 0", env: []string{"JOB_COMPLETION_INDEX=0", "STANCE_SHARDS=0"}, wantErr: "STANCE_SHARDS=0: want at least 1"},
		{name: "kubernetes and -shard disagree", req: Request{Shard: "0/4"}, env: []string{"JOB_COMPLETION_INDEX=1", "STANCE_SHARDS=4"},
			wantErr: "-shard 0/4 disagrees with JOB_COMPLETION_INDEX=1 (4 completions)"},
		{name: "STANCE_SHARDS alone is ignored", env: []string{"STANCE_SHARDS=4"}, want: Shard{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resolve(tc.req, env(tc.env...))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("got %+v, error %v; want an error with %q", got, err, tc.wantErr)
			case tc.wantErr == "" && got != tc.want:
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestShardString(t *testing.T) {
	if got := (Shard{2, 4, FromSlurm}).String(); got != "shard 2/4 from SLURM_ARRAY_TASK_ID" {
		t.Errorf("got %q", got)
	}
	if got := (Shard{}).String(); got != "every document" {
		t.Errorf("got %q", got)
	}
}

func TestResolveNilLookup(t *testing.T) {
	if s, err := Resolve(Request{}, nil); err != nil || s.Split() {
		t.Fatalf("got %+v, %v", s, err)
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in      string
		i, n    int
		wantErr bool
	}{
		{"0/1", 0, 1, false}, {"3/4", 3, 4, false}, {"4/4", 0, 0, true}, {"-1/4", 0, 0, true},
		{"1/0", 0, 0, true}, {"2", 0, 0, true}, {"a/b", 0, 0, true},
	} {
		i, n, err := Parse(tc.in)
		if (err != nil) != tc.wantErr || !tc.wantErr && (i != tc.i || n != tc.n) {
			t.Errorf("Parse(%q) = %d, %d, %v", tc.in, i, n, err)
		}
	}
}
