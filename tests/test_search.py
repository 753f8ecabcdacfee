"""Full-text search over the measures of a run (pipeline/search.py)."""
from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from pipeline.search import Filters, SearchError, fts_query, query_terms, search, search_command
from pipeline.store import DB_NAME, Store


def _run(inputs: Path, out: Path) -> Path:
    """Run the real pipeline; without the theme model (or while it is broken) run unclassified."""
    from pipeline.config import Config
    from pipeline.runner import run

    summary = run([inputs], out, Config(), workers=1)
    if summary.errors:
        summary = run([inputs], out, Config(classify=False), workers=1, force=True)
    assert summary.errors == 0, summary.format()
    return out / DB_NAME


@pytest.fixture(scope="module")
def seeds_db(seeds_dir, tmp_path_factory) -> Path:
    return _run(seeds_dir, tmp_path_factory.mktemp("seeds"))


@pytest.fixture(scope="module")
def seeds(seeds_db):
    with Store(seeds_db, readonly=True) as store:
        yield store.conn


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> Path:
    from test_serve import write_fixture_store

    return write_fixture_store(tmp_path_factory.mktemp("fixture"))


@pytest.fixture(scope="module")
def small(fixture_db):
    with Store(fixture_db, readonly=True) as store:
        yield store.conn


def _ids(conn, query, filters=None, limit=500):
    hits, total = search(conn, query, filters, limit=limit)
    assert total == len(hits)
    return {(h.doc_id, h.measure_id) for h in hits}


def _containing(conn: sqlite3.Connection, word: str) -> set[tuple[str, str]]:
    rows = conn.execute("SELECT doc_id, measure_id FROM measures WHERE instr(text, ?) > 0", (word,))
    return {tuple(r) for r in rows}


@pytest.mark.shared
def test_search_finds_left_behind_children_in_jiangyou_and_henan(seeds):
    docs = {doc_id[:3] for doc_id, _ in _ids(seeds, "留守儿童")}
    assert "001" in docs
    assert docs & {"000", "004"}


@pytest.mark.shared
@pytest.mark.parametrize("word", ["教师", "经费", "双减", "留守儿童", "交流轮岗", "优质均衡"])
def test_search_recalls_every_measure_containing_the_word(seeds, word):
    expected = _containing(seeds, word)
    assert expected, f"seed text has no {word}"
    assert expected <= _ids(seeds, word)


@pytest.mark.shared
def test_search_traditional_query_finds_simplified_text(seeds):
    hits, _ = search(seeds, "交流輪崗")
    assert hits
    assert any("交流轮岗" in h.text for h in hits)
    assert "交流轮岗" in hits[0].highlighted()


@pytest.mark.shared
def test_search_multiword_query_needs_every_word(seeds):
    both = _ids(seeds, "教师 培训")
    assert both
    assert both <= _ids(seeds, "教师") & _ids(seeds, "培训")


@pytest.mark.shared
@pytest.mark.parametrize("field, value", [("province", "河南省"), ("county", "江油市"), ("city", "开封市")])
def test_search_region_filter_narrows_seed_hits(seeds, field, value):
    everything = search(seeds, "教师", limit=500)[0]
    narrowed = search(seeds, "教师", Filters(**{field: value}), limit=500)[0]
    assert narrowed
    assert len(narrowed) < len(everything)
    assert all(getattr(h, field) == value for h in narrowed)


@pytest.mark.parametrize("filters, expected", [
    (Filters(), {"henan/plan_2021.txt/s0001", "sichuan/jiangyou.txt/s0002"}),
    (Filters(province="河南省"), {"henan/plan_2021.txt/s0001"}),
    (Filters(city="绵阳市"), {"sichuan/jiangyou.txt/s0002"}),
    (Filters(county="江油市"), {"sichuan/jiangyou.txt/s0002"}),
    (Filters(theme="关爱帮扶"), {"henan/plan_2021.txt/s0001", "sichuan/jiangyou.txt/s0002"}),
    (Filters(theme="教师队伍"), set()),
    (Filters(instrument="服务供给", since=2020), {"henan/plan_2021.txt/s0001"}),
    (Filters(until=2020), {"sichuan/jiangyou.txt/s0002"}),
    (Filters(since=2019, until=2021), {"henan/plan_2021.txt/s0001"}),
])
def test_search_filters_narrow_results(small, filters, expected):
    assert {f"{d}/{m}" for d, m in _ids(small, "留守儿童", filters)} == expected


@pytest.mark.parametrize("flag, expected", [
    ("has_funding", {"henan/plan_2021.txt/s0003", "sichuan/jiangyou.txt/s0003"}),
    ("has_target", {"henan/plan_2021.txt/s0002"}),
])
def test_search_funding_and_target_filters(small, flag, expected):
    found = _ids(small, "推进 教育" if flag == "has_target" else "财政", Filters(**{flag: True}))
    assert {f"{d}/{m}" for d, m in found} == expected


def test_search_title_words_count_but_rank_below_text(small):
    hits, _ = search(small, "江油市")
    assert {h.doc_id for h in hits} == {"sichuan/jiangyou.txt"}
    assert len(hits) == 3


@pytest.mark.parametrize("query", [
    "教师 AND 经费", "教师 OR", '"教师', "教师*", "NEAR(教师 经费)", "教师 NOT 经费", "title_terms:教师",
    "教师 -经费", "^教师", "{terms}: 教师", "教师'); DROP TABLE measures; --",
])
def test_search_operators_are_plain_text(small, query):
    hits, total = search(small, query)
    assert total == len(hits)
    assert small.execute("SELECT COUNT(*) FROM measures").fetchone()[0] == 7


@pytest.mark.parametrize("query, words", [
    ("教师 AND 经费", ["教师", "AND", "经费"]),
    ('"双减"', ["双减"]),
    ("交流輪崗", ["交流轮岗"]),
])
def test_search_query_terms(query, words):
    assert query_terms(query) == words


def test_search_fts_query_quotes_every_word():
    assert fts_query(['a"b', "教师"]) == '"a""b" AND "教师"'


@pytest.mark.parametrize("query, kwargs, message", [
    ("教" * 101, {}, "too long"),
    ("", {}, "empty"),
    ("   ", {}, "empty"),
    ("，。！", {}, "no searchable words"),
    ("教师", {"limit": 0}, "limit"),
    ("教师", {"limit": 501}, "limit"),
    ("教师", {"offset": -1}, "offset"),
])
def test_search_rejects_bad_input(small, query, kwargs, message):
    with pytest.raises(SearchError, match=message):
        search(small, query, **kwargs)


def test_search_command_table_marks_hits_with_brackets(fixture_db):
    text = search_command(fixture_db.parent, "交流轮岗")
    assert "[交流轮岗]" in text
    assert "河南省推进县域义务教育优质均衡发展实施方案" in text and "2021-06-01" in text


def test_search_command_colour_uses_ansi(fixture_db):
    assert "\x1b[" in search_command(fixture_db, "交流轮岗", color=True)


def test_search_command_json(fixture_db):
    body = json.loads(search_command(fixture_db, "留守儿童", Filters(province="四川省"), as_json=True))
    assert body["total"] == 1
    assert body["hits"][0]["county"] == "江油市"


def test_search_command_csv_has_bom(fixture_db, tmp_path):
    out = tmp_path / "hits.csv"
    search_command(fixture_db, "经费", csv_path=out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["county"] for r in rows] == ["江油市"]


def test_search_command_missing_store(tmp_path):
    from corpus.errors import StoreError

    with pytest.raises(StoreError, match="zhengce run"):
        search_command(tmp_path, "教师")


def test_search_bundled_samples(samples_dir, tmp_path):
    with Store(_run(samples_dir, tmp_path), readonly=True) as store:
        expected = _containing(store.conn, "交流轮岗")
        found = _ids(store.conn, "交流輪崗")
    assert len(expected) >= 2
    assert expected <= found


def test_index_terms_from_given_words_are_those_of_the_text():
    # Workers index each measure from the words its document was cut into, not a new segmentation.
    from corpus.segment import get_tokenizer
    from pipeline.search import index_terms

    text = "拨付生均公用经费 按《标准》(GB3838-2002)执行，推进交流轮岗。"
    assert index_terms(text, get_tokenizer().cut(text)) == index_terms(text)
    assert {"生均公用经费", "经费", "轮岗"} <= set(index_terms(text).split())
