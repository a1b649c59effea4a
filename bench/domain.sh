#!/usr/bin/env bash
# Domain benchmark: how well a model trained mostly on UN speeches labels
# news sentences, and what in-domain labels and -domain-weight add. The
# news rows of train.csv (every source but "UN General Debate") are cut
# into FOLDS folds grouped by document (`stance labels split`); each
# fold's news rows are predicted by a model trained on every speech row
# plus NEWS of the other folds' news rows (none, a number, or "all"), and
# the predictions of all folds are scored together. Prints one line per
# setting: per-target F_avg on the news rows and every value's F1.
#
# Environment: SHARED (../shared), BIN (bin/stance), FOLDS (5),
# NEWS ("0 50 all"), WEIGHTS ("1 3": -domain-weight values), SEED (1),
# CLUSTERS (a `stance pretrain` file: every model trained with -clusters).
set -euo pipefail
SHARED=${SHARED:-../shared}
BIN=${BIN:-bin/stance}
FOLDS=${FOLDS:-5}
NEWS=${NEWS:-0 50 all}
WEIGHTS=${WEIGHTS:-1 3}
SEED=${SEED:-1}
PY=/usr/bin/python3
LABELS=$SHARED/labels/train.csv
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stance-domain.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[ -f "$LABELS" ] || { echo "bench/domain.sh: $LABELS not found" >&2; exit 1; }
clusterflag=()
if [ -n "${CLUSTERS:-}" ]; then
	[ -s "$CLUSTERS" ] || { echo "bench/domain.sh: CLUSTERS=$CLUSTERS not found" >&2; exit 1; }
	clusterflag=(-clusters "$CLUSTERS")
fi

"$PY" - "$LABELS" "$tmp" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
for name, keep in (("un", lambda r: r["source"] == "UN General Debate"), ("news", lambda r: r["source"] != "UN General Debate")):
    with open("%s/%s.csv" % (sys.argv[2], name), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=rows[0].keys())
        w.writeheader()
        w.writerows(r for r in rows if keep(r))
PY
"$BIN" labels split -folds "$FOLDS" -seed "$SEED" -out "$tmp/news" "$tmp/news.csv" >/dev/null

for weight in $WEIGHTS; do
	for n in $NEWS; do
		[ "$n" != 0 ] || [ "$weight" = "$(echo "$WEIGHTS" | cut -d' ' -f1)" ] || continue # no news rows: the weight changes nothing
		for k in $(seq 1 "$FOLDS"); do
			"$PY" - "$tmp/un.csv" "$tmp/news/fold$k.train.csv" "$n" "$SEED" "$tmp/train$k.csv" <<'PY'
import csv, random, sys
un, news, n, seed, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
rows = list(csv.DictReader(open(un, newline="", encoding="utf-8")))
extra = list(csv.DictReader(open(news, newline="", encoding="utf-8")))
if n != "all":
    random.Random(seed).shuffle(extra)
    extra = extra[:int(n)]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=rows[0].keys())
    w.writeheader()
    w.writerows(rows + extra)
PY
			"$BIN" train -quiet "${clusterflag[@]}" -domain-weight "$weight" -labels "$tmp/train$k.csv" -out "$tmp/m$k.stance"
			"$BIN" classify -quiet -presplit -model "$tmp/m$k.stance" -out "$tmp/p$k.csv" "$tmp/news/fold$k.test.csv"
		done
		"$PY" - "$tmp" "$FOLDS" "news rows added: $n, -domain-weight $weight" <<'PY'
import csv, sys
tmp, folds, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
gold, pred = {}, {}
targets = None
for k in range(1, folds + 1):
    g = list(csv.DictReader(open("%s/news/fold%d.test.csv" % (tmp, k), newline="", encoding="utf-8")))
    p = {r["id"]: r for r in csv.DictReader(open("%s/p%d.csv" % (tmp, k), newline="", encoding="utf-8"))}
    targets = [c for c in g[0].keys() if c not in ("id", "doc_id", "date", "source", "text")]
    for r in g:
        for t in targets:
            if r[t]:
                gold.setdefault(t, []).append(r[t])
                pred.setdefault(t, []).append(p[r["id"]][t])
def f1(g, p, v):
    tp = sum(1 for a, b in zip(g, p) if a == v and b == v)
    n = g.count(v) + p.count(v)
    return 2 * tp / n if n else 0.0
cells, favgs = [], []
for t in targets:
    vals = [v for v in ("favor", "against") if v in gold[t]]
    if not vals:
        cells.append("%s n/a" % t)
        continue
    fs = {v: f1(gold[t], pred[t], v) for v in vals}
    favgs.append(sum(fs.values()) / len(fs))
    cells.append("%s %.3f (%s)" % (t, favgs[-1], ", ".join("%s %.3f of %d" % (v, fs[v], gold[t].count(v)) for v in vals)))
print("%s: mean F_avg %.3f; %s" % (name, sum(favgs) / len(favgs), "; ".join(cells)))
PY
	done
done
