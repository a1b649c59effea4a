package shard

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Where a shard came from: Shard.From is one of these, or "" for a run
// that is not split.
const (
	FromFlag       = "-shard"
	FromSlurm      = "SLURM_ARRAY_TASK_ID"
	FromKubernetes = "JOB_COMPLETION_INDEX"
)

// CountVar is the environment variable that gives the number of shards
// beside JOB_COMPLETION_INDEX, which Kubernetes sets without the count
// (the Job's completions); the -shards flag takes precedence over it.
const CountVar = "STANCE_SHARDS"

// All is the -shard value that asks for every document whatever the
// scheduler says: one process of an array that must read the whole corpus.
const All = "all"

// Shard is one part of a split run: the documents batch.InShard assigns
// to Index of Count. The zero value is a run that is not split.
type Shard struct {
	Index, Count int    // 0 ≤ Index < Count; Count 0 when not split
	From         string // FromFlag, FromSlurm, FromKubernetes; "" when not split
}

// Split reports whether s is one part of a split run (even a run of one part).
func (s Shard) Split() bool { return s.Count > 0 }

// Scheduled reports whether the index came from a scheduler's
// environment, not from -shard.
func (s Shard) Scheduled() bool { return s.From == FromSlurm || s.From == FromKubernetes }

// String is "shard 2/4 from SLURM_ARRAY_TASK_ID", or "every document"
// for a run that is not split.
func (s Shard) String() string {
	if !s.Split() {
		return "every document"
	}
	return fmt.Sprintf("shard %d/%d from %s", s.Index, s.Count, s.From)
}

// Request is what the command line asks: the -shard and -shards flags.
type Request struct {
	Shard  string // "i/n", All or "" (not given)
	Shards int    // the count for JOB_COMPLETION_INDEX; 0 when not given
}

// Parse parses a shard given as "i/n" with 0 ≤ i < n.
func Parse(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	if !ok {
		return 0, 0, errors.New("want i/n, e.g. 0/4")
	}
	if i, err = strconv.Atoi(a); err != nil {
		return 0, 0, err
	}
	if n, err = strconv.Atoi(b); err != nil {
		return 0, 0, err
	}
	if n < 1 || i < 0 || i >= n {
		return 0, 0, errors.New("need 0 ≤ i < n")
	}
	return i, n, nil
}

// Resolve returns the shard a process runs: the one -shard names, else
// the one its scheduler's environment (read with lookup, as
// os.LookupEnv) gives, else none. Environment variables set to "" count
// as unset. Every error is the caller's mistake or the environment's, to
// report as a usage error:
//   - an environment value that is not a whole number, or out of range
//     (an index at or past the count, an id below the array's minimum);
//   - a Slurm array whose ids are not one range MIN-MAX[:STEP] (a list
//     such as --array=1,3,7 numbers no shards);
//   - both a Slurm array task and a Kubernetes index;
//   - -shards, or STANCE_SHARDS with -shards, disagreeing with the count;
//   - -shard disagreeing with the scheduler's shard (-shard all instead
//     asks for every document) or with -shards;
//   - -shards with neither a scheduler index nor -shard.
func Resolve(req Request, lookup func(string) (string, bool)) (Shard, error) {
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	if req.Shards < 0 {
		return Shard{}, fmt.Errorf("-shards %d: want at least 1", req.Shards)
	}
	if req.Shard == All {
		if req.Shards > 0 {
			return Shard{}, fmt.Errorf("-shard all classifies every document: it takes no -shards")
		}
		return Shard{}, nil
	}
	var flag Shard
	if req.Shard != "" {
		i, n, err := Parse(req.Shard)
		if err != nil {
			return Shard{}, fmt.Errorf("-shard %q: %v", req.Shard, err)
		}
		if req.Shards > 0 && req.Shards != n {
			return Shard{}, fmt.Errorf("-shard %s is one of %d shards, -shards says %d", req.Shard, n, req.Shards)
		}
		flag = Shard{Index: i, Count: n, From: FromFlag}
	}
	sched, err := scheduled(req.Shards, lookup)
	if err != nil {
		return Shard{}, err
	}
	switch {
	case flag.Split() && sched.Split():
		if flag.Index != sched.Index || flag.Count != sched.Count {
			return Shard{}, fmt.Errorf("-shard %s disagrees with %s: this process is shard %d/%d; drop -shard to take the scheduler's, or give -shard all for every document",
				req.Shard, describe(sched, lookup), sched.Index, sched.Count)
		}
		return flag, nil
	case flag.Split():
		return flag, nil
	case sched.Split():
		return sched, nil
	case req.Shards > 0:
		return Shard{}, fmt.Errorf("-shards %d gives the count of a split run but not this process's index: set by a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or a Slurm array; on one machine give -shard i/%d", req.Shards, req.Shards)
	}
	return Shard{}, nil
}

// describe names the environment s came from, with its values, for
// messages: "SLURM_ARRAY_TASK_ID=2 (array of 4 tasks)".
func describe(s Shard, lookup func(string) (string, bool)) string {
	id, _ := lookup(s.From)
	if s.From == FromSlurm {
		return fmt.Sprintf("%s=%s (array of %d tasks)", s.From, id, s.Count)
	}
	return fmt.Sprintf("%s=%s (%d completions)", s.From, id, s.Count)
}

// scheduled returns the shard the environment gives, if any.
func scheduled(shards int, lookup func(string) (string, bool)) (Shard, error) {
	get := func(name string) (string, bool) {
		v, ok := lookup(name)
		return v, ok && v != ""
	}
	_, slurm := get(FromSlurm)
	_, k8s := get(FromKubernetes)
	switch {
	case slurm && k8s:
		return Shard{}, fmt.Errorf("both %s and %s are set: cannot tell which scheduler runs this process; unset one", FromSlurm, FromKubernetes)
	case slurm:
		s, err := slurmShard(get)
		if err == nil && shards > 0 && shards != s.Count {
			err = fmt.Errorf("-shards %d disagrees with the Slurm array of %d tasks (%s): drop -shards, or submit --array=0-%d", shards, s.Count, FromSlurm, shards-1)
		}
		return s, err
	case k8s:
		return kubernetesShard(shards, get)
	}
	return Shard{}, nil
}

// number reads a whole number ≥ 0 from the environment variable name;
// ok is false when it is unset.
func number(get func(string) (string, bool), name string) (n int, ok bool, err error) {
	v, ok := get(name)
	if !ok {
		return 0, false, nil
	}
	n, err = strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0, true, fmt.Errorf("%s=%q: want a whole number ≥ 0", name, v)
	}
	return n, true, nil
}

// slurmShard is the shard of a Slurm array task: (ID − MIN) / STEP of
// COUNT, or of (MAX − MIN) / STEP + 1 without COUNT.
func slurmShard(get func(string) (string, bool)) (Shard, error) {
	const (
		idVar    = FromSlurm
		minVar   = "SLURM_ARRAY_TASK_MIN"
		maxVar   = "SLURM_ARRAY_TASK_MAX"
		countVar = "SLURM_ARRAY_TASK_COUNT"
		stepVar  = "SLURM_ARRAY_TASK_STEP"
	)
	id, _, err := number(get, idVar)
	if err != nil {
		return Shard{}, err
	}
	lo, ok, err := number(get, minVar)
	if err != nil {
		return Shard{}, err
	}
	if !ok {
		return Shard{}, fmt.Errorf("%s is set but %s is not: cannot number the shards", idVar, minVar)
	}
	step, ok, err := number(get, stepVar)
	if err != nil {
		return Shard{}, err
	}
	if !ok {
		step = 1
	}
	if step < 1 {
		return Shard{}, fmt.Errorf("%s=%d: want at least 1", stepVar, step)
	}
	hi, hasMax, err := number(get, maxVar)
	if err != nil {
		return Shard{}, err
	}
	count, hasCount, err := number(get, countVar)
	if err != nil {
		return Shard{}, err
	}
	notRange := func() error {
		return fmt.Errorf("the Slurm array's task ids (%s=%d, %s=%d, %s=%d, step %d) are not one range MIN-MAX:STEP, so they number no shards: submit --array=0-N (N+1 shards)",
			minVar, lo, maxVar, hi, countVar, count, step)
	}
	switch {
	case hasMax && hi < lo:
		return Shard{}, fmt.Errorf("%s=%d is below %s=%d", maxVar, hi, minVar, lo)
	case hasMax && hasCount:
		if (hi-lo)%step != 0 || (hi-lo)/step+1 != count {
			return Shard{}, notRange()
		}
	case hasMax:
		if (hi-lo)%step != 0 {
			return Shard{}, notRange()
		}
		count = (hi-lo)/step + 1
	case !hasCount:
		return Shard{}, fmt.Errorf("%s is set but neither %s nor %s: cannot tell how many shards there are", idVar, countVar, maxVar)
	}
	if count < 1 {
		return Shard{}, fmt.Errorf("%s=%d: want at least 1", countVar, count)
	}
	switch {
	case id < lo:
		return Shard{}, fmt.Errorf("%s=%d is below %s=%d", idVar, id, minVar, lo)
	case (id-lo)%step != 0:
		return Shard{}, fmt.Errorf("%s=%d is not %s=%d plus a multiple of %s=%d", idVar, id, minVar, lo, stepVar, step)
	case (id-lo)/step >= count:
		return Shard{}, fmt.Errorf("%s=%d is past the array's %d tasks from %s=%d (step %d)", idVar, id, count, minVar, lo, step)
	}
	return Shard{Index: (id - lo) / step, Count: count, From: FromSlurm}, nil
}

// kubernetesShard is the shard of an Indexed Job's pod: the index is
// JOB_COMPLETION_INDEX, the count -shards (shards > 0) or STANCE_SHARDS.
func kubernetesShard(shards int, get func(string) (string, bool)) (Shard, error) {
	index, _, err := number(get, FromKubernetes)
	if err != nil {
		return Shard{}, err
	}
	env, hasEnv, err := number(get, CountVar)
	if err != nil {
		return Shard{}, err
	}
	count := shards
	switch {
	case shards > 0 && hasEnv && env != shards:
		return Shard{}, fmt.Errorf("-shards %d disagrees with %s=%d", shards, CountVar, env)
	case shards == 0 && !hasEnv:
		return Shard{}, fmt.Errorf("%s=%d gives this pod's index but not the count: give -shards N or set %s=N (the Job's completions)", FromKubernetes, index, CountVar)
	case shards == 0:
		count = env
	}
	if count < 1 {
		return Shard{}, fmt.Errorf("%s=%d: want at least 1", CountVar, count)
	}
	if index >= count {
		return Shard{}, fmt.Errorf("%s=%d is not below the count, %d: the Job's completions and -shards or %s must agree", FromKubernetes, index, count, CountVar)
	}
	return Shard{Index: index, Count: count, From: FromKubernetes}, nil
}
