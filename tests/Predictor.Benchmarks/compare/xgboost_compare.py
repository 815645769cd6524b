"""Side-by-side: XGBoost `hist` against `predictor train` on the same synthetic data, same machine, same run.

Both get 1,000,000 training rows x 32 float features (seed 1) and 200,000 held-out rows (seed 2),
200 trees of depth 6, 256 bins, learning rate 0.2, 2 threads. Run with Debian's python
(`apt-get install -y python3-xgboost`):

    /usr/bin/python3 tests/Predictor.Benchmarks/compare/xgboost_compare.py [--rows 1000000] [--repeat 1]

It builds predictor in Release, writes the CSVs under /tmp/predictor-compare, times xgb.train (which
includes XGBoost's quantile sketch) against predictor's train_s (binning + boosting; CSV parsing and
calibration are reported separately), and compares held-out ROC AUC of the raw scores.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import xgboost as xgb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synthetic  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def auc(scores, labels):
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    y = labels[order]
    ranks = np.empty(len(s))
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2.0 + 1
        i = j + 1
    pos = y.sum()
    neg = len(y) - pos
    return (ranks[y > 0.5].sum() - pos * (pos + 1) / 2) / (pos * neg)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--test-rows", type=int, default=200_000)
    parser.add_argument("--trees", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--dir", default="/tmp/predictor-compare")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    x, y = synthetic.generate(args.rows, 1)
    xt, yt = synthetic.generate(args.test_rows, 2)
    train_csv = os.path.join(args.dir, f"train-{args.rows}.csv")
    test_csv = os.path.join(args.dir, f"test-{args.test_rows}.csv")
    for path, xs, ys in ((train_csv, x, y), (test_csv, xt, yt)):
        if not os.path.exists(path):
            synthetic.write_csv(path, xs, ys)

    subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", os.path.join(ROOT, "src", "Predictor")], check=True,
                   stdout=subprocess.DEVNULL)
    exe = os.path.join(ROOT, "src", "Predictor", "bin", "Release", "net10.0", "predictor")

    results = []
    for attempt in range(args.repeat):
        params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 6, "max_bin": 256, "eta": 0.2,
                  "lambda": 1.0, "min_child_weight": 1.0, "nthread": args.threads, "seed": 1}
        dtrain = xgb.DMatrix(x, label=y, missing=np.nan, nthread=args.threads)
        dtest = xgb.DMatrix(xt, label=yt, missing=np.nan, nthread=args.threads)
        start = time.perf_counter()
        booster = xgb.train(params, dtrain, num_boost_round=args.trees)
        xgb_train = time.perf_counter() - start
        start = time.perf_counter()
        margin = booster.predict(dtest, output_margin=True)
        xgb_predict = time.perf_counter() - start
        xgb_auc = auc(margin.astype(np.float64), yt)

        model = os.path.join(args.dir, "model.json")
        run = subprocess.run([exe, "train", "--data", train_csv, "--test", test_csv, "--label", "label", "--out", model,
                              "--trees", str(args.trees), "--max-depth", "6", "--leaves", "64", "--max-bins", "256",
                              "--learning-rate", "0.2", "--l2", "1", "--min-examples-per-leaf", "1", "--threads", str(args.threads),
                              "--calibration", "none", "--seed", "1"],
                             check=True, capture_output=True, text=True)
        report = json.load(open(model + ".report.json"))
        ours_train = report["timings"]["train_s"]
        ours_auc = report["metrics"]["heldOut"]["rocAuc"]
        scores_csv = os.path.join(args.dir, "scores.csv")
        score = subprocess.run([exe, "score", "--model", model, "--data", test_csv, "--out", scores_csv, "--threads", str(args.threads)],
                               check=True, capture_output=True, text=True)
        result = {
            "attempt": attempt + 1,
            "xgboost": {"version": xgb.__version__, "train_s": round(xgb_train, 3), "predict_s": round(xgb_predict, 3),
                        "auc": round(xgb_auc, 6)},
            "predictor": {"train_s": ours_train, "load_s": report["timings"]["load_s"], "auc": ours_auc,
                          "score": score.stderr.strip()},
            "train_time_ratio_predictor_over_xgboost": round(ours_train / xgb_train, 3),
            "auc_difference_predictor_minus_xgboost": round(ours_auc - xgb_auc, 6),
        }
        results.append(result)
        print(json.dumps(result, indent=2), flush=True)
    return results


if __name__ == "__main__":
    main()
