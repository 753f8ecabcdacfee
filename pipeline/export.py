"""Exports read from the store, never recomputed from files: CSV (UTF-8 with BOM so Excel shows
Chinese), Parquet, and Excel."""
from __future__ import annotations

import csv
import os
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


def _write_csv(store: Store, name: str, path: Path) -> None:
    """One table as CSV in UTF-8 with BOM (so Excel shows Chinese)."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns(TABLES[name]))
        writer.writerows(store.rows(name))  # the csv module writes None as an empty field


def export_tables(store: Store, out_dir: Path, formats: Iterable[str] = ("csv",)) -> list[Path]:
    """Write every record table of ``store`` into ``out_dir`` in each format; returns the paths.

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
                _write_csv(store, name, stage(out_dir / f"{name}.csv"))
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
