"""Tests for extractors.dates: each date-line form, ROC years, Chinese numerals, document_year."""
from __future__ import annotations

import json

import pytest

from extractors.dates import document_year, find_published


@pytest.mark.parametrize(("head", "want"), [
    ("发布时间: 2022-11-25 10:56【浏览字号: 来源: 河南省教育厅", "2022-11-25"),
    ("时间:2022-05-26 04:43:31", "2022-05-26"),
    ("信息发布时间:2024-02-27 05:02:58\n内容:", "2024-02-27"),
    ("发布日期：2023年3月8日  来源：省教育厅", "2023-03-08"),
    ("成文日期：\n2019年01月24日\n发布日期：\n2019年02月13日", "2019-01-24"),
    ("最新異動日期：20230621\n法規網址：https://law.moj.gov.tw", "2023-06-21"),
    ("时间：２０２１－０９－０２", "2021-09-02"),
])
def test_dates_labelled_line(head: str, want: str) -> None:
    assert find_published(head) == want


@pytest.mark.parametrize(("head", "want"), [
    ("10.08.2018  18:13", "2018-08-10"),
    ("08.25.2018", "2018-08-25"),
    ("2024/2/27", "2024-02-27"),
    ("2024年2月27日", "2024-02-27"),
    ("包府办发〔2022〕43号\n各旗、县、区人民政府：\n2022年4月14日", "2022-04-14"),
    ("教育部办公厅\n2022年7月25日", "2022-07-25"),
])
def test_dates_bare_date_line(head: str, want: str) -> None:
    assert find_published(head) == want


@pytest.mark.parametrize(("head", "want"), [
    ("民國113年2月27日", "2024-02-27"),
    ("民国113年2月27日 教育部發布", "2024-02-27"),
    ("中華民國一百零六年十二月六日", "2017-12-06"),
])
def test_dates_roc_years(head: str, want: str) -> None:
    assert find_published(head) == want


def test_dates_title_date() -> None:
    assert find_published("", "上海市实施《义务教育法》办法(2024-09-27)") == "2024-09-27"


@pytest.mark.parametrize(("head", "want"), [
    ("2015年8月26日 青岛市第十五届人民代表大会常务委员会第二十九次会议通过\n"
     "2015年9月24日 山东省第十二届人民代表大会常务委员会第十六次会议批准 青岛市人民代表大会常务委员会公告公布\n"
     "2015年11月1日 施行", "2015-09-24"),
    ("2015年2月11日 上海市第十四届人民代表大会常务委员会第十九次会议通过\n"
     "2020年5月14日 上海市第十五届人民代表大会常务委员会第二十一次会议第一次修正", "2020-05-14"),
])
def test_dates_law_header_takes_latest_version_not_effective_date(head: str, want: str) -> None:
    assert find_published(head) == want


@pytest.mark.parametrize(("tail", "want"), [
    ("××县人民政府\n二〇二四年二月二十七日", "2024-02-27"),
    ("山东省教育厅\n二○二一年十月二十一日", "2021-10-21"),
    ("安徽省人民政府办公厅\n2021年9月2日", "2021-09-02"),
])
def test_dates_signature_date_when_no_header_date(tail: str, want: str) -> None:
    assert find_published("一、总体要求", "", tail=tail) == want


def test_dates_header_date_beats_signature() -> None:
    assert find_published("时间:2022-05-26 04:43:31", "", tail="二〇二二年五月二十日") == "2022-05-26"


@pytest.mark.parametrize("head", [
    "",
    "- 市政府網(wǎng)\n- 政務微信",
    "2017年国家发布《国务院关于印发新一代人工智能发展规划的通知》，将人工智能提升为国家战略。",
    "2024年2月30日",
])
def test_dates_empty_when_absent_or_invalid(head: str) -> None:
    assert find_published(head) == ""


@pytest.mark.parametrize(("published", "text", "want"), [
    ("2025-03-05", "2025年中华人民共和国国务院政府工作报告 今年发展主要预期目标是", 2025),
    ("2024-01-10", "2023年教育工作总结 今年以来，我县……", 2023),
    ("", "2021年重点工作 今年是我国现代化建设进程中具有特殊重要性的一年", 2021),
    ("", "今年以来，全县上下攻坚克难", None),
])
def test_dates_document_year(published: str, text: str, want: int | None) -> None:
    assert document_year(published, text) == want


@pytest.mark.shared
def test_dates_seed_documents(shared_dir) -> None:
    gold = [json.loads(ln) for ln in (shared_dir / "gold/dev/documents.jsonl").read_text("utf-8").splitlines()
            if ln.strip()]
    for row in gold:
        lines = [ln.strip() for ln in (shared_dir / "seeds" / row["doc"]).read_text("utf-8").splitlines()
                 if ln.strip()]
        got = find_published("\n".join(lines[1:9]), lines[0], tail="\n".join(lines[-6:]))
        want = row["published"] if isinstance(row["published"], list) else [row["published"]]
        assert got in want, row["doc"]
