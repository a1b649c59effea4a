#!/usr/bin/env bash
# Benchmark: `stance classify` on the whole UN General Debate corpus, end to
# end (read, clean, split, tokenize, predict, write), and side by side with
# `fasttext predict-prob` on the same pre-split sentences.
#
# Goals (2-core machine): at least 50,000 sentences/s end to end, peak RSS
# under 300 MB and flat as the corpus grows, faster than fastText.
#
# CLUSTERS=FILE trains the model with word clusters (`stance pretrain`), as
# the demo does; `make bench` passes $(OUT)/clusters-shared.tsv, made once (or by make demo).
#
# Builds nothing: `make bench` builds $BIN and sets BIN and SHARED. Needs
# /usr/bin/time (GNU time) and, for the comparison, /usr/bin/fasttext.
set -euo pipefail

BIN=${BIN:-bin/stance}
SHARED=${SHARED:-../shared}
CORPUS=$SHARED/corpus/ungdc.jsonl.gz
LABELS=$SHARED/labels/train.csv
for f in "$CORPUS" "$LABELS"; do
  [[ -f $f ]] || { echo "bench/classify.sh: $f not found; skipping (needs ../shared)" >&2; exit 0; }
done
[[ -x $BIN ]] || { echo "bench/classify.sh: $BIN not found; run 'make bench'" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench/classify.sh: needs GNU time (/usr/bin/time)" >&2; exit 1; }

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
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

echo "classify benchmark: $CORPUS"
echo "date: $(date -u +%FT%TZ)  host: $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)"

clusterflag=()
if [[ -n ${CLUSTERS:-} ]]; then
  [[ -s $CLUSTERS ]] || { echo "bench/classify.sh: CLUSTERS=$CLUSTERS not found (stance pretrain makes it)" >&2; exit 1; }
  clusterflag=(-clusters "$CLUSTERS")
  echo "model trained with word clusters: $CLUSTERS"
fi
"$BIN" train -quiet -labels "$LABELS" "${clusterflag[@]}" -out "$tmp/model.stance"

# Memory flat as the corpus grows: the first 1,000 speeches, then all.
{ zcat "$CORPUS" || true; } | head -n 1000 | gzip -1 >"$tmp/part.jsonl.gz"
read -r wall_p rss_p < <(measure part "$BIN" classify -quiet -model "$tmp/model.stance" -out "$tmp/part.csv" "$tmp/part.jsonl.gz")
n_p=$(rows "$tmp/part.csv")
read -r wall rss < <(measure full "$BIN" classify -quiet -model "$tmp/model.stance" -out "$tmp/pred.csv" "$CORPUS")
n=$(rows "$tmp/pred.csv")

# Same pre-split sentences for both systems.
"$BIN" ingest -q -meta none -out "$tmp/sent.csv" "$CORPUS" 2>/dev/null
read -r wall_s rss_s < <(measure presplit "$BIN" classify -quiet -presplit -model "$tmp/model.stance" -out "$tmp/pred_s.csv" "$tmp/sent.csv")
n_s=$(rows "$tmp/pred_s.csv")

printf '\n| run | sentences | wall s | sentences/s | peak RSS MB |\n|---|---:|---:|---:|---:|\n'
printf '| stance classify, first 1,000 speeches (jsonl.gz) | %d | %s | %s | %s |\n' "$n_p" "$wall_p" "$(rate "$n_p" "$wall_p")" "$rss_p"
printf '| stance classify, all speeches (jsonl.gz, end to end) | %d | %s | %s | %s |\n' "$n" "$wall" "$(rate "$n" "$wall")" "$rss"
printf '| stance classify -presplit (sentence CSV) | %d | %s | %s | %s |\n' "$n_s" "$wall_s" "$(rate "$n_s" "$wall_s")" "$rss_s"

if [[ -x /usr/bin/fasttext ]]; then
  # One multi-label model over all targets (12 labels, one-vs-all), so one
  # predict-prob pass gives every target, as one stance pass does.
  "$BIN" labels export-fasttext -out "$tmp/train.ft" "$LABELS" 2>/dev/null
  /usr/bin/fasttext supervised -input "$tmp/train.ft" -output "$tmp/ft" -loss ova -epoch 25 -wordNgrams 2 -thread 2 -verbose 0 >/dev/null
  # fastText reads plain text: the same sentences, lowercased and
  # punctuation split as for training (the text column only).
  /usr/bin/python3 - "$tmp/sent.csv" "$tmp/sent.txt" <<'PY'
import csv, re, sys
punct = re.compile(r"([^\w\s'-])")
with open(sys.argv[1], newline='', encoding='utf-8') as f, open(sys.argv[2], 'w', encoding='utf-8') as o:
    r = csv.DictReader(f)
    for row in r:
        o.write(punct.sub(r' \1 ', row['text'].replace('\n', ' ').lower()) + '\n')
PY
  read -r wall_f rss_f < <(measure fasttext /usr/bin/fasttext predict-prob "$tmp/ft.bin" "$tmp/sent.txt" -1)
  n_f=$(wc -l <"$tmp/sent.txt")
  printf '| fasttext predict-prob (same sentences, plain text, all 12 labels) | %d | %s | %s | %s |\n' "$n_f" "$wall_f" "$(rate "$n_f" "$wall_f")" "$rss_f"
  # The issue's measure: predict-prob once per target, one softmax model
  # each (favor/against/none), over the same sentences.
  wall_t=0
  # The targets: the label file's columns after id,doc_id,date,source,text.
  for target in $(head -n 1 "$LABELS" | tr -d '\r' | tr ',' '\n' | tail -n +6); do
    "$BIN" labels export-fasttext -target "$target" -out "$tmp/$target.ft" "$LABELS" 2>/dev/null
    /usr/bin/fasttext supervised -input "$tmp/$target.ft" -output "$tmp/ft_$target" -loss softmax -epoch 25 -wordNgrams 2 -thread 2 -verbose 0 >/dev/null
    read -r w _ < <(measure "ft_$target" /usr/bin/fasttext predict-prob "$tmp/ft_$target.bin" "$tmp/sent.txt" 3)
    echo "fasttext predict-prob, $target alone: $w s"
    wall_t=$(awk -v a="$wall_t" -v b="$w" 'BEGIN { print a + b }')
  done
  printf '| fasttext predict-prob once per target (4 softmax models, summed) | %d | %s | %s | |\n' "$n_f" "$wall_t" "$(rate "$n_f" "$wall_t")"
  awk -v a="$n_s" -v b="$wall_s" -v c="$n_f" -v d="$wall_f" 'BEGIN { printf "\nstance -presplit vs fastText: %.2fx the sentences/s\n", (a / b) / (c / d) }'
  awk -v e="$wall" -v s="$wall_s" -v t="$wall_t" 'BEGIN { printf "against fastText once per target: stance end to end %.1fx, pre-split %.1fx faster\n", t / e, t / s }'
else
  echo "fasttext not installed (apt-get install fasttext): comparison skipped"
fi
