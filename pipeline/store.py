"""The SQLite store: one file holding every table of a run, the only place that opens SQLite.

Tables mirror the record dataclasses of ``corpus.records`` (columns in field order), plus ``files``
(path, size, mtime, content hash) for incremental runs and ``meta`` for the schema version.
"""
from __future__ import annotations

import dataclasses
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from corpus.errors import StoreError
from corpus.records import Document, DocumentResult, FundingAmount, Indicator, Measure, ReadError, Target, values

SCHEMA_VERSION = 1
DB_NAME = "zhengce.sqlite"

TABLES: dict[str, type] = {
    "documents": Document,
    "measures": Measure,
    "funding": FundingAmount,
    "targets": Target,
    "indicators": Indicator,
    "errors": ReadError,
}
"""Record tables, in export order."""

ORDER_BY = {
    "documents": "doc_id",
    "measures": "doc_id, start, measure_id",
    "funding": "doc_id, start, end",
    "targets": "doc_id, start, end",
    "indicators": "doc_id, start, end",
    "errors": "doc_id",
}

def _sql_type(annotation: object) -> str:
    text = str(annotation)
    for name, sql in (("bool", "INTEGER"), ("int", "INTEGER"), ("float", "REAL")):
        if name in text:
            return sql
    return "TEXT"


def _create_sql(name: str, record_type: type) -> str:
    cols = ", ".join(f'"{f.name}" {_sql_type(f.type)}' for f in dataclasses.fields(record_type))
    return f"CREATE TABLE IF NOT EXISTS {name} ({cols})"


class Store:
    """A SQLite store. Use as a context manager; writes are committed on a clean exit.

    ``readonly`` opens an existing store for reading (search, serve, compare); ``scratch`` is for a
    run's working copy, which is replaced atomically and so needs no fsync; several processes may
    write it at once (each transaction waits for the others: a generous busy timeout).
    ``create=False`` skips creating the tables, for a connection to a store known to have them.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False, scratch: bool = False, create: bool = True):
        self.path = Path(path)
        if readonly:
            if not self.path.exists():
                raise StoreError(f"no store at {self.path}: run `zhengce run INPUT --out DIR` first")
            self.conn = sqlite3.connect(readonly_uri(self.path), uri=True, check_same_thread=False)
        else:
            # Writers wait for each other's transactions instead of failing at once.
            self.conn = sqlite3.connect(self.path, timeout=600)
            if scratch:
                # A run's working copy is renamed over the real store only when complete, and thrown
                # away after a crash: it needs no fsync. It keeps a rollback journal, though: a worker
                # killed in the middle of a transaction must leave the others' rows intact. (Not WAL,
                # whose shared memory file does not work on every network file system; measured as
                # fast here.)
                self.conn.execute("PRAGMA journal_mode=TRUNCATE")
                self.conn.execute("PRAGMA synchronous=OFF")
            else:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
            if create:
                self._create()
        self.conn.row_factory = sqlite3.Row

    def _create(self) -> None:
        with self.conn:
            self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row and int(row[0]) != SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by another zhengce version (schema {row[0]}, this is "
                    f"{SCHEMA_VERSION}); run with --force to rebuild it"
                )
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            for name, record_type in TABLES.items():
                self.conn.execute(_create_sql(name, record_type))
                self.conn.execute(f"CREATE INDEX IF NOT EXISTS {name}_doc ON {name}(doc_id)")
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS files (doc_id TEXT PRIMARY KEY, path TEXT, size INTEGER, "
                "mtime REAL, content_hash TEXT)"
            )
            # Full-text index over a segmented copy of each measure and its document's title; its
            # rowid is the measure's rowid (see pipeline/search.py for why the text is segmented).
            self.conn.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS measures_fts USING fts5(terms, title_terms, "
                "tokenize = 'unicode61 remove_diacritics 0')"
            )

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.conn.commit()
        self.close()

    def close(self) -> None:
        self.conn.close()

    # -- writing -------------------------------------------------------------------------------
    def delete_document(self, doc_id: str) -> None:
        self.conn.execute(
            "DELETE FROM measures_fts WHERE rowid IN (SELECT rowid FROM measures WHERE doc_id = ?)", (doc_id,)
        )
        for name in (*TABLES, "files"):
            self.conn.execute(f"DELETE FROM {name} WHERE doc_id = ?", (doc_id,))

    def _insert(self, name: str, rows: Iterable[object]) -> None:
        rows = [values(r) for r in rows]
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            self.conn.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)

    def write_result(self, result: DocumentResult, size: int, mtime: float, *, new: bool = False) -> None:
        """Replace everything known about ``result.doc_id`` with this result (``new``: the store has
        nothing of it yet, so there is nothing to delete)."""
        if not new:
            self.delete_document(result.doc_id)
        if result.error is not None:
            self._insert("errors", [result.error])
        else:
            self._insert("documents", [result.document])
            self._insert("measures", result.measures)
            self._index(result)
            self._insert("funding", result.funding)
            self._insert("targets", result.targets)
            self._insert("indicators", result.indicators)
        self.conn.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?)",
            (result.doc_id, result.path, size, mtime, result.content_hash),
        )

    def _index(self, result: DocumentResult) -> None:
        if not result.measures:
            return
        from pipeline.search import index_terms

        terms = result.search_terms or [index_terms(m.text) for m in result.measures]
        title_terms = index_terms(result.document.title) if result.document and result.document.title else ""
        rowids = self.conn.execute(
            "SELECT rowid, measure_id FROM measures WHERE doc_id = ?", (result.doc_id,)
        ).fetchall()
        by_id = {measure_id: rowid for rowid, measure_id in rowids}
        self.conn.executemany(
            "INSERT INTO measures_fts (rowid, terms, title_terms) VALUES (?, ?, ?)",
            [(by_id[m.measure_id], t, title_terms) for m, t in zip(result.measures, terms)],
        )

    def commit(self) -> None:
        self.conn.commit()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, begun at once (``BEGIN IMMEDIATE``: it waits for other writers
        up front, never half-way) and committed at the end, or rolled back on an exception."""
        self.conn.commit()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()

    # -- reading -------------------------------------------------------------------------------
    def known_files(self) -> dict[str, tuple[int, float, str]]:
        """Files processed before: doc_id -> (size, mtime, content hash). A file whose worker died
        (a crash, the OOM killer) is left out, so the next run tries it again; a file that failed
        on its content (empty, not Chinese text, broken .docx) is retried only once it changes."""
        rows = self.conn.execute(
            "SELECT doc_id, size, mtime, content_hash FROM files "
            "WHERE doc_id NOT IN (SELECT doc_id FROM errors WHERE stage = 'worker')"
        )
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def all_files(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT doc_id FROM files")}

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def touch_file(self, doc_id: str, size: int, mtime: float) -> None:
        self.conn.execute("UPDATE files SET size = ?, mtime = ? WHERE doc_id = ?", (size, mtime, doc_id))

    def rows(self, name: str, documents: tuple[str | None, str | None] = (None, None)) -> Iterator[sqlite3.Row]:
        """Rows of table ``name`` in export order; ``documents``: only those of the doc_ids in
        ``[first, end)`` (``None``: an open end)."""
        if name not in TABLES:
            raise StoreError(f"no table {name!r}; tables: {', '.join(TABLES)}")
        return self.conn.execute(
            f"SELECT * FROM {name} WHERE (?1 IS NULL OR doc_id >= ?1) AND (?2 IS NULL OR doc_id < ?2) "
            f"ORDER BY {ORDER_BY[name]}", documents)

    def rows_per_document(self, name: str) -> list[tuple[str, int]]:
        """``(doc_id, number of rows)`` of table ``name``, by doc_id."""
        if name not in TABLES:
            raise StoreError(f"no table {name!r}; tables: {', '.join(TABLES)}")
        return self.conn.execute(f"SELECT doc_id, COUNT(*) FROM {name} GROUP BY doc_id ORDER BY doc_id").fetchall()

    def count(self, name: str) -> int:
        return self.conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]

    def table(self, name: str):
        """A table as a pandas DataFrame, in a stable order."""
        import pandas as pd

        if name not in TABLES:
            raise StoreError(f"no table {name!r}; tables: {', '.join(TABLES)}")
        return pd.read_sql_query(f"SELECT * FROM {name} ORDER BY {ORDER_BY[name]}", self.conn)


def readonly_uri(path: str | Path) -> str:
    """The SQLite URI that opens ``path`` read-only: percent-encoded, so that a folder named with
    ``#``, ``?`` or ``%`` is not cut short (a bare ``file:`` path would be)."""
    return Path(path).resolve().as_uri() + "?mode=ro"


_SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's files beside a database


def checkpoint(path: str | Path) -> None:
    """Fold any WAL into the database file and leave no journal beside it, so that a plain copy or
    rename carries every row. Call it with no connection writing."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # a read rolls back a hot journal
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    for suffix in _SIDE_FILES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def remove_store(path: str | Path) -> None:
    """Delete a database and its side files (a journal left by a process killed mid-transaction
    would otherwise be "rolled back" into a new database of the same name)."""
    for file in (Path(path), *(Path(f"{path}{suffix}") for suffix in _SIDE_FILES)):
        file.unlink(missing_ok=True)
