#!/usr/bin/env bash
# Peer benchmark (make bench-peers): stance vs fastText vs TF-IDF+LR on
# $SHARED/labels/train.csv, K-fold cross-validation grouped by document, all
# three systems on the same folds (written by `stance labels split`, which
# groups like `stance cv`). Prints one markdown table and writes it to
# $OUT/bench/peers.md.
#
# Environment:
#   SHARED       shared data folder (default ../shared)
#   BIN          the built stance binary (default bin/stance)
#   OUT          output folder (default out)
#   FOLDS        number of folds (default 5)
#   SEED         fold seed, passed to both `labels split` and `cv` when set
#   CLUSTERS     optional word clusters file (`stance pretrain`; make
#                bench-peers makes $OUT/clusters-shared.tsv): adds a "stance with
#                word clusters" row (`stance cv -clusters`)
#   FT_VECTORS   optional .vec file: adds a "fastText (pretrained vectors)"
#                row (-pretrainedVectors, -dim read from the file)
#   FT_EPOCH, FT_LR, FT_NGRAMS, LR_C, LR_NGRAMS   comma lists overriding the
#                peer grids (LR_NGRAMS: word n-gram ranges 1-N)
#   PEERS_ONLY=1 skip the stance rows (run the peers alone; said in the output)
#
# The peers' text is what `stance labels export-fasttext -target T` writes
# (lowercased, punctuation split off); fastText reads it as is, TF-IDF+LR
# reads the raw text of the fold files.
set -euo pipefail

# The command as run, for the output: settings given, before defaults.
cmdline="SHARED=${SHARED:-../shared} BIN=${BIN:-bin/stance}"
for v in OUT FOLDS SEED CLUSTERS FT_VECTORS FT_EPOCH FT_LR FT_NGRAMS LR_C LR_NGRAMS PEERS_ONLY FASTTEXT; do
	[ -z "${!v:-}" ] || cmdline+=" $v=${!v}"
done
cmdline+=" bash bench/peers.sh"

SHARED=${SHARED:-../shared}
BIN=${BIN:-bin/stance}
OUT=${OUT:-out}
FOLDS=${FOLDS:-5}
SEED=${SEED:-}
FT_VECTORS=${FT_VECTORS:-}
FT_EPOCH=${FT_EPOCH:-10,25,50}
FT_LR=${FT_LR:-0.1,0.5,1.0}
FT_NGRAMS=${FT_NGRAMS:-1,2}
LR_C=${LR_C:-0.001,0.01,0.1,1,10}
LR_NGRAMS=${LR_NGRAMS:-1,2}
PEERS_ONLY=${PEERS_ONLY:-}
PY=/usr/bin/python3 # Debian's python3 with python3-sklearn, not a pyenv one
FASTTEXT=${FASTTEXT:-/usr/bin/fasttext}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LABELS=$SHARED/labels/train.csv

die() { echo "bench/peers.sh: $*" >&2; exit 1; }

[ -f "$LABELS" ] || die "$LABELS not found (set SHARED to the shared data folder)"
[ -x "$PY" ] || die "$PY not found (Debian: apt-get install python3 python3-sklearn)"
"$PY" "$HERE/peers.py" check >/dev/null || die "scikit-learn missing (Debian: apt-get install python3-sklearn)"
[ -x "$FASTTEXT" ] || die "fastText not found at $FASTTEXT (Debian: apt-get install fasttext)"
[ -x "$BIN" ] || die "$BIN not found (run make build)"
[ -z "$FT_VECTORS" ] || [ -f "$FT_VECTORS" ] || die "FT_VECTORS=$FT_VECTORS: file not found"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stance-peers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

seedflag=()
[ -z "$SEED" ] || seedflag=(-seed "$SEED")

# Folds: the Go side defines them.
"$BIN" labels split -folds "$FOLDS" "${seedflag[@]}" -out "$tmp/folds" "$LABELS" >"$tmp/split.log" 2>&1 || {
	cat "$tmp/split.log" >&2
	die "\`$BIN labels split\` failed"
}
folds_note="folds from \`stance labels split -folds $FOLDS${SEED:+ -seed $SEED}\` (labels.GroupFolds, as \`stance cv\` groups)"

results=()

# stance_row NAME HYPER [extra cv flags...]: time `stance cv` over the same folds.
stance_row() {
	local name=$1 hyper=$2 dir
	shift 2
	dir=$tmp/cv$((${#results[@]} + 1))
	local t0 t1
	t0=$(date +%s%N)
	"$BIN" cv -labels "$LABELS" -folds "$FOLDS" "${seedflag[@]}" -resamples 0 "$@" -out "$dir" >&2 ||
		die "\`$BIN cv\` failed"
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }' >"$dir.seconds"
	"$PY" "$HERE/peers.py" stance --dir "$dir" --labels "$LABELS" --seconds "$dir.seconds" --folds "$tmp/folds" \
		--name "$name" --hyper "$hyper" --json "$dir.json"
	results+=("$dir.json")
}

if [ "$PEERS_ONLY" = 1 ]; then
	folds_note="$folds_note; stance rows skipped (PEERS_ONLY=1)"
else
	stance_row stance "defaults (\`stance cv\` flags: -folds $FOLDS${SEED:+ -seed $SEED} -resamples 0)"
	if [ -n "${CLUSTERS:-}" ]; then
		[ -s "$CLUSTERS" ] || die "CLUSTERS=$CLUSTERS: no such file (make it with stance pretrain)"
		stance_row stance-clusters "with word clusters (\`stance cv -clusters $CLUSTERS\`)" -clusters "$CLUSTERS"
	fi
fi

"$PY" "$HERE/peers.py" fasttext --folds "$tmp/folds" --fasttext "$FASTTEXT" --stance "$BIN" \
	--epoch "$FT_EPOCH" --lr "$FT_LR" --ngrams "$FT_NGRAMS" --work "$tmp/ft" --json "$tmp/ft.json"
results+=("$tmp/ft.json")
if [ -n "$FT_VECTORS" ]; then
	"$PY" "$HERE/peers.py" fasttext --folds "$tmp/folds" --fasttext "$FASTTEXT" --stance "$BIN" \
		--epoch "$FT_EPOCH" --lr "$FT_LR" --ngrams "$FT_NGRAMS" --vectors "$FT_VECTORS" \
		--name "fastText (pretrained vectors)" --work "$tmp/ftv" --json "$tmp/ftv.json"
	results+=("$tmp/ftv.json")
fi
"$PY" "$HERE/peers.py" sklearn --folds "$tmp/folds" --C "$LR_C" --ngrams "$LR_NGRAMS" --json "$tmp/lr.json"
results+=("$tmp/lr.json")
"$PY" "$HERE/peers.py" sklearn --folds "$tmp/folds" --C "$LR_C" --analyzer char_wb \
	--name "TF-IDF+LR (char_wb)" --json "$tmp/lrc.json"
results+=("$tmp/lrc.json")

{
	echo "## Peer benchmark: per-target F_avg, $FOLDS-fold CV grouped by document"
	echo
	echo "- Data: \`$LABELS\` ($(cat "$tmp"/folds/fold*.test.csv | "$PY" -c 'import csv, sys; print(sum(1 for r in csv.reader(sys.stdin) if r[0] != "id"))') sentences); $folds_note; every system on the same folds."
	echo "- Metric: SemEval-2016 F_avg = (F1 favor + F1 against)/2 per target on the out-of-fold predictions of all folds pooled; mean over targets."
	echo "- Peers: one multi-class (favor/against/none) classifier per target. fastText: text from \`stance labels export-fasttext -target T\` (lowercased, punctuation split off), -loss softmax, grid epoch {$FT_EPOCH} x lr {$FT_LR} x wordNgrams {$FT_NGRAMS}. TF-IDF+LR: scikit-learn, grid C {$LR_C} x word n-grams 1-{$LR_NGRAMS}; TF-IDF+LR (char_wb): the same over character 3-5-grams within word boundaries, grid C {$LR_C}."
	echo "- Caveat: each peer's grid point is chosen by mean F_avg on the same folds it is scored on, so the peer rows are optimistic; stance runs with its defaults."
	echo "- Train time: wall seconds summed over the $FOLDS folds (and 4 targets) for the chosen configuration, then the whole grid's total. fastText's includes process start and model save (-thread 1 for reproducible results); TF-IDF+LR's is vectoriser + fit; stance's is the whole \`stance cv -resamples 0\` run (training with its calibration, prediction, scoring)."
	echo "- Date $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || echo unknown CPU); command: \`$cmdline\` (what \`make bench-peers\` runs, plus any overrides)."
	echo
	"$PY" "$HERE/peers.py" table --folds "$FOLDS" "${results[@]}"
} >"$tmp/peers.md"

mkdir -p "$OUT/bench"
cp "$tmp/peers.md" "$OUT/bench/peers.md.tmp"
mv "$OUT/bench/peers.md.tmp" "$OUT/bench/peers.md"
cat "$OUT/bench/peers.md"
