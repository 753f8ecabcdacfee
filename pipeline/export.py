"""Exports read from the store, never recomputed from files: CSV (UTF-8 with BOM so Excel shows
Chinese), Parquet, and Excel."""
from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path
from typing import Iterable

from corpus.records import columns
from pipeline.store import TABLES, Store

FORMATS = ("csv", "parquet", "xlsx")
XLSX_NAME = "tables.xlsx"


def export_paths(out_dir: Path, formats: Iterable[str]) -> list[Path]:
    """The files ``export_tables`` writes for ``formats``."""
    formats = set(formats)
    paths = [out_dir / f"{name}.{fmt}" for name in TABLES for fmt in ("csv", "parquet") if fmt in formats]
    return paths + ([out_dir / XLSX_NAME] if "xlsx" in formats else [])


# Rows of a table above which ``workers`` processes write its CSV in parts: below it, starting
# them costs more than they save.
PARALLEL_ROWS = 50_000


def _write_csv(store: Store, name: str, path: Path, workers: int = 1) -> None:
    """One table as CSV in UTF-8 with BOM (so Excel shows Chinese). A long table is written by
    ``workers`` processes, each a run of documents (rows are ordered by document first), and the
    parts are joined in order: the same file, in about half the time with two."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerow(columns(TABLES[name]))
        ranges = _document_ranges(store, name, workers) if workers > 1 else []
        if len(ranges) < 2:
            csv.writer(f).writerows(store.rows(name))  # the csv module writes None as an empty field
            return
    from concurrent.futures import ProcessPoolExecutor

    parts = [path.with_name(f"{path.name}.{i}") for i in range(len(ranges))]
    try:
        with ProcessPoolExecutor(len(ranges)) as pool:
            list(pool.map(_write_csv_part, [str(store.path)] * len(ranges), [name] * len(ranges),
                          ranges, map(str, parts)))
        with path.open("ab") as f:
            for part in parts:
                with part.open("rb") as piece:
                    shutil.copyfileobj(piece, f, 1 << 20)
    finally:
        for part in parts:
            part.unlink(missing_ok=True)


def _document_ranges(store: Store, name: str, n: int) -> list[tuple[str | None, str | None]]:
    """``n`` runs of documents ``[first, next_first)`` holding about as many rows of ``name``
    each (``None``: open end); none when the table is short."""
    counts = store.rows_per_document(name)
    total = sum(c for _, c in counts)
    if total < PARALLEL_ROWS:
        return []
    firsts, seen = [None], 0
    for doc_id, count in counts:
        if seen >= total * len(firsts) / n:
            firsts.append(doc_id)
        seen += count
    return list(zip(firsts, firsts[1:] + [None]))


def _write_csv_part(db_path: str, name: str, bounds: tuple[str | None, str | None], part: str) -> None:
    """Rows of ``name`` for documents in ``bounds`` as CSV lines without header or BOM (a worker
    of ``_write_csv``, with its own read-only connection)."""
    with Store(db_path, readonly=True) as store, open(part, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(store.rows(name, bounds))


def export_tables(store: Store, out_dir: Path, formats: Iterable[str] = ("csv",), workers: int = 1) -> list[Path]:
    """Write every record table of ``store`` into ``out_dir`` in each format; returns the paths.
    ``workers`` processes share the writing of a long CSV table (the store must be committed).

    Every file is written under a temporary name first and all are renamed at the end, so an
    interrupted export leaves the previous tables as they were, not half old and half new.
    """
    formats = list(formats)
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    staged: list[tuple[Path, Path]] = []

    def stage(path: Path) -> Path:
        tmp = path.with_name(f".{path.name}.tmp")
        staged.append((tmp, path))
        return tmp

    try:
        for name in TABLES:
            if "csv" in formats:
                _write_csv(store, name, stage(out_dir / f"{name}.csv"), workers)
            if "parquet" in formats:
                store.table(name).to_parquet(stage(out_dir / f"{name}.parquet"), index=False)
        if "xlsx" in formats:
            write_xlsx({name: store.table(name) for name in TABLES}, stage(out_dir / XLSX_NAME))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
    return [path for _, path in staged]


# Rows of one Excel sheet, its header included (the format's limit).
XLSX_MAX_ROWS = 1_048_576


def write_xlsx(frames: dict, path: Path) -> None:
    """Every DataFrame as its own sheet: frozen header, sensible widths, numbers as numbers. A table
    longer than a sheet holds (a million rows: the measures of some 10,000 documents) continues on
    sheets named ``measures_2``, ``measures_3``..., each with the header."""
    import pandas as pd

    per_sheet = XLSX_MAX_ROWS - 1
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in frames.items():
            parts = [frame.iloc[i : i + per_sheet] for i in range(0, len(frame), per_sheet)] or [frame]
            for n, part in enumerate(parts, 1):
                sheet = name[:31] if n == 1 else f"{name[:26]}_{n}"
                part.to_excel(writer, sheet_name=sheet, index=False)
                ws = writer.sheets[sheet]
                ws.freeze_panes = "A2"
                for i, col in enumerate(part.columns, start=1):
                    sample = [str(col)] + [str(v) for v in part[col].head(200).tolist()]
                    width = min(60, max(8, max(len(s) for s in sample) * 2))
                    ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
