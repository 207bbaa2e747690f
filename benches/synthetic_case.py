"""The synthetic case of `abduce::sweep::synthetic::case(k, m, seed)`, rebuilt in Python
(same SplitMix64 stream, same order of draws), as arrays of 90% ranges and their
logit-normal / log-normal parameters (docs/reference.md §5.1). Shared by the numpy and SALib baselines."""

import math

import numpy as np

Z95 = 1.6448536269514722
MASK = (1 << 64) - 1


def splitmix64(seed):
    x = seed & MASK
    while True:
        x = (x + 0x9E3779B97F4A7C15) & MASK
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def case(k=8, m=40, seed=0):
    """Ranges: cells (m, k, 2), credibilities (m, 2), weights (m, 2); priors fixed at 1."""
    rng = splitmix64(seed)

    def unit():
        return (next(rng) >> 11) / float(1 << 53)

    cells = np.zeros((m, k, 2))
    cred = np.zeros((m, 2))
    weight = np.zeros((m, 2))
    for e in range(m):
        for j in range(k):
            l = 0.05 + 0.9 * unit()
            lo = l - 0.6 * l * (0.2 + 0.8 * unit())
            hi = l + 0.6 * (1.0 - l) * (0.2 + 0.8 * unit())
            cells[e, j] = (lo, hi)
        c = 0.5 + 0.45 * unit()
        lo = c - 0.3 * c * (0.2 + 0.8 * unit())
        hi = c + 0.3 * (1.0 - c) * (0.2 + 0.8 * unit())
        cred[e] = (lo, hi)
        w = 0.5 + 1.5 * unit()
        weight[e] = (w / 1.5, w * 1.5)
    return cells, cred, weight


def logit(x):
    return np.log(x / (1.0 - x))


def params(cells, cred, weight):
    """(mu, sigma) of every varying quantity on its transformed scale (docs/reference.md §5.1)."""

    def ms(a, b):
        return (a + b) / 2.0, (b - a) / (2.0 * Z95)

    return (
        ms(logit(cells[..., 0]), logit(cells[..., 1])),
        ms(logit(cred[:, 0]), logit(cred[:, 1])),
        ms(np.log(weight[:, 0]), np.log(weight[:, 1])),
    )


def log_scores(zc, zr, zw, p):
    """s_k for a batch of scenarios from standard normal draws: zc (n, m, k), zr (n, m),
    zw (n, m). Equal priors, so ln pi_k = -ln K."""
    (mc, sc), (mr, sr), (mw, sw) = p
    k = mc.shape[1]
    l = 1.0 / (1.0 + np.exp(-(mc + sc * zc)))
    c = 1.0 / (1.0 + np.exp(-(mr + sr * zr)))
    w = np.exp(mw + sw * zw)
    lbar = l.mean(axis=2, keepdims=True)
    q = c[..., None] * l + (1.0 - c[..., None]) * lbar
    return -math.log(k) + np.einsum("nm,nmk->nk", w, np.log(q))


def posteriors(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
