"""Exports: every table as CSV (UTF-8 with BOM), Parquet and one Excel workbook, all read back."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

import pipeline.export as export
from corpus.records import columns
from pipeline.runner import run
from pipeline.store import TABLES, Store


@pytest.fixture(scope="module")
def exported(samples_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    run([samples_dir], out, workers=1, progress=False, formats=("csv", "parquet", "xlsx"))
    return out


def test_export_csv_starts_with_a_bom_and_the_header_so_excel_reads_chinese(exported):
    for name in TABLES:
        header = ",".join(columns(TABLES[name])).encode()
        assert (exported / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf" + header), name


def test_export_csv_written_by_several_processes_is_the_same_file(exported, tmp_path, monkeypatch):
    # A long table is split into runs of documents, one process each, joined in order; each
    # process opens the store read-only by URI, which a folder named like this must not break.
    monkeypatch.setattr(export, "PARALLEL_ROWS", 1)
    folder = tmp_path / "第1批 #2 100%"
    folder.mkdir()
    shutil.copy(exported / "zhengce.sqlite", folder)
    with Store(folder / "zhengce.sqlite", readonly=True) as store:
        assert len(export._document_ranges(store, "measures", 3)) == 3
        export.export_tables(store, folder, workers=3)
    for name in TABLES:
        assert (folder / f"{name}.csv").read_bytes() == (exported / f"{name}.csv").read_bytes(), name
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{name}.csv" for name in TABLES] + ["zhengce.sqlite"])


def test_export_parquet_holds_the_csv_rows(exported):
    for name in TABLES:
        from_csv = pd.read_csv(exported / f"{name}.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str)
        from_parquet = pd.read_parquet(exported / f"{name}.parquet")
        assert list(from_parquet.columns) == list(from_csv.columns), name
        assert len(from_parquet) == len(from_csv), name
    measures = pd.read_parquet(exported / "measures.parquet")
    assert len(measures) > 0 and measures["theme_score"].dtype.kind == "f"  # numbers stay numbers


def test_export_xlsx_has_a_sheet_per_table_with_a_frozen_header(exported):
    book = load_workbook(exported / "tables.xlsx", read_only=False)
    assert book.sheetnames == list(TABLES)
    sheet = book["measures"]
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1 + len(pd.read_csv(exported / "measures.csv", encoding="utf-8-sig"))


def test_export_xlsx_continues_a_long_table_on_further_sheets(exported, tmp_path, monkeypatch):
    # Excel stops at 1,048,576 rows a sheet: the measures of some 10,000 documents. Shrunk here.
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 21)  # 20 rows and the header per sheet
    with Store(exported / "zhengce.sqlite", readonly=True) as store:
        frames = {name: store.table(name) for name in TABLES}
    export.write_xlsx(frames, tmp_path / "long.xlsx")
    book = load_workbook(tmp_path / "long.xlsx")
    n = len(frames["measures"])
    parts = [s for s in book.sheetnames if s == "measures" or s.startswith("measures_")]
    assert len(parts) == -(-n // 20) > 1
    rows = sum(book[s].max_row - 1 for s in parts)
    assert rows == n
    assert all(book[s]["A1"].value == "doc_id" for s in parts)
