"""The date a page was published, from its own date line, and the year a report is about.

Forms handled: labelled lines (发布时间: 2022-11-25 10:56, 时间:2022-05-26 04:43:31, 成文日期：
2019年01月24日, 最新異動日期：20230621), a bare date line (10.08.2018  18:13, 2022年4月14日), a date
in the title (…条例(2024-09-27)), the latest version date of a law header (…修正; 施行 dates aside),
ROC years (民國113年, +1911) and Chinese numerals (二〇二四年二月二十七日) in the signature at the
end of a document.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date

LOGGER = logging.getLogger(__name__)

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "〇○零一二三四五六七八九十百"
_ROC = r"(?:中华民国|中華民國|民国|民國)\s*"
# One date, any of the forms; named groups tell which form matched.
_DATE = (
    rf"(?:{_ROC}(?P<roc>\d{{1,3}}|[{_CN}]{{1,6}})\s*年\s*(?P<rm>\d{{1,2}}|[{_CN}]{{1,3}})\s*月\s*"
    rf"(?P<rd>\d{{1,2}}|[{_CN}]{{1,3}})\s*日"
    r"|(?P<y>(?:19|20)\d{2})\s*(?:年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"|[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})(?!\d))"
    r"|(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?P<y3>(?:19|20)\d{2})"
    r"|(?P<y8>(?:19|20)\d{2})(?P<m8>[01]\d)(?P<d8>[0-3]\d)(?!\d)"
    rf"|(?P<cy>[〇○零一二三四五六七八九]{{4}})\s*年\s*(?P<cm>[{_CN}]{{1,3}})\s*月\s*(?P<cd>[{_CN}]{{1,3}})\s*日)"
)
_DATE_RE = re.compile(_DATE)
_LABEL = re.compile(r"(?:发布|發布|信息发布|公布|成文|发文|印发|更新|最新异动|最新異動|生效)?(?:时间|時間|日期)"
                    r"\s*[:：]?\s*(?:</?\w[^>]*>\s*)*" + "(?P<date>" + _DATE.replace("(?P<", "(?P<L") + ")")
_BARE_LINE = re.compile(r"^\W{0,3}(?P<date>" + _DATE.replace("(?P<", "(?P<B")
                        + r")(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?[\s】\]]*$", re.M)
_LAW_LINE = re.compile(r"^\s*(?P<date>" + _DATE.replace("(?P<", "(?P<W") + r")[^\n]{0,300}$", re.M)
_TITLE_DATE = re.compile(r"[(（](?P<date>" + _DATE.replace("(?P<", "(?P<T") + r")[)）]")
_SUMMARY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?[^。\n]{0,20}(?:工作总结|工作报告|总结|年报)")


def _cn_number(text: str) -> int:
    """一百零六 -> 106, 二十七 -> 27, 十 -> 10; plain digits pass through."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGIT.get(ch, 0)
    return total + current


def _valid(y: int, m: int, d: int) -> str:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return ""


def _to_iso(m: re.Match[str]) -> str:
    """ISO date from a match of ``_DATE`` (group names may carry one prefix letter)."""
    g = {k.lstrip("LBWT"): v for k, v in m.groupdict().items() if v is not None and k != "date"}
    if "roc" in g:
        return _valid(_cn_number(g["roc"]) + 1911, _cn_number(g["rm"]), _cn_number(g["rd"]))
    if "y" in g:
        return _valid(int(g["y"]), int(g.get("m") or g["m2"]), int(g.get("d") or g["d2"]))
    if "y3" in g:
        # dd.mm.yyyy and mm.dd.yyyy are both in use: take the valid one, dd.mm when both are.
        a, b, y = int(g["a"]), int(g["b"]), int(g["y3"])
        return _valid(y, b, a) or _valid(y, a, b)
    if "y8" in g:
        return _valid(int(g["y8"]), int(g["m8"]), int(g["d8"]))
    if "cy" in g:
        year = int("".join(str(_CN_DIGIT[c]) for c in g["cy"]))
        return _valid(year, _cn_number(g["cm"]), _cn_number(g["cd"]))
    return ""


def _law_header_date(head: str) -> str:
    """The latest date on law header lines (…会议通过, …修正, …公告公布), 施行 dates aside:
    the date of the version the text is."""
    found = []
    for m in _LAW_LINE.finditer(head):
        line = m.group(0)
        if not re.search(r"通过|修正|修订|批准|公布|发布|發布|訂定|制定", line):
            continue
        for d in _DATE_RE.finditer(line):
            if not re.match(r"\s*(?:起)?施行", line[d.end():]) and (iso := _to_iso(d)):
                found.append(iso)
    return max(found, default="")


def find_published(head: str, title: str = "", *, tail: str = "") -> str:
    """ISO date (YYYY-MM-DD) of the page's own date line, or "".

    Parameters
    ----------
    head : the lines before the body (date line, source line, law header).
    title : the document's title; a date in brackets there (…(2024-09-27)) counts.
    tail : the last lines of the document; its signature date is used when nothing else is.
    """
    head = unicodedata.normalize("NFKC", head or "")
    title = unicodedata.normalize("NFKC", title or "")
    for m in _LABEL.finditer(head):
        if iso := _to_iso(m):
            return iso
    for m in _BARE_LINE.finditer(head):
        if iso := _to_iso(m):
            return iso
    for m in _TITLE_DATE.finditer(title):
        if iso := _to_iso(m):
            return iso
    if iso := _law_header_date(head):
        return iso
    tail = unicodedata.normalize("NFKC", tail or "")
    for m in reversed(list(_BARE_LINE.finditer(tail))):
        if iso := _to_iso(m):
            return iso
    return ""


def document_year(published: str, text: str) -> int | None:
    """The year a document speaks of as 今年: a summary's own year (2023年工作总结), else the
    published year, else the first year in the opening lines; None when there is none."""
    opening = (text or "")[:300]
    if m := _SUMMARY_YEAR.search(opening):
        return int(m.group(1))
    if re.match(r"(?:19|20)\d{2}-", published or ""):
        return int(published[:4])
    if m := re.search(r"((?:19|20)\d{2})\s*年", opening):
        return int(m.group(1))
    return None
