#!/usr/bin/python3
"""The scipy / numpy baseline for NumericalDriftBenchmark, on bit-identical data (see SeededData.cs).

Times ks_2samp + wasserstein_distance + numpy 10-bin PSI and Jensen-Shannon on 1,000,000 vs 1,000,000 values.
Run: /usr/bin/python3 bench/Engine.Bench/scipy_drift.py
"""
import platform
import time

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

GAMMA, C1, C2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def values(seed, count, scale, shift):
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + (np.arange(4 * count, dtype=np.uint64) + np.uint64(1)) * GAMMA
        z = (z ^ (z >> np.uint64(30))) * C1
        z = (z ^ (z >> np.uint64(27))) * C2
        z ^= z >> np.uint64(31)
    u = (z >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))
    u = u.reshape(count, 4)
    s = ((u[:, 0] + u[:, 1]) + u[:, 2]) + u[:, 3]  # same left-to-right order as the C# loop
    return (s - 2.0) * scale + shift


def drift(r, c):
    ks = stats.ks_2samp(r, c)
    w = stats.wasserstein_distance(r, c)
    wn = w / max(np.std(r), 0.001)
    edges = np.histogram_bin_edges(np.concatenate([r, c]), bins=10)
    pr = np.histogram(r, edges)[0] / len(r)
    pc = np.histogram(c, edges)[0] / len(c)
    pr, pc = np.where(pr == 0, 0.0001, pr), np.where(pc == 0, 0.0001, pc)
    psi = np.sum((pr - pc) * np.log(pr / pc))
    return ks.statistic, ks.pvalue, w, wn, psi, jensenshannon(pr, pc)


if __name__ == "__main__":
    r = values(1, 1_000_000, 1.0, 0.0)
    c = values(2, 1_000_000, 1.1, 0.05)
    print(f"python {platform.python_version()} numpy {np.__version__} scipy {scipy.__version__}")
    print(f"checksum reference[0..3] = {r[:3].tolist()}")
    print("result (D, p, W, W/std, PSI, JS) =", drift(r, c))
    times = []
    for _ in range(5):
        start = time.perf_counter()
        drift(r, c)
        times.append(time.perf_counter() - start)
    print(f"scipy/numpy drift 1M vs 1M: min {min(times):.3f} s, median {sorted(times)[2]:.3f} s over 5 runs")
