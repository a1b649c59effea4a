#!/usr/bin/env bash
# Submits the classification array (PARTS tasks, 4 by default) and the
# report job that runs once every task succeeded; prints both job ids.
# The jobs read STANCE, MODEL, CORPUS, PREDS, TRENDS from this environment
# (sbatch exports it); see README.md here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PARTS=${PARTS:-4}
array=$(sbatch --parsable --array=0-$((PARTS - 1)) "$here/classify.sbatch")
array=${array%%;*} # "id;cluster" on a federation
report=$(sbatch --parsable --dependency=afterok:"$array" "$here/report.sbatch")
echo "$array ${report%%;*}"
