"""The seeded synthetic binary classification set shared by both sides of the comparison.

32 float features uniform in [0, 1) rounded to 5 decimals (so CSV text parses to the same float32 on
both sides), 3% of feature x5 missing; the label is drawn from a logistic model with interactions,
thresholds and smooth terms, about 25% positive. Usage: synthetic.py ROWS SEED OUT.csv
"""
import sys

import numpy as np

FEATURES = 32


def generate(rows, seed):
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


def write_csv(path, x, y):
    header = ",".join([f"x{i}" for i in range(FEATURES)] + ["label"])
    with open(path, "w") as out:
        out.write(header + "\n")
        for start in range(0, len(y), 100_000):
            xs = x[start:start + 100_000]
            ys = y[start:start + 100_000]
            lines = []
            for row, label in zip(xs.tolist(), ys.tolist()):
                cells = ["" if v != v else "%.5f" % v for v in row]
                cells.append("1" if label > 0.5 else "0")
                lines.append(",".join(cells))
            out.write("\n".join(lines) + "\n")


def read_csv(path):
    data = np.genfromtxt(path, delimiter=",", skip_header=1, dtype=np.float32, missing_values="", filling_values=np.nan)
    return data[:, :FEATURES], data[:, FEATURES]


if __name__ == "__main__":
    rows, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    x, y = generate(rows, seed)
    write_csv(out, x, y)
