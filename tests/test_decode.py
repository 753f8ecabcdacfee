"""corpus.decode: every encoding a Chinese document arrives in decodes to the same text."""
from __future__ import annotations

import logging
import random

import pytest

from corpus.decode import Decoded, decode_bytes, plausibility
from corpus.errors import DecodeError, EmptyDocument

NOTICE = "各区县人民政府：为加快推进义务教育优质均衡发展，市财政安排专项资金3.5亿元，新增学位2.4万个。\n"
NOTICE_TRAD = "各區縣人民政府：為加快推進義務教育優質均衡發展，市財政安排專項資金3.5億元，新增學位2.4萬個。\n"


def _seed(seeds_dir, prefix: str) -> str:
    return next(seeds_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _encodable(text: str, encoding: str) -> str:
    """The characters of ``text`` that ``encoding`` can represent (Big5 lacks e.g. pinyin tones)."""
    return "".join(ch for ch in text if ch.encode(encoding, errors="ignore"))


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (NOTICE, "utf-8", "utf-8"),
        (NOTICE, "utf-8-sig", "utf-8-sig"),
        (NOTICE, "gbk", "gb18030"),
        (NOTICE, "gb2312", "gb18030"),
        (NOTICE, "gb18030", "gb18030"),
        (NOTICE_TRAD, "big5", "cp950"),
        (NOTICE_TRAD, "gbk", "gb18030"),  # traditional text typed on a mainland machine
        (NOTICE, "utf-16", "utf-16-le"),
        (NOTICE, "utf-16-le", "utf-16-le"),
        (NOTICE, "utf-16-be", "utf-16-be"),
        ("关于印发义务教育优质均衡发展实施方案的通知", "utf-16-le", "utf-16-le"),  # no ASCII, so no NULs
    ],
)
def test_decode_round_trips_short_notice(text: str, encoding: str, expected: str) -> None:
    decoded = decode_bytes(text.encode(encoding), "notice.txt")
    assert decoded == Decoded(text, expected, False)


@pytest.mark.shared
@pytest.mark.parametrize("prefix", ["000", "002", "003"])
@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-be", "utf-8-sig", "utf-8"])
def test_decode_round_trips_seed(seeds_dir, prefix: str, encoding: str) -> None:
    text = _encodable(_seed(seeds_dir, prefix), encoding)
    decoded = decode_bytes(text.encode(encoding), f"{prefix}.txt")
    assert decoded.text == text
    assert not decoded.lossy


@pytest.mark.shared
def test_decode_round_trips_traditional_seed_in_big5(seeds_dir) -> None:
    text = _encodable(_seed(seeds_dir, "002"), "big5")
    decoded = decode_bytes(text.encode("big5"), "002.txt")
    assert decoded.text == text
    assert decoded.encoding in {"cp950", "big5hkscs"}


def test_decode_replaces_a_few_bad_bytes_in_gbk() -> None:
    good = (NOTICE * 20).encode("gbk")
    data = good[:301] + b"\xff\x81\xfe" + good[301:]
    decoded = decode_bytes(data, "bad.txt")
    assert decoded.lossy
    assert decoded.encoding == "gb18030"
    assert decoded.text.count("\ufffd") >= 1
    assert decoded.text.endswith(NOTICE)


def test_decode_logs_a_warning_when_lossy(caplog) -> None:
    data = NOTICE.encode("gbk") + b"\xff" + NOTICE.encode("gbk")
    with caplog.at_level(logging.WARNING, logger="corpus.decode"):
        decode_bytes(data, "bad.txt")
    assert "bad.txt" in caplog.text and "replaced" in caplog.text


def test_decode_logs_each_failed_attempt(caplog) -> None:
    with caplog.at_level(logging.DEBUG, logger="corpus.decode"):
        decode_bytes(NOTICE_TRAD.encode("big5"), "big5.txt")
    assert "not utf-8" in caplog.text


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(4000),
        b"PK\x03\x04\x14\x00\x00\x00" + random.Random(2).randbytes(4000),
        bytes(range(256)) * 16,
        bytes(random.Random(3).randrange(1, 32) for _ in range(4000)),  # control bytes, no NUL
    ],
    ids=["png", "zip", "all-bytes", "control-bytes"],
)
def test_decode_rejects_binary(data: bytes) -> None:
    with pytest.raises(DecodeError, match=r"junk\.bin: looks binary"):
        decode_bytes(data, "junk.bin")


@pytest.mark.parametrize("data", [b"", b"   \r\n\t  \n", "\ufeff  \n".encode("utf-8")])
def test_decode_rejects_empty(data: bytes) -> None:
    with pytest.raises(EmptyDocument, match="empty.txt"):
        decode_bytes(data, "empty.txt")


def test_decode_honours_declared_charset() -> None:
    decoded = decode_bytes(NOTICE.encode("gbk"), "page.html", declared="GB2312")
    assert (decoded.text, decoded.encoding) == (NOTICE, "gb18030")


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [("gbk", "utf-8"), ("utf-8", "gbk"), ("big5", "gb2312"), ("gbk", "no-such-charset")],
)
def test_decode_detects_when_declared_charset_is_wrong(encoding: str, declared: str) -> None:
    text = NOTICE_TRAD if encoding == "big5" else NOTICE
    assert decode_bytes(text.encode(encoding), "page.html", declared=declared).text == text


def test_decode_plausibility_separates_right_from_wrong_codec() -> None:
    data = NOTICE_TRAD.encode("big5")
    assert plausibility(data.decode("cp950")) > 0.95
    assert plausibility(data.decode("gb18030", errors="replace")) < 0.8


def test_unprintable_pattern_is_exactly_the_control_surrogate_and_private_use_categories():
    # The binary check counts these with one regex; it must agree with unicodedata everywhere.
    import unicodedata

    from corpus.decode import _UNPRINTABLE

    disagree = [hex(cp) for cp in range(0x110000)
                if bool(_UNPRINTABLE.match(chr(cp))) != (
                    chr(cp) not in "\t\n\r\f"
                    and unicodedata.category(chr(cp)) in ("Cc", "Cs", "Co"))]
    assert disagree == []
