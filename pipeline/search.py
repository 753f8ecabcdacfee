"""Full-text search over measures and document titles.

SQLite's FTS5 cannot segment Chinese, so the index stores a segmented copy of each measure: jieba
search-mode words plus the character bigrams of longer words (so a 2-character query such as 教师
also hits 骨干教师 when jieba keeps that word whole). Queries are converted to simplified Chinese and
segmented the same way; every query word must match (in the measure or its document's title);
results rank by bm25, measure text weighing more than the title.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.errors import ZhengceError

MAX_QUERY_CHARS = 100
MAX_LIMIT = 500
COUNT_CAP = 1_000
"""Totals stop counting here: counting every row of a very common word costs more than the page."""
_WORD = re.compile(r"[\w%]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_BM25 = "bm25(measures_fts, 1.0, 0.3)"


class SearchError(ZhengceError):
    """A query or filter that cannot be answered (the message says why)."""


class _TermCache(dict):
    """word -> the index terms of its search-mode words, joined ("" when none are indexed),
    computed on first sight: a corpus repeats a small vocabulary, so the sub-word, regex and
    bigram work is done once per word."""

    LIMIT = 200_000  # words; cleared past this so memory stays bounded on huge corpora

    def __missing__(self, word: str) -> str:
        from corpus.segment import get_tokenizer

        terms = " ".join(filter(None, map(_token_terms, get_tokenizer().search_words(word))))
        if len(self) >= self.LIMIT:
            self.clear()
        self[word] = terms
        return terms


def _token_terms(token: str) -> str:
    if not _WORD.fullmatch(token):
        return ""
    if len(token) > 2 and _CJK.match(token):
        return " ".join([token, *(token[i : i + 2] for i in range(len(token) - 1))])
    return token


_TERMS = _TermCache()


def index_terms(text: str, words: list[str] | None = None) -> str:
    """The terms stored for ``text``: search-mode words, and bigrams of words longer than two
    characters.

    ``words``: the words ``text`` was already cut into (``extractors.components.words_between``),
    so that it is not segmented again; by default it is cut here.
    """
    if words is None:
        from corpus.segment import get_tokenizer

        words = get_tokenizer().cut(text)
    return " ".join(filter(None, map(_TERMS.__getitem__, words)))


def query_terms(query: str) -> list[str]:
    """Words a query must match: simplified, segmented like the index, punctuation dropped."""
    from corpus.normalise import to_simplified
    from corpus.segment import tokens

    query = to_simplified(query.strip())
    words: list[str] = []
    for chunk in query.split():
        for token in tokens(chunk) if _CJK.search(chunk) else _WORD.findall(chunk):
            if _WORD.fullmatch(token) and token not in words:
                words.append(token)
    return words


def _pieces(word: str) -> list[str]:
    """Two-character pieces tiling a long Chinese word (交流轮岗 -> 交流, 轮岗; 幼儿园 -> 幼儿, 儿园):
    how a document that jieba cut differently from the query still holds the word."""
    if len(word) <= 2 or not all(_CJK.match(c) for c in word):
        return []
    starts = list(range(0, len(word) - 1, 2))
    if len(word) % 2:
        starts.append(len(word) - 2)
    return [word[i : i + 2] for i in starts]


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def fts_query(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word quoted (so AND, OR, quotes and stars in user input
    are plain text), all required. A long Chinese word may also match as its 2-character pieces
    side by side (NEAR keeps 财政资金 from matching 财政 … 资金 far apart)."""
    parts = []
    for word in words:
        pieces = _pieces(word)
        if pieces:
            near = f"NEAR({' '.join(_quote(p) for p in pieces)}, {2 * len(pieces) - 3})"
            parts.append(f"({_quote(word)} OR {near})")
        else:
            parts.append(_quote(word))
    return " AND ".join(parts)


@dataclass(slots=True)
class Filters:
    theme: str | None = None
    instrument: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    since: int | None = None
    until: int | None = None
    has_funding: bool = False
    has_target: bool = False

    def where(self) -> tuple[list[str], list[Any]]:
        """SQL conditions on a measure ``m`` and their parameters; document-level filters become one
        ``m.doc_id IN (...)`` list, computed once per query instead of a join per matching row."""
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in (("m.theme", self.theme), ("m.instrument", self.instrument)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        doc: list[str] = []
        for column, value in (("province", self.province), ("city", self.city), ("county", self.county)):
            if value:
                doc.append(f"d.{column} = ?")
                params.append(value)
        for op, year in ((">=", self.since), ("<=", self.until)):
            if year is not None:
                doc.append(f"CAST(substr(d.published, 1, 4) AS INTEGER) {op} ?")
                params.append(year)
        if doc:
            clauses.append(f"m.doc_id IN (SELECT d.doc_id FROM documents d WHERE {' AND '.join(doc)})")
        if self.has_funding:
            clauses.append(_EXISTS.format(table="funding"))
        if self.has_target:
            clauses.append(_EXISTS.format(table="targets"))
        return clauses, params


_EXISTS = "EXISTS (SELECT 1 FROM {table} x WHERE x.doc_id = m.doc_id AND x.measure_id = m.measure_id)"


@dataclass(slots=True)
class Hit:
    doc_id: str
    measure_id: str
    section: str
    text: str
    theme: str
    instrument: str
    title: str
    published: str
    province: str
    city: str
    county: str
    score: float
    spans: list[tuple[int, int]] = field(default_factory=list)

    def highlighted(self, before: str = "[", after: str = "]") -> str:
        out, last = [], 0
        for start, end in self.spans:
            out += [self.text[last:start], before, self.text[start:end], after]
            last = end
        out.append(self.text[last:])
        return "".join(out)

    @property
    def region(self) -> str:
        return "".join(dict.fromkeys(p for p in (self.province, self.city, self.county) if p))

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}


def highlight_spans(text: str, words: list[str], *, pieces: bool = True) -> list[tuple[int, int]]:
    """Non-overlapping character spans of ``text`` where a query word (or, with ``pieces``, the
    2-character pieces of a long Chinese word not found whole) occurs."""
    needles = set(words)
    for word in words if pieces else ():
        if word not in text:
            needles.update(_pieces(word))
    if not needles:
        return []
    pattern = re.compile("|".join(re.escape(w) for w in sorted(needles, key=len, reverse=True)), re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]


def check(query: str, limit: int = 20, offset: int = 0) -> list[str]:
    """Validate a query and paging; return the query's words or raise ``SearchError``."""
    if not query or not query.strip():
        raise SearchError("empty query: give one or more words, e.g. 留守儿童")
    if len(query) > MAX_QUERY_CHARS:
        raise SearchError(f"query too long ({len(query)} characters, at most {MAX_QUERY_CHARS})")
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise SearchError(f"offset must be >= 0, got {offset}")
    words = query_terms(query)
    if not words:
        raise SearchError(f"no searchable words in {query!r}")
    return words


def _base(words: list[str], filters: Filters | None) -> tuple[str, list[Any]]:
    clauses, params = (filters or Filters()).where()
    where = " AND ".join(["measures_fts MATCH ?"] + clauses)
    # Join measures only when a filter needs it: on a common word every joined row costs.
    join = "JOIN measures m ON m.rowid = measures_fts.rowid " if clauses else ""
    return f"FROM measures_fts {join}WHERE {where}", [fts_query(words), *params]


def _ranked(conn: sqlite3.Connection, words: list[str], filters: Filters | None, limit: int, offset: int
            ) -> tuple[list[tuple[int, float]], int]:
    """(rowid, bm25) of one page, and the (capped) number of matches."""
    base, args = _base(words, filters)
    if "JOIN" not in base:
        # No filter: a capped count on the index alone, then SQLite's top-k sort.
        total = conn.execute(f"SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT ?)", [*args, COUNT_CAP + 1]).fetchone()[0]
        rows = conn.execute(
            f"SELECT measures_fts.rowid, {_BM25} AS score {base} ORDER BY score, measures_fts.rowid LIMIT ? OFFSET ?",
            [*args, limit, offset],
        ).fetchall() if total else []
        return rows, total
    # Filtered: one pass (the filter is the costly part per row), then count and sort here.
    rows = conn.execute(f"SELECT measures_fts.rowid, {_BM25} {base}", args).fetchall()
    rows.sort(key=lambda r: (r[1], r[0]))
    return rows[offset : offset + limit], min(len(rows), COUNT_CAP + 1)


def search(
    conn: sqlite3.Connection, query: str, filters: Filters | None = None, *, limit: int = 20, offset: int = 0
) -> tuple[list[Hit], int]:
    """Measures matching ``query`` (best first) and the total number of matches.

    The total is exact up to ``COUNT_CAP``; above it, ``COUNT_CAP + 1`` is returned (show "10000+").
    """
    words = check(query, limit, offset)
    try:
        rows, total = _ranked(conn, words, filters, limit, offset)
    except sqlite3.OperationalError as exc:
        raise SearchError(f"search failed: {exc}") from None
    # Fetch display columns only for the page (joins on a handful of rows, not every match).
    details = {}
    if rows:
        marks = ", ".join("?" * len(rows))
        for r in conn.execute(
            "SELECT m.rowid, m.doc_id, m.measure_id, m.section, m.text, m.theme, m.instrument, d.title, "
            "d.published, d.province, d.city, d.county FROM measures m LEFT JOIN documents d "
            f"ON d.doc_id = m.doc_id WHERE m.rowid IN ({marks})",
            [r[0] for r in rows],
        ):
            details[r[0]] = r
    hits = []
    for rowid, score in rows:
        values = [("" if v is None else v) for v in tuple(details[rowid])[1:12]]
        hits.append(Hit(*values, score=round(-score, 4), spans=highlight_spans(values[3], words)))
    return hits, total


def resolve_db(path: str | Path) -> Path:
    """The store file for ``path``: the output folder of ``zhengce run`` or the .sqlite file."""
    from pipeline.store import DB_NAME

    path = Path(path)
    return path / DB_NAME if path.is_dir() else path


CSV_COLUMNS = ("doc_id", "measure_id", "title", "published", "province", "city", "county", "section", "text",
               "theme", "instrument", "score")


def write_csv(hits: list[Hit], stream) -> None:  # noqa: ANN001 - a text stream
    """Hits as CSV rows (the caller opens the stream with ``encoding="utf-8-sig"`` for the BOM)."""
    import csv

    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        writer.writerow([getattr(hit, c) for c in CSV_COLUMNS])


def format_table(hits: list[Hit], total: int, *, color: bool = False) -> str:
    """A readable listing: one block per hit with the hit marked, region, title and date."""
    import click

    if not hits:
        return "no matches"
    # click.style around a placeholder gives the escape codes to put before and after a hit.
    before, after = click.style("\0", fg="red", bold=True).split("\0") if color else ("[", "]")
    lines = []
    for n, hit in enumerate(hits, 1):
        head = f"{n:>3}. {hit.region or '(region unknown)'} | {hit.title or hit.doc_id} | {hit.published or '-'}"
        lines.append(click.style(head, bold=True) if color else head)
        text = hit.highlighted(before, after)
        lines.append(f"     {text}")
        lines.append(f"     {hit.doc_id} {hit.measure_id}" + (f" | {hit.section}" if hit.section else "")
                     + (f" | {hit.theme}" if hit.theme else ""))
    shown = f"{total}+" if total > COUNT_CAP else str(total)
    lines.append(f"{len(hits)} of {shown} matching measures")
    return "\n".join(lines)


def search_command(
    db: str | Path, query: str, filters: Filters | None = None, *, limit: int = 20,
    csv_path: str | Path | None = None, as_json: bool = False, color: bool = False,
) -> str:
    """Body of ``zhengce search``: run the query on the store and return what to print (the
    table, JSON, or a line saying where the CSV went). Raises ``SearchError``/``StoreError``."""
    import json

    from pipeline.store import Store

    with Store(resolve_db(db), readonly=True) as store:
        hits, total = search(store.conn, query, filters, limit=limit)
    if csv_path:
        with open(csv_path, "w", encoding="utf-8-sig", newline="") as stream:
            write_csv(hits, stream)
        return f"wrote {len(hits)} of {total} matching measures to {csv_path}"
    if as_json:
        return json.dumps({"query": query, "total": total, "hits": [h.as_dict() for h in hits]},
                          ensure_ascii=False, indent=1)
    return format_table(hits, total, color=color)
