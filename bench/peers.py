#!/usr/bin/python3
"""Peer systems for `make bench-peers` (driven by bench/peers.sh).

Subcommands (all read gold CSV in the project's format: id,doc_id,date,
source,text,<one column per target>; values favor/against/none):

  check                 exit non-zero with a message if scikit-learn is missing
  fasttext              fastText supervised over a grid, on the folds of
                        `stance labels split` (DIR/fold<k>.{train,test}.csv),
                        text from `stance labels export-fasttext -target T`
  sklearn               TF-IDF + logistic regression over a grid of C
  stance                score `stance cv`'s pooled confusion.csv the same way
  table                 render the JSON results of the above as one markdown table

Metric: per target the SemEval-2016 stance metric
F_avg = (F1_favor + F1_against) / 2 on the out-of-fold predictions of all
folds pooled. When the pooled gold has no example of favor (or against), F_avg
is the F1 of the value it has (marked in the table). A grid point is chosen
by the mean F_avg over targets on the same folds it is evaluated on, so the
peers' figures are optimistic.
"""

import argparse
import csv
import glob
import json
import os
import re
import subprocess
import sys
import time

VALUES = ("favor", "against", "none")
META = ("id", "doc_id", "date", "source", "text")


def die(msg):
    print("peers.py: " + msg, file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------- gold I/O


def read_gold(path):
    """Return (targets, rows) where rows are dicts; fail with file:line."""
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        try:
            header = next(r)
        except StopIteration:
            die("%s: empty file" % path)
        for m in META:
            if m not in header:
                die("%s:1: missing column %r" % (path, m))
        targets = [h for h in header if h not in META]
        if not targets:
            die("%s:1: no target columns" % path)
        rows = []
        for rec in r:
            if len(rec) != len(header):
                die("%s:%d: %d fields, want %d" % (path, r.line_num, len(rec), len(header)))
            row = dict(zip(header, rec))
            for t in targets:
                if row[t] not in VALUES:
                    die("%s:%d: target %s: value %r not in %s" % (path, r.line_num, t, row[t], "/".join(VALUES)))
            rows.append(row)
    return targets, rows


def read_folds(folds_dir):
    """Return (targets, [(train_rows, test_rows), ...]) ordered by fold number."""
    tests = glob.glob(os.path.join(folds_dir, "fold*.test.csv"))
    nums = sorted(int(re.search(r"fold(\d+)\.test\.csv$", p).group(1)) for p in tests)
    if len(nums) < 2:
        die("%s: want at least 2 fold<k>.test.csv files, found %d" % (folds_dir, len(nums)))
    folds, targets = [], None
    for k in nums:
        tt, train = read_gold(os.path.join(folds_dir, "fold%d.train.csv" % k))
        ts, test = read_gold(os.path.join(folds_dir, "fold%d.test.csv" % k))
        if tt != ts or (targets is not None and tt != targets):
            die("%s: fold %d: target columns differ between files" % (folds_dir, k))
        targets = tt
        train_docs = {r["doc_id"] for r in train}
        leak = sorted({r["doc_id"] for r in test} & train_docs)
        if leak:
            die("%s: fold %d: documents in both train and test (e.g. %s)" % (folds_dir, k, leak[0]))
        folds.append((train, test))
    ids = [r["id"] for _, test in folds for r in test]
    if len(ids) != len(set(ids)):
        die("%s: a sentence id is in more than one test fold" % folds_dir)
    return targets, folds


# ---------------------------------------------------------------- metric


def f1(gold, pred, v):
    tp = sum(1 for g, p in zip(gold, pred) if g == v and p == v)
    fp = sum(1 for g, p in zip(gold, pred) if g != v and p == v)
    fn = sum(1 for g, p in zip(gold, pred) if g == v and p != v)
    if tp + fp + fn == 0:
        return None
    return 2.0 * tp / (2 * tp + fp + fn)


def f_avg(gold, pred):
    """SemEval-2016 F_avg. Returns (score, note) where note names the value
    used alone when the gold has no example of the other one."""
    has = [v for v in ("favor", "against") if v in gold]
    if not has:
        return None, "no favor/against gold"
    scores = [f1(gold, pred, v) for v in has]
    note = "" if len(has) == 2 else "F1 %s only" % has[0]
    return sum(scores) / len(scores), note


def score(targets, golds, preds):
    """golds/preds: {target: [values]} pooled over folds."""
    per = {}
    for t in targets:
        s, note = f_avg(golds[t], preds[t])
        per[t] = {"f_avg": s, "note": note,
                  "f1": {v: (f1(golds[t], preds[t], v) if v in golds[t] else None) for v in ("favor", "against")},
                  "support": {v: golds[t].count(v) for v in ("favor", "against")}}
    vals = [per[t]["f_avg"] for t in targets if per[t]["f_avg"] is not None]
    return per, (sum(vals) / len(vals) if vals else None)


# ---------------------------------------------------------------- fastText

def export(stance, csv_path, target, out_path, n):
    """Write csv_path as fastText lines for target with `stance labels
    export-fasttext` (lowercased, punctuation split off); check n lines."""
    p = subprocess.run([stance, "labels", "export-fasttext", "-target", target, "-out", out_path, csv_path],
                       capture_output=True, text=True)
    if p.returncode != 0:
        die("%s labels export-fasttext -target %s %s failed:\n%s" % (stance, target, csv_path, p.stderr[-2000:]))
    with open(out_path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if len(lines) != n:
        die("%s: export-fasttext wrote %d lines for %d rows (rows skipped?)" % (csv_path, len(lines), n))
    return lines


def export_folds(stance, folds_dir, folds, targets, work):
    """Export every fold's train and test file once per target; test lines
    lose their label. Returns {(k, target): (train_path, test_path)}."""
    files = {}
    for k, (train, test) in enumerate(folds, 1):
        for t in targets:
            tr = os.path.join(work, "fold%d.%s.train.txt" % (k, t))
            te = os.path.join(work, "fold%d.%s.test.txt" % (k, t))
            export(stance, os.path.join(folds_dir, "fold%d.train.csv" % k), t, tr, len(train))
            lines = export(stance, os.path.join(folds_dir, "fold%d.test.csv" % k), t, te, len(test))
            with open(te, "w", encoding="utf-8") as f:
                for l in lines:
                    f.write(l.split(" ", 1)[1] + "\n")
            files[(k, t)] = (tr, te)
    return files


def vec_dim(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        first = f.readline().split()
    if len(first) == 2 and all(x.isdigit() for x in first):
        return int(first[1])
    if len(first) > 1:
        return len(first) - 1
    die("%s: cannot read the vector dimension from the first line" % path)


def run_fasttext(ft, folds, targets, files, epoch, lr, ngrams, work, extra):
    """Train one model per fold and target on the exported files; return
    (pooled gold, pooled predictions, training wall seconds)."""
    golds = {t: [] for t in targets}
    preds = {t: [] for t in targets}
    secs = 0.0
    model = os.path.join(work, "model")
    for k, (_, test) in enumerate(folds, 1):
        for t in targets:
            train_txt, test_txt = files[(k, t)]
            cmd = [ft, "supervised", "-input", train_txt, "-output", model,
                   "-epoch", str(epoch), "-lr", str(lr), "-wordNgrams", str(ngrams),
                   "-thread", "1", "-seed", "1", "-verbose", "0"] + extra
            t0 = time.perf_counter()
            p = subprocess.run(cmd, capture_output=True, text=True)
            secs += time.perf_counter() - t0
            if p.returncode != 0:
                die("fold %d %s: %s failed:\n%s" % (k, t, " ".join(cmd), p.stderr[-2000:]))
            p = subprocess.run([ft, "predict", model + ".bin", test_txt], capture_output=True, text=True)
            if p.returncode != 0:
                die("fold %d %s: fasttext predict failed:\n%s" % (k, t, p.stderr[-2000:]))
            out = p.stdout.splitlines()
            if len(out) != len(test):
                die("fold %d %s: fasttext predict gave %d lines for %d sentences" % (k, t, len(out), len(test)))
            for r, l in zip(test, out):
                v = l.strip()[len("__label__"):]
                if not l.startswith("__label__") or v not in VALUES:
                    die("fold %d %s: unexpected fastText prediction %r" % (k, t, l))
                golds[t].append(r[t])
                preds[t].append(v)
            for ext in (".bin", ".vec"):
                if os.path.exists(model + ext):
                    os.remove(model + ext)
    return golds, preds, secs


def grid_list(s, cast):
    return [cast(x) for x in s.split(",") if x]


def cmd_fasttext(a):
    targets, folds = read_folds(a.folds)
    extra = ["-bucket", str(a.bucket)]
    if a.vectors:
        dim = vec_dim(a.vectors)
        extra += ["-pretrainedVectors", a.vectors, "-dim", str(dim)]
    os.makedirs(a.work, exist_ok=True)
    files = export_folds(a.stance, a.folds, folds, targets, a.work)
    grid, total = [], 0.0
    for epoch in grid_list(a.epoch, int):
        for lr in grid_list(a.lr, float):
            for ng in grid_list(a.ngrams, int):
                golds, preds, secs = run_fasttext(a.fasttext, folds, targets, files, epoch, lr, ng, a.work, extra)
                per, mean = score(targets, golds, preds)
                total += secs
                hp = "epoch=%d lr=%g wordNgrams=%d" % (epoch, lr, ng)
                grid.append({"hyper": hp, "per_target": per, "mean": mean, "train_s": secs})
                print("fastText %-32s mean F_avg %.3f  train %.1fs" % (hp, mean, secs), file=sys.stderr)
    best = max(grid, key=lambda g: g["mean"])  # ties: first in grid order
    hyper = best["hyper"] + " bucket=%d thread=1 seed=1" % a.bucket
    if a.vectors:
        hyper += " dim=%d pretrainedVectors=%s" % (dim, os.path.basename(a.vectors))
    dump(a.json, {"system": a.name, "targets": targets, "per_target": best["per_target"],
                  "mean": best["mean"], "train_s": best["train_s"], "grid_train_s": total,
                  "grid_size": len(grid), "hyper": hyper, "grid": grid,
                  "folds": len(folds)})


# ---------------------------------------------------------------- scikit-learn


def cmd_check(a):
    try:
        import sklearn  # noqa: F401
    except ImportError:
        die("scikit-learn is missing for %s (Debian: apt-get install python3-sklearn)" % sys.executable)
    print("scikit-learn %s" % sklearn.__version__)


def cmd_sklearn(a):
    try:
        import sklearn
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        die("scikit-learn is missing for %s (Debian: apt-get install python3-sklearn)" % sys.executable)
    targets, folds = read_folds(a.folds)
    grid, total = [], 0.0
    for C, ng in [(C, ng) for ng in grid_list(a.ngrams, int) for C in grid_list(a.C, float)]:
        if a.analyzer == "char_wb" and ng != 1:
            continue  # char_wb: one range, 3-5
        golds = {t: [] for t in targets}
        preds = {t: [] for t in targets}
        secs = 0.0
        for train, test in folds:
            t0 = time.perf_counter()
            if a.analyzer == "char_wb":
                vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True)
            else:
                vec = TfidfVectorizer(ngram_range=(1, ng), sublinear_tf=True, lowercase=True)
            X = vec.fit_transform([r["text"] for r in train])
            models = {}
            for t in targets:
                y = [r[t] for r in train]
                m = LogisticRegression(C=C, class_weight="balanced", max_iter=5000, solver="lbfgs")
                models[t] = m.fit(X, y)
            secs += time.perf_counter() - t0
            Xt = vec.transform([r["text"] for r in test])
            for t in targets:
                golds[t] += [r[t] for r in test]
                preds[t] += list(models[t].predict(Xt))
        per, mean = score(targets, golds, preds)
        total += secs
        hp = "C=%g char_wb 3-5 grams" % C if a.analyzer == "char_wb" else "C=%g word 1-%d grams" % (C, ng)
        grid.append({"hyper": hp, "per_target": per, "mean": mean, "train_s": secs})
        print("TF-IDF+LR %-24s mean F_avg %.3f  train %.1fs" % (hp, mean, secs), file=sys.stderr)
    best = max(grid, key=lambda g: g["mean"])  # ties: first in grid order
    hyper = best["hyper"] + ", sublinear tf, class_weight=balanced, lbfgs (sklearn %s)" % sklearn.__version__
    dump(a.json, {"system": a.name, "targets": targets, "per_target": best["per_target"],
                  "mean": best["mean"], "train_s": best["train_s"], "grid_train_s": total,
                  "grid_size": len(grid), "hyper": hyper, "grid": grid, "folds": len(folds)})


# ---------------------------------------------------------------- stance cv


def cmd_stance(a):
    """Score `stance cv`'s pooled out-of-fold predictions (its confusion.csv,
    rows of system --system) with this file's F_avg, so every row of the
    table uses one metric; note where cv's own metrics.csv f_avg differs."""
    targets, _ = read_gold(a.labels)
    if a.folds:
        check_same_folds(os.path.join(a.dir, "errors.csv"), a.folds)
    per = stance_from_confusion(os.path.join(a.dir, "confusion.csv"), targets, a.system)
    own = stance_metrics_favg(os.path.join(a.dir, "metrics.csv"), a.system)
    for t in targets:
        x, y = per[t]["f_avg"], own.get(t)
        if y is not None and x is not None and abs(x - y) > 6e-5:
            per[t]["differs"] = "stance cv's metrics.csv says %.4f (it averages every defined F1)" % y
    vals = [per[t]["f_avg"] for t in targets if per[t]["f_avg"] is not None]
    with open(a.seconds) as f:
        secs = float(f.read().strip())
    dump(a.json, {"system": a.name, "targets": targets, "per_target": per,
                  "mean": sum(vals) / len(vals) if vals else None, "train_s": secs,
                  "grid_train_s": None, "grid_size": 1, "hyper": a.hyper})


def check_same_folds(errors_path, folds_dir):
    """Fail unless every sentence in `stance cv`'s errors.csv sits in the
    same test fold there as in the split the peers used (errors.csv lists
    only misclassified sentences, so this is a sample, not a proof)."""
    fold_of = {}
    for p in glob.glob(os.path.join(folds_dir, "fold*.test.csv")):
        k = re.search(r"fold(\d+)\.test\.csv$", p).group(1)
        for r in read_gold(p)[1]:
            fold_of[r["id"]] = k
    if not os.path.exists(errors_path):
        die("%s: missing; cannot check that stance cv used the same folds" % errors_path)
    with open(errors_path, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        if not {"fold", "id"} <= set(r.fieldnames or []):
            die("%s:1: no fold and id columns; cannot check that stance cv used the same folds" % errors_path)
        for row in r:
            if fold_of.get(row["id"]) != row["fold"]:
                die("%s:%d: sentence %s is in fold %s there but in fold %s of %s: not the same folds" %
                    (errors_path, r.line_num, row["id"], row["fold"], fold_of.get(row["id"]), folds_dir))


def stance_from_confusion(path, targets, system):
    if not os.path.exists(path):
        die("%s: missing (did `stance cv` succeed?)" % path)
    golds = {t: [] for t in targets}
    preds = {t: [] for t in targets}
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        need = {"system", "target", "gold", "predicted", "count"}
        if not need <= set(r.fieldnames or []):
            die("%s:1: want columns %s, have %s" % (path, sorted(need), r.fieldnames))
        for row in r:
            if row["system"] != system or row["target"] not in golds:
                continue
            if row["gold"] not in VALUES or row["predicted"] not in VALUES:
                die("%s:%d: unexpected value %r/%r" % (path, r.line_num, row["gold"], row["predicted"]))
            n = int(row["count"])
            golds[row["target"]] += [row["gold"]] * n
            preds[row["target"]] += [row["predicted"]] * n
    for t in targets:
        if not golds[t]:
            die("%s: no rows for system %r, target %s" % (path, system, t))
    per, _ = score(targets, golds, preds)
    return per


def stance_metrics_favg(path, system):
    """{target: f_avg} from metrics.csv's pooled rows of system; {} if absent."""
    if not os.path.exists(path):
        return {}
    out = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if (row.get("system") == system and row.get("fold", "") == "" and row.get("value", "") == ""
                    and row.get("metric") == "f_avg" and row.get("estimate", "") != ""):
                out[row["target"]] = float(row["estimate"])
    return out


# ---------------------------------------------------------------- table


def dump(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1)
    os.replace(tmp, path)


def fmt(x):
    return "n/a" if x is None else "%.3f" % x


def cmd_table(a):
    res = []
    for p in a.json:
        with open(p) as f:
            res.append(json.load(f))
    targets = res[0]["targets"]
    notes = {}
    for r in res:
        if r["targets"] != targets:
            die("%s: targets differ between systems" % r["system"])
        for t in targets:
            if r["per_target"][t]["note"]:
                notes.setdefault(t, set()).add(r["per_target"][t]["note"])
    signs = "†‡§¶"
    marks = {t: signs[i % len(signs)] * (1 + i // len(signs)) for i, t in enumerate(t for t in targets if t in notes)}
    cols = ["system"] + [t + marks.get(t, "") for t in targets] + \
        ["mean F_avg", "train s (%d folds)" % a.folds, "hyperparameters"]
    out = ["| " + " | ".join(cols) + " |", "|" + "|".join(["---"] + ["---:"] * (len(targets) + 2) + ["---"]) + "|"]
    differs = []
    for r in res:
        if r["grid_train_s"] is not None:
            tr = "%.1f (grid of %d: %.1f)" % (r["train_s"], r["grid_size"], r["grid_train_s"])
        else:
            tr = "%.1f" % r["train_s"]
        cells = [r["system"]] + [fmt(r["per_target"][t]["f_avg"]) for t in targets] + [fmt(r["mean"]), tr, r["hyper"]]
        out.append("| " + " | ".join(cells) + " |")
        differs += ["%s, %s: %s." % (r["system"], t, r["per_target"][t]["differs"])
                    for t in targets if r["per_target"][t].get("differs")]
    out.append("")
    for t in marks:
        out.append("%s %s: the pooled gold has no example of one of favor/against, so F_avg is the %s." %
                   (marks[t], t, " / ".join(sorted(notes[t]))))
    for d in differs:
        out.append("Note: " + d)
    out.append("")
    out.append("Per value F1 (gold support in brackets): the rare values decide F_avg.")
    out.append("")
    vcols = ["system"] + ["%s %s (%d)" % (t, v, res[0]["per_target"][t].get("support", {}).get(v, 0))
                          for t in targets for v in ("favor", "against")
                          if res[0]["per_target"][t].get("support", {}).get(v, 0) > 0]
    out.append("| " + " | ".join(vcols) + " |")
    out.append("|" + "|".join(["---"] + ["---:"] * (len(vcols) - 1)) + "|")
    for r in res:
        cells = [r["system"]]
        for t in targets:
            for v in ("favor", "against"):
                if res[0]["per_target"][t].get("support", {}).get(v, 0) > 0:
                    cells.append(fmt(r["per_target"][t].get("f1", {}).get(v)))
        out.append("| " + " | ".join(cells) + " |")
    print("\n".join(out))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("check")
    s.set_defaults(fn=cmd_check)
    s = sub.add_parser("fasttext")
    s.add_argument("--folds", required=True, help="directory of fold<k>.{train,test}.csv")
    s.add_argument("--fasttext", default="/usr/bin/fasttext")
    s.add_argument("--stance", required=True, help="stance binary (for labels export-fasttext)")
    s.add_argument("--epoch", default="10,25,50")
    s.add_argument("--lr", default="0.1,0.5,1.0")
    s.add_argument("--ngrams", default="1,2")
    s.add_argument("--bucket", type=int, default=200000)
    s.add_argument("--vectors", default="", help="pretrained .vec file (sets -dim from it)")
    s.add_argument("--work", required=True)
    s.add_argument("--name", default="fastText")
    s.add_argument("--json", required=True)
    s.set_defaults(fn=cmd_fasttext)
    s = sub.add_parser("sklearn")
    s.add_argument("--folds", required=True)
    s.add_argument("--C", default="0.001,0.01,0.1,1,10")
    s.add_argument("--ngrams", default="1,2", help="word n-gram ranges 1-N to try")
    s.add_argument("--name", default="TF-IDF+LR")
    s.add_argument("--analyzer", default="word", choices=["word", "char_wb"], help="word n-grams 1-N, or char_wb 3-5-grams")
    s.add_argument("--json", required=True)
    s.set_defaults(fn=cmd_sklearn)
    s = sub.add_parser("stance")
    s.add_argument("--dir", required=True, help="the -out directory of `stance cv`")
    s.add_argument("--labels", required=True)
    s.add_argument("--seconds", required=True, help="file holding the wall seconds of `stance cv`")
    s.add_argument("--hyper", default="defaults")
    s.add_argument("--name", default="stance")
    s.add_argument("--system", default="model", help="system name of the model in confusion.csv")
    s.add_argument("--folds", default="", help="the peers' fold directory, checked against errors.csv's fold column")
    s.add_argument("--json", required=True)
    s.set_defaults(fn=cmd_stance)
    s = sub.add_parser("table")
    s.add_argument("--folds", type=int, default=5)
    s.add_argument("json", nargs="+")
    s.set_defaults(fn=cmd_table)
    a = p.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
