#!/usr/bin/env bash
# Active-learning simulation (make bench-active): does choosing the
# sentences to label with stance suggest's selection reach random
# sampling's final score with at most half the labels? Runs bench/active (a Go program training models in-process) on
# $SHARED/labels/train.csv and writes the markdown table to stdout and
# $OUT/bench/active.md.
#
# Environment (defaults in brackets):
#   SHARED    shared data folder [../shared]
#   OUT       output folder [out]
#   FOLDS     outer grouped folds [5]
#   SEEDS     seeds 1..N [3]
#   ROUNDS    rounds of +STEP labels after START [8]
#   START     labelled rows at round 0 [200]
#   STEP      rows labelled per round [100]
#   STRATEGY  suggest strategies to compare with random, comma-separated
#             (mixed, targets, rare, decision, margin, entropy)
#             [mixed,targets: the default and its uncertainty half alone]
#   ORACLE=1  add the reference arm that reads the hidden labels (rarest
#             values first, half random): what selection could achieve
#   EXPLORE   share of random picks mixed into each strategy's rounds [0]
#   PER_DOC   picks per document per round [2]
#   WORKERS   (seed, fold) simulations in parallel [number of CPUs]
#   WARM=1    warm-start each round from the previous model
#   ACTIVE_ARGS  further flags for bench/active (see `go run ./bench/active -h`),
#             e.g. -cues=false (rankings without the description weighting)
#             or -fold-seed 2 (another outer split)
#
# Cost: one models.Train per seed × fold × (1 + (1 + strategies + ORACLE) × ROUNDS); see the
# Runtime line of the report. BIN is accepted (the Makefile passes it) but
# unused: the simulation trains in-process.
set -euo pipefail

SHARED=${SHARED:-../shared}
OUT=${OUT:-out}
GO=${GO:-go}
data="$SHARED/labels/train.csv"
if [ ! -f "$data" ]; then
	echo "bench-active: $data not found; this benchmark needs the shared gold labels" >&2
	exit 1
fi
args=(
	-data "$data"
	-out "$OUT/bench/active.md"
	-folds "${FOLDS:-5}"
	-seeds "${SEEDS:-3}"
	-rounds "${ROUNDS:-8}"
	-start "${START:-200}"
	-step "${STEP:-100}"
	-strategy "${STRATEGY:-mixed,targets}"
	-explore "${EXPLORE:-0}"
	-per-doc "${PER_DOC:-2}"
)
[ -z "${WORKERS:-}" ] || args+=(-workers "$WORKERS")
[ "${WARM:-0}" != 1 ] || args+=(-warm)
[ "${ORACLE:-0}" != 1 ] || args+=(-oracle)
mkdir -p "$OUT/bench"
bin=$(mktemp -d)/active
trap 'rm -rf "$(dirname "$bin")"' EXIT
"$GO" build -o "$bin" ./bench/active
echo "bench-active: $(date -u +%Y-%m-%dT%H:%MZ) $bin ${args[*]} ${ACTIVE_ARGS:-}" >&2
# shellcheck disable=SC2086
"$bin" "${args[@]}" ${ACTIVE_ARGS:-}
