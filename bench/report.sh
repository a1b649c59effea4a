#!/usr/bin/env bash
# Benchmark: peak memory of `stance report` as the prediction file grows.
#
# Classifies the UN General Debate corpus (as bench/classify.sh does), makes
# a file three times as large by repeating it with distinct sentence and
# document ids (r1_..., r2_...), and runs stance report on both, without and
# with `-by country -chart`.
#
# Goal (issue 21): report's peak RSS on 3x within 2x of 1x, and under
# 300 MB, with and without -by country -chart: memory grows with documents
# and periods, not sentences.
#
# Builds nothing: `make bench` builds $BIN and sets BIN and SHARED. PRED=FILE
# reuses a prediction CSV of the corpus instead of training and classifying
# (about a minute on 2 cores). Needs GNU time (/usr/bin/time).
set -euo pipefail

BIN=${BIN:-bin/stance}
SHARED=${SHARED:-../shared}
CORPUS=$SHARED/corpus/ungdc.jsonl.gz
LABELS=$SHARED/labels/train.csv
PRED=${PRED:-}
if [[ -z $PRED ]]; then
  for f in "$CORPUS" "$LABELS"; do
    [[ -f $f ]] || { echo "bench/report.sh: $f not found; skipping (needs ../shared)" >&2; exit 0; }
  done
fi
[[ -x $BIN ]] || { echo "bench/report.sh: $BIN not found; run 'make bench'" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench/report.sh: needs GNU time (/usr/bin/time)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure NAME CMD...: runs CMD under GNU time, prints wall seconds and
# peak RSS (MB) as "wall rss".
measure() {
  local log=$tmp/time.$1; shift
  /usr/bin/time -f '%e %M' -o "$log" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
  awk '{printf "%s %.0f\n", $1, $2/1024}' "$log"
}
rows() { echo $(( $(wc -l <"$1") - 1 )); }

echo "report benchmark"
echo "date: $(date -u +%FT%TZ)  host: $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ -z $PRED ]]; then
  "$BIN" train -quiet -labels "$LABELS" -out "$tmp/model.stance"
  "$BIN" classify -quiet -model "$tmp/model.stance" -out "$tmp/pred.csv" "$CORPUS"
  PRED=$tmp/pred.csv
fi
# 3x: the file, then twice again with every id and doc_id prefixed (one
# record per line: classify writes sentences without line breaks).
{
  cat "$PRED"
  for k in 1 2; do
    tail -n +2 "$PRED" | sed "s/^\([^,]*\),\([^,]*\),/r${k}_\1,r${k}_\2,/"
  done
} >"$tmp/pred3.csv"
n1=$(rows "$PRED")
n3=$(rows "$tmp/pred3.csv")

printf '\n| input | sentences | flags | wall s | peak RSS MB |\n|---|---:|---|---:|---:|\n'
declare -A rss
for size in 1 3; do
  in=$PRED n=$n1
  [[ $size == 3 ]] && in=$tmp/pred3.csv n=$n3
  for mode in plain by; do
    flags=() label="(none)"
    [[ $mode == by ]] && flags=(-by country -chart "$tmp/chart.png") label="-by country -chart x.png"
    read -r wall r < <(measure "$size$mode" "$BIN" report -quiet -in "$in" -out "$tmp/trends.csv" "${flags[@]}")
    rss[$size$mode]=$r
    printf '| %dx | %d | %s | %s | %s |\n' "$size" "$n" "$label" "$wall" "$r"
  done
done
echo
for mode in plain by; do
  awk -v a="${rss[1$mode]}" -v b="${rss[3$mode]}" -v m="$mode" 'BEGIN {
    ok = (b <= 2 * a && b < 300) ? "met" : "NOT met"
    printf "%s: 3x/1x peak RSS %.2f (goal: within 2x and under 300 MB: %s)\n", (m == "by" ? "-by country -chart" : "no flags"), b / a, ok }'
done
