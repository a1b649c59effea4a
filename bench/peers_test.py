#!/usr/bin/python3
"""Tests of bench/peers.py's metric, fold reader and table.

Run: /usr/bin/python3 -m unittest bench/peers_test.py  (from the repo root)
"""

import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402

HEADER = "id,doc_id,date,source,text,a,b\n"


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class FAvgTest(unittest.TestCase):
    # Reference values worked by hand from the F1 definition 2TP/(2TP+FP+FN).
    cases = [
        ("perfect", ["favor", "against", "none"], ["favor", "against", "none"], 1.0, ""),
        # favor: TP1 FP0 FN1 -> 2/3; against: TP1 FP1 FN0 -> 2/3
        ("mixed", ["favor", "favor", "against", "none"], ["favor", "against", "against", "none"], 2 / 3, ""),
        # no gold against: F_avg is F1 favor (TP1 FP1 FN0 -> 2/3), even
        # though "against" is predicted once.
        ("no gold against", ["favor", "none", "none"], ["favor", "favor", "against"], 2 / 3, "F1 favor only"),
        ("no gold favor", ["against", "none"], ["none", "none"], 0.0, "F1 against only"),
        ("all none", ["none", "none"], ["favor", "none"], None, "no favor/against gold"),
    ]

    def test_cases(self):
        for name, gold, pred, want, note in self.cases:
            with self.subTest(name):
                got, gnote = peers.f_avg(gold, pred)
                if want is None:
                    self.assertIsNone(got)
                else:
                    self.assertAlmostEqual(got, want)
                self.assertEqual(gnote, note)

    def test_matches_sklearn(self):
        try:
            from sklearn.metrics import f1_score
        except ImportError:
            self.skipTest("scikit-learn not installed")
        import random
        rng = random.Random(7)
        for i in range(50):
            gold = [rng.choice(peers.VALUES) for _ in range(40)]
            pred = [rng.choice(peers.VALUES) for _ in range(40)]
            if "favor" not in gold or "against" not in gold:
                continue
            want = f1_score(gold, pred, labels=["favor", "against"], average="macro", zero_division=0)
            self.assertAlmostEqual(peers.f_avg(gold, pred)[0], want, msg="case %d" % i)


class FoldsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.d = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def folds(self, f1test, f1train, f2test, f2train):
        for name, rows in (("fold1.test.csv", f1test), ("fold1.train.csv", f1train),
                           ("fold2.test.csv", f2test), ("fold2.train.csv", f2train)):
            write(os.path.join(self.d, name), HEADER + rows)

    def run_main(self, *args):
        """Run peers.main with args; return (exit code, stderr)."""
        err = io.StringIO()
        old = sys.argv
        sys.argv = ["peers.py"] + list(args)
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                peers.main()
            return 0, err.getvalue()
        except SystemExit as e:
            return e.code, err.getvalue()
        finally:
            sys.argv = old

    def test_good(self):
        r1 = "s1,d1,2020,x,hello,favor,none\n"
        r2 = "s2,d2,2020,x,world,none,against\n"
        self.folds(r1, r2, r2, r1)
        targets, folds = peers.read_folds(self.d)
        self.assertEqual(targets, ["a", "b"])
        self.assertEqual([len(te) for _, te in folds], [1, 1])

    def test_errors(self):
        r1 = "s1,d1,2020,x,hello,favor,none\n"
        r2 = "s2,d2,2020,x,world,none,against\n"
        r3 = "s3,d1,2020,x,again,none,none\n"
        cases = [
            ("document on both sides", (r1, r3, r2, r1), "documents in both train and test"),
            ("id in two test folds", (r1, r2, r1, r2), "more than one test fold"),
            ("bad value", (r1, "s2,d2,2020,x,w,maybe,none\n", r2, r1), "fold1.train.csv:2: target a: value 'maybe'"),
            ("short row", (r1, "s2,d2,2020\n", r2, r1), "fold1.train.csv:2: 3 fields, want 7"),
        ]
        for name, files, want in cases:
            with self.subTest(name):
                self.folds(*files)
                code, err = self.run_main("sklearn", "--folds", self.d, "--json", os.path.join(self.d, "x.json"))
                self.assertEqual(code, 1)
                self.assertIn(want, err)

    def test_same_folds(self):
        r1 = "s1,d1,2020,x,hello,favor,none\n"
        r2 = "s2,d2,2020,x,world,none,against\n"
        self.folds(r1, r2, r2, r1)
        errors = os.path.join(self.d, "errors.csv")
        for name, rows, want in (("same", "1,s1\n2,s2\n", 0), ("swapped", "2,s1\n", 1), ("unknown id", "1,s9\n", 1)):
            with self.subTest(name):
                write(errors, "fold,id\n" + rows)
                err = io.StringIO()
                code = 0
                try:
                    with contextlib.redirect_stderr(err):
                        peers.check_same_folds(errors, self.d)
                except SystemExit as e:
                    code = e.code
                self.assertEqual(code, want, err.getvalue())

    def test_stance_confusion(self):
        write(os.path.join(self.d, "gold.csv"), HEADER + "s1,d1,2020,x,hi,favor,none\n")
        write(os.path.join(self.d, "confusion.csv"),
              "system,target,gold,predicted,count\n"
              "model,a,favor,favor,2\nmodel,a,favor,none,2\nmodel,a,against,against,1\nmodel,a,none,none,5\n"
              "majority,a,favor,favor,9\n"
              "model,b,favor,favor,1\nmodel,b,none,against,1\nmodel,b,none,none,3\n")
        write(os.path.join(self.d, "metrics.csv"),
              "system,fold,target,value,metric,estimate,ci_low,ci_high,n\n"
              "model,,a,,f_avg,0.8333,,,10\nmodel,,b,,f_avg,0.5,,,5\n")
        write(os.path.join(self.d, "secs"), "12.5\n")
        out = os.path.join(self.d, "s.json")
        code, err = self.run_main("stance", "--dir", self.d, "--labels", os.path.join(self.d, "gold.csv"),
                                  "--seconds", os.path.join(self.d, "secs"), "--json", out)
        self.assertEqual(code, 0, err)
        with open(out) as f:
            got = json.load(f)
        # a: favor TP2 FN2 -> 2/3, against TP1 -> 1; mean 5/6.
        self.assertAlmostEqual(got["per_target"]["a"]["f_avg"], 5 / 6)
        self.assertNotIn("differs", got["per_target"]["a"])
        # b: no gold against -> F1 favor = 1; eval's metrics.csv averaged in
        # the defined F1 against (0) and says 0.5: noted.
        self.assertAlmostEqual(got["per_target"]["b"]["f_avg"], 1.0)
        self.assertIn("0.5000", got["per_target"]["b"]["differs"])
        self.assertAlmostEqual(got["mean"], (5 / 6 + 1) / 2)
        self.assertEqual(got["train_s"], 12.5)


class TableTest(unittest.TestCase):
    def test_table(self):
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for name, grid in (("stance", None), ("fastText", 3.0)):
                p = os.path.join(d, name + ".json")
                peers.dump(p, {"system": name, "targets": ["a", "b"], "mean": 0.5, "train_s": 1.0,
                               "grid_train_s": grid, "grid_size": 2, "hyper": "h",
                               "per_target": {"a": {"f_avg": 0.25, "note": "",
                                                    "f1": {"favor": 0.5, "against": 0.0},
                                                    "support": {"favor": 3, "against": 2}},
                                              "b": {"f_avg": None, "note": "F1 favor only"}}})
                paths.append(p)
            out = io.StringIO()
            sys.argv = ["peers.py", "table", "--folds", "5"] + paths
            with contextlib.redirect_stdout(out):
                peers.main()
        lines = out.getvalue().splitlines()
        self.assertEqual(lines[0], "| system | a | b† | mean F_avg | train s (5 folds) | hyperparameters |")
        self.assertEqual(lines[2], "| stance | 0.250 | n/a | 0.500 | 1.0 | h |")
        self.assertEqual(lines[3], "| fastText | 0.250 | n/a | 0.500 | 1.0 (grid of 2: 3.0) | h |")
        self.assertIn("† b:", lines[5])
        # The per-value table: a's two values with their support; b has none.
        self.assertIn("| system | a favor (3) | a against (2) |", lines)
        self.assertIn("| stance | 0.500 | 0.000 |", lines)


if __name__ == "__main__":
    unittest.main()
