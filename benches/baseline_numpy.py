"""Monte Carlo on the synthetic 8x40 case with numpy, vectorised over scenarios: the
baseline of docs/performance.md. Usage: python3 benches/baseline_numpy.py [N] [batch]"""

import sys
import time

import numpy as np

from synthetic_case import case, log_scores, params, posteriors


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    cells, cred, weight = case()
    p = params(cells, cred, weight)
    m, k = cells.shape[:2]
    rng = np.random.default_rng(0)
    bins = 4096
    hist = np.zeros((k, bins), dtype=np.int64)
    total = np.zeros(k)
    top = np.zeros(k, dtype=np.int64)
    t = time.perf_counter()
    done = 0
    while done < n:
        b = min(batch, n - done)
        s = log_scores(
            rng.standard_normal((b, m, k)),
            rng.standard_normal((b, m)),
            rng.standard_normal((b, m)),
            p,
        )
        post = posteriors(s)
        total += post.sum(axis=0)
        top += np.bincount(np.argmax(s, axis=1), minlength=k)
        idx = np.minimum((post * bins).astype(np.int64), bins - 1)
        for j in range(k):
            hist[j] += np.bincount(idx[:, j], minlength=bins)
        done += b
    secs = time.perf_counter() - t
    print(f"numpy: {n} scenarios in {secs:.3f} s = {n / secs:.0f} scenarios/s")
    print("mean posterior:", np.round(total / n, 4))
    print("p_top:", np.round(top / n, 4))


if __name__ == "__main__":
    main()
