#!/usr/bin/env bash
# Zero-label benchmark: how well a target defined only by its description
# is predicted. For each target in turn, its column of train.csv is
# emptied (an empty cell masks the target's loss, so the target has zero
# labels and the description model predicts it), a model is trained on
# the other targets' labels, and `stance eval` scores it on the hidden
# target's gold labels, beside the keyword baseline (the description's
# words as rules) on the same rows. Prints one line per target: F1 favor,
# F1 against, F_avg, keyword F_avg.
#
# Environment: SHARED (../shared), BIN (bin/stance), TARGETS (the four
# default targets).
set -euo pipefail
SHARED=${SHARED:-../shared}
BIN=${BIN:-bin/stance}
TARGETS=${TARGETS:-russia_dialogue southern_flank defense_spending ukraine_support}
PY=/usr/bin/python3
LABELS=$SHARED/labels/train.csv
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stance-zeroshot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[ -f "$LABELS" ] || { echo "bench/zeroshot.sh: $LABELS not found" >&2; exit 1; }
[ -x "$PY" ] || { echo "bench/zeroshot.sh: $PY not found (Debian: apt-get install python3)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "bench/zeroshot.sh: $BIN not found (run make build)" >&2; exit 1; }

printf '%-18s %8s %10s %7s %14s\n' target "F1 favor" "F1 against" F_avg "keywords F_avg"
for t in $TARGETS; do
	"$PY" - "$LABELS" "$t" "$tmp/hidden.csv" <<'PY'
import csv, sys
src, target, dst = sys.argv[1:]
with open(src, newline="", encoding="utf-8") as f, open(dst, "w", newline="", encoding="utf-8") as g:
    r = csv.DictReader(f)
    if target not in r.fieldnames:
        sys.exit("bench/zeroshot.sh: %s: no column %s" % (src, target))
    w = csv.DictWriter(g, fieldnames=r.fieldnames)
    w.writeheader()
    for row in r:
        row[target] = ""
        w.writerow(row)
PY
	"$BIN" train -labels "$tmp/hidden.csv" -out "$tmp/m.stance" >"$tmp/train.log" 2>&1 ||
		{ cat "$tmp/train.log" >&2; exit 1; }
	# eval warns that the model saw these rows: it saw their text and the
	# other targets' labels, not the hidden target's; the log is shown
	# only if eval fails.
	"$BIN" eval -model "$tmp/m.stance" -labels "$LABELS" -out "$tmp/eval" -resamples 0 >"$tmp/eval.log" 2>&1 ||
		{ cat "$tmp/eval.log" >&2; exit 1; }
	awk -F, -v t="$t" '
		$1 == "model" && $3 == t && $4 == "favor" && $5 == "f1" { fav = $6 }
		$1 == "model" && $3 == t && $4 == "against" && $5 == "f1" { ag = $6 }
		$1 == "model" && $3 == t && $5 == "f_avg" { m = $6 }
		$1 == "keywords" && $3 == t && $5 == "f_avg" { k = $6 }
		function f(x) { return x == "" ? "n/a" : sprintf("%.3f", x) }
		END { printf "%-18s %8s %10s %7s %14s\n", t, f(fav), f(ag), f(m), f(k) }
	' "$tmp/eval/metrics.csv"
done
