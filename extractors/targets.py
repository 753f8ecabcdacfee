"""Find the numbers and dates a policy sentence *sets* (targets) and those it *reports* (indicators).

``find_targets("到2027年,全省30%左右的县实现优质均衡")`` gives one :class:`TargetMatch` (deadline
2027, value 30, unit %, comparator ~).  Modality decides: 确保/力争/不低于/至少/到…年 make a target,
已/累计/先后/达 a reported :class:`IndicatorMatch`; in a law's article (``normative``) a number
without such a sign is a norm, so a target.  Years, dates, document and article numbers,
list markers and money that :func:`extractors.funding.find_funding` claims are neither.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_right
from dataclasses import dataclass

from extractors.funding import find_funding
from extractors.numbers import ARABIC, NEGATION, halfwidth, parse_number

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TargetMatch:
    """A number or date the policy sets; ``start``/``end`` are offsets of ``text`` in the sentence."""

    start: int
    end: int
    text: str
    deadline_year: int | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str = ""
    comparator: str = ""
    metric: str = ""
    scope: str = ""


@dataclass(frozen=True, slots=True)
class IndicatorMatch:
    """A reported quantity (a result or a fact), with the period it refers to when stated."""

    start: int
    end: int
    text: str
    metric: str = ""
    value: float | None = None
    unit: str = ""
    period: str = ""


_CN = r"[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*(?:点[零〇一二三四五六七八九]+)?"
_UNITS = (r"个百分点|%|‰|人次|人口|人|名|位|户|家|所|个工作日|工作日|个月|个|间|座|栋|套|台|辆|张|册|件|"
          r"项|条|场|批|类|种|门|节|课时|学时|小时|分钟|天|日|周岁|岁|月|周|年|次|倍|平方米|平方公里|"
          r"公顷|亩|公里|千米|米|吨|公斤|千克|斤|元|床|学分|班|家")
_QTY = re.compile(
    rf"(?P<pct>百分之)?(?P<num>{ARABIC}|{_CN})(?P<pu>%)?"
    rf"(?:(?P<sep>[-~—–～至到])(?:百分之)?(?P<num2>{ARABIC}|{_CN}))?"
    rf"(?P<q>多|余)?(?P<mag>万亿|亿|万|千)?(?: ?(?P<unit>{_UNITS}))?"
)
# Chinese numerals make quantities only with these units (not 三个确保, 十项行动, 九年义务教育).
_CN_UNITS = {"小时", "分钟", "次", "周岁", "岁", "倍", "个月", "日", "天", "年", "%", "个工作日", "工作日"}
_CLAUSE = re.compile(r"[,，;；:：。!！?？\n]|……|…")
_SKIP_SPANS = re.compile(
    r"《[^》]{0,80}》|〔\d{4}〕\d*号?|\[\d{4}\]\d*号?|[(（]\s*\d{4}\s*[-—–~至到]\s*\d{4}\s*年?\s*[)）]|"
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}:\d{2}(?::\d{2})?|"
    r"第 ?[\d一二三四五六七八九十百千零〇]+ ?[条章节款项次届批号个]|[\d.]+\+[\dN+]+|\d+号"
)
_DEADLINE = re.compile(
    r"(?P<pre>到|至|在|于|截至|截止|有效期至|期限至|延至|延长至)?(?P<y>(?:19|20)\d\d) ?年"
    r"(?P<mod>底|末|年底|年末|上半年|下半年|前后)?(?P<post>前|以前|之前)?"
)
_FYP = re.compile(r"[“\"‘']?(十[一二三四五六七八九]?五)[”\"’']?(?:规划)?(?:期间|末|时期|内|期末)")
_RELATIVE_YEAR = re.compile(r"今年(?!以来)|本年度|明年|(?<![\d一二两三四五六七八九十百几数 ])(?:年内|年底前|年末前)")
_HORIZON = re.compile(r"(?:今后|未来)([一二两三四五六七八九十\d]{1,2})年")
_FYP_VERB = re.compile(r"^[^,，;；。]{0,12}?(?:力争|确保|实现|完成|建成|达到|基本|全面|累计|新增)")
# Verbs that, in a plan, turn a bare quantity into a goal (新建学位5000个, 分别下降23%).
_CHANGE = re.compile(r"下降|降低|提高|提升|增长|增加|减少|完成|新建|建成|改造|培训|培养|招聘|覆盖|新增|"
                     r"压减|淘汰|扩大|实现|建设|改扩建|新开工|达|培育|打造|遴选|推广|组建|创建|引进")
# 2022年,全市…达到5000人 / 1998年达到2000人: a later year opening a goal, without 到 or 前.
_YEAR_GOAL = re.compile(r"(?<![\d到至自从于在止])((?:19|20)\d\d) ?年(?:底|末)?(?=[,，]|(?:要|将|力争|争取|确保|全面|基本|初步)?"
                        r"(?:达到|实现|完成|建成|形成))")
# 从10.23年提高到10.8年: the first number is the baseline, the second the target.
_FROM = re.compile(r"(?:从|由)[^,，;；。]{0,12}$")
_TO_AFTER = re.compile(r"^[^,，;；。\d]{0,4}?(?:提高|提升|增加|增长|降低|下降|减少|扩大|扩展|放宽|缩短|延长|调整|上升|压减|降|升)"
                       r"(?:到|至|为)")
_ARTICLES_BEFORE = re.compile(r"(?:全文|第|增订|删除)\s?[\d、～~\-\s]*$")
_NOT_DEADLINE = re.compile(r"施行|生效|有效期|废止|实施之日|起执行|截至|截止|以来|至今")
_STRONG = re.compile(
    r"确保|力争|争取|努力|目标|预期|计划|拟|务必|必须|(?<![主重需必纲摘只概不供])要(?!求)|"
    r"(?<![供响相适对反效回理])应当?|须|不低于|不少于|不高于|不超过|至少|最多|最少|控制在|保持在|"
    r"原则上|鼓励|提高到|提升到|降低到|降至|增至|达到|提高至|提升至"
)
_REPORT = re.compile(
    r"已|累计|先后|共计|共有|合计|截至|截止|比上年|较上年|同比|去年|上年|过去|"
    r"近[一二两三四五六七八九十\d]+年|目前|现有|(?<!到)达(?!到|标|成)|(?<![为除罢])了"
)
_YOY = re.compile(r"(?:比|较|同比)(?:上年|去年|上一年|前一年|年初|上年度)?[^,，;；。、]{0,4}"
                  r"(?:增加|增长|提高|多|减少|下降|增|减|扩大)了?$")
_NOT_A_RULE = re.compile(r"罚款|罚金|罚锾|罚鍰|违法所得|施行|生效|有效期|停业整顿|暂扣|徒刑")
_HEDGE_AFTER = re.compile(r"^(?:及以上|以上|左右|以下|以内|之内|内)")
_THRESHOLD_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,4}?(?:及以上|以上|以下|及以下)(?:的|[\u4e00-\u9fff])")
_ALLOC_AFTER = re.compile(r"^(?:的比例)?[\u4e00-\u9fff]{0,2}?(?:分配|用于|安排|划拨|定向|统筹|返还|留给|计入|纳入|"
                          r"提取|给予|奖补|补助|补贴|奖励|贴息|资助)")
_RULE_BEFORE = re.compile(r"(?:按|按照|依照)[^,，;；。]{0,30}?$|(?:每满?|满|年满|不足|不到|超过|低于|少于)$")
_FREQ = re.compile(r"每(?:年|学年|学期|季度|月|周|天|日)[^,，;；。]{0,12}$")
_PERIODIC_AFTER = re.compile(r"^(?:一|1)(?:周期|次|轮|届|个周期)")
_DURATION_AFTER = re.compile(r"^(?:左右)?(?:的)?时间|^(?:以内|之内|内)")
# 不得超过 / 不应少于: a negated bound flips the comparator. The gap lets the bound stand before
# its base (不低于该年度…平均值之百分之二十三, 应当高于职业培训经费总额的百分之六十).
_GAP = r"(?:[\u4e00-\u9fff]{0,8}|[^,，;；。]{0,30}[的之])$"
_COMP_BEFORE = [
    (re.compile(rf"{NEGATION}(?:超过|多于|高于|大于|长于|晚于){_GAP}"), "<="),
    (re.compile(rf"{NEGATION}(?:少于|低于|小于|短于|早于){_GAP}"), ">="),
    (re.compile(r"(?:最多|最高|至多)[\u4e00-\u9fff]{0,8}$|(?:控制在|不足|不到|低于|少于)$"), "<="),
    (re.compile(r"(?:至少|最少)[\u4e00-\u9fff]{0,8}$|(?:超过|高于|多于)[^,，;；。]{0,30}[的之]$|(?:超过|突破|逾|高于|多于)$"),
     ">="),
    (re.compile(r"(?:约|(?<!最)近|大约)$"), "~"),
    # 不满十六周岁 is under 16 (the comparators stop at <=); 年满十八周岁, 工作满10年: at least.
    (re.compile(r"(?:不满|未满)$"), "<="),
    (re.compile(r"(?<!每)满$"), ">="),  # 每满5年 is an interval, not a minimum
]
_STANDING = re.compile(rf"{NEGATION}(?:超过|多于|高于|少于|低于){_GAP}|(?:至少|最少|最多|最高)[\u4e00-\u9fff]{{0,8}}$|"
                       r"(?:不足|不到|低于|少于)$")
# 左右 first, and 内 only as "within" (3家左右在国内… is about 3, not under 3).
_COMP_AFTER = [(re.compile(r"^(?:左右|上下)"), "~"),
               (re.compile(r"^(?:多|余)?[\u4e00-\u9fff]{0,4}?(?:及以上|以上)"), ">="),
               (re.compile(r"^[\u4e00-\u9fff]{0,4}?(?:以下|以内|之内|(?<![国省市区县境校园室场体])内)"), "<=")]
_SCOPE = re.compile(r"全国|全省|全市|全县|全区|全镇|全乡|各省(?:区市)?|各地|各市|各县(?:[(（]市、区[)）])?|"
                    r"各区|各级|各校|各学校|城镇|农村|乡村")
# Single-character modals only where they are not part of a word (相应, 应用, 重要, 要求, 使用 ...).
_METRIC_STRIP = re.compile(r"(?:确保|力争|争取|努力|必须|应当|实现|保障|一是|二是|三是|四是|五是|"
                           r"(?<![相供适对反效回响理])应(?![用急届])|(?<![重主需必纲摘概只])要(?![求素])|"
                           r"将(?![来军])|(?<![必])须(?!知)|(?<![行大促致即])使(?![用命]))")
_METRIC_TAIL = re.compile(r"(?:达到|达|不低于|不少于|至少|不高于|不超过|控制在|保持在|提高到|提升到|降低到|"
                          r"降至|增至|为|是|按照|按|约|近|超过|突破|在|的)+$")
_PERIOD = re.compile(r"(\d{4})\s?[-—–~至到]\s?(\d{4})年|(\d{4})年(?:以来|来)|(\d{4})年")
_FYP_START = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026, "十六五": 2031}
_PLAN_PAREN = re.compile(r"[(（]\s*((?:19|20)\d\d)\s*[-—–~～至到]\s*((?:19|20)\d\d)\s*年?\s*[)）]")
_PLAN_WORDS = re.compile(r"((?:19|20)\d\d)\s*[-—–~～至到]\s*((?:19|20)\d\d)\s*年?(?:度)?的?\s*"
                         r"(?:[\u4e00-\u9fff]{0,12})(?:规划|计划|方案|纲要|要点)")
_PLAN_FYP = re.compile(r"[“\"‘']?(十[一二三四五六]?五)[”\"’']?\s*(?:[\u4e00-\u9fff]{0,8}规划|期间|时期|末|目标)")


def find_plan_period(text: str) -> tuple[int, int] | None:
    """The plan period a document is written for: (2023, 2025) for 《…方案(2023-2025年)》, "十四五".

    Parameters
    ----------
    text : str
        The document's title or text; the title region (first 300 characters) is tried first.

    Returns
    -------
    tuple of int or None
        (first year, last year), or None when no plan period is named.
    """
    text = halfwidth(text or "")
    for part in (text[:300], text):
        for pattern in (_PLAN_PAREN, _PLAN_WORDS):
            for m in pattern.finditer(part):
                a, b = int(m.group(1)), int(m.group(2))
                if 0 < b - a <= 15:
                    return a, b
        m = _PLAN_FYP.search(part)
        if m and m.group(1) in _FYP_START:
            start = _FYP_START[m.group(1)]
            return start, start + 4
    return None


@dataclass(slots=True)
class _Qty:
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    comparator: str
    target: bool
    rule: bool


def _clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of the comma-level clauses; a comma between digits is a separator, not a cut."""
    out, start = [], 0
    for m in _CLAUSE.finditer(text):
        i = m.start()
        if text[i] == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue
        if i > start:
            out.append((start, i))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out or [(0, len(text))]


def _clause_of(clauses: list[tuple[int, int]], pos: int) -> int:
    """Index of the clause holding ``pos`` (or the first one after it)."""
    i = bisect_right(clauses, (pos, 1 << 62)) - 1  # the last clause starting at or before pos
    if i < 0:
        return 0
    return i if pos < clauses[i][1] else min(i + 1, len(clauses) - 1)


def _deadlines(text: str, mask: bytearray, doc_year: int | None) -> list[tuple[int, int | None, bool]]:
    """(position, year, creates-a-row) of the deadline phrases of a sentence."""
    out: list[tuple[int, int | None, bool]] = []
    for m in _DEADLINE.finditer(text):
        ys = m.start("y")
        if mask[ys]:
            continue
        pre, post = m.group("pre") or "", m.group("post") or ""
        if pre in ("至", "到") and m.start() > 0 and text[m.start() - 1].isdigit():
            continue  # 2015至2021年 is a period, not a deadline
        if pre not in ("到", "至") and not post:
            continue
        window = text[max(0, m.start() - 8):m.end() + 10]
        if pre in ("截至", "截止", "有效期至", "期限至", "延至", "延长至") or _NOT_DEADLINE.search(window):
            continue
        year = int(m.group("y"))
        if doc_year and year < doc_year:
            continue  # 到2020年底 in a 2022 report looks back
        out.append((m.start(), year, True))
    for m in _YEAR_GOAL.finditer(text):
        year = int(m.group(1))
        if doc_year and year > doc_year and not mask[m.start()] and not _NOT_DEADLINE.search(text[m.end():m.end() + 10]):
            out.append((m.start(), year, True))
    for m in _FYP.finditer(text):
        if not _NOT_DEADLINE.search(text[m.end():m.end() + 4]) and m.group(1) in _FYP_START:
            out.append((m.start(), _FYP_START[m.group(1)] + 4, bool(_FYP_VERB.match(text[m.end():m.end() + 20]))))
    for m in _HORIZON.finditer(text):
        n = parse_number(m.group(1))
        # 今后五年 dates what follows but, unlike 到2020年, does not by itself make a number a goal.
        out.append((-m.start() - 1, doc_year + int(n) - 1 if doc_year and n and n < 30 else None, False))
    for m in _RELATIVE_YEAR.finditer(text):
        if doc_year:
            out.append((m.start(), doc_year + (m.group(0) == "明年"), False))
    return sorted(out, key=lambda d: d[0] if d[0] >= 0 else -d[0] - 1)


def _pos(d: tuple[int, int | None, bool]) -> int:
    """Position of a deadline phrase (horizons such as 今后五年 are stored negated)."""
    return d[0] if d[0] >= 0 else -d[0] - 1


def _comparator(before: str, after: str) -> str:
    for pattern, comp in _COMP_BEFORE:
        if pattern.search(before):
            return comp
    for pattern, comp in _COMP_AFTER:
        if pattern.match(after):
            return comp
    return "="


def _quantities(text: str, signals: str, mask: bytearray, clauses: list[tuple[int, int]],
                deadlines: list[tuple[int, int | None, bool]], planned: bool,
                doc_year: int | None = None, normative: bool = False) -> list[_Qty]:
    out: list[_Qty] = []
    deadline_pos = [d[0] for d in deadlines if d[0] >= 0]
    # A goal dated after the document's own year (到2023年…累计建成) is not a report of the past.
    future_pos = [d[0] for d in deadlines if d[0] >= 0 and doc_year and d[1] and d[1] > doc_year]
    for m in _QTY.finditer(text):
        num, mag = m.group("num"), m.group("mag") or ""
        s = m.start()
        unit = "%" if (m.group("pct") or m.group("pu")) else (m.group("unit") or "")
        if not unit or mask[m.start("num")] or (unit == "%" and m.group("unit") and not m.group("pu")):
            continue
        prev = text[s - 1] if s else ""
        nxt = text[m.end()] if m.end() < len(text) else ""
        if prev and (prev.isascii() and (prev.isalnum() or prev in "+.") or prev == "第") or nxt == "+":
            continue
        is_cn = not num[0].isdigit()
        value = parse_number(num + mag)
        if value is None or (is_cn and unit not in _CN_UNITS):
            continue
        after = signals[m.end():m.end() + 40]
        ci = _clause_of(clauses, s)
        c0 = max(clauses[ci][0], s - 60)  # bounded windows keep long sentences linear
        before = signals[c0:s]
        if unit == "年":
            if 1900 <= value <= 2100 and "." not in num:
                continue  # a year
            if not (_DURATION_AFTER.match(after) or _PERIODIC_AFTER.match(after) or "." in num
                    or _HEDGE_AFTER.match(after) or re.search(r"(?:满|每|用|花|到|至|为)$", before)
                    or any(p.search(before) for p, _ in _COMP_BEFORE[:4])):
                continue  # 九年义务教育, 今后3年的目标: no number is set
        if unit == "年" and after[:1] == "度" or _FROM.search(before) and _TO_AFTER.match(after):
            continue  # 上一年度; the baseline of 从A提高到B
        if unit == "条" and (re.match(r"^(?:条文|第|之\d)", text[m.end():m.end() + 3])
                            or _ARTICLES_BEFORE.search(before)):
            continue  # article numbers: 修正公布第 6、9、13 条条文, 全文 17 条
        if unit in ("月", "日") and not re.match(r"^(?:以内|之内|内)", after) or after[:1] == "年" or (
                unit == "次" and after[:1] == "性"):
            continue  # a date, or 100周年
        value_max = parse_number(m.group("num2") + mag) if m.group("num2") else None
        if value_max is not None and value_max <= value:
            value_max = None
        if mag and unit in ("人口", "万人"):
            unit = "人"
        unit = "人" if unit == "人口" else unit
        rule = bool(
            _THRESHOLD_AFTER.match(after) or _RULE_BEFORE.search(before) or _PERIODIC_AFTER.match(after)
            or (_FREQ.search(before) and not _REPORT.search(signals, max(0, s - 150), s))
            or (unit in ("年", "个月", "天", "日", "个工作日", "工作日") and _DURATION_AFTER.match(after))
            or (unit == "%" and _ALLOC_AFTER.match(after))
            or _STANDING.search(before)
        )
        if _YOY.search(before[-12:]):
            continue  # 比上年增加3000亿元: a change, not a level the policy sets
        clause_text = signals[clauses[ci][0]:clauses[ci][1]]
        if _NOT_A_RULE.search(clause_text):
            continue  # fines (五倍以下罚款) and dates of effect (公布后一年内施行)
        strong = bool(_STRONG.search(before))
        past = [int(y) for y in re.findall(r"((?:19|20)\d\d)年(?!底前|前|以前|之前)", before)]
        looks_back = bool(doc_year and past and max(past) < doc_year)  # 1998年达到2000人 in a later text
        dated = bool(deadline_pos) and (deadline_pos[0] < s or any(
            clauses[ci][0] <= p < clauses[ci][1] for p in deadline_pos))
        future = bool(future_pos) and (future_pos[0] < s or any(clauses[ci][0] <= p < clauses[ci][1] for p in future_pos))
        report = bool(_REPORT.search(before)) and not future or looks_back
        hedge = bool(_HEDGE_AFTER.match(after)) and not m.group("q")
        # In a law's article an unmarked number in digits is a norm (服务期为5年), not a report;
        # numerals in words there are mostly ages, counts of times and sanctions: left as they were.
        norm = normative and not is_cn
        target = not looks_back and (strong or ((rule or dated or hedge or norm) and not report) or (
            planned and bool(_CHANGE.search(before)) and not _REPORT.search(signals, max(0, s - 150), s)))
        out.append(_Qty(s, m.end(), value, value_max, unit, _comparator(before, after), target,
                        rule and not dated))
    return out


def _metric(text: str, c0: int, q: _Qty) -> str:
    before = re.sub(r"(?:到|至|在)?\d{4}年(?:底|末)?(?:前)?", "", text[max(c0, q.start - 40):q.start])
    before = _METRIC_TAIL.sub("", _METRIC_STRIP.sub("", before))
    before = re.split(r"[、(（)）“”\"\s□]", before)[-1]
    if before:
        return before[-12:]
    after = re.match(r"[\u4e00-\u9fff]{1,10}", text[q.end:q.end + 10])
    return after.group(0) if after else ""


def _span(text: str, clauses: list[tuple[int, int]], first: int, last: int) -> tuple[int, int]:
    """Clauses ``first``..``last``, grown by a short lead clause before and a short clause after."""
    if first == last and first > 0 and clauses[first - 1][1] - clauses[first - 1][0] <= 8:
        first -= 1
    if clauses[last][1] - clauses[last][0] <= 8 and last + 1 < len(clauses):
        last += 1
    s, e = clauses[first][0], clauses[last][1]
    if e - s > 200:
        s = clauses[last][0]
    return s, min(e, s + 200)


ANY_NUMBER = re.compile(r"[\d０-９零〇一二两三四五六七八九十]")
"""A sentence without one of these holds no target or indicator: ``find_targets`` returns at once."""
# Without any of these there is nothing to return: every quantity needs an Arabic digit, 百分之 or
# a Chinese numeral (over its own characters, ranges, 多/余, 万/亿) ending in a unit of _CN_UNITS;
# a deadline row needs a year in digits or a 十X五 plan. Skips most sentences holding only 一 (统一).
_MAY_HOLD_TARGET = re.compile(
    r"\d|百分之|十[一二三四五六七八九]?五|[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千点%\-~—–～至到多余万亿 ]*"
    r"(?:" + "|".join(map(re.escape, _CN_UNITS)) + ")")
_DURATION_UNITS = {"年", "个月", "天", "日", "个工作日", "工作日", "小时"}


# A sentence opening a goals paragraph: 到2025年，… / 力争到2030年底，…
GOALS_LEAD = re.compile(r"\s*(?:[一二三四五六七八九十\d]+[、.)）]\s*)?(?:力争|争取|计划)?(?:到|至)((?:19|20)\d\d) ?年(?:底|末)?[,，]")


def find_targets(sentence: str, *, doc_year: int | None = None,
                 plan_period: tuple[int, int] | None = None, normative: bool = False,
                 lead_year: int | None = None,
                 ) -> tuple[list[TargetMatch], list[IndicatorMatch]]:
    """Split the numbers of one sentence into targets the policy sets and indicators it reports.

    Parameters
    ----------
    sentence : str
        One sentence of normalised simplified text.
    doc_year : int, optional
        The document's own year, to resolve 今年/明年/年内 and to tell 到2020年 in a later report.
    plan_period : tuple of int, optional
        The document's plan period (see :func:`find_plan_period`); its end year becomes the
        deadline of goals stated without one. Standing rules (thresholds, frequencies, quotas)
        and relative durations (用3年时间) get none.
    normative : bool
        The sentence is an article of a law or regulation (第X条): a number it states without a
        sign of reporting (已, 累计, 截至 ...) is a norm it sets (服务期为5年), not a reported fact.
    lead_year : int, optional
        The year of a goals paragraph this sentence continues (到2025年，…。全省毛入园率达到92%): it
        dates the sentence's goals that name no year, before the plan period does.

    Returns
    -------
    (list of TargetMatch, list of IndicatorMatch)
        In order of appearance; ``start``/``end`` index ``sentence``.
    """
    if not sentence or not ANY_NUMBER.search(sentence):
        return [], []
    text = halfwidth(sentence)
    if not _MAY_HOLD_TARGET.search(text):
        return [], []
    mask = bytearray(len(text))
    for m in _SKIP_SPANS.finditer(text):
        mask[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    if re.search(r"[元万亿]", text):
        for f in find_funding(sentence):  # money that is funding is not also a target
            mask[f.start:f.end] = b"\x01" * (f.end - f.start)
    # Signals are read from a copy with titles and document numbers blanked (《…计划》 is no plan).
    signals = "".join("□" if flag else ch for ch, flag in zip(text, mask)) if any(mask) else text
    clauses = _clauses(text)
    deadlines = _deadlines(text, mask, doc_year)
    if plan_period and doc_year and plan_period[1] < doc_year:
        plan_period = None  # a plan that ended before the document was written dates none of its goals
    planned = bool(plan_period) or lead_year is not None
    quantities = _quantities(text, signals, mask, clauses, deadlines, planned, doc_year, normative)
    rows: dict[tuple[int, int], TargetMatch] = {}
    used: set[int] = set()
    indicators: list[IndicatorMatch] = []
    reported: set[int] = set()  # one indicator per clause: 分别占比达30%、20%和10% keeps 30
    for q in quantities:
        ci = _clause_of(clauses, q.start)
        c0, c1 = clauses[ci]
        if not q.target:
            if text[q.start].isdigit() and ci not in reported:
                reported.add(ci)
                periods = list(_PERIOD.finditer(signals, max(0, q.start - 200), q.start))
                period = ""
                if periods:
                    g = periods[-1].groups()
                    period = f"{g[0]}-{g[1]}" if g[0] else (f"{g[2]}-" if g[2] else g[3])
                i0, i1 = max(c0, q.start - 100), min(c1, q.end + 100)
                indicators.append(IndicatorMatch(i0, i1, sentence[i0:i1], _metric(signals, c0, q), q.value,
                                                 q.unit, period))
            continue
        same = [i for i, d in enumerate(deadlines) if c0 <= _pos(d) < c1]
        prev = [i for i, d in enumerate(deadlines) if _pos(d) < c0]
        di = same[0] if same else (prev[-1] if prev else None)
        year = deadlines[di][1] if di is not None else None
        first = ci
        if di is not None:
            if di not in used:
                first = min(ci, _clause_of(clauses, _pos(deadlines[di])))
            used.add(di)
        elif (lead_year or plan_period) and not q.rule and q.unit not in _DURATION_UNITS:
            year = lead_year or plan_period[1]
        s, e = _span(text, clauses, first, ci)
        if (s, e) in rows:
            continue
        scope = _SCOPE.search(text, s, e)
        rows[(s, e)] = TargetMatch(s, e, sentence[s:e], year, q.value, q.value_max, q.unit, q.comparator,
                                   _metric(signals, c0, q), scope.group(0) if scope else "")
    for i, (pos, year, own_row) in enumerate(deadlines):
        if i in used or not own_row:
            continue
        first = last = _clause_of(clauses, pos)
        while (last + 1 < len(clauses) and clauses[last + 1][1] - clauses[first][0] <= 150
               and text[clauses[last][1]] not in "…。"):
            last += 1
        s, e = clauses[first][0], min(clauses[last][1], clauses[first][0] + 200)
        if (s, e) not in rows and _REPORT.search(signals, s, e) is None or _STRONG.search(signals, s, e):
            scope = _SCOPE.search(text, s, e)
            rows.setdefault((s, e), TargetMatch(s, e, sentence[s:e], year, scope=scope.group(0) if scope else ""))
    # A clause is either a target or a report, never both (and spans sharing offsets would also
    # share their spaCy extension values downstream).
    indicators = [i for i in indicators if (i.start, i.end) not in rows]
    return sorted(rows.values(), key=lambda t: (t.start, t.end)), indicators
