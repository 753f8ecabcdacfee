"""Tests of extractors.targets: targets the policy sets versus indicators it reports."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.targets import TargetMatch, find_plan_period, find_targets


def _targets(sentence: str, **kw) -> list[TargetMatch]:
    return find_targets(sentence, **kw)[0]


def _one(sentence: str, **kw) -> TargetMatch:
    found = _targets(sentence, **kw)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        ("一是确保学生入学率达100%", 100, "%"),
        ("各校要及时进行摸底,确保残儿入学率达到100%", 100, "%"),
        ("确保学生在校一小时的体育锻炼时间", 1, "小时"),  # Chinese numeral
        ("省级示范高中招生计划的55%均衡定向分配到市域初中", 55, "%"),
        ("不足100名学生的学校按100人拨付生均公用经费", 100, "名"),
        ("鼓励20万人口以上的县(市、区)办好一所达到标准的特殊教育学校", 200000, "人"),
        ("落实寄宿制学校或600名学生以上非寄宿制学校配备校医制度", 600, "名"),
        ("县级党委和政府每年要至少听取1次义务教育工作汇报", 1, "次"),
        ("保障每名中小学生每学期至少观看2次优秀影片", 2, "次"),
        ("按照3至5年一周期制定新优质学校成长发展规划", 3, "年"),
        ("专科及以上学历幼儿教师占比不低于85%", 85, "%"),
        ("城镇新增就业1200万人以上", 12000000, "人"),
        ("强化日常监管,每5所幼儿园配备1名责任督学", 5, "所"),
        ("凡年满六周岁的儿童,应当入学接受义务教育", 6, "周岁"),
    ],
)
def test_targets_values_and_units(sentence: str, value: float, unit: str) -> None:
    t = _one(sentence)
    assert (t.value, t.unit) == (value, unit)


@pytest.mark.parametrize(
    ("sentence", "comparator"),
    [
        ("专任教师本科学历比例不低于90%", ">="),
        ("每学期至少观看2次优秀影片", ">="),
        ("城镇登记失业率4.5%以内", "<="),
        ("单个项目贴息期不超过3年", "<="),
        ("力争使55%左右的县通过国家认定", "~"),
        ("确保学生入学率达100%", "="),
    ],
)
def test_targets_comparators(sentence: str, comparator: str) -> None:
    assert _one(sentence).comparator == comparator


@pytest.mark.parametrize(
    ("sentence", "kw", "year"),
    [
        ("到2035年,全省实现义务教育优质均衡发展", {}, 2035),
        ("2023年底前完成中小学校党组织领导的校长负责制改革工作", {}, 2023),
        ("今年城镇新增就业1200万人以上", {"doc_year": 2025}, 2025),
        ("明年学前教育毛入园率达到90%以上", {"doc_year": 2024}, 2025),
        ("“十四五”期间,力争新增公办学位5万个", {}, 2025),
        ("专科以上学历幼儿教师占比达到85%以上", {"plan_period": (2021, 2025)}, 2025),
    ],
)
def test_targets_deadlines(sentence: str, kw: dict, year: int) -> None:
    assert _one(sentence, **kw).deadline_year == year


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("力争用3年时间解决我县基础教育发展不均衡不充分问题", 3),
        ("力争三年内突破教育建设各项短板", 3),
        ("从2023年开始,用3年时间,聚焦体制机制问题", 3),
    ],
)
def test_targets_relative_durations_have_no_deadline(sentence: str, value: float) -> None:
    t = _one(sentence, plan_period=(2023, 2025))
    assert (t.value, t.unit, t.deadline_year) == (value, "年", None)


def test_targets_deadline_spans_the_clause_it_governs() -> None:
    t = _one("到2027年,优质均衡的基本公共教育服务体系初步建立,全省30%左右的县(市、区)实现优质均衡发展目标。")
    assert (t.deadline_year, t.value, t.comparator, t.scope) == (2027, 30, "~", "全省")
    assert t.text.startswith("到2027年") and "30%左右的县" in t.text


def test_targets_keep_first_of_several_numbers() -> None:
    t = _one("今后五年,单位国内生产总值用水量、能耗、二氧化碳排放量分别下降23%、15%、18%",
             doc_year=2016, plan_period=(2016, 2020))
    assert (t.value, t.deadline_year) == (23, 2020)


@pytest.mark.parametrize(
    ("sentence", "comparator"),
    [("凡年满六周岁的儿童", ">="), ("连续工作满10年的教师", ">="), ("不满十六周岁的未成年人", "<="),
     ("被吊销证书未满3年的", "<="), ("每满5年的予以固定", "=")],
)
def test_targets_full_years_are_bounds(sentence: str, comparator: str) -> None:
    assert _one(sentence).comparator == comparator


def test_targets_numbers_in_a_laws_article_are_norms_not_reports() -> None:
    targets, indicators = find_targets("兼职督学的任期为3年", normative=True)
    assert [(t.value, t.unit) for t in targets] == [(3, "年")] and indicators == []
    targets, indicators = find_targets("兼职督学的任期为3年")  # outside a law: as before
    assert targets == [] and [(i.value, i.unit) for i in indicators] == [(3, "年")]
    # Sanctions are not norms a policy sets, like fines.
    assert find_targets("责令停业整顿1个月至3个月", normative=True) == ([], [])
    # A sign of reporting still makes a report, even in an article.
    targets, indicators = find_targets("截至2020年底已建成学校50所", normative=True)
    assert targets == [] and [i.value for i in indicators] == [50]


def test_targets_lead_year_dates_goals_without_their_own_year() -> None:
    assert _one("全省学前三年毛入园率达到92%以上", lead_year=2025).deadline_year == 2025
    assert _one("到2027年,全省学前三年毛入园率达到92%以上", lead_year=2025).deadline_year == 2027
    assert _one("全省学前三年毛入园率达到92%以上", lead_year=2025, plan_period=(2021, 2030)).deadline_year == 2025


@pytest.mark.parametrize(
    ("sentence", "metric"),
    [("确保全省学前三年毛入园率达到92%", "全省学前三年毛入园率"),
     ("民政部门应当自受理申请之日起二十日内作出决定", "民政部门自受理申请之日起"),  # 应当 goes whole
     ("取得相应准驾车型驾驶证并具有3年以上驾驶经历", "相应准驾车型驾驶证并具有"),  # 相应 stays a word
     ("全县教师使用率要达到95%", "全县教师使用率")],
)
def test_targets_metric_drops_modals_but_not_words_holding_them(sentence: str, metric: str) -> None:
    assert _one(sentence).metric == metric


def test_targets_plan_that_ended_before_the_document_dates_nothing() -> None:
    # A 2021 project guide citing the 2006-2020 outline: its goals are not due in 2020.
    assert _one("攻克关键技术3项以上", doc_year=2019, plan_period=(2006, 2020)).deadline_year == 2020
    assert _one("攻克关键技术3项以上", doc_year=2021, plan_period=(2006, 2020)).deadline_year is None


def test_targets_range_keeps_both_bounds() -> None:
    t = _one("今年发展的主要预期目标是:国内生产总值增长6.5%-7%", doc_year=2016)
    assert (t.value, t.value_max, t.deadline_year) == (6.5, 7, 2016)


def test_targets_procedural_deadline() -> None:
    t = _one("行政机关应当自收到申请之日起20日内作出决定")
    assert (t.value, t.unit, t.comparator) == (20, "日", "<=")


def test_targets_text_is_a_clause_with_offsets() -> None:
    sentence = "保障经费向农村薄弱学校倾斜,不足100名学生的学校按100人拨付生均公用经费,落实专项费用。"
    t = _one(sentence)
    assert sentence[t.start:t.end] == t.text == "不足100名学生的学校按100人拨付生均公用经费"


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        ("新增义务教育学位12000个", 12000, "个"),
        ("新购计算机4400台、多媒体教学设备2000套", 4400, "台"),
        ("全县累计补充义务教育阶段教师1670人", 1670, "人"),
        ("义务教育阶段“三残”儿童入学率94.7%", 94.7, "%"),
        ("中小学校宽带网路接入率100%", 100, "%"),
        ("累计培训235人次,参训率达100%", 235, "人次"),
    ],
)
def test_targets_reports_are_indicators(sentence: str, value: float, unit: str) -> None:
    targets, indicators = find_targets(sentence, doc_year=2022)
    assert targets == []
    assert (indicators[0].value, indicators[0].unit) == (value, unit)


def test_targets_indicator_period() -> None:
    _, indicators = find_targets("2019-2020年先后培训教师235人次")
    assert indicators[0].period == "2019-2020"


@pytest.mark.parametrize(
    "sentence",
    [
        "本办法自2021年1月1日起施行",  # date of effect
        "本规定有效期至2025年底",  # expiry
        "深入贯彻《通知》(豫教基〔2021〕178号)文件精神",  # document number
        "第十一条 学校应当建立安全制度",  # article number
        "研究出台《陆河县推动基础教育高质量发展行动方案(2023-2025)》",  # title
        "明确今后3年的发展目标,部署26条措施",  # plan horizon, no number set
        "2015年以来,通过公开招聘补充教师",  # background year
        "坚持做到三个确保",
        "通过“十项行动”推进义务教育优质均衡发展",
        "到2020年底,全省已建成标准化学校300所",  # looking back in a later report
        "发布时间:2022-11-25 10:56",
        "全面推进素质教育,通过体育、艺术“2+1”项目",
        "接受九年义务教育",
        "累计投入4.6亿,用于办学条件改善",  # money is funding, not a target
    ],
)
def test_targets_ignores_non_targets(sentence: str) -> None:
    assert _targets(sentence, doc_year=2022) == []


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("陆河县推动基础教育高质量发展行动方案(2023-2025)", (2023, 2025)),
        ("陆河县教育基础攻坚战实施方案（2023—2025年）", (2023, 2025)),
        ("山东省“十四五”教育事业发展规划", (2021, 2025)),
        ("2021-2023年工业互联网发展行动计划", (2021, 2023)),
        ("2015-2021年累计投入4.6亿", None),  # a report period is no plan
        ("关于开展义务教育优质均衡创建工作的通知", None),
    ],
)
def test_targets_plan_period(text: str, period: tuple[int, int] | None) -> None:
    assert find_plan_period(text) == period


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.%-至到年底前内每次人名万亿元以上下左右确保力争达到已累计第条号《》()，,。、十四五三一两“”")),
               max_size=60),
       st.one_of(st.none(), st.integers(1990, 2030)))
def test_targets_never_raise_on_number_like_text(text: str, year: int | None) -> None:
    targets, indicators = find_targets(text, doc_year=year, plan_period=(2021, 2025))
    for t in targets:
        assert text[t.start:t.end] == t.text
    for i in indicators:
        assert text[i.start:i.end] == i.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_targets_never_raise(text: str) -> None:
    find_targets(text)
    find_plan_period(text)


@pytest.mark.parametrize(
    "sentence",
    [
        "受到撤职处分的,三年内不得担任学校负责人",
        "被吊销许可证的举办者两年内不得再申请举办幼儿园",
        "对违规单位一至二年内停止安排同类项目资金",
    ],
)
def test_targets_durations_within_n_years_have_no_deadline(sentence: str) -> None:
    assert _one(sentence, doc_year=2021).deadline_year is None


@pytest.mark.parametrize(
    ("sentence", "comparator"),
    [
        ("校长在同一学校连续任职不得超过2个任期", "<="),
        ("责任督学每月到校督导不得少于1次", ">="),
        ("学生每天在校睡眠时间不应少于9小时", ">="),
        ("公办园在园幼儿占比不低于全县在园幼儿总数的百分之五十", ">="),
        ("用于农村学校的比例应当高于该项资金总额的百分之七十", ">="),
        ("力争培育8家左右在省内有影响力的教育装备企业", "~"),
        ("力争新建4-6所位于市内中心城区的公办幼儿园", "="),
        ("材料须为最近六个月内出具的体检证明", "<="),
    ],
)
def test_targets_negated_and_distant_comparators(sentence: str, comparator: str) -> None:
    assert _one(sentence).comparator == comparator


@pytest.mark.parametrize(
    ("sentence", "value", "value_max", "unit"),
    [
        ("企业按照职工工资总额的百分之一点五提取职工教育经费", 1.5, None, "%"),
        ("按照营业收入的百分之零点五至百分之一点五提取研发经费", 0.5, 1.5, "%"),
        ("教师平均工资应当达到当地公务员平均工资的一点二倍以上", 1.2, None, "倍"),
    ],
)
def test_targets_chinese_decimals(sentence: str, value: float, value_max: float | None, unit: str) -> None:
    t = _one(sentence)
    assert (t.value, t.value_max, t.unit) == (value, value_max, unit)


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        ("力争全县学前三年毛入园率从86%提高到95%", 95, "%"),
        ("将小学班额由不超过50人调整为不超过45人", 45, "人"),
        ("申请条件由连续工作5年以上放宽至连续工作3年以上", 3, "年"),
    ],
)
def test_targets_from_to_sets_the_new_level(sentence: str, value: float, unit: str) -> None:
    targets, indicators = find_targets(sentence)
    assert [(t.value, t.unit) for t in targets] == [(value, unit)]
    assert indicators == []


@pytest.mark.parametrize(
    "sentence",
    [
        "乡村教师生活补助不低于上一年度县城教师平均绩效工资",  # 一年度 is no duration
        "2019年修正公布第 3、5、12 条条文",  # article numbers written with spaces
        "总统令修正公布全文 21 条",
        "依本法第 8 条第 1 项规定办理",
    ],
)
def test_targets_ignores_years_and_article_lists(sentence: str) -> None:
    assert find_targets(sentence, doc_year=2022) == ([], [])


def test_targets_number_and_unit_apart() -> None:
    t = _one("遴选建设 12 个左右省级示范专业点")
    assert (t.value, t.unit, t.comparator) == (12, "个", "~")


@pytest.mark.parametrize(
    ("sentence", "doc_year", "year"),
    [
        ("2027年,全市普惠性幼儿园覆盖率达到92%以上", 2024, 2027),
        ("分两步实施,1999年达到3000人的招生规模", 1997, 1999),
        ("2026年基本建成覆盖城乡的学前教育公共服务体系", 2024, 2026),
    ],
)
def test_targets_later_year_opening_a_goal_is_a_deadline(sentence: str, doc_year: int, year: int) -> None:
    assert _one(sentence, doc_year=doc_year).deadline_year == year


def test_targets_cumulative_goal_for_a_later_year_is_a_target() -> None:
    sentence = "到2026年,累计建成智慧校园示范校200所"
    targets, indicators = find_targets(sentence, doc_year=2024)
    assert [(t.value, t.deadline_year) for t in targets] == [(200, 2026)] and indicators == []
    targets, indicators = find_targets(sentence, doc_year=2027)  # the same line in a later report
    assert targets == [] and [i.value for i in indicators] == [200]


def test_targets_plan_verbs_make_goals_in_a_plan() -> None:
    t = _one("培育30家数字化转型示范企业", doc_year=2024, plan_period=(2024, 2026))
    assert (t.value, t.deadline_year) == (30, 2026)


def test_targets_one_indicator_per_clause() -> None:
    _, indicators = find_targets("截至去年底,全县共有小学45所、初中12所和高中3所", doc_year=2023)
    assert [(i.value, i.unit) for i in indicators] == [(45, "所")]


def test_targets_clause_is_never_both_target_and_indicator() -> None:
    targets, indicators = find_targets("对首年免征的1200种、3年内逐步减征的800种商品", doc_year=2022)
    assert not {(t.start, t.end) for t in targets} & {(i.start, i.end) for i in indicators}
