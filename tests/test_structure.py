"""corpus.structure: title, date line, heading tree, sentences and the measure flag."""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from corpus.structure import MAX_SENTENCE, is_measure, parse, split_sentences

_PINYIN = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")


def _simplified(text: str) -> str:
    import opencc

    return opencc.OpenCC("t2s").convert(_PINYIN.sub("", text))


def _canon(text: str) -> str:
    text = _simplified(unicodedata.normalize("NFKC", text)).lower()
    return re.sub(r"[^0-9a-z%\u3400-\u9fff]", "", text)


REPORT = """绵阳江油市推进义务教育优质均衡发展
发布时间:2018-08-10 18:13
江油市把推进义务教育优质均衡发展作为办好人民满意教育的重要抓手。
一、落实政府责任
(一)健全政府统筹推进机制。强化政府统筹,加强规划和政策引导。严格落实部门责任。
1.完善经费保障
(1)义务教育经费在财政预算中单列。
（二）健全投入保障机制
确保教师工资逐年增长。
二、推进转型升级
实施“全面改薄”项目59个。
"""


def test_structure_title_and_date_line_are_not_body():
    st = parse(REPORT)
    assert st.title == "绵阳江油市推进义务教育优质均衡发展"
    assert st.date_line == "发布时间:2018-08-10 18:13"
    assert all("2018-08-10" not in s.text and "绵阳江油市推进" not in s.text for s in st.sentences)


def test_structure_title_hint_wins():
    assert parse(REPORT, title_hint="江油市报告").title == "江油市报告"


@pytest.mark.parametrize("label, level, text", [
    ("一、", 1, "落实政府责任"),
    ("(一)", 2, "健全政府统筹推进机制"),
    ("1.", 3, "完善经费保障"),
    ("(1)", 4, "义务教育经费在财政预算中单列"),
    ("（二）", 2, "健全投入保障机制"),
    ("二、", 1, "推进转型升级"),
])
def test_structure_heading_levels(label, level, text):
    headings = {(h.label, h.text): h.level for h in parse(REPORT).headings}
    assert headings[(label, text)] == level


@pytest.mark.parametrize("needle, section", [
    ("江油市把推进", ""),
    ("强化政府统筹", "一、落实政府责任 > (一)健全政府统筹推进机制"),
    ("严格落实部门责任", "一、落实政府责任 > (一)健全政府统筹推进机制"),
    ("确保教师工资逐年增长", "一、落实政府责任 > （二）健全投入保障机制"),
    ("全面改薄", "二、推进转型升级"),
])
def test_structure_section_paths(needle, section):
    sentence = next(s for s in parse(REPORT).sentences if needle in s.text)
    assert sentence.section == section


def test_structure_heading_text_stops_at_its_full_stop():
    st = parse(REPORT)
    assert not any("健全政府统筹推进机制" in s.text for s in st.sentences)
    assert any(s.text.startswith("强化政府统筹") for s in st.sentences)


def test_structure_sentence_ids_and_offsets():
    st = parse(REPORT)
    assert [s.sentence_id for s in st.sentences] == [f"s{i:04d}" for i in range(1, len(st.sentences) + 1)]
    assert all(REPORT[s.start:s.end] == s.text for s in st.sentences)


@pytest.mark.parametrize("line", ["10.08.2018  18:13", "2024年2月27日", "信息发布时间:2024-02-27 05:02:58",
                                  "时间：2022-05-26 04:43:31"])
def test_structure_date_line_forms(line):
    st = parse(f"• 河南:十项行动推进义务教育优质均衡发展\n\n{line}\n\n各地要科学制定城乡学校布局规划。\n")
    assert st.date_line == line.strip()
    assert st.title == "河南:十项行动推进义务教育优质均衡发展"
    assert [s.text for s in st.sentences] == ["各地要科学制定城乡学校布局规划。"]


def test_structure_enumeration_splits_yi_shi_er_shi():
    text = "(三)深化改革。一是深化教育领导体制改革,推行校长职级制;二是深化教育管理体制改革。三是深化督导评估改革。"
    sentences = [s.text for s in parse(text).sentences]
    assert sentences == ["一是深化教育领导体制改革,推行校长职级制;", "二是深化教育管理体制改革。",
                         "三是深化督导评估改革。"]


def test_structure_long_comma_chain_is_cut_below_limit():
    clause = "加强农村寄宿制学校建设和城镇义务教育资源扩增"
    paragraph = ",".join([clause] * 30) + "。"
    spans = split_sentences(paragraph)
    assert all(e - s <= MAX_SENTENCE for s, e in spans)
    assert "".join(paragraph[s:e] for s, e in spans) == paragraph
    assert all(paragraph[e - 1] in ",。" for s, e in spans)


def test_structure_quotes_stay_whole_and_closers_attach():
    text = "党的二十大报告指出“加快建设高质量教育体系。促进教育公平。”各地要抓好落实。"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "党的二十大报告指出“加快建设高质量教育体系。促进教育公平。”", "各地要抓好落实。"]


def test_structure_unmarked_short_lines_are_nested_headings():
    text = "总体目标:\n到2035年,全省实现义务教育优质均衡发展\n十项行动:\n实施师资配置优化行动\n扩大用人单位自主权。\n"
    st = parse(text)
    sentence = next(s for s in st.sentences if "自主权" in s.text)
    assert sentence.section == "十项行动 > 实施师资配置优化行动"
    assert {h.text: h.level for h in st.headings} == {"总体目标": 1, "十项行动": 1, "实施师资配置优化行动": 2}


def test_structure_law_articles_nest_under_chapters():
    text = ("# 某市学前教育条例\n\n## 第一章　总　　则\n\n第一条 为了促进学前教育事业发展，制定本条例。\n\n"
            "第二条 区县人民政府应当履行下列职责：\n（一）制定学前教育发展规划；\n（二）保障学前教育经费。\n"
            "第二章 保障\n第三条 市人民政府应当加大学前教育投入。\n")
    st = parse(text)
    assert st.title == "某市学前教育条例"
    levels = {h.label: h.level for h in st.headings}
    assert levels["第一章"] == 1 and levels["第一条"] == 2 and levels["第三条"] == 2
    item = next(s for s in st.sentences if "制定学前教育发展规划" in s.text)
    assert item.section == "第一章总则 > 第二条" and item.is_measure
    assert next(s for s in st.sentences if "加大" in s.text).section == "第二章保障 > 第三条"


@pytest.mark.parametrize("sentence, expected", [
    ("分批次撤并农村教学点30多所,促使农村乡镇义务教育学校布局进一步得到优化。", True),
    ("2015-2021年累计投入4.6亿,用于义务教育学校办学条件改善。", True),
    ("累计投入9000多万元,新购计算机4400台、多媒体教学设备2000套。", True),
    ("各县(市、区)政府要明确实现义务教育优质均衡发展的时间表、路线图。", True),
    ("当前,我县基础教育发展不平衡不协调问题依然突出。", False),
    ("教育现代化气息逐渐弥散于广大农村中小学校园。", False),
    ("有力促进了城乡教育的均衡发展。", False),
    ("实验室18间;", False),
    ("本条例自2021年1月1日起施行。", False),
    ("主要亮点如下:", False),
    ("现将有关工作情况报告如下。", False),                       # transmittal formulas
    ("现将《职业教育改革实施方案》印发给你们,请认真贯彻执行。", False),
    ("各乡镇要将控辍保学纳入年度考核。", True),
])
def test_structure_is_measure(sentence, expected):
    assert is_measure(sentence) is expected


# --- the seeds -------------------------------------------------------------------------------

def _seed(shared_dir: Path, prefix: str) -> tuple[str, str]:
    path = next((shared_dir / "seeds").glob(f"{prefix}_*.txt"))
    return path.name, _simplified(path.read_text(encoding="utf-8"))


@pytest.mark.shared
def test_structure_seed_004_has_many_measures(shared_dir):
    _, text = _seed(shared_dir, "004")
    assert sum(s.is_measure for s in parse(text).sentences) >= 40


@pytest.mark.shared
def test_structure_seed_000_measures_name_their_run_in_headings(shared_dir):
    _, text = _seed(shared_dir, "000")
    st = parse(text)
    assert len(st.headings) >= 5
    after = [s for s in st.sentences if s.is_measure and s.start > st.headings[0].start]
    assert after and all(s.section for s in after)


@pytest.mark.shared
def test_structure_seed_001_sections_nest(shared_dir):
    _, text = _seed(shared_dir, "001")
    sentence = next(s for s in parse(text).sentences if s.text.startswith("强化政府统筹"))
    assert sentence.section == "一、落实政府责任,强化义务教育优质均衡发展保障 > (一)健全政府统筹推进机制"


@pytest.mark.shared
def test_structure_seed_sentences_stay_short(shared_dir):
    for prefix in ("000", "001", "002", "003", "004"):
        _, text = _seed(shared_dir, prefix)
        assert max(len(s.text) for s in parse(text).sentences) <= MAX_SENTENCE


@pytest.mark.shared
def test_structure_theme_anchors_fall_inside_measures(shared_dir):
    anchors: dict[str, list[str]] = {}
    for line in (shared_dir / "gold" / "dev" / "themes.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            anchors.setdefault(row["doc"], []).append(_canon(row["anchor"]))
    found = total = 0
    for doc, keys in anchors.items():
        measures = [_canon(s.text) for s in parse(_seed(shared_dir, doc[:3])[1]).sentences if s.is_measure]
        total += len(keys)
        found += sum(any(k in m and len(m) <= 300 for m in measures) for k in keys)
    assert found / total >= 0.95


@pytest.mark.parametrize("section, heading", [
    ("一、落实政府责任 > (二)健全投入保障机制", "健全投入保障机制"),
    ("二、主要工作及成绩 > (五)注重队伍建设,深化教育内涵 > 2.搭建专业成长平台", "搭建专业成长平台"),
    ("第四章教职工 > 第三十八条", "教职工"),          # article numbers carry no words
    ("第三章 学校保护 > 第二十五条", "学校保护"),
    ("国发〔2019〕5号", ""),                          # a document number is no heading
    ("保障措施", "保障措施"),
    ("", ""),
])
def test_heading_of_gives_the_words_of_the_innermost_heading(section, heading):
    from corpus.structure import heading_of

    assert heading_of(section) == heading


def test_heading_of_reads_the_sections_parse_writes():
    from corpus.structure import heading_of

    text = "某县教育工作报告\n一、强化保障\n(一)加大经费投入\n确保教师工资逐年增长。\n"
    sentence = next(s for s in parse(text).sentences if "教师工资" in s.text)
    assert heading_of(sentence.section) == "加大经费投入"
