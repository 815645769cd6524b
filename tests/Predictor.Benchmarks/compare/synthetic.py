"""The seeded synthetic binary classification sets shared by both sides of the comparison.

`uniform`: 32 float features uniform in [0, 1) rounded to 5 decimals, 3% of feature x5 missing; the label
is drawn from a logistic model with interactions, thresholds and smooth terms, about 25% positive.

`mixed`: 32 features of the shapes telemetry has: skewed (log-normal), heavy-tailed (Student t with 1.5
degrees of freedom), zero-inflated counts, categorical-like integer codes (3 to 1,000 levels), Gaussians
with 5-50% missing values (missingness itself informative for one), and noise; the label is drawn from a
logistic model of them with per-level effects for the codes, about 15% positive.

Cells are written so that parsing the text as float32 gives back exactly the float32 both sides train on.
Usage: synthetic.py ROWS SEED OUT.csv [uniform|mixed]
"""
import sys

import numpy as np

FEATURES = 32


def generate(rows, seed, kind="uniform"):
    if kind == "mixed":
        return generate_mixed(rows, seed)
    if kind != "uniform":
        raise ValueError(f"unknown synthetic set '{kind}' (expected uniform or mixed)")
    rng = np.random.default_rng(seed)
    x = np.round(rng.random((rows, FEATURES), dtype=np.float64), 5).astype(np.float32)
    xd = x.astype(np.float64)
    z = (3.0 * xd[:, 0] * xd[:, 1]
         - 2.0 * (xd[:, 2] > 0.7)
         + 2.5 * np.sin(6.0 * xd[:, 3])
         + 1.5 * (xd[:, 4] - 0.5) ** 2 * 8
         + 1.0 * xd[:, 5]
         - 1.2 * xd[:, 6] * (xd[:, 7] > 0.5)
         + 0.8 * xd[:, 8:16].sum(axis=1) / 4
         - 4.0)
    y = (rng.random(rows) < 1.0 / (1.0 + np.exp(-z))).astype(np.float32)
    missing = rng.random(rows) < 0.03
    x[missing, 5] = np.nan
    return x, y


CODE_LEVELS = (3, 5, 8, 12, 20, 50, 200, 1000)


def generate_mixed(rows, seed):
    # The level effects are part of the problem, not of the sample: the same for every seed.
    effects = np.random.default_rng(12345)
    level_effects = [effects.normal(0.0, 0.8, size=k) for k in CODE_LEVELS]
    rng = np.random.default_rng(seed)
    x = np.empty((rows, FEATURES), dtype=np.float64)
    x[:, 0:8] = np.exp(rng.normal(0.0, 1.5, size=(rows, 8)))            # skewed, like sizes and durations
    x[:, 8:12] = rng.standard_t(1.5, size=(rows, 4)) * 3.0              # heavy tails
    counts = rng.poisson(rng.gamma(0.3, 4.0, size=(rows, 4)))            # zero-inflated counters
    x[:, 12:16] = counts
    for j, k in enumerate(CODE_LEVELS):                                  # categorical-like integer codes
        x[:, 16 + j] = rng.integers(0, k, size=rows)
    x[:, 24:28] = rng.normal(0.0, 1.0, size=(rows, 4))
    x[:, 28:32] = rng.random((rows, 4))
    x = x.astype(np.float32)
    xd = x.astype(np.float64)
    codes = xd[:, 16:24].astype(np.int64)
    z = (0.9 * np.log1p(xd[:, 0])
         - 0.6 * np.log1p(xd[:, 1]) * (xd[:, 2] > 1.0)
         + 1.2 * np.tanh(xd[:, 8] / 3.0)
         - 0.8 * (np.abs(xd[:, 9]) > 6.0)
         + 0.5 * np.minimum(xd[:, 12], 6.0)
         - 0.3 * np.minimum(xd[:, 13], 4.0) * (xd[:, 14] > 0)
         + sum(level_effects[j][codes[:, j]] for j in range(len(CODE_LEVELS)))
         + 0.9 * xd[:, 24]
         + 0.7 * xd[:, 25] * xd[:, 26]
         - 4.5)
    missing_rates = (0.05, 0.15, 0.30, 0.50, 0.10, 0.10)
    for j, rate in zip((24, 25, 26, 27, 28, 29), missing_rates):
        missing = rng.random(rows) < rate
        if j == 27:
            z = z + 0.8 * missing                                        # a value that is missing for a reason
        x[missing, j] = np.nan
    y = (rng.random(rows) < 1.0 / (1.0 + np.exp(-z))).astype(np.float32)
    return x, y


def write_csv(path, x, y, kind="uniform"):
    # The uniform set's values have 5 decimals; 9 significant digits give back any float32 exactly.
    fmt = "%.5f" if kind == "uniform" else "%.9g"
    header = ",".join([f"x{i}" for i in range(FEATURES)] + ["label"])
    with open(path, "w") as out:
        out.write(header + "\n")
        for start in range(0, len(y), 100_000):
            xs = x[start:start + 100_000]
            ys = y[start:start + 100_000]
            lines = []
            for row, label in zip(xs.tolist(), ys.tolist()):
                cells = ["" if v != v else fmt % v for v in row]
                cells.append("1" if label > 0.5 else "0")
                lines.append(",".join(cells))
            out.write("\n".join(lines) + "\n")


def read_csv(path):
    data = np.genfromtxt(path, delimiter=",", skip_header=1, dtype=np.float32, missing_values="", filling_values=np.nan)
    return data[:, :FEATURES], data[:, FEATURES]


if __name__ == "__main__":
    rows, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    kind = sys.argv[4] if len(sys.argv) > 4 else "uniform"
    x, y = generate(rows, seed, kind)
    write_csv(out, x, y, kind)
