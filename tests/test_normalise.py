"""corpus.normalise: pinyin debris, script, widths, layout and site boilerplate."""
from __future__ import annotations

import re

import pytest

from corpus.normalise import Normalised, detect_script, normalise, remove_pinyin

# The scorer's definition of a web pinyin annotation.
SCORER_PINYIN = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
BODY = "到2025年,全市义务教育优质均衡发展县(市、区)比例达到50%以上。"


def _seed(seeds_dir, prefix: str) -> str:
    return next(seeds_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.shared
def test_normalise_removes_all_444_pinyin_annotations_of_seed_002(seeds_dir) -> None:
    original = _seed(seeds_dir, "002")
    assert len(SCORER_PINYIN.findall(original)) == 444
    result = normalise(original)
    assert SCORER_PINYIN.findall(result.text) == []
    assert result.script == "traditional"
    assert result.lost_chars == 2  # 區域?qū)W位 and 更新?lián)Q代


@pytest.mark.shared
def test_normalise_keeps_real_parentheses_of_seed_002(seeds_dir) -> None:
    text = normalise(_seed(seeds_dir, "002")).text
    for kept in ["(一)强化责任意识", "(2023-2025)", "(2023—2025年)", "(下称《行动方案》)"]:
        assert kept in text


@pytest.mark.shared
@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_normalise_simplified_seeds_keep_their_text(seeds_dir, prefix: str) -> None:
    result = normalise(_seed(seeds_dir, prefix))
    assert result.script == "simplified"
    assert result.lost_chars == 0
    assert "义务教育" in result.text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("市政府網(wǎng)", "市政府網"),
        ("政務(wù)微信", "政務微信"),
        ("當(dāng)前,我縣", "當前,我縣"),
        ("義務(wù)教育（yù）", "義務教育"),  # full-width parentheses too
    ],
)
def test_remove_pinyin_drops_annotations(raw: str, expected: str) -> None:
    assert remove_pinyin(raw) == (expected, 0)


@pytest.mark.parametrize(
    "text",
    [
        "(一)健全政府统筹推进机制",
        "《陆河县教育基础攻坚战实施方案(2023—2025年)》",
        "《通知》(豫教基〔2021〕178号)文件精神",
        "各县(市、区)政府要明确时间表",
        "(1)推行在岗全员培训",
        "《城市居住区规划设计标准》(GB 50180)",
        "教育信息化(ICT)建设",
        "拼音 (wǎng) 前面不是汉字",
    ],
)
def test_remove_pinyin_leaves_real_parentheses(text: str) -> None:
    assert remove_pinyin(text) == (text, 0)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("加快推進陸河縣城中心區(qū)域?qū)W位供給", "加快推進陸河縣城中心區域位供給"),
        ("實施教室多媒體更新?lián)Q代工程", "實施教室多媒體更新代工程"),
    ],
)
def test_remove_pinyin_counts_lost_characters(raw: str, expected: str) -> None:
    assert remove_pinyin(raw) == (expected, 1)


def test_normalise_counts_replacement_characters_as_lost() -> None:
    assert normalise("全县累计补充义务教育阶段教师1670人,全部充实\ufffd农村学校。").lost_chars == 1


@pytest.mark.parametrize(
    ("raw", "lost"),
    [
        ("您是否了解义务教育优质均衡?\n是否继续?", 0),
        ("为什么要推进均衡发展?一是补齐短板。", 0),  # an ASCII question mark, not a lost character
        ("政務(wù)公開?教育", 1),  # on a page with pinyin annotations it is a lost character
    ],
)
def test_normalise_counts_lone_question_mark_only_on_mangled_pages(raw: str, lost: int) -> None:
    assert normalise(raw).lost_chars == lost


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("陸河縣委、縣政府嚴格對標對表省、市委部署要求,審時度勢作出建設高質量基礎教育體系的決策部署。", "traditional"),
        ("陆河县委、县政府严格对标对表省、市委部署要求,审时度势作出建设高质量基础教育体系的决策部署。", "simplified"),
        ("教育部:你部《关于提请调整完善职业教育工作部际联席会议制度的请示》收悉。", "simplified"),
        ("2025-2027", "simplified"),  # no hanzi: nothing says traditional
    ],
)
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_normalise_converts_traditional_to_simplified() -> None:
    result = normalise("縣政府集中財力和資源辦好基礎教育,落實一般公共預算經費“兩個只增不減”要求。")
    assert result == Normalised("县政府集中财力和资源办好基础教育,落实一般公共预算经费“两个只增不减”要求。",
                                "traditional", 0)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("累计投入４．６亿元", "累计投入4.6亿元"),
        ("宽带网路接入率１００％", "宽带网路接入率100%"),
        ("新购计算机４４００台，ＡＩ教育", "新购计算机4400台，AI教育"),
        ("各县（市、区）政府", "各县(市、区)政府"),
        ("第一条\u3000为了规范学前教育", "第一条 为了规范学前教育"),
        ("总体要求：坚持优先保障；补齐短板！", "总体要求：坚持优先保障；补齐短板！"),  # Chinese punctuation kept
    ],
)
def test_normalise_unifies_widths(raw: str, expected: str) -> None:
    assert normalise(raw).text == expected


def test_normalise_line_endings_spaces_and_blank_lines() -> None:
    raw = "一、总体要求  \r\n\r\n\r\n\r\n    以习近平新时代中国特色社会主义思想为指导。\r二、主要任务\n"
    assert normalise(raw).text == "一、总体要求\n\n以习近平新时代中国特色社会主义思想为指导。\n二、主要任务"


@pytest.mark.parametrize(
    "line",
    [
        "分享到：",
        "分享到: 微信 微博 QQ空间",
        "(微信扫描分享)",
        "微信扫一扫",
        "扫一扫在手机打开当前页",
        "打印本页",
        "关闭窗口",
        "【打印本页】【关闭窗口】",
        "打印本页 | 关闭窗口",
        "【字体:大 中 小】",
        "【字体：大 中 小】",
        "您访问的链接即将离开“陆河县人民政府”门户网站,是否继续?",
        "您訪問的鏈接即將離開“陸河縣人民政府”門戶網站,是否繼續?",
        "当前位置:首页 > 政务公开 > 通知公告",
    ],
)
def test_normalise_drops_boilerplate_line(line: str) -> None:
    text = normalise(f"关于推进义务教育优质均衡发展的实施意见\n\n{line}\n\n{BODY}").text
    assert text == f"关于推进义务教育优质均衡发展的实施意见\n\n{BODY}"


def test_normalise_keeps_date_line_without_font_widget() -> None:
    raw = "尉氏县:扎实巩固 重点提高\n\n发布时间: 2022-11-25 10:56【浏览字号: 来源: 河南省教育厅\n\n" + BODY
    assert normalise(raw).text.split("\n\n")[:2] == ["尉氏县:扎实巩固 重点提高", "发布时间: 2022-11-25 10:56 来源: 河南省教育厅"]


def test_normalise_keeps_document_number_label() -> None:
    assert normalise("发文字号:国函〔2018〕144号").text == "发文字号:国函〔2018〕144号"


def test_normalise_drops_top_menu_bullets() -> None:
    raw = "- 市政府網(wǎng)\n- 政務(wù)微信\n一、起草背景\n" + BODY
    assert normalise(raw).text == "一、起草背景\n" + BODY


def test_normalise_keeps_bulleted_title() -> None:
    raw = "• 河南:“十项行动”推进义务教育优质均衡发展\n\n" + BODY
    assert normalise(raw).text.startswith("• 河南:“十项行动”推进义务教育优质均衡发展\n")


@pytest.mark.parametrize("header", ["相关阅读", "相关链接:", "【相关新闻】"])
def test_normalise_drops_trailing_related_list(header: str) -> None:
    raw = f"{BODY}\n\n{header}\n四川省整合资源加快凉山州教育发展\n四川5年内每年培养3000名公费师范生\n"
    assert normalise(raw).text == BODY


def test_normalise_keeps_body_after_related_header() -> None:
    # A header followed by real sentences is a section of the document, not a link list.
    raw = f"相关链接\n{BODY}"
    assert normalise(raw).text == raw


def test_normalise_drops_headlines_after_share_widget() -> None:
    raw = (f"{BODY}\n\n(微信扫描分享)\n四川省整合资源加快凉山州教育发展\n"
           "四川5年内每年培养3000名公费师范生\n  记者15日从四川省教育厅获悉,人民政府")
    assert normalise(raw).text == BODY


def test_normalise_is_fast_on_long_text() -> None:
    import time

    text = ("(一)加大稳岗支持力度。对不裁员或少裁员的参保企业，可返还其上年度实际缴纳失业保险费的５０％。\n" * 60_000)
    start = time.perf_counter()
    result = normalise(text)
    assert time.perf_counter() - start < 5  # ~3 MB; typically well under a second
    assert "50%" in result.text
