"""Tests of extractors.numbers: Arabic, full-width and Chinese numerals with magnitudes."""
from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.numbers import FULLWIDTH, MAGNITUDES, halfwidth, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("720", 720.0),
        ("3,000", 3000.0),
        ("1,234.5", 1234.5),
        ("4.6亿", 460000000.0),
        ("1.2万", 12000.0),
        ("3,000万", 30000000.0),
        ("5.66万亿", 5.66e12),
        ("１２０", 120.0),  # full-width digits
        ("４．６亿", 460000000.0),
        ("一千二百万", 12000000.0),
        ("三", 3.0),
        ("两", 2.0),
        ("十五", 15.0),
        ("两千", 2000.0),
        ("零点五", 0.5),
        ("二〇二三", 2023.0),  # years are read digit by digit
        (" 95 ", 95.0),
    ],
)
def test_numbers_parses_forms(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "万", "百千万", "元", "一是", "%"])
def test_numbers_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_numbers_decimal_magnitude_is_exact() -> None:
    # 4.6 * 1e8 in floats is 459999999.99999994; the parser must give the exact amount.
    assert parse_number("4.6亿") == 460000000.0


def test_numbers_magnitudes_table() -> None:
    assert MAGNITUDES == {"亿": 1e8, "万": 1e4, "千": 1e3, "百": 100.0}


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_numbers_round_trips_chinese_numerals(n: int) -> None:
    assert parse_number(cn2an.an2cn(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_numbers_never_raises(text: str) -> None:
    parse_number(text)


@given(st.text(alphabet=st.sampled_from([*map(chr, FULLWIDTH), *"投入亿元，。% 12ab"]), max_size=40))
@settings(max_examples=300, deadline=None)
def test_halfwidth_is_the_fullwidth_translation(text):
    assert halfwidth(text) == text.translate(FULLWIDTH)
