"""Keyness agrees with a hand computation on a tiny fixture (the one quanteda's own tests use)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2_contingency

from pipeline import keyness

# Target: "b b b b b b b a a a"; reference: "a a a a a a a b b". Words a, b.
TARGET = {"a": 3, "b": 7}
REFERENCE = {"a": 7, "b": 2}


def _by_hand_g2(a: int, b: int, c: int, d: int) -> float:
    n = a + b + c + d
    cells = [(a, (a + b) * (a + c) / n), (b, (a + b) * (b + d) / n), (c, (c + d) * (a + c) / n), (d, (c + d) * (b + d) / n)]
    g = 2 * sum(o * math.log(o / e) for o, e in cells if o)
    q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n)
    return g / q


def test_keyness_chi2_equals_yates_corrected_chisq_test():
    a = np.array([TARGET["a"], TARGET["b"]])
    b = np.array([REFERENCE["a"], REFERENCE["b"]])
    got = keyness.chi2(a, b, a.sum(), b.sum())
    expected = chi2_contingency([[3, 7], [7, 2]], correction=True)[0]
    assert got[0] == pytest.approx(-expected)  # a is rarer in the target than expected
    assert got[1] == pytest.approx(expected)
    # by hand: N (|ad − bc| − N/2)² / (row and column totals) = 19 × (43 − 9.5)² / (10·9·10·9)
    assert expected == pytest.approx(19 * 33.5**2 / 8100)


def test_keyness_g2_equals_williams_corrected_likelihood_ratio():
    got = keyness.g2(np.array([7]), np.array([2]), 10, 9)
    assert got[0] == pytest.approx(_by_hand_g2(7, 2, 3, 7))
    assert got[0] > 0


def test_keyness_word_absent_from_target_is_negative_and_finite():
    got = keyness.g2(np.array([0]), np.array([5]), 100, 100)
    assert np.isfinite(got[0]) and got[0] < 0


def test_keyness_p_value_of_zero_statistic_is_one():
    assert keyness.p_value(np.array([0.0]))[0] == pytest.approx(1.0)
