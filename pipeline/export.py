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


def _replace_atomically(tmp: Path, final: Path) -> None:
    os.replace(tmp, final)


def write_csv(store: Store, name: str, path: Path) -> None:
    """One table as CSV in UTF-8 with BOM, written to a temporary name then renamed."""
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns(TABLES[name]))
        for row in store.rows(name):
            writer.writerow(["" if v is None else v for v in row])
    _replace_atomically(tmp, path)


def export_tables(store: Store, out_dir: Path, formats: Iterable[str] = ("csv",)) -> list[Path]:
    """Write every record table of ``store`` into ``out_dir`` in each format; returns the paths."""
    written: list[Path] = []
    formats = list(formats)
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    for name in TABLES:
        if "csv" in formats:
            path = out_dir / f"{name}.csv"
            write_csv(store, name, path)
            written.append(path)
        if "parquet" in formats:
            path = out_dir / f"{name}.parquet"
            tmp = path.with_name(f".{path.name}.tmp")
            store.table(name).to_parquet(tmp, index=False)
            _replace_atomically(tmp, path)
            written.append(path)
    if "xlsx" in formats:
        path = out_dir / "tables.xlsx"
        tmp = path.with_name(".tables.xlsx.tmp")
        write_xlsx({name: store.table(name) for name in TABLES}, tmp)
        _replace_atomically(tmp, path)
        written.append(path)
    return written


def write_xlsx(frames: dict, path: Path) -> None:
    """Every DataFrame as its own sheet: frozen header, sensible widths, numbers as numbers."""
    import pandas as pd

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in frames.items():
            sheet = name[:31]
            frame.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "A2"
            for i, col in enumerate(frame.columns, start=1):
                sample = [str(col)] + [str(v) for v in frame[col].head(200).tolist()]
                width = min(60, max(8, max(len(s) for s in sample) * 2))
                ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
