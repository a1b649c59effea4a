#!/usr/bin/env bash
# The main job, end to end: check the labels, ingest the corpus, learn
# word clusters from the unlabelled corpus, train, cross-validate,
# classify, report, and suggest what to label next.
#
# With ../shared beside the checkout it runs on the real data (Italy's UN
# General Debate speeches 1946-2024 and the seed articles); without it, on
# the small corpus and label set under examples/. Called by `make demo`,
# which builds $BIN first.
set -euo pipefail

BIN=${BIN:-bin/stance}
SHARED=${SHARED:-../shared}
OUT=${OUT:-out}
mkdir -p "$OUT"

if [ -f "$SHARED/labels/train.csv" ] && [ -d "$SHARED/corpus/ungdc/ITA" ]; then
  data="shared"
  LABELS="$SHARED/labels/train.csv"
  CORPUS=("$SHARED/corpus/ungdc/ITA" "$SHARED/seeds")
  UNLABELLED=("$SHARED/corpus/ungdc.jsonl.gz")
  PRETRAIN=()
  FOLDS=5
else
  data="examples"
  LABELS="examples/labels.csv"
  CORPUS=("examples/corpus")
  UNLABELLED=("examples/corpus")
  PRETRAIN=(-min-count 1 -levels 4,16) # a corpus of a few hundred words
  FOLDS=3
fi
echo "demo: using the $data data set"

step() { printf '\n== %s\n' "$*"; }

step "check the gold labels"
"$BIN" labels check "$LABELS"
"$BIN" labels stats "$LABELS"

step "ingest ${CORPUS[*]}"
"$BIN" ingest -out "$OUT/sentences.csv" "${CORPUS[@]}"

# Word clusters are learnt once per data set and output folder (about two
# minutes on the whole corpus): delete the file to learn them again.
CLUSTERS="$OUT/clusters-$data.tsv"
step "learn word clusters from ${UNLABELLED[*]}"
if [ -s "$CLUSTERS" ]; then
  echo "reusing $CLUSTERS (delete it to learn the clusters again)"
else
  "$BIN" pretrain "${PRETRAIN[@]}" -out "$CLUSTERS" "${UNLABELLED[@]}"
fi

step "train"
"$BIN" train -labels "$LABELS" -clusters "$CLUSTERS" -out "$OUT/model.stance"

step "cross-validate ($FOLDS folds grouped by document)"
"$BIN" cv -labels "$LABELS" -clusters "$CLUSTERS" -folds "$FOLDS" -out "$OUT/eval"

step "classify ${CORPUS[*]}"
"$BIN" classify -model "$OUT/model.stance" -out "$OUT/predictions.csv" "${CORPUS[@]}"

step "report stances over time"
"$BIN" report -model "$OUT/model.stance" -in "$OUT/predictions.csv" \
  -out "$OUT/trends.csv" -chart "$OUT/trends.png" -changes "$OUT/changes.csv"

step "suggest the next sentences to label"
"$BIN" suggest -q -model "$OUT/model.stance" -labels "$LABELS" -n 50 -out "$OUT/todo.csv" "$OUT/sentences.csv"
echo "fill in $OUT/todo.csv, then: $BIN labels merge -out labels2.csv $LABELS $OUT/todo.csv"

step "outputs"
for f in sentences.csv clusters-$data.tsv model.stance eval/report.html eval/metrics.csv predictions.csv trends.csv trends.png changes.csv todo.csv; do
  [ -e "$OUT/$f" ] && printf '  %-20s %s\n' "$f" "$(cd "$OUT" && pwd)/$f"
done
printf 'demo took %dm%02ds\n' $((SECONDS / 60)) $((SECONDS % 60))
