"""Tests for extractors.regions: gazetteer, parents, aliases, ambiguity, partners, national docs."""
from __future__ import annotations

import json
import re
import time

import pytest

from extractors.regions import Region, load_gazetteer, resolve_region

_PINYIN = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")


def test_regions_gazetteer_loads_fast() -> None:
    load_gazetteer.cache_clear()
    start = time.perf_counter()
    gz = load_gazetteer()
    assert time.perf_counter() - start < 2.0
    assert len(gz.units) > 3000
    assert load_gazetteer() is gz


@pytest.mark.parametrize(("title", "want"), [
    ("尉氏县召开义务教育优质均衡发展推进会", ("河南省", "开封市", "尉氏县", "county")),
    ("江油市教育局关于做好2023年秋季学期开学工作的通知", ("四川省", "绵阳市", "江油市", "county")),
    ("绵阳江油市多措并举推进义务教育优质均衡发展", ("四川省", "绵阳市", "江油市", "county")),
    ("陆河县人民政府关于印发基础教育高质量发展方案的通知", ("广东省", "汕尾市", "陆河县", "county")),
    ("开封市教育局关于公布市级示范幼儿园名单的通知", ("河南省", "开封市", "", "city")),
    ("阿坝州人民政府办公室关于印发政务数据资源管理暂行办法的通知", ("四川省", "阿坝藏族羌族自治州", "", "city")),
    ("北京市海淀区教育委员会关于做好入学工作的通知", ("北京市", "北京市", "海淀区", "county")),
    ("上海市职业教育条例", ("上海市", "", "", "province")),
])
def test_regions_parents_filled_from_title(title: str, want: tuple[str, str, str, str]) -> None:
    r = resolve_region(title, "", "")
    assert (r.province, r.city, r.county, r.admin_level) == want


@pytest.mark.parametrize(("title", "want"), [
    ("河南：“十项行动”推进义务教育优质均衡发展", "河南省"),
    ("内蒙古出台支持牧区学校建设的十条措施", "内蒙古自治区"),
    ("广西：今年新增公办幼儿园学位3万个", "广西壮族自治区"),
    ("山东省教育厅关于开展2024年重点领域教学改革项目建设的通知", "山东省"),
])
def test_regions_province_short_names(title: str, want: str) -> None:
    assert resolve_region(title, "", "") == Region(want, "", "", "province")


@pytest.mark.parametrize(("title", "want"), [
    ("郫县教育局关于学前教育三年行动计划的通知", ("四川省", "成都市", "郫都区")),
    ("即墨市人民政府关于加快职业教育发展的意见", ("山东省", "青岛市", "即墨区")),
    ("临安市教育局2016年工作总结", ("浙江省", "杭州市", "临安区")),
    ("神木县义务教育均衡发展工作汇报", ("陕西省", "榆林市", "神木市")),
])
def test_regions_renamed_county_maps_to_current_unit(title: str, want: tuple[str, str, str]) -> None:
    r = resolve_region(title, "", "")
    assert (r.province, r.city, r.county) == want


@pytest.mark.parametrize(("title", "want"), [
    ("和平区教育局关于开展校园安全检查的通知", ("", "", "")),
    ("朝阳区中小学课后服务工作方案", ("", "", "")),
    ("天津市和平区教育局关于开展校园安全检查的通知", ("天津市", "天津市", "和平区")),
    ("沈阳市和平区教育局关于开展校园安全检查的通知", ("辽宁省", "沈阳市", "和平区")),
])
def test_regions_ambiguous_county_needs_a_parent(title: str, want: tuple[str, str, str]) -> None:
    r = resolve_region(title, "", "")
    assert (r.province, r.city, r.county) == want


@pytest.mark.parametrize(("title", "head"), [
    ("国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知", ""),
    ("教育部关于印发《高等学校人工智能创新行动计划》的通知", ""),
    ("国务院办公厅关于湖北省巴东县地质灾害险情有关问题的复函", ""),
    ("中华人民共和国义务教育法", ""),
    ("2025年中华人民共和国国务院政府工作报告", ""),
    ("太湖流域管理条例", "2011年8月24日 国务院第169次常务会议通过"),
    ("征收教育费附加的暂行规定", "1986年4月28日 国务院发布"),
])
def test_regions_national_documents(title: str, head: str) -> None:
    assert resolve_region(title, head, "") == Region(admin_level="national")


def test_regions_county_in_title_beats_source_line() -> None:
    r = resolve_region("尉氏县：扎实巩固 重点提高", "发布时间: 2022-11-25 10:56 来源: 河南省教育厅", "")
    assert (r.province, r.city, r.county) == ("河南省", "开封市", "尉氏县")


def test_regions_issuer_in_head_when_title_has_none() -> None:
    head = "包头市人民政府办公室关于印发《数字政府建设考评办法》的通知\n包府办发〔2022〕43号"
    r = resolve_region("【法宝引证码】 CLI.12.5115678", head, "")
    assert (r.province, r.city) == ("内蒙古自治区", "包头市")


@pytest.mark.parametrize(("body", "want"), [
    ("当前，我县基础教育发展不平衡问题依然突出，与珠三角地区仍存在明显差距。陆河县委、县政府严格对标省、市部署。"
     "深圳市对口帮扶我县建设了三所学校。", ("广东省", "汕尾市", "陆河县")),
    ("为加快数字化发展，结合我市实际，制定本方案。到2025年，济南市数字经济规模突破万亿。"
     "以济南市数字经济评价指标体系为主要依据，开展全市评价。", ("山东省", "济南市", "")),
    ("到2035年，全省实现义务教育优质均衡发展。我省印发了实施方案，河南省教育厅将开展监测。", ("河南省", "", "")),
])
def test_regions_first_person_body(body: str, want: tuple[str, str, str]) -> None:
    r = resolve_region("关于推进教育高质量发展的实施方案", "", body)
    assert (r.province, r.city, r.county) == want


@pytest.mark.parametrize("body", [
    "镇有义务教育学校14所，其中村小6个。全镇教师积极参加县里组织的培训，我镇教学质量稳步提升。",
    "全省各地积极推进。上海市、北京市、浙江省、广东省、江苏省分别出台了数字化转型政策，浙江省成效明显。",
    "我县认真学习借鉴《尉氏县义务教育阶段控辍保学办法》的经验。",
    "本省、自治区、直辖市人民政府应当将台湾省居民纳入服务范围；海南省、海南省、海南省另有规定的除外。",
])
def test_regions_leaves_empty_rather_than_guess(body: str) -> None:
    assert resolve_region("义务教育均衡创建工作情况及成效总结", "", body) == Region()


@pytest.mark.parametrize(("title", "want"), [
    ("汕尾市教育工作会议：深圳对口帮扶成效明显", "汕尾市"),
    ("全国人民代表大会和县级以上地方各级人民代表大会选举法", ""),
    ("公安机关办理行政案件程序规定", ""),
])
def test_regions_partners_and_common_words_ignored(title: str, want: str) -> None:
    assert resolve_region(title, "", "").city == want


def test_regions_traditional_and_pinyin_text() -> None:
    body = "當(dāng)前，我縣基礎教育發(fā)展不平衡。陸河縣委、縣政府嚴格對標對表省、市委部署要求。"
    r = resolve_region("- 市政府網(wǎng)", "- 政務(wù)微信", body)
    assert (r.province, r.city, r.county) == ("广东省", "汕尾市", "陆河县")


def test_regions_taiwan_law_is_province_level() -> None:
    head = "法規性質：法律\n法規類別：行政＞教育部＞國民及學前教育目\n最新異動日期：20230621"
    assert resolve_region("國民教育法", head, "") == Region("台湾省", "", "", "province")


def _split(text: str) -> tuple[str, str, str]:
    lines = [ln.strip() for ln in _PINYIN.sub("", text).splitlines() if ln.strip()]
    head: list[str] = []
    for ln in lines[1:7]:
        if len(ln) > 60:
            break
        head.append(ln)
    return lines[0], "\n".join(head), "\n".join(lines[1 + len(head):])


@pytest.mark.shared
def test_regions_seed_documents(shared_dir) -> None:
    gold = [json.loads(ln) for ln in (shared_dir / "gold/dev/documents.jsonl").read_text("utf-8").splitlines()
            if ln.strip()]
    for row in gold:
        text = (shared_dir / "seeds" / row["doc"]).read_text(encoding="utf-8")
        r = resolve_region(*_split(text))
        assert (r.province, r.city, r.county) == (row["province"], row["city"], row["county"]), row["doc"]


@pytest.mark.parametrize(("title", "want"), [
    ("江油：多措并举推进义务教育优质均衡发展", "江油市"),
    ("绵阳江油教育系统召开安全工作会", "江油市"),
    ("山东省人力资源市场条例", ""),
    ("横琴粤澳深度合作区发展促进条例", ""),
])
def test_regions_county_short_name_needs_boundary_and_context(title: str, want: str) -> None:
    assert resolve_region(title, "", "").county == want


def test_regions_two_character_county_in_running_text_needs_its_city_or_province():
    # 和县 (安徽省马鞍山市) is also "和 + 县": a town report that names no city must stay empty.
    body = "2023年，我镇在县委、县政府和县教育局的领导下，扎实做好控辍保学工作。我镇新增学位270个。"
    assert resolve_region("青石镇2023年义务教育工作情况汇报", "时间:2023-11-02", body) == Region()
