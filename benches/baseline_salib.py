"""Sobol indices of the point leader's posterior on the synthetic 8x40 case with SALib
(Saltelli sampling, first and total order, grouped by evidence item, 500 bootstrap
resamples), the same model as `abduce sweep sobol`: the baseline of docs/performance.md.
Usage: python3 benches/baseline_salib.py [N]"""

import sys
import time

import numpy as np
from SALib.analyze import sobol
from SALib.sample import sobol as sobol_sample

from synthetic_case import case, log_scores, params, posteriors


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4096
    cells, cred, weight = case()
    p = params(cells, cred, weight)
    (mc, sc), (mr, sr), (mw, sw) = p
    m, k = cells.shape[:2]
    # Variables in abduce's canonical order: per item its weight, credibility, then cells.
    names, groups, dists, bounds = [], [], [], []
    for e in range(m):
        for name, mu, sigma in (
            [(f"e{e + 1}.weight", mw[e], sw[e]), (f"e{e + 1}.credibility", mr[e], sr[e])]
            + [(f"e{e + 1}.likelihood.h{j + 1}", mc[e, j], sc[e, j]) for j in range(k)]
        ):
            names.append(name)
            groups.append(f"e{e + 1}")
            dists.append("norm")
            bounds.append([0.0, 1.0])  # standard normal draws; mu, sigma applied below
    problem = {
        "num_vars": len(names),
        "names": names,
        "groups": groups,
        "bounds": bounds,
        "dists": dists,
    }
    # The point leader (mean draws = the range midpoints on the transformed scale).
    z0 = np.zeros((1, m, k))
    leader = int(np.argmax(log_scores(z0, np.zeros((1, m)), np.zeros((1, m)), p)[0]))

    def model(x):
        x = x.reshape(-1, m, k + 2)
        s = log_scores(x[:, :, 2:], x[:, :, 1], x[:, :, 0], p)
        return posteriors(s)[:, leader]

    t0 = time.perf_counter()
    x = sobol_sample.sample(problem, n, calc_second_order=False, seed=0)
    t1 = time.perf_counter()
    y = np.concatenate([model(x[i : i + 20_000]) for i in range(0, len(x), 20_000)])
    t2 = time.perf_counter()
    si = sobol.analyze(problem, y, calc_second_order=False, num_resamples=500, seed=0)
    t3 = time.perf_counter()
    print(
        f"SALib: N = {n}, {len(x)} model runs: sample {t1 - t0:.2f} s, "
        f"model {t2 - t1:.2f} s, analyze {t3 - t2:.2f} s, total {t3 - t0:.2f} s"
    )
    order = np.argsort(-si["ST"])[:5]
    print("largest ST:", [(f"e{i + 1}", round(si["ST"][i], 3), round(si["S1"][i], 3)) for i in order])


if __name__ == "__main__":
    main()
