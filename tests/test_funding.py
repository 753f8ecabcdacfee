"""Tests of extractors.funding.find_funding on real-looking policy sentences."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.funding import FundingMatch, find_funding


def _one(sentence: str, **options) -> FundingMatch:
    found = find_funding(sentence, **options)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "amount"),
    [
        ("2015-2021年累计投入4.6亿,用于义务教育学校办学条件改善", 4.6e8),  # bare 亿 in money context
        ("先后投入资金2031万元,维修(加固)校舍11551平方米", 2.031e7),
        ("中央财政下达补助资金1.2亿元", 1.2e8),
        ("县财政安排专项经费3,000万元", 3e7),
        ("市级财政拨付一千二百万元用于校舍改造", 1.2e7),
        ("省级筹措资金３５０万元支持乡村学校", 3.5e6),  # full-width digits
        ("今年中央预算内投资拟安排7350亿元", 7.35e11),
        ("拟安排地方政府专项债券4.4万亿元", 4.4e12),
        ("一般公共预算支出规模29.7万亿元", 2.97e13),
        ("拟发行超长期特别国债1.3万亿元", 1.3e12),
        ("省财政安排资本金5亿元支持融资担保公司", 5e8),  # capital paid in by the state
        ("市财政设立1000万元的贷款风险补偿保证金", 1e7),
    ],
)
def test_funding_reads_amounts(sentence: str, amount: float) -> None:
    assert _one(sentence).amount_yuan == pytest.approx(amount)


@pytest.mark.parametrize(
    ("sentence", "qualifier"),
    [
        ("累计投入9000多万元,新购计算机4400台", "more_than"),
        ("共投入资金1000余万元改善办学条件", "more_than"),
        ("省财政投入逾2亿元", "more_than"),
        ("中央财政教育支出安排超过1万亿元", "more_than"),
        ("安排资金500万元以上用于教师培训", "more_than"),
        ("先后投入近500万元", "approx"),
        ("投资约2亿元建设新校区", "approx"),
        ("投入资金300万元左右", "approx"),
        ("安排经费大约80万元", "approx"),
        ("投入经费1000万元上下", "approx"),
        ("对新认定的国家级孵化器给予最高500万元扶持", "less_than"),
        ("给予一次性奖补,单个企业最高300万元", "less_than"),
        ("补助资金不超过50万元", "less_than"),
        ("每所学校补助不足10万元", "less_than"),
        ("奖补资金控制在20万元以内", "less_than"),
        ("每个项目补助200万元以下", "less_than"),
        ("每年投入不少于1000万元用于教师培训", "more_than"),  # 不少于 ends in 少于 but is "at least"
        ("农村教师生活补助每人每月不低于500元", "more_than"),
        ("单项奖励金额不得超过五千元", "less_than"),  # 不得超过 ends in 超过 but is "at most"
        ("投入2031万元", "exact"),
    ],
)
def test_funding_qualifiers(sentence: str, qualifier: str) -> None:
    assert _one(sentence).qualifier == qualifier


def test_funding_cap_covers_a_list() -> None:
    found = find_funding("分别给予最高50万元、100万元、200万元创新扶持")
    assert [f.qualifier for f in found] == ["less_than"] * 3


@pytest.mark.parametrize(
    ("sentence", "low", "high"),
    [
        ("每年筹措1-2亿元用于学前教育", 1e8, 2e8),
        ("安排1至2亿元支持薄弱学校改造", 1e8, 2e8),
        ("给予1万元至5万元奖励", 1e4, 5e4),
        ("给予1000元至1万元的奖励", 1e3, 1e4),  # the first number has its own 元: no 万 borrowed
    ],
)
def test_funding_ranges_keep_both_bounds(sentence: str, low: float, high: float) -> None:
    f = _one(sentence)
    assert (f.qualifier, f.amount_yuan, f.amount_max) == ("range", low, high)


@pytest.mark.parametrize(
    ("sentence", "currency"),
    [
        ("补助每校每年最高新台币一千一百万元", "TWD"),
        ("最高补助新臺幣三百萬元", "TWD"),
        ("投资约2亿美元建设研发中心", "USD"),
        ("捐赠5000万港元设立奖学金", "HKD"),
        ("安排人民币500万元", "CNY"),
        ("安排资金500万元", "CNY"),
    ],
)
def test_funding_currencies(sentence: str, currency: str) -> None:
    assert _one(sentence).currency == currency


@pytest.mark.parametrize(
    "sentence",
    [
        "生均公用经费小学每生每年720元",
        "农村教师生活补助每人每月不低于500元",
        "对获得省科学技术最高奖的个人,给予每人300万元奖励",
        "居民医保人均财政补助标准增加30元",
        "对新认定的国家级孵化器给予每家最高500万元扶持",  # per recipient: never summed with totals
        "给予一次性奖补,单个企业最高300万元",
        "资助强度约为300万元/项",
    ],
)
def test_funding_flags_per_unit_standards(sentence: str) -> None:
    assert _one(sentence).per_unit


def test_funding_list_of_standards_stays_per_unit() -> None:
    found = find_funding("小学每生每年720元、初中940元")
    assert [f.amount_yuan for f in found] == [720, 940] and all(f.per_unit for f in found)


def test_funding_total_is_not_per_unit() -> None:
    assert not _one("县财政每年安排5000万元专项资金").per_unit


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("2015-2021年累计投入4.6亿,用于办学条件改善", "2015-2021"),
        ("2015年以来,累计投资1.1亿,新建寄宿制小学22所", "2015-"),
        ("“十三五”期间累计投入资金3亿元", "十三五"),
        ("投资2.6亿,完成城镇学校新建改扩建项目31个", ""),
    ],
)
def test_funding_period(sentence: str, period: str) -> None:
    assert _one(sentence).period == period


@pytest.mark.parametrize(
    ("sentence", "purpose"),
    [
        ("累计投入4.6亿,用于义务教育学校办学条件改善", "义务教育学校办学条件改善"),
        ("投资2.6亿,完成城镇义务教育学校新建改扩建项目31个", "完成城镇义务教育学校新建改扩建项目31个"),
    ],
)
def test_funding_purpose(sentence: str, purpose: str) -> None:
    assert _one(sentence).purpose == purpose


def test_funding_offsets_point_at_mention() -> None:
    sentence = "全镇先后投入近500万元。"
    f = _one(sentence)
    assert sentence[f.start:f.end] == f.mention == "近500万元"


@pytest.mark.parametrize(
    "sentence",
    [
        "新增校舍建筑面积13.2万平方米",  # area
        "新购计算机4400台、多媒体教学设备2000套",  # counts
        "新增义务教育学位12000个",
        "鼓励20万人口以上的县办好一所特殊教育学校",  # people
        "保障600名学生的午餐",
        "图书10万多册,电脑660多台",
        "公用经费使用做到有凭有据,不乱花费一分钱",  # idiom
        "财政教育经费占比达到4%以上",  # percentage
        "2015年以来,全县招聘教师1670人",  # year and people
        "加强经费统筹力度,兑现4000余名教师工作补贴",  # recipients, not an amount
        "赤字规模比上年增加5000亿元",  # year-on-year increase
        "全年减轻企业负担5000多亿元",  # tax and fee cuts
        "新增减税降费超过2.5万亿元",
        "处1万元以上5万元以下罚款",  # fines
        "违法经营额不足1万元的，并处1万元以上5万元以下的罚款",  # the condition of a rule
        "处负责人新台币六万元以上六十万元以下罚锾",
        "国内生产总值超过90万亿元",  # economic aggregates
        "数字经济核心产业规模达到4000亿元",
        "对年营业收入1000万元以上的企业给予奖励",  # eligibility threshold
        "家户年所得新台币七十万元以下家庭",
        "构建城乡二元结构",
        "推进投入主体多元化",
        "力争规上工业企业劳动生产率由每人18万元提升至25万元",  # productivity, an economic measure
        "为每名支教教师购买意外伤害保险,保险金额每人80万元",  # a sum insured is not money spent
        "(一)有不低于人民币100万元的注册资本；",  # what an applicant must hold
        "(二)有100万元人民币以上的注册资本；",
        "经营出境旅游业务的旅行社，应当增存质量保证金120万元。",
        "犯罪嫌疑人的保证金起点数额为人民币一千元。",
    ],
)
def test_funding_rejects_what_is_not_money_spent(sentence: str) -> None:
    assert find_funding(sentence) == []


def test_funding_bare_yuan_takes_the_documents_currency() -> None:
    assert _one("补助每校最高三百万元", default_currency="TWD").currency == "TWD"
    assert _one("补助每校最高三百万元").currency == "CNY"
    assert _one("补助每校最高美元三百万元", default_currency="TWD").currency == "USD"


def test_funding_negated_bound_stays_in_the_mention() -> None:
    assert [f.mention for f in find_funding("每年投入不少于1000万元,最高不超过300万元")] == [
        "不少于1000万元", "最高不超过300万元"]


def test_funding_conditions_of_a_rule_are_not_the_money_paid() -> None:
    found = find_funding("水毁损失超过2000元不足4000元的，按照2000元补偿")
    assert [(f.amount_yuan, f.qualifier) for f in found] == [(2000, "exact")] and found[0].start > 15


def test_funding_keeps_level_and_drops_increase() -> None:
    found = find_funding("赤字规模5.66万亿元、比上年增加1.6万亿元")
    assert [f.amount_yuan for f in found] == [5.66e12]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,-至万亿千百元多余约近最高以上下左右新台币美人每生年投入资金一二两三十，。、 ")) ),
       )
def test_funding_never_raises_on_money_like_text(text: str) -> None:
    for f in find_funding(text):
        assert text[f.start:f.end] == f.mention


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_funding_never_raises(text: str) -> None:
    find_funding(text)
