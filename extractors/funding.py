"""Find sums of money a policy sentence says are spent, invested, allocated or set as a standard.

``find_funding("2015-2021年累计投入4.6亿,用于义务教育学校办学条件改善")`` returns one
:class:`FundingMatch` of 460000000.0 yuan, period ``2015-2021``.  What is *not* funding (areas,
counts, people, year-on-year increases, tax cuts, fines, economic aggregates, eligibility
thresholds) is rejected by the rules below; see ``spec/extraction.md``.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_left
from dataclasses import dataclass

from extractors.numbers import ARABIC, NEGATION, halfwidth, parse_number

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FundingMatch:
    """One amount of money: ``start``/``end`` are offsets of ``mention`` in the sentence."""

    start: int
    end: int
    mention: str
    amount_yuan: float
    qualifier: str = "exact"
    amount_max: float | None = None
    currency: str = "CNY"
    per_unit: bool = False
    period: str = ""
    purpose: str = ""


_CN_NUM = r"[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿点]*"
_NUM = rf"(?:{ARABIC}|{_CN_NUM})"
_MAG = r"(?:[千百]?万亿|[千百]?万|亿|千)"
_UNIT = r"(?:美元|港元|港币|欧元|日元|英镑|元)"
_CURRENCY_WORD = r"(?:人民币|新台币|新臺幣|台币|美元|港元|港币|欧元|日元)"

_AMOUNT = re.compile(
    rf"(?:(?P<cur>{_CURRENCY_WORD})\s?)?"
    rf"(?P<num>{_NUM})(?P<q1>多|余|餘)?(?P<mag>{_MAG})?(?P<unit1>{_UNIT})?"
    rf"(?:(?P<sep>[-~—–－至到])(?P<num2>{_NUM})(?P<q3>多|余)?(?P<mag2>{_MAG})?)?"
    rf"(?P<q2>多|余|餘)?(?P<unit>{_UNIT}|块钱)?"
)
_CURRENCY = {"美元": "USD", "港元": "HKD", "港币": "HKD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP",
             "新台币": "TWD", "新臺幣": "TWD", "台币": "TWD", "人民币": "CNY"}

MONEY_CHAR = re.compile(r"[元万亿萬億]")
"""A sentence without one of these holds no funding: ``find_funding`` returns [] at once."""
# Clause boundaries: an amount's context never crosses these (、 does not end a clause).
_CLAUSE_END = re.compile(r"[,，;；。:：!！?？\n]")
# Verbs of spending, allocating or raising money.
_SPENDING = "投入|投资|安排|拨付|拨款|下达|补助|补贴|筹措|筹集|兑现|奖励|奖补|资助|出资"
_MONEY_CONTEXT = re.compile(
    rf"{_SPENDING}|资金|经费|预算|支出|"
    r"债券|国债|赤字|融资|捐赠|捐款|募集|转移支付|专项|基金|新台币|新臺幣|人民币"
)
# What may follow a bare 4.6亿 (no 元) for it to still be money: the end of the clause or a verb.
_BARE_NEXT = re.compile(
    r"$|[,，;；。、:：)）\s]|用于|用来|用以|支持|专项|资金|经费|其中|主要|全部|重点|建设|实施|完成|"
    r"新建|改扩建|改造|购置|新购|维修|以上|以下|左右|上下|以内"
)
_NOT_YUAN_WORD = re.compile(r"[化素旦宵件首帅老朝音]")

_PREFIX_QUAL = [
    # Negated bounds first: 不少于 ends in 少于 but means "at least", 不得超过 ends in 超过.
    (re.compile(rf"{NEGATION}(?:少于|低于)$|(?:至少|最低|最少)$"), "more_than"),
    (re.compile(rf"(?:最高|最多)?{NEGATION}(?:超过|高于|多于)$"), "less_than"),
    (re.compile(r"(?:不足|不到|低于|少于|至多)$"), "less_than"),
    (re.compile(r"(?:大约|约为|约|将近|接近|近|大概)$"), "approx"),
    (re.compile(r"(?:逾|超过|超|多于|高于)$"), "more_than"),
]
# 最高奖励50万元, 最多补助: the cap word may stand a few characters before the number.
_CAP = re.compile(r"(?:最高|最多|上限|封顶|不超过)[^,，;；。]{0,6}$")
_SUFFIX_QUAL = re.compile(r"^(?:及以上|以上|左右|上下|以下|以内|之内)")
_SUFFIX_KIND = {"及以上": "more_than", "以上": "more_than", "左右": "approx", "上下": "approx",
                "以下": "less_than", "以内": "less_than", "之内": "less_than"}

# Not funding: year-on-year changes, tax and fee cuts, fines, economic aggregates, thresholds.
_YOY = re.compile(r"(?:比|较|同比)(?:上年|去年|上一年|前一年|年初|上年度|\d{4}年)?[^,，;；。、]{0,4}"
                  r"(?:增加|增长|提高|多|减少|下降|增|减|扩大)了?$")
_TAX_CUT = re.compile(r"减税|降费|减负|减轻|退税|减免|免征|减征|留抵|让利|少缴|节约|节省|降低")
_FINE = re.compile(r"罚款|罚金|罚没|罚锾|罚鍰|处罚|违法所得|赔偿|没收|货值")
# A sum insured or a loan guarantee's cover is not money spent (每年保险金额新台币二百万元).
_INSURED = re.compile(r"保险金额|保额|投保金额|赔付限额|保险责任限额")
_AGGREGATE = re.compile(
    r"生产总值|GDP|产值|增加值|产业规模|市场规模|经济规模|经济总量|营业收入|营收|销售收入|销售额|"
    r"主营业务|交易额|成交额|零售总额|进出口|出口额|进口额|利润|市值|居民收入|可支配收入|人均收入|"
    r"存款|贷款余额|总产出|营业额|估值|固定资产投资|社会投资|民间投资|招商|签约|引进|利用外资|"
    r"注册资本|注册资金|实缴资本|纳税|税收|收入[超达突过]|业规模|总资产|资产总额|产业集群|产业链|所得|现值|"
    r"资产|财产|生产率"
)
# What a rule requires an applicant to hold is a threshold of eligibility, not money spent: a
# registered capital (不少于三十万元的注册资本) or a deposit (增存质量保证金120万元); a deposit
# counts when the clause says public money pays it in (财政安排风险补偿保证金1000万元).
_CAPITAL_AFTER = re.compile(r"^(?:人民币)?(?:及|或)?(?:以上|以下)?的?(?:注册资本|注册资金|实缴资本)")
_DEPOSIT = "保证金|担保金"
_DEPOSIT_BEFORE = re.compile(_DEPOSIT)
_DEPOSIT_AFTER = re.compile(rf"^(?:人民币)?(?:及|或)?(?:以上|以下)?的?[^,，;；。]{{0,8}}(?:{_DEPOSIT})")
_PAID_IN = re.compile(rf"{_SPENDING}|注入|财政")
_THRESHOLD_AFTER = re.compile(
    r"^(?:(?:及|或)?(?:以上|以下|以内|以外)(?:的|者|之|企业|项目|单位|工程|规模|家庭|家户|人员|个人))|^者"
)
# 违法经营额不足1万元的，… / 损失超过2000元的，按…: the amount is the condition of a rule, not money paid.
_CONDITION_AFTER = re.compile(r"^(?:及|或)?(?:以上|以下|以内)?[^,，;；。的]{0,10}的[,，;；]")
_PER_UNIT = re.compile(
    r"每(?:生|人|名|位|户|所|个|校|园|班|座|间|平方米|亩|辆|床|月|天|日|学年|学期|课时|小时|次|件|项|套|台|"
    r"家|证|单位|企业|机构|公顷)|单个|单家|单项|单户|单所|"
    r"生均|人均|户均|校均|标准(?:为|是|提高到?|提升到?|调整为|调至|达到|不低于|不超过)?$"
)
_PER_UNIT_AFTER = re.compile(r"^\s?/\s?(?:生|人|名|月|年|天|日|学年|学期|平方米|亩|户|所|个|课时|次|项|家|证)")
_PERIOD_RANGE = re.compile(r"(\d{4})\s?[-—–~～至到]\s?(\d{4})年?")
_PERIOD_SINCE = re.compile(r"(\d{4})年(?:以来|来)")
_PERIOD_FYP = re.compile(r"[“\"‘']?(十[一二三四五六七八九]?五)[”\"’']?(?:期间|时期|以来|期)")
_PERIOD_YEAR = re.compile(r"(\d{4})年(?:度)?")
_PURPOSE_USE = re.compile(r"^[,，]?\s?(?:专项|全部|主要|重点|专门)?(?:用于|用来|用以)([^,，;；。]{1,40})")
_PURPOSE_VERB = re.compile(
    r"^[,，]\s?((?:新建|改扩建|完成|建设|实施|购置|新购|改造|维修|支持|资助|奖励|补助|补贴|开展|"
    r"扶持|保障|落实)[^,，;；。]{1,40})"
)
_PURPOSE_BEFORE = re.compile(
    r"(?:投入|投资|安排|拨付|下达|筹措|筹集|兑现|补助|奖励|支持|发放)([^,，;；。、]{2,30}?)"
    r"(?:共|合计|累计|总计|达|约|近|超过|逾)?$"
)


# Context windows are bounded so that a sentence of any length stays linear.
_WINDOW = 60


def _boundaries(text: str) -> list[int]:
    """Offsets of the clause boundaries; a comma between digits is a thousands separator."""
    out = []
    for m in _CLAUSE_END.finditer(text):
        i = m.start()
        if text[i] == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue
        out.append(i)
    return out


def _value(num: str, mag: str | None) -> float | None:
    return parse_number(num + (mag or ""))


def _qualifier(before: str, after_span: str, has_range: bool, q_many: bool) -> tuple[str, int, int]:
    """Qualifier and how many characters it adds before / after the number."""
    if has_range:
        return "range", 0, 0
    for pattern, kind in _PREFIX_QUAL:
        m = pattern.search(before)
        if m:
            return kind, len(m.group(0)), 0
    m = _SUFFIX_QUAL.match(after_span)
    if m:
        return _SUFFIX_KIND[m.group(0)], 0, len(m.group(0))
    if q_many:
        return "more_than", 0, 0
    if _CAP.search(before):
        return "less_than", 0, 0
    return "exact", 0, 0


def _period(before_sentence: str) -> str:
    best = (-1, "")
    for pattern, fmt in ((_PERIOD_RANGE, "{0}-{1}"), (_PERIOD_SINCE, "{0}-"), (_PERIOD_FYP, "{0}")):
        for m in pattern.finditer(before_sentence):
            if m.start() >= best[0]:
                best = (m.start(), fmt.format(*m.groups()))
    return best[1]


def _purpose(after: str, clause_before: str) -> str:
    m = _PURPOSE_USE.match(after) or _PURPOSE_VERB.match(after)
    if m:
        return m.group(1).strip()
    m = _PURPOSE_BEFORE.search(clause_before)
    if m:
        return m.group(1).strip()
    return ""


def _is_money(m: re.Match, text: str, clause_before: str) -> bool:
    """Whether an amount-shaped match is money at all (not 13.2万平方米 or 二元结构)."""
    unit = m.group("unit") or m.group("unit1")
    after = text[m.end():m.end() + 8]
    if unit:
        if unit == "元" and _NOT_YUAN_WORD.match(after):
            return False
        cn_only = not re.search(r"\d", m.group("num"))
        if cn_only and not (m.group("mag") or m.group("cur") or re.search(r"[十百千万亿]", m.group("num"))):
            # 二元结构, 一元钱: a small Chinese numeral before 元 needs money words around it.
            return bool(_MONEY_CONTEXT.search(clause_before))
        return True
    has_mag = m.group("mag") or m.group("mag2") or (
        not re.search(r"\d", m.group("num")) and re.search(r"[万亿]$", m.group("num")))
    if not has_mag and not m.group("cur"):
        return False
    return bool(_BARE_NEXT.match(after)) and bool(_MONEY_CONTEXT.search(clause_before) or m.group("cur"))


def _excluded(clause_before: str, clause: str, after: str) -> str:
    """Why an amount is not funding, or '' when it is."""
    tail = clause_before[-12:]
    if _YOY.search(tail):
        return "year-on-year"
    if _TAX_CUT.search(clause_before[-20:]):
        return "tax cut"
    if _FINE.search(clause) or re.search(r"(?<![教财处])处以?[^,，;；。]{0,12}$", clause_before):
        return "fine"
    if _AGGREGATE.search(clause_before):
        return "aggregate"
    if _INSURED.search(clause_before):
        return "sum insured"
    if _CAPITAL_AFTER.match(after):
        return "registered capital"
    if (_DEPOSIT_BEFORE.search(clause_before) or _DEPOSIT_AFTER.match(after)) and not _PAID_IN.search(clause_before):
        return "deposit"
    if _THRESHOLD_AFTER.match(after) or _CONDITION_AFTER.match(after):
        return "threshold"
    return ""


def find_funding(sentence: str, *, default_currency: str = "CNY") -> list[FundingMatch]:
    """Find funding amounts in one sentence.

    Parameters
    ----------
    sentence : str
        One sentence of normalised simplified text (full-width digits are tolerated).
    default_currency : str
        The currency of a bare 元 with no currency word near it: "CNY", or "TWD" in a Taiwan
        document, where 元 means New Taiwan dollars.

    Returns
    -------
    list of FundingMatch
        In order of appearance; offsets index ``sentence``.
    """
    # Checked on the original sentence, before the full-width mapping makes 萬/億 into 万/亿.
    if not sentence or not MONEY_CHAR.search(sentence):
        return []
    text = halfwidth(sentence)
    out: list[FundingMatch] = []
    prev_end, prev_qual = -1, ""
    cuts = _boundaries(text)
    for m in _AMOUNT.finditer(text):
        start, end = m.start(), m.end()
        if start > 0 and (text[start - 1].isdigit() or text[start - 1] == "."):
            continue
        k = bisect_left(cuts, start)
        c0 = max(cuts[k - 1] + 1 if k else 0, start - _WINDOW)
        clause_before = text[c0:start]
        if not _is_money(m, text, clause_before):
            continue
        if m.group("unit") == "块钱" and not _MONEY_CONTEXT.search(clause_before):
            continue
        k = bisect_left(cuts, end)
        c1 = min(cuts[k] if k < len(cuts) else len(text), end + _WINDOW)
        after = text[end:c1 + 1]
        clause = text[c0:c1]
        why = _excluded(clause_before, clause, after)
        if why:
            LOGGER.debug("not funding (%s): %r", why, m.group(0))
            continue
        # 1万至2万元 shares the magnitude; 1000元至1万元 does not (its first number has its unit).
        amount = _value(m.group("num"), m.group("mag") or (None if m.group("unit1") else m.group("mag2")))
        if amount is None or amount <= 0:
            continue
        amount_max = None
        if m.group("num2"):
            amount_max = _value(m.group("num2"), m.group("mag2") or m.group("mag"))
            if amount_max is None or amount_max <= amount:
                amount_max = None
        qual, pre_n, post_n = _qualifier(clause_before, after, amount_max is not None,
                                         bool(m.group("q1") or m.group("q2") or m.group("q3")))
        if qual == "exact" and prev_qual and text[prev_end:start] in ("、", "和", "或", "及"):
            qual = prev_qual  # 分别给予最高50万元、100万元、200万元: the cap covers the whole list
        prev_end, prev_qual = end + post_n, qual if qual in ("less_than", "approx", "more_than") else ""
        unit = m.group("unit") or m.group("unit1") or ""
        cur_word = m.group("cur") or ""
        currency = _CURRENCY.get(unit, "")
        if not currency:
            currency = _CURRENCY.get(cur_word, "")
        if not currency:
            cm = re.search(r"新台币|新臺幣|港币|港元|美元", clause_before)
            currency = _CURRENCY[cm.group(0)] if cm else default_currency
        per_unit = bool(_PER_UNIT.search(clause_before) or _PER_UNIT_AFTER.match(after))
        s, e = start - pre_n, end + post_n
        out.append(FundingMatch(
            start=s, end=e, mention=sentence[s:e], amount_yuan=amount, qualifier=qual,
            amount_max=amount_max, currency=currency, per_unit=per_unit,
            period=_period(text[max(0, start - 4 * _WINDOW):start]),
            purpose=_purpose(text[end + post_n:end + post_n + _WINDOW], clause_before),
        ))
    return out
