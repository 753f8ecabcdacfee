"""The bundled sample corpus end to end: the expected answers of corpus/samples_src/README.md.

These run on every clone (no ../shared needed) and cover every reader, encoding and extractor.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from pipeline.runner import run

PINYIN = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")


def table(out: Path, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((out / f"{name}.csv").read_text(encoding="utf-8-sig"))))


@pytest.fixture(scope="module")
def samples_out(samples_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples_out")
    summary = run([samples_dir], out, workers=1, progress=False)
    assert summary.errors == 0, summary.error_rows
    return out


@pytest.fixture(scope="module")
def documents(samples_out) -> dict[str, dict]:
    return {d["doc_id"]: d for d in table(samples_out, "documents")}


DOCUMENTS = [
    # doc_id, province, city, county, admin_level, published, script
    ("county/shangshui_report_gbk.txt", "河南省", "周口市", "商水县", "county", "2023-06-15", "simplified"),
    ("hunan_plan.html", "湖南省", "", "", "province", "2023-09-20", "simplified"),
    ("yibin_notice.docx", "四川省", "宜宾市", "", "city", "2024-03-08", "simplified"),
    ("wuhua_plan_big5.txt", "广东省", "梅州市", "五华县", "county", "2023-04-12", "traditional"),
    ("town_report_utf16.txt", "", "", "", "", "2023-11-02", "simplified"),
    ("moe_notice.pdf", "", "", "", "national", "2024-05-20", "simplified"),
]


@pytest.mark.parametrize("doc_id, province, city, county, level, published, script", DOCUMENTS)
def test_samples_document_metadata(documents, doc_id, province, city, county, level, published, script):
    doc = documents[doc_id]
    assert (doc["province"], doc["city"], doc["county"]) == (province, city, county)
    assert doc["admin_level"] == level
    assert doc["published"] == published
    assert doc["script"] == script


def test_samples_titles_come_from_the_document_not_the_site(documents):
    assert documents["hunan_plan.html"]["title"].startswith("湖南省教育厅关于印发")
    assert documents["wuhua_plan_big5.txt"]["title"] == "五华县推进义务教育优质均衡发展三年行动方案(2023—2025年)"


FUNDING = [
    # doc_id, amount_yuan, qualifier, per_unit
    ("county/shangshui_report_gbk.txt", 230000000, "exact", "0"),
    ("county/shangshui_report_gbk.txt", 80000000, "more_than", "0"),
    ("county/shangshui_report_gbk.txt", 800, "exact", "1"),
    ("county/shangshui_report_gbk.txt", 3000000, "approx", "0"),
    ("yibin_notice.docx", 100000000, "range", "0"),
    ("yibin_notice.docx", 500000, "less_than", "0"),
    ("wuhua_plan_big5.txt", 150000000, "exact", "0"),
    ("town_report_utf16.txt", 15000000, "exact", "0"),
    ("moe_notice.pdf", 650, "exact", "1"),
    ("moe_notice.pdf", 850, "exact", "1"),
]


def test_samples_funding_amounts_qualifiers_and_per_unit(samples_out):
    got = sorted((f["doc_id"], float(f["amount_yuan"]), f["qualifier"], f["per_unit"]) for f in table(samples_out, "funding"))
    assert got == sorted((d, float(a), q, p) for d, a, q, p in FUNDING)


def test_samples_funding_range_period_and_purpose(samples_out):
    rows = {f["mention"]: f for f in table(samples_out, "funding")}
    assert float(rows["1-2亿元"]["amount_max"]) == 200000000
    assert rows["1-2亿元"]["period"] == "2024-2026"
    assert rows["2.3亿元"]["period"] == "2020-"
    assert "校舍" in rows["2.3亿元"]["purpose"]


@pytest.mark.parametrize("not_money", ["5.6万平方米", "3600个", "1200台", "260人", "800名学生"])
def test_samples_counts_and_areas_are_not_money(samples_out, not_money):
    assert not any(not_money in f["mention"] for f in table(samples_out, "funding"))


TARGETS = [
    # doc_id, anchor, deadline_year ("" = none), value ("" = none), comparator
    ("county/shangshui_report_gbk.txt", "力争到2025年底", "2025", "", ""),
    ("hunan_plan.html", "到2027年", "2027", "", ""),
    ("hunan_plan.html", "全省85%左右的县", "2030", "85", "~"),
    ("hunan_plan.html", "骨干教师比例不低于50%", "", "50", ">="),
    ("hunan_plan.html", "600名学生以上的学校配备", "", "600", ">="),
    ("hunan_plan.html", "每年至少开展1次专项督导", "", "1", ">="),
    ("yibin_notice.docx", "集团化办学覆盖率达到70%以上", "2025", "70", ">="),
    ("yibin_notice.docx", "不低于符合条件教师总数的10%", "", "10", ">="),
    ("wuhua_plan_big5.txt", "2025年底前完成12所", "2025", "12", "="),
    ("moe_notice.pdf", "2026年底前", "2026", "", ""),
    ("moe_notice.pdf", "入学率达到95%以上", "", "95", ">="),
]


@pytest.mark.parametrize("doc_id, anchor, deadline, value, comparator", TARGETS)
def test_samples_targets(samples_out, doc_id, anchor, deadline, value, comparator):
    rows = [t for t in table(samples_out, "targets") if t["doc_id"] == doc_id and anchor in t["text"]]
    assert rows, f"no target row contains {anchor!r}"
    row = rows[0]
    assert row["deadline_year"].split(".")[0] == deadline
    if value:
        assert float(row["value"]) == float(value)
        assert row["comparator"] == comparator


def test_samples_reported_results_are_indicators_not_targets(samples_out):
    indicators = {i["text"] for i in table(samples_out, "indicators")}
    targets = " ".join(t["text"] for t in table(samples_out, "targets"))
    for result in ("新增学位3600个", "新购计算机1200台"):
        assert any(result in text for text in indicators)
        assert result not in targets


def test_samples_traditional_page_loses_its_pinyin_but_keeps_real_parentheses(samples_out):
    measures = [m for m in table(samples_out, "measures") if m["doc_id"] == "wuhua_plan_big5.txt"]
    text = "".join(m["text"] for m in measures) + "".join(m["section"] for m in measures)
    assert measures and not PINYIN.search(text)
    assert "(市、区)" in text
    assert "網" not in text and "学" in text


def test_samples_site_boilerplate_does_not_become_measures(samples_out):
    text = "".join(m["text"] for m in table(samples_out, "measures"))
    for boilerplate in ("分享到", "相关阅读", "您访问的链接即将离开", "ICP备", "政务微信"):
        assert boilerplate not in text


def test_samples_pdf_lines_wrapped_inside_sentences_are_joined(samples_out):
    measures = [m["text"] for m in table(samples_out, "measures") if m["doc_id"] == "moe_notice.pdf"]
    assert any("按100人核定公用经费" in m for m in measures)


def test_samples_docx_headings_give_sections(samples_out):
    measures = [m for m in table(samples_out, "measures") if m["doc_id"] == "yibin_notice.docx"]
    assert sum(1 for m in measures if m["section"].startswith(("一、", "二、", "三、", "四、", "五、"))) >= len(measures) // 2


def test_samples_every_measure_has_a_theme_and_instrument(samples_out):
    measures = table(samples_out, "measures")
    assert len(measures) >= 40
    assert all(m["theme"] and m["instrument"] in {"supply", "environment", "demand"} for m in measures)
