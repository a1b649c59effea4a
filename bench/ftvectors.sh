#!/usr/bin/env bash
# fastText word vectors for the peer benchmark's "fastText (pretrained
# vectors)" row: `fasttext skipgram` on the same corpus stance ingest splits
# learns from, with the same settings (dim 100, 5 epochs, window 5, 5
# negatives, t=1e-4, lr 0.05, min count 5, 2 threads), on sentences
# normalised exactly as the fastText peer's training text (`stance ingest`,
# then bench/fttext: lowercased, punctuation split off). Word vectors only
# (-minn 0 -maxn 0), as fastText supervised uses no character n-grams by
# default.
#
# Usage: OUT=out/ft.vec SHARED=../shared BIN=bin/stance bash bench/ftvectors.sh
set -euo pipefail
SHARED=${SHARED:-../shared}
BIN=${BIN:-bin/stance}
GO=${GO:-go}
OUT=${OUT:-out/ft.vec}
EPOCHS=${EPOCHS:-5}
DIM=${DIM:-100}
THREADS=${THREADS:-2}
FASTTEXT=${FASTTEXT:-/usr/bin/fasttext}
CORPUS=$SHARED/corpus/ungdc.jsonl.gz
[ -f "$CORPUS" ] || { echo "bench/ftvectors.sh: $CORPUS not found; set SHARED" >&2; exit 1; }
[ -x "$FASTTEXT" ] || { echo "bench/ftvectors.sh: $FASTTEXT not found (Debian: apt-get install fasttext)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stance-ftvec.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$GO" build -o "$tmp/fttext" ./bench/fttext
"$BIN" ingest -q "$CORPUS" | "$tmp/fttext" > "$tmp/corpus.txt"
echo "fastText input: $(wc -w < "$tmp/corpus.txt") tokens" >&2
/usr/bin/time -v -o "$tmp/time" "$FASTTEXT" skipgram -input "$tmp/corpus.txt" -output "$tmp/vectors" \
  -dim "$DIM" -ws 5 -neg 5 -t 1e-4 -lr 0.05 -minCount 5 -epoch "$EPOCHS" -thread "$THREADS" -minn 0 -maxn 0 \
  > "$tmp/log" 2>&1 || { tr '\r' '\n' < "$tmp/log" | tail -5 >&2; exit 1; }
awk -F': ' '/Elapsed \(wall clock\)/ {print "fasttext skipgram: wall " $2}' "$tmp/time" >&2
mkdir -p "$(dirname "$OUT")"
mv "$tmp/vectors.vec" "$OUT.tmp" && mv "$OUT.tmp" "$OUT"
echo "wrote $OUT" >&2
