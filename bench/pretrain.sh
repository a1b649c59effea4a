#!/usr/bin/env bash
# Pretraining speed and memory: `stance pretrain` and fastText skip-gram
# side by side, one epoch over the whole UN General Debate corpus, same
# settings (dim 100, window 5, 5 negatives, t=1e-4, lr 0.05, min-count 5,
# 2 threads). Each runs under /usr/bin/time -v for wall time and peak RSS.
#
# "Words" are whitespace-separated words of the input text. stance trains
# on subword tokens (more tokens than words) and reports both; fastText
# trains on its own whitespace tokens of the extracted text (stance
# ingest's sentences, lowercased and punctuation split off by bench/fttext,
# as for the fastText peers and bench/ftvectors.sh; no character n-grams:
# -maxn 0) and reports words/sec/thread. Set FT_NGRAMS=1 to also time fastText's default
# character n-grams (3..6), which is slower.
#
# Env: BIN (stance binary, default bin/stance), SHARED (default ../shared),
# OUT (embedding file to keep, default a temp file), EPOCHS (default 1),
# THREADS (default 2), DIM (default 100), GO (go command that builds
# bench/fttext, default go).
set -euo pipefail

BIN=${BIN:-bin/stance}
SHARED=${SHARED:-../shared}
EPOCHS=${EPOCHS:-1}
THREADS=${THREADS:-2}
DIM=${DIM:-100}
CORPUS=$SHARED/corpus/ungdc.jsonl.gz
FASTTEXT=${FASTTEXT:-/usr/bin/fasttext}

if [ ! -f "$CORPUS" ]; then
  echo "bench/pretrain.sh: $CORPUS not found; set SHARED" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
OUT=${OUT:-$tmp/emb.stance}

peak() { awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2/1024}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1"; }
secs() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$1"; }
cpu() { awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.1f", u+s}' "$1"; }

echo "== corpus: $CORPUS, $EPOCHS epoch(s), dim $DIM, window 5, neg 5, $THREADS threads"
date -u +"== %Y-%m-%d %H:%M UTC"; uptime

echo
echo "== stance pretrain"
/usr/bin/time -v -o "$tmp/stance.time" "$BIN" pretrain -out "$OUT" -dim "$DIM" -epochs "$EPOCHS" \
  -window 5 -neg 5 -min-count 5 -subsample 1e-4 -lr 0.05 -threads "$THREADS" "$CORPUS" 2> "$tmp/stance.log" || {
  cat "$tmp/stance.log" >&2; exit 1; }
grep -E '^pretrain:' "$tmp/stance.log"
words=$(sed -nE 's/^pretrain: ([0-9]+) words, ([0-9]+) tokens.*/\1/p' "$tmp/stance.log")
tokens=$(sed -nE 's/^pretrain: ([0-9]+) words, ([0-9]+) tokens.*/\2/p' "$tmp/stance.log")
s=$(secs "$tmp/stance.time")
echo "stance: wall $(wall "$tmp/stance.time") (cpu $(cpu "$tmp/stance.time") s), peak RSS $(peak "$tmp/stance.time")"
awk -v w="$words" -v t="$tokens" -v s="$s" -v e="$EPOCHS" 'BEGIN {
  printf "stance: end to end (tokenizer + tokenise + train): %.0f words/s, %.0f tokens/s\n", w*e/s, t*e/s }'

echo
echo "== fastText skipgram (text extracted to a temp file: stance ingest's sentences, normalised by bench/fttext as the fastText peer's text)"
"${GO:-go}" build -o "$tmp/fttext" ./bench/fttext
"$BIN" ingest -q "$CORPUS" | "$tmp/fttext" > "$tmp/corpus.txt"
ftwords=$(wc -w < "$tmp/corpus.txt")
echo "fastText input: $ftwords tokens after punctuation split"
run_ft() { # name, extra args
  local name=$1; shift
  /usr/bin/time -v -o "$tmp/$name.time" "$FASTTEXT" skipgram -input "$tmp/corpus.txt" -output "$tmp/$name" \
    -dim "$DIM" -ws 5 -neg 5 -t 1e-4 -lr 0.05 -minCount 5 -epoch "$EPOCHS" -thread "$THREADS" "$@" \
    > "$tmp/$name.log" 2>&1 || { tr '\r' '\n' < "$tmp/$name.log" | tail -5 >&2; exit 1; }
  tr '\r' '\n' < "$tmp/$name.log" | grep -E '^Read' | tail -1; tr '\r' '\n' < "$tmp/$name.log" | grep -E '^Number of words' || true
  tr '\r' '\n' < "$tmp/$name.log" | grep -E 'Progress: 100' | tail -1
  local s; s=$(secs "$tmp/$name.time")
  echo "$name: wall $(wall "$tmp/$name.time") (cpu $(cpu "$tmp/$name.time") s), peak RSS $(peak "$tmp/$name.time")"
  awk -v w="$words" -v t="$ftwords" -v s="$s" -v e="$EPOCHS" 'BEGIN {
    printf "%s: end to end: %.0f input words/s, %.0f fastText tokens/s\n", "'"$name"'", w*e/s, t*e/s }'
}
run_ft fasttext -minn 0 -maxn 0
if [ "${FT_NGRAMS:-0}" = 1 ]; then
  echo
  run_ft fasttext-ngrams
fi
