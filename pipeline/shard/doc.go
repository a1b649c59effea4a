// Package shard says which part of a split run a process is, and checks
// that the parts of a run come back complete.
//
// One run of stance classify (or suggest) can be split over n processes:
// shard i of n (0 ≤ i < n) classifies the documents batch.InShard assigns
// to it. Resolve takes the shard from the -shard and -shards flags or
// from the scheduler running the process: a Slurm array task
// (SLURM_ARRAY_TASK_ID, _MIN, _COUNT or _MAX, _STEP) or a Kubernetes
// Indexed Job's pod (JOB_COMPLETION_INDEX, with the count from -shards or
// STANCE_SHARDS). It reads the environment through a lookup function, so
// every case is a table test.
//
// Each part writes its own file, named by a template (Expand:
// part-%i-of-%n.csv). The file name is how a part is recognised later
// (ParsePart: "<i>-of-<n>" in the base name); Inputs expands folders and
// globs of parts and CheckParts refuses a set with a part missing,
// duplicated or of another count.
package shard
