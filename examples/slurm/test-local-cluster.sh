#!/usr/bin/env bash
# Runs the Slurm example on a real single-node Slurm cluster started here,
# and checks that the array job's trends.csv is byte-identical to one
# `stance classify` + `stance report` on one machine.
#
#   bash examples/slurm/test-local-cluster.sh
#
# Needs Debian's slurm-wlm and munge (apt-get install slurm-wlm munge) and
# root (slurmd runs jobs as their user; SlurmUser=root). Nothing outside a
# fresh temporary folder is written; every daemon is stopped on exit, and
# on failure their logs are printed.
#
# Settings (environment, with defaults):
#   STANCE   stance binary                 (built from this checkout)
#   CORPUS   corpus to classify, paths separated by spaces  (examples/corpus)
#   LABELS   gold labels for the model     (examples/labels.csv)
#   PARTS    array tasks                   (4)
#   TIMEOUT  seconds for the cluster to come up, and for the jobs  (120)
#   SLURM_TEST_PORT  slurmctld's port; slurmd takes the next  (random 20000-39999)
#   KEEP=1   keep the temporary folder
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
CORPUS=${CORPUS:-$repo/examples/corpus}
LABELS=${LABELS:-$repo/examples/labels.csv}
PARTS=${PARTS:-4}
TIMEOUT=${TIMEOUT:-120}
port=${SLURM_TEST_PORT:-$((20000 + RANDOM % 20000))}

for cmd in slurmctld slurmd munged sbatch squeue sinfo scontrol; do
  command -v "$cmd" >/dev/null || { echo "test-local-cluster: $cmd not found: apt-get install slurm-wlm munge" >&2; exit 3; }
done

# Not inside someone else's job: the single-machine run must be whole,
# and sbatch must read nothing but this cluster's settings.
for v in $(compgen -e | grep -E '^(SLURM|SBATCH|SALLOC|SRUN)_' || true); do unset "$v"; done
unset JOB_COMPLETION_INDEX STANCE_SHARDS

# A free port pair (nothing answers on either).
free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 20); do
  free "$port" && free $((port + 1)) && break
  port=$((20000 + RANDOM % 20000))
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stance-slurm.XXXXXX")
if [ ${#tmp} -gt 50 ]; then
  # Unix socket paths (munge's, slurmd's) must stay under 108 bytes.
  rmdir "$tmp"
  tmp=$(mktemp -d /tmp/stance-slurm.XXXXXX)
fi
pids=()
ok=0
cleanup() {
  local pid
  # Jobs still running would outlive slurmd (slurmstepd): cancel them.
  if [ -n "${SLURM_CONF:-}" ] && [ -n "$(timeout 5 squeue -h -o %i 2>/dev/null)" ]; then
    timeout 5 scancel --full $(timeout 5 squeue -h -o %A 2>/dev/null | sort -u) 2>/dev/null || true
    for _ in $(seq 50); do [ -z "$(timeout 5 squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.1; done
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$ok" != 1 ]; then
    for f in "$tmp"/log/*; do
      [ -f "$f" ] || continue
      echo "==== $f" >&2
      tail -n 40 "$f" >&2
    done
  fi
  if [ "${KEEP:-}" = 1 ]; then echo "test-local-cluster: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "test-local-cluster: FAIL: $*" >&2; exit 1; }
# wait_jobs ID... waits until no job of the ids is queued or running
# (sbatch --wait polls far more slowly), TIMEOUT seconds at most.
wait_jobs() {
  local deadline=$(($(date +%s) + TIMEOUT))
  while [ -n "$(squeue -h -j "$(echo "$@" | tr ' ' ,)" -o %i 2>/dev/null)" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { squeue >&2; fail "jobs $* not done after ${TIMEOUT}s"; }
    sleep 0.2
  done
}
# job_ok ID... fails unless every task of the jobs completed.
job_ok() {
  local id state
  for id in "$@"; do
    state=$(scontrol show job "$id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u | tr '\n' ' ')
    [ "$state" = "JobState=COMPLETED " ] || fail "job $id: ${state:-not found}"
  done
}
t0=$(date +%s.%N)
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

mkdir -p "$tmp"/{log,state,run,munge,work} "$tmp/spool/$(hostname -s)"
if [ -z "${STANCE:-}" ]; then
  (cd "$repo" && go build -o "$tmp/stance" ./cmd/stance)
  STANCE=$tmp/stance
fi
STANCE=$(cd "$(dirname "$STANCE")" && pwd)/$(basename "$STANCE")

# The model and the single-machine reference.
"$STANCE" train -labels "$LABELS" -out "$tmp/model.stance" >"$tmp/log/train.log" 2>&1 || fail "stance train (log: train.log)"
"$STANCE" classify -quiet -model "$tmp/model.stance" -out "$tmp/one.csv" $CORPUS 2>"$tmp/log/one-classify.log" || fail "stance classify"
"$STANCE" report -quiet -model "$tmp/model.stance" -in "$tmp/one.csv" -out "$tmp/one-trends.csv" 2>"$tmp/log/one-report.log" || fail "stance report"
echo "test-local-cluster: single-machine run done in $(elapsed)s"

# munge, with a key of its own and a socket in the temporary folder.
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 0400 "$tmp/munge/munge.key"
chmod 0700 "$tmp/munge"
munged --foreground --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.sock" \
  --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/munged.seed" --log-file="$tmp/log/munged.log" \
  >>"$tmp/log/munged.log" 2>&1 &
pids+=($!)

host=$(hostname -s)
cat >"$tmp/slurm.conf" <<EOF
ClusterName=stancetest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool/%n
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
SchedulerParameters=kill_invalid_depend
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$tmp/slurm.conf

for _ in $(seq 50); do [ -S "$tmp/munge/munge.sock" ] && break; sleep 0.1; done
[ -S "$tmp/munge/munge.sock" ] || fail "munged did not start"

slurmctld -D -i -f "$SLURM_CONF" >>"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" >>"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)

deadline=$(($(date +%s) + TIMEOUT))
until [ "$(sinfo -h -N -o '%t' 2>/dev/null | head -n1)" = idle ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "the node was not idle after ${TIMEOUT}s: $(sinfo -N 2>&1 | tail -n +2)"
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || fail "a daemon (pid $pid) exited"; done
  sleep 0.5
done
echo "test-local-cluster: cluster up in $(elapsed)s (slurmctld port $port)"

# The example, as a user would submit it.
t1=$(date +%s.%N)
cd "$tmp/work"
ids=$(STANCE=$STANCE MODEL=$tmp/model.stance CORPUS=$CORPUS PREDS=$tmp/work/preds TRENDS=$tmp/work/trends.csv \
  PARTS=$PARTS bash "$here/submit.sh") || fail "submit.sh"
echo "test-local-cluster: submitted jobs $ids"
wait_jobs $ids
jobs_s=$(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
for f in "$tmp"/work/*.out; do cp "$f" "$tmp/log/job-$(basename "$f")"; done
job_ok $ids
got=$(ls "$tmp/work/preds" | tr '\n' ' ')
want=$(for i in $(seq 0 $((PARTS - 1))); do printf 'part-%0*d-of-%d.csv ' "${#PARTS}" "$i" "$PARTS"; done)
[ "$got" = "$want" ] || fail "parts written: $got; want $want"
cmp "$tmp/one-trends.csv" "$tmp/work/trends.csv" || fail "trends.csv of the array job differs from the single run's"
grep -h "classify: shard" "$tmp"/work/slurm-*_*.out | sed 's/^/  /'
# An array with a step numbers its shards too: ids 1,3,5,7 are parts 0-3.
t2=$(date +%s.%N)
id=$(STANCE=$STANCE MODEL=$tmp/model.stance CORPUS=$CORPUS PREDS=$tmp/work/step \
  sbatch --parsable --array=1-$((2 * PARTS - 1)):2 --output="$tmp/work/step-%A_%a.out" "$here/classify.sbatch") || fail "sbatch"
wait_jobs "$id"
for f in "$tmp"/work/step-*.out; do cp "$f" "$tmp/log/job-$(basename "$f")"; done
job_ok "$id"
"$STANCE" report -quiet -model "$tmp/model.stance" -in "$tmp/work/step" -out "$tmp/work/step-trends.csv" 2>"$tmp/log/step-report.log" || fail "report over the step array's parts"
cmp "$tmp/one-trends.csv" "$tmp/work/step-trends.csv" || fail "trends.csv of the array with a step differs from the single run's"
step_s=$(awk -v a="$t2" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

# A missing part is refused.
rm "$tmp/work/step/part-$(printf '%0*d' "${#PARTS}" 1)-of-$PARTS.csv"
if "$STANCE" report -quiet -in "$tmp/work/step" -out "$tmp/work/none.csv" 2>"$tmp/log/missing.log"; then fail "report read an incomplete set of parts"; fi
grep -q "part 1 of $PARTS missing" "$tmp/log/missing.log" || fail "report's message: $(cat "$tmp/log/missing.log")"

ok=1
echo "test-local-cluster: array with a step (--array=1-$((2 * PARTS - 1)):2) in ${step_s}s, same trends.csv; a missing part refused"
echo "test-local-cluster: PASS: $PARTS array tasks + report job in ${jobs_s}s; trends.csv identical to one run ($(wc -l <"$tmp/one-trends.csv") lines); total $(elapsed)s"
