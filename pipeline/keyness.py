"""Keyness of words in a target group against the rest, as quanteda's ``textstat_keyness``
computes it: a signed 2×2 association score per word.

For a word with ``a`` occurrences in the target, ``b`` in the reference, and ``c``/``d`` the other
words of target/reference (N = a+b+c+d, expected E = row × column / N):

- ``chi2``: Pearson's χ² with Yates' continuity correction, as R's ``chisq.test(correct=TRUE)``
  (each |O−E| is reduced by min(0.5, |O−E|)); quanteda's default measure.
- ``g2``: the likelihood-ratio statistic G² = 2 Σ O ln(O/E), divided by Williams' correction
  q = 1 + (N/(a+b) + N/(c+d) − 1)(N/(a+c) + N/(b+d) − 1) / (6N), quanteda's default for ``lr``.

Both are positive when the word is more frequent in the target than expected, negative otherwise.
"""
from __future__ import annotations

import numpy as np


def _table(a, b, target_total, reference_total):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    c = target_total - a
    d = reference_total - b
    n = a + b + c + d
    observed = np.stack([a, b, c, d])
    rows = np.stack([a + b, a + b, c + d, c + d])
    cols = np.stack([a + c, b + d, a + c, b + d])
    expected = rows * cols / n
    return observed, expected, n


def chi2(a, b, target_total: float, reference_total: float) -> np.ndarray:
    """Signed Yates-corrected χ² for target counts ``a`` and reference counts ``b``."""
    observed, expected, _ = _table(a, b, target_total, reference_total)
    deviation = np.abs(observed - expected)
    yates = np.minimum(0.5, deviation)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = np.nansum((deviation - yates) ** 2 / expected, axis=0)
    return np.where(observed[0] > expected[0], stat, -stat)


def g2(a, b, target_total: float, reference_total: float) -> np.ndarray:
    """Signed likelihood-ratio G² with Williams' correction."""
    observed, expected, n = _table(a, b, target_total, reference_total)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
        stat = 2 * terms.sum(axis=0)
        a_, b_, c_, d_ = observed
        q = 1 + (n / (a_ + b_) + n / (c_ + d_) - 1) * (n / (a_ + c_) + n / (b_ + d_) - 1) / (6 * n)
        stat = stat / q
    return np.where(observed[0] > expected[0], stat, -stat)


def p_value(stat: np.ndarray) -> np.ndarray:
    """Two-sided p of a 1-degree-of-freedom χ² (or G²) statistic."""
    from scipy.stats import chi2 as chi2_dist

    return chi2_dist.sf(np.abs(stat), df=1)
