#!/usr/bin/python3
"""Golden values for the statistics engine, computed with numpy / scipy / scikit-learn.

Writes tests/Engine.Tests/Golden/*.json (inputs + expected outputs). CI has no Python: commit the JSON.
Run from the repository root:  /usr/bin/python3 tests/golden/generate.py

Generated with Debian 12 packages: Python 3.11.2, numpy 1.24.2, scipy 1.10.1, scikit-learn 1.2.1
(the versions actually used are also written into each JSON file under "generator").

Conventions mirrored by the C# engine:
- numerical: non-finite values dropped; scipy.stats.ks_2samp (method='auto'), scipy.stats.wasserstein_distance,
  normalised by max(np.std(reference), 0.001); 10 equal-width bins from np.histogram_bin_edges(r ∪ c, 10);
  proportions with 0 -> 0.0001; PSI = Σ (r-c) ln(r/c); scipy.spatial.distance.jensenshannon (natural log).
- categorical: scipy.stats.chi2_contingency(correction=False) on the 2 x k table over the union of categories.
- NaN inputs are written as JSON null.
"""
import json
import math
import os
import platform

import numpy as np
import scipy
import sklearn
from scipy import stats
from scipy.spatial.distance import jensenshannon
from sklearn import metrics

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Engine.Tests", "Golden")
GENERATOR = {
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "sklearn": sklearn.__version__,
}


def floats(values):
    return [None if (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]


def proportions(x, edges):
    p = np.histogram(x, bins=edges)[0] / len(x)
    return np.where(p == 0, 0.0001, p)


def numerical_case(name, r, c):
    r = np.asarray(r, dtype=float)
    c = np.asarray(c, dtype=float)
    rf, cf = r[np.isfinite(r)], c[np.isfinite(c)]
    ks = stats.ks_2samp(rf, cf)
    method = "exact" if max(len(rf), len(cf)) <= 10000 else "asymptotic"
    w = stats.wasserstein_distance(rf, cf)
    edges = np.histogram_bin_edges(np.concatenate([rf, cf]), bins=10)
    pr, pc = proportions(rf, edges), proportions(cf, edges)
    return {
        "name": name,
        "reference": floats(r),
        "current": floats(c),
        "expected": {
            "referenceSize": int(len(rf)),
            "currentSize": int(len(cf)),
            "ksStatistic": float(ks.statistic),
            "ksPValue": float(ks.pvalue),
            "ksMethod": method,
            "wasserstein": float(w),
            "wassersteinNormalized": float(w / max(np.std(rf), 0.001)),
            "psi": float(np.sum((pr - pc) * np.log(pr / pc))),
            "jensenShannon": float(jensenshannon(pr, pc)),
        },
    }


def categorical_case(name, r, c):
    cats = sorted(set(r) | set(c))
    table = np.array([[r.count(k) for k in cats], [c.count(k) for k in cats]])
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    pr = np.where(table[0] == 0, 0.0001, table[0] / len(r))
    pc = np.where(table[1] == 0, 0.0001, table[1] / len(c))
    return {
        "name": name,
        "reference": r,
        "current": c,
        "expected": {
            "categories": cats,
            "chiSquare": float(chi2),
            "pValue": float(p),
            "degreesOfFreedom": int(dof),
            "psi": float(np.sum((pr - pc) * np.log(pr / pc))),
            "jensenShannon": float(jensenshannon(pr, pc)),
        },
    }


def write(name, cases):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump({"generator": GENERATOR, "cases": cases}, f, separators=(",", ":"))
    print(f"{path}: {os.path.getsize(path) // 1024} KB, {len(cases)} cases")


def numerical():
    rng = np.random.default_rng(20240601)
    q = lambda a, d=4: np.round(a, d)
    with_nan = q(rng.normal(0, 1, 120))
    with_nan[[3, 17, 40]] = np.nan
    cur_nan = q(rng.normal(0.2, 1, 90))
    cur_nan[[0]] = np.nan
    small = [
        numerical_case("small_unequal_exact", q(rng.normal(0, 1, 200)), q(rng.normal(0.3, 1.2, 150))),
        numerical_case("small_same_distribution", q(rng.normal(5, 2, 80)), q(rng.normal(5, 2, 60))),
        numerical_case("equal_sizes_exact", q(rng.normal(0, 1, 500)), q(rng.normal(0.1, 1, 500))),
        numerical_case("ties_poisson", rng.poisson(3, 300).astype(float), rng.poisson(3.4, 400).astype(float)),
        numerical_case("ties_heavy_two_values", rng.integers(0, 2, 50).astype(float), rng.integers(0, 2, 70).astype(float)),
        numerical_case("tiny_samples", [1.0, 2.0, 3.0], [2.5, 4.0]),
        numerical_case("single_values", [1.0], [2.0]),
        numerical_case("single_vs_many", [0.5], q(rng.uniform(0, 1, 20))),
        numerical_case("constant_identical", [5.0] * 50, [5.0] * 40),
        numerical_case("constant_reference_shifted_current", [5.0] * 50, q(rng.normal(6, 1, 40))),
        numerical_case("constant_both_different", [1.0] * 30, [2.0] * 30),
        numerical_case("with_nan", with_nan, cur_nan),
        numerical_case("mid_exact_min_1000", q(rng.normal(0, 1, 3000)), q(rng.normal(0.05, 1, 2000))),
        numerical_case("mid_exact_coprime", q(rng.exponential(1, 1009), 3), q(rng.exponential(1.1, 1013), 3)),
        numerical_case("asymptotic_small_other", q(rng.normal(0, 1, 10001), 2), q(rng.normal(0.1, 1, 60), 2)),
    ]
    write("drift_numerical.json", small)
    large = [
        numerical_case("large_asymptotic", q(rng.normal(0, 1, 12000), 3), q(rng.normal(0.03, 1, 10500), 3)),
    ]
    write("drift_numerical_large.json", large)


def categorical():
    rng = np.random.default_rng(7)
    pick = lambda cats, p, n: [str(x) for x in rng.choice(cats, size=n, p=p)]
    cases = [
        categorical_case("small_shift", pick(["DE", "FR", "US"], [0.5, 0.3, 0.2], 300), pick(["DE", "FR", "US"], [0.4, 0.3, 0.3], 200)),
        categorical_case("only_in_current", pick(["a", "b"], [0.6, 0.4], 100), pick(["a", "b", "c"], [0.5, 0.3, 0.2], 120)),
        categorical_case("only_in_reference", pick(["a", "b", "z"], [0.4, 0.4, 0.2], 90), pick(["a", "b"], [0.5, 0.5], 80)),
        categorical_case("single_category_both", ["x"] * 10, ["x"] * 7),
        categorical_case("large_reference", pick(["red", "green", "blue", "gray"], [0.4, 0.3, 0.2, 0.1], 3000),
                         pick(["red", "green", "blue", "gray"], [0.25, 0.25, 0.25, 0.25], 2500)),
        categorical_case("large_same", pick(["p", "q", "r"], [0.2, 0.3, 0.5], 2000), pick(["p", "q", "r"], [0.2, 0.3, 0.5], 1500)),
    ]
    write("drift_categorical.json", cases)


def binary_case(name, scores, labels, threshold=0.5):
    y = np.asarray(labels)
    s = np.asarray(scores, dtype=float)
    pred = (s >= threshold).astype(int)
    tn, fp, fn, tp = metrics.confusion_matrix(y, pred, labels=[0, 1]).ravel()
    return {
        "name": name, "scores": floats(s), "labels": [int(v) for v in y], "threshold": threshold,
        "expected": {
            "accuracy": float(metrics.accuracy_score(y, pred)),
            "precision": float(metrics.precision_score(y, pred, zero_division=0)),
            "recall": float(metrics.recall_score(y, pred, zero_division=0)),
            "f1": float(metrics.f1_score(y, pred, zero_division=0)),
            "rocAuc": float(metrics.roc_auc_score(y, s)),
            "logLoss": float(metrics.log_loss(y, s, labels=[0, 1])),
            "tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp),
        },
    }


def performance():
    rng = np.random.default_rng(99)
    y = rng.integers(0, 2, 400)
    s = np.clip(np.round(0.35 * y + rng.uniform(0, 0.65, 400), 2), 0, 1)  # 2 decimals: many tied scores
    s[:5] = [0.0, 1.0, 0.5, 0.5, 1.0]  # exact 0/1 exercise log-loss clipping; 0.5 sits on the threshold
    binary = [
        binary_case("tied_scores", s.tolist(), y.tolist()),
        binary_case("threshold_0_3", s.tolist(), y.tolist(), 0.3),
        binary_case("hand_sized", [0.1, 0.4, 0.35, 0.8, 0.8, 0.2], [0, 0, 1, 1, 0, 1]),
    ]
    write("performance_binary.json", binary)

    classes = ["cat", "dog", "eel", "fox"]
    labels = [str(v) for v in rng.choice(classes, 300, p=[0.4, 0.3, 0.2, 0.1])]
    predicted = [l if rng.uniform() < 0.7 else str(rng.choice(classes + ["yak"])) for l in labels]
    multi = []
    for name, yt, yp in [("four_classes_plus_unseen_prediction", labels, predicted),
                         ("hand_sized", ["a", "b", "a", "c", "b", "a"], ["a", "a", "a", "c", "c", "b"])]:
        labs = sorted(set(yt) | set(yp))
        p, r, _, sup = metrics.precision_recall_fscore_support(yt, yp, labels=labs, zero_division=0)
        multi.append({
            "name": name, "labels": yt, "predicted": yp,
            "expected": {
                "classes": labs,
                "accuracy": float(metrics.accuracy_score(yt, yp)),
                "macroF1": float(metrics.f1_score(yt, yp, average="macro", zero_division=0)),
                "weightedF1": float(metrics.f1_score(yt, yp, average="weighted", zero_division=0)),
                "precision": [float(v) for v in p], "recall": [float(v) for v in r],
                "support": [int(v) for v in sup],
                "confusion": metrics.confusion_matrix(yt, yp, labels=labs).tolist(),
            },
        })
    write("performance_multiclass.json", multi)

    yt = np.round(rng.normal(10, 4, 250), 3)
    yt[[2, 50, 77]] = 0.0  # zero labels are skipped by MAPE
    yp = np.round(yt + rng.normal(0, 1.5, 250), 3)
    nz = yt != 0
    regression = [{
        "name": "noisy_with_zero_labels", "labels": floats(yt), "predicted": floats(yp),
        "expected": {
            "mae": float(metrics.mean_absolute_error(yt, yp)),
            "rmse": float(math.sqrt(metrics.mean_squared_error(yt, yp))),
            "mape": float(metrics.mean_absolute_percentage_error(yt[nz], yp[nz])),
            "mapeSkipped": int((~nz).sum()),
            "r2": float(metrics.r2_score(yt, yp)),
        },
    }]
    write("performance_regression.json", regression)


if __name__ == "__main__":
    numerical()
    categorical()
    performance()
