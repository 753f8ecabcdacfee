"""`zhengce compare`: regions side by side, read from the store."""
from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.compare import UNKNOWN, compare
from pipeline.runner import run

SEED_REGIONS = {"河南省", "四川省", "广东省", UNKNOWN}
REGION_TABLES = ["compare_themes", "compare_funding", "compare_targets", "distinctive_terms", "standards"]


@pytest.fixture(scope="module")
def seeds_store(seeds_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("compare_seeds")
    run([seeds_dir], out, workers=1, progress=False)
    return out


@pytest.fixture(scope="module")
def seeds_tables(seeds_store):
    return compare(seeds_store, by="province")


@pytest.mark.shared
@pytest.mark.parametrize("name", REGION_TABLES)
def test_compare_every_seed_region_appears(seeds_tables, name):
    assert SEED_REGIONS <= set(seeds_tables[name]["region"]), name


@pytest.mark.shared
def test_compare_similarity_pairs_every_region(seeds_tables):
    pairs = seeds_tables["similarity"]
    seen = set(pairs["region_a"]) | set(pairs["region_b"])
    assert seen == SEED_REGIONS
    assert len(pairs) == len(SEED_REGIONS) * (len(SEED_REGIONS) - 1) // 2


@pytest.mark.shared
def test_compare_theme_shares_sum_to_one_per_region(seeds_tables):
    themes = seeds_tables["compare_themes"]
    sums = themes[themes["dimension"] == "theme"].groupby("region")["share"].sum()
    assert sums.round(2).eq(1.0).all()


@pytest.mark.shared
def test_compare_funding_totals_equal_sums_of_funding_csv(seeds_store, seeds_tables):
    import pandas as pd

    funding = pd.read_csv(seeds_store / "funding.csv", encoding="utf-8-sig")
    documents = pd.read_csv(seeds_store / "documents.csv", encoding="utf-8-sig", dtype=str).fillna("")
    province = documents.set_index("doc_id")["province"].replace("", UNKNOWN)
    funding["region"] = funding["doc_id"].map(province)
    totals = funding[~funding["per_unit"].astype(bool)].groupby("region")["amount_yuan"].sum()
    table = seeds_tables["compare_funding"].groupby("region")["total_yuan"].sum()
    for region in SEED_REGIONS:
        assert table.get(region, 0.0) == pytest.approx(totals.get(region, 0.0)), region
    assert table.sum() > 0


def test_compare_cli_writes_tables_with_bom_and_a_report(samples_dir, tmp_path):
    out = tmp_path / "out"
    run([samples_dir], out, workers=1, progress=False)
    result = CliRunner().invoke(cli, ["compare", str(out), "--report", str(tmp_path / "report"),
                                      "--format", "csv", "--format", "parquet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for name in REGION_TABLES + ["distinctive_measures", "similarity", "nearest_measures"]:
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        assert (out / f"{name}.parquet").is_file()
    themes = list(csv.DictReader(io.StringIO((out / "compare_themes.csv").read_text(encoding="utf-8-sig"))))
    assert {"湖南省", "河南省", "四川省"} <= {row["region"] for row in themes}


def test_compare_report_xlsx_has_one_sheet_per_table(samples_dir, tmp_path):
    from openpyxl import load_workbook

    from pipeline.report import write_report

    out = tmp_path / "out"
    run([samples_dir], out, workers=1, progress=False)
    tables = compare(out)
    write_report(tables, tmp_path / "report")
    book = load_workbook(tmp_path / "report" / "report.xlsx")
    assert book.sheetnames == list(tables)
    sheet = book["compare_themes"]
    assert sheet.freeze_panes == "A2"
    assert isinstance(sheet["E2"].value, (int, float))  # numbers stay numbers
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "compare_funding" in page


def test_compare_charts_draw_chinese_without_missing_glyph_warnings(samples_dir, tmp_path):
    from pipeline.report import charts, cjk_font

    if cjk_font() is None:
        pytest.skip("no CJK font installed (CI installs fonts-wqy-microhei)")
    run([samples_dir], tmp_path, workers=1, progress=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        images = charts(compare(tmp_path))
    assert set(images) == {"heatmap", "funding"}
    assert all(png.startswith(b"\x89PNG") for png in images.values())
    assert not [w for w in caught if "glyph" in str(w.message).lower()], [str(w.message) for w in caught]


def test_compare_chart_font_has_chinese_glyphs():
    from pipeline.report import PROBE, cjk_font, font_has_glyphs

    path = cjk_font()
    if path is None:
        pytest.skip("no CJK font installed (CI installs fonts-wqy-microhei)")
    assert font_has_glyphs(path, PROBE + "地区主题资金投入")


def test_compare_rejects_an_unknown_level(samples_dir, tmp_path):
    from corpus.errors import ZhengceError

    run([samples_dir], tmp_path, workers=1, progress=False)
    with pytest.raises(ZhengceError, match="--by must be one of"):
        compare(tmp_path, by="village")
