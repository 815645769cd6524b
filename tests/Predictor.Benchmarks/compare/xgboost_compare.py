"""Side by side: XGBoost `hist` against `predictor train` on the same synthetic data, same machine, same run.

For each set (`uniform` and `mixed`, see synthetic.py): 1,000,000 training rows x 32 features (seed 1) and
200,000 held-out rows (seed 2), 200 trees of depth 6 grown level by level (XGBoost's default policy; predictor
`--grow-policy depthwise`), 256 bins, L2 1, 2 threads; learning rate 0.2 on `uniform`, 0.1 on `mixed`. Each
repetition runs both tools one after the other, in alternating order; the summary gives min and median training
time of each and the ratio of the medians and of the minimums, with held-out ROC AUC of both.

Timed: `xgb.train` (which includes XGBoost's quantile sketch and binning; building the DMatrix from memory is
not timed) against predictor's `train_s` (binning + boosting, reported apart as `binning_s` and `boosting_s`;
CSV parsing, calibration and evaluation are reported separately and not compared). Processor seconds of the
training (all threads) are printed beside the wall times as a second signal; they are not the target.

The load average is printed at the start and end of the run and with each repetition. Each tool's run waits until
the 1-minute load has decayed to 1 (the previous run's own two threads keep it near 2 for a while) and records the
load it started at; a run that could not start below 1 is labelled LOADED. Above a 1-minute load of 1 at the start
the script refuses to run: figures from a loaded machine are not comparable (the tools suffer differently from
contention). `--allow-load` runs anyway and labels every line LOADED.

Run with Debian's python (`apt-get install -y python3-xgboost`), from the repository root:

    /usr/bin/python3 tests/Predictor.Benchmarks/compare/xgboost_compare.py

Options: --sets uniform,mixed --rows 1000000 --test-rows 200000 --trees 200 --threads 2 --repeat 3
--dir /tmp/predictor-compare --json <file> --allow-load. It builds predictor in Release and writes the CSVs
(once) under --dir.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import xgboost as xgb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synthetic  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
LEARNING_RATE = {"uniform": 0.2, "mixed": 0.1}
MAX_IDLE_LOAD = 1.0


def auc(scores, labels):
    """ROC AUC with ties counted half, as predictor's metrics do."""
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


def load_average():
    return tuple(round(v, 2) for v in os.getloadavg())


def settle(limit_s=300):
    """Waits (up to limit_s) for the 1-minute load to fall to MAX_IDLE_LOAD, and returns the load then.

    Our own previous run (2 busy threads) keeps the 1-minute load near 2 for a minute after it ends, so a load read
    straight after it says nothing about other work; waiting for it to decay makes each timed run start idle."""
    waited = 0
    while os.getloadavg()[0] > MAX_IDLE_LOAD and waited < limit_s:
        time.sleep(5)
        waited += 5
    return load_average()


def say(line, loaded):
    print(("LOADED " if loaded else "") + line, flush=True)


def run_xgboost(x, y, xt, yt, args, rate):
    params = {"objective": "binary:logistic", "tree_method": "hist", "grow_policy": "depthwise", "max_depth": 6,
              "max_bin": 256, "eta": rate, "lambda": 1.0, "min_child_weight": 1.0, "nthread": args.threads, "seed": 1}
    # A fresh DMatrix each time: XGBoost caches its binned matrix in the DMatrix, and the binning is part of training.
    dtrain = xgb.DMatrix(x, label=y, missing=np.nan, nthread=args.threads)
    dtest = xgb.DMatrix(xt, label=yt, missing=np.nan, nthread=args.threads)
    cpu = time.process_time()
    start = time.perf_counter()
    booster = xgb.train(params, dtrain, num_boost_round=args.trees)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    margin = booster.predict(dtest, output_margin=True)
    return {"train_s": round(wall, 3), "train_cpu_s": round(cpu, 3), "auc": round(auc(margin.astype(np.float64), yt), 6)}


def run_predictor(exe, train_csv, test_csv, args, rate):
    model = os.path.join(args.dir, "model.json")
    subprocess.run([exe, "train", "--data", train_csv, "--test", test_csv, "--label", "label", "--out", model,
                    "--trees", str(args.trees), "--max-depth", "6", "--grow-policy", "depthwise", "--max-bins", "256",
                    "--learning-rate", str(rate), "--l2", "1", "--min-examples-per-leaf", "1", "--threads", str(args.threads),
                    "--calibration", "none", "--seed", "1"],
                   check=True, capture_output=True, text=True)
    with open(model + ".report.json") as f:
        report = json.load(f)
    timings = report["timings"]
    return {"train_s": timings["train_s"], "binning_s": timings["binning_s"], "boosting_s": timings["boosting_s"],
            "train_cpu_s": timings["train_cpu_s"], "auc": report["metrics"]["heldOut"]["rocAuc"]}


def summarize(name, runs, loaded):
    def stats(tool, key):
        values = [r[tool][key] for r in runs]
        return min(values), statistics.median(values)

    ours_min, ours_median = stats("predictor", "train_s")
    xgb_min, xgb_median = stats("xgboost", "train_s")
    summary = {
        "set": name,
        "repetitions": len(runs),
        "predictor_train_s": {"min": ours_min, "median": ours_median},
        "xgboost_train_s": {"min": xgb_min, "median": xgb_median},
        "ratio_of_medians": round(ours_median / xgb_median, 3),
        "ratio_of_mins": round(ours_min / xgb_min, 3),
        "predictor_binning_s_median": statistics.median(r["predictor"]["binning_s"] for r in runs),
        "predictor_boosting_s_median": statistics.median(r["predictor"]["boosting_s"] for r in runs),
        "predictor_train_cpu_s_median": statistics.median(r["predictor"]["train_cpu_s"] for r in runs),
        "xgboost_train_cpu_s_median": statistics.median(r["xgboost"]["train_cpu_s"] for r in runs),
        "predictor_auc": runs[-1]["predictor"]["auc"],
        "xgboost_auc": runs[-1]["xgboost"]["auc"],
        "auc_difference_predictor_minus_xgboost": round(runs[-1]["predictor"]["auc"] - runs[-1]["xgboost"]["auc"], 6),
        "load_averages": [r["load_before"] for r in runs] + [runs[-1]["load_after"]],
    }
    say(f"{name}: predictor train_s min {ours_min:.2f} median {ours_median:.2f} | xgboost min {xgb_min:.2f} "
        f"median {xgb_median:.2f} | ratio of medians {summary['ratio_of_medians']:.3f}, of mins {summary['ratio_of_mins']:.3f} | "
        f"AUC {summary['predictor_auc']:.6f} vs {summary['xgboost_auc']:.6f}", loaded)
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="uniform,mixed")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--test-rows", type=int, default=200_000)
    parser.add_argument("--trees", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", default="/tmp/predictor-compare")
    parser.add_argument("--json", help="also write the summary to this file")
    parser.add_argument("--allow-load", action="store_true", help="run on a loaded machine and label every figure LOADED")
    args = parser.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    for name in sets:
        if name not in LEARNING_RATE:
            parser.error(f"--sets: unknown set '{name}' (expected uniform or mixed)")

    start_load = load_average()
    print(f"load average at start: {start_load[0]} {start_load[1]} {start_load[2]} ({os.cpu_count()} processors)", flush=True)
    loaded = start_load[0] > MAX_IDLE_LOAD
    if loaded and not args.allow_load:
        print(f"refusing to measure: the 1-minute load average is {start_load[0]} (> {MAX_IDLE_LOAD}); other work would "
              "distort the comparison. Wait for an idle machine, or pass --allow-load to measure anyway (figures are then "
              "labelled LOADED and are not fit for README).", file=sys.stderr)
        return 2
    if loaded:
        print("!" * 100 + f"\nWARNING: LOADED MACHINE (1-minute load {start_load[0]}): these figures are not idle measurements\n" +
              "!" * 100, file=sys.stderr, flush=True)

    os.makedirs(args.dir, exist_ok=True)
    subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", "-nologo", os.path.join(ROOT, "src", "Predictor")], check=True,
                   stdout=subprocess.DEVNULL)
    exe = os.path.join(ROOT, "src", "Predictor", "bin", "Release", "net10.0", "predictor")

    summaries = []
    all_runs = []
    for name in sets:
        x, y = synthetic.generate(args.rows, 1, name)
        xt, yt = synthetic.generate(args.test_rows, 2, name)
        train_csv = os.path.join(args.dir, f"{name}-train-{args.rows}.csv")
        test_csv = os.path.join(args.dir, f"{name}-test-{args.test_rows}.csv")
        for path, xs, ys in ((train_csv, x, y), (test_csv, xt, yt)):
            if not os.path.exists(path):
                synthetic.write_csv(path + ".partial", xs, ys, name)
                os.replace(path + ".partial", path)

        rate = LEARNING_RATE[name]
        runs = []
        for attempt in range(args.repeat):
            run = {"set": name, "attempt": attempt + 1}
            # Alternate which tool goes first, so neither always runs on a warmer (or hotter) machine; each starts
            # once the load the previous one left has decayed (settle), and the load it started at is recorded.
            order = ("xgboost", "predictor") if attempt % 2 == 0 else ("predictor", "xgboost")
            busy = False
            for tool in order:
                before = settle()
                run[tool + "_load_before"] = before
                busy = busy or before[0] > MAX_IDLE_LOAD
                run[tool] = run_xgboost(x, y, xt, yt, args, rate) if tool == "xgboost" else run_predictor(exe, train_csv, test_csv, args, rate)
            run["load_before"] = min(run["xgboost_load_before"], run["predictor_load_before"])
            run["load_after"] = load_average()
            run["ratio"] = round(run["predictor"]["train_s"] / run["xgboost"]["train_s"], 3)
            run["loaded"] = busy
            runs.append(run)
            say(json.dumps(run), loaded or busy)
        all_runs.extend(runs)
        summaries.append(summarize(name, runs, loaded or any(r["loaded"] for r in runs)))

    end_load = settle()
    print(f"load average at end (after the last run's own load decayed): {end_load[0]} {end_load[1]} {end_load[2]}", flush=True)
    if end_load[0] > MAX_IDLE_LOAD and not loaded:
        print(f"WARNING: the machine became loaded during the run (1-minute load {end_load[0]} at the end)", file=sys.stderr)
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    result = {"predictor_commit": commit.stdout.strip() or "unknown", "xgboost_version": xgb.__version__, "threads": args.threads, "rows": args.rows, "trees": args.trees,
              "load_at_start": start_load, "load_at_end": end_load, "loaded": loaded or end_load[0] > MAX_IDLE_LOAD or any(r["loaded"] for r in all_runs),
              "sets": summaries}
    print(json.dumps(result, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
