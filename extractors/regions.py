"""Which jurisdiction a document belongs to: province, city, county from a shipped gazetteer.

Evidence in order of trust: the document's own title, then its head (issuer, source line), then
the body's first-person references (我县, 全市, 本省) tied to the unit the body names most. Regions
named only in boilerplate, in quoted titles of other documents or as partners (深圳对口帮扶) are
ignored, and an ambiguous name is left out rather than guessed. The gazetteer
(``data/gazetteer.tsv``, built by ``benchmarks/build_gazetteer.py``) is read once.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LOGGER = logging.getLogger(__name__)

_GENERIC = {"城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "中区", "新区"}
_PINYIN = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
_NATIONAL_ORGAN = (r"(?:中共中央|国务院|全国人民代表大会|全国人大|最高人民法院|最高人民检察院|中央[^\s，,]{0,6}"
                   r"(?:委员会|办公厅|部)|国家[^\s，,省市县]{1,10}(?:委员会|委|局|署|总局|部|院|办公室)|"
                   r"(?:教育|财政|科技|科学技术|工业和信息化|公安|民政|司法|人力资源(?:和)?社会保障|自然资源|"
                   r"生态环境|住房(?:和)?城乡建设|交通运输|水利|农业农村|商务|文化和旅游|卫生健康|"
                   r"退役军人事务|应急管理|外交|国防|审计)部|中国人民银行)")
_NATIONAL_TITLE = re.compile(r"^\W*(?:\d{4}年)?(?:中华人民共和国|" + _NATIONAL_ORGAN + ")")
_NATIONAL_HEAD = re.compile(r"全国人民代表大会|国务院令|国务院(?:第\d+次常务会议|发布|批准)|"
                            r"发文机关[:：]?\s*" + _NATIONAL_ORGAN + r"|^\s*" + _NATIONAL_ORGAN
                            + r"[^\s，,。]{0,8}\s*$", re.M)
_TAIWAN = re.compile(r"中华民国[〇零一二三四五六七八九十百]+年|民国\s*\d{2,3}\s*年|law\.moj\.gov\.tw|"
                     r"法规类别[:：]|行政院|立法院")
_BOILERPLATE = re.compile(r"链接|网站|门户|版权|主办|承办|ICP|备案|技术支持|扫描|分享|上一篇|下一篇|"
                          r"相关(?:新闻|阅读|文章|链接)|Copyright|地址[:：]|电话|邮编|网站地图|打印|关闭")
_QUOTED = re.compile(r"《[^《》\n]{0,80}》|“[^“”\n]{0,40}”")
_PARTNER_AFTER = re.compile(r".{0,2}(?:对口|帮扶|援建|支援|协作|结对|挂职|交流|考察)")
_EVENT = re.compile(r".{0,2}(?:举办|召开|举行)")  # 在上海举办: where a meeting was, not whose
_PARTNER_BEFORE = re.compile(r"(?:与|同|和|赴|到|向|援|对口|帮扶|支援|协作)$")
_ADDRESSEE = re.compile(r"^(?:各[^\n]{0,200}|[^\n]{0,40})[:：]\s*$", re.M)
_AFTER_TWO_CHAR = re.compile(r"[级域内外城长]")
# 本省、自治区、直辖市 in national laws is a formula, not a first person.
_FIRST_PERSON = re.compile(r"(?:我|全|本)([省市县区州旗盟])(?![、（(]\s*(?:自治|直辖|区|县|市))")
_ORGAN_AFTER = re.compile(r"(?:委|政府|人民政府|人大|党委|教育局|教育厅|教体局)")
_COUNTY_SHORT_CONTEXT = re.compile(r"(?:[:：,，\s]|县委|县政府|县人民政府|市委|市政府|教育|全县|全市|召开|举行|"
                                   r"推进|实施|多措|$)")


@dataclass(frozen=True, slots=True)
class Region:
    province: str = ""
    city: str = ""
    county: str = ""
    admin_level: str = ""


@dataclass(frozen=True, slots=True)
class Unit:
    """One division; ``key`` is the adcode, plus ``F`` for a former unit with no successor."""

    key: str
    level: str
    name: str
    parent: str


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Units by key; surfaces (full/former names, short names) to unit keys; one trie regex."""

    units: dict[str, Unit]
    full: dict[str, tuple[str, ...]]
    short: dict[str, tuple[str, ...]]
    pattern: re.Pattern[str]

    def chain(self, key: str) -> list[Unit]:
        """The unit and its ancestors, province first."""
        out: list[Unit] = []
        while key:
            out.append(self.units[key])
            key = self.units[key].parent
        return out[::-1]

    def related(self, a: str, b: str) -> bool:
        """True when one unit is the other or one of its ancestors."""
        return any(u.key == b for u in self.chain(a)) or any(u.key == a for u in self.chain(b))


def _trie_regex(words: list[str]) -> str:
    """An alternation shaped as a trie: fast on thousands of words, and the longest match wins."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Read ``data/gazetteer.tsv`` once (cached): about 3,300 units, well under a second."""
    text = resources.files("extractors").joinpath("data/gazetteer.tsv").read_text(encoding="utf-8")
    units: dict[str, Unit] = {}
    full: dict[str, list[str]] = {}
    short: dict[str, list[str]] = {}
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    for code, level, name, parent, aliases, former, status in rows[1:]:
        key = code + ("F" if status == "former" else "")
        units[key] = Unit(key, level, name, parent)
        # A municipality's own city row (北京市 under 北京市) only parents its districts.
        if (level == "city" and parent in units and units[parent].name == name) or name in _GENERIC:
            continue
        for surface in [name, *filter(None, former.split("|"))]:
            full.setdefault(surface, []).append(key)
        for alias in filter(None, aliases.split("|")):
            short.setdefault(alias, []).append(key)
    for name in [n for n in short if n in full]:
        del short[name]  # 吉林, 和田: a full name somewhere, never a short one
    surfaces = sorted(set(full) | set(short), key=len, reverse=True)
    LOGGER.debug("gazetteer: %d units, %d surfaces", len(units), len(surfaces))
    return Gazetteer(units, {k: tuple(v) for k, v in full.items()},
                     {k: tuple(v) for k, v in short.items()}, re.compile(_trie_regex(surfaces)))


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # a dependency of the project; imported lazily, only for traditional text

    return opencc.OpenCC("t2s").convert


def _prepare(text: str) -> str:
    # t2s leaves simplified text as it is and costs well under a millisecond per page.
    return _t2s()(_PINYIN.sub("", text or ""))


def _drop_boilerplate(text: str) -> str:
    """Drop short web lines (links, site names, share buttons); long lines are content."""
    return "\n".join(ln for ln in text.splitlines() if len(ln) > 80 or not _BOILERPLATE.search(ln))


def _county_short_ok(gz: Gazetteer, text: str, start: int, end: int, key: str) -> bool:
    """A county short name (江油) in a title: at a word boundary or after its city (绵阳江油),
    and followed by typical context (：, 教育, 召开...), since many are ordinary words (资源, 合作)."""
    city = gz.units[gz.units[key].parent].name if gz.units[key].parent else ""
    before = text[:start]
    boundary = (not before or not "\u4e00" <= before[-1] <= "\u9fff"
                or (city and (before.endswith(city) or before.endswith(city[:-1]))))
    return bool(boundary and _COUNTY_SHORT_CONTEXT.match(text, end))


NEEDS_SUPPORT = ""  # marks a mention that counts only next to a related unit

# The trie regex is slow to *search* with: re tries its ~900 first-character branches one by one
# at every position. Scanning for the first characters in C and checking the two-character
# prefix in a set first leaves the regex only the few positions where a name can start.
_SCANNERS: dict[int, tuple[Gazetteer, re.Pattern[str] | None, frozenset[str]]] = {}


def _scanner(gz: Gazetteer) -> tuple[Gazetteer, re.Pattern[str] | None, frozenset[str]]:
    """(gz, first-then-second character regex, two-character prefixes); no regex when some name
    is a single character. Cached per gazetteer (kept in the entry, so its id is not reused)."""
    cached = _SCANNERS.get(id(gz))
    if cached and cached[0] is gz:
        return cached
    surfaces = set(gz.full) | set(gz.short)
    starts = None
    if all(len(s) >= 2 for s in surfaces):
        first = "".join(sorted({s[0] for s in surfaces}))
        second = "".join(sorted({s[1] for s in surfaces}))
        starts = re.compile(f"[{re.escape(first)}](?=[{re.escape(second)}])")
    _SCANNERS[id(gz)] = entry = (gz, starts, frozenset(s[:2] for s in surfaces))
    return entry


def _name_matches(gz: Gazetteer, text: str) -> Iterator[re.Match[str]]:
    """Exactly ``gz.pattern.finditer(text)`` (leftmost, longest, non-overlapping), only faster."""
    _, starts, prefixes = _scanner(gz)
    if starts is None:
        yield from gz.pattern.finditer(text)
        return
    pos = 0
    for c in starts.finditer(text):
        i = c.start()
        if i < pos or text[i:i + 2] not in prefixes:
            continue
        m = gz.pattern.match(text, i)
        if m:
            pos = m.end()
            yield m


def _mentions(gz: Gazetteer, text: str, where: str) -> list[tuple[tuple[str, ...], int, float]]:
    """(candidate unit keys, start, weight) for each region name in ``text`` that is the text's own.

    ``where`` is title, head or body: county short names count only in a title, with context;
    addressee lines (各市人民政府：) are skipped; in the body a name inside a quoted title counts half.
    """
    quoted = [m.span() for m in _QUOTED.finditer(text)] if where == "body" else []
    addressee = [m.span() for m in _ADDRESSEE.finditer(text)]
    out = []
    for m in _name_matches(gz, text):
        surface, start, end = m.group(), m.start(), m.end()
        if any(a <= start < b for a, b in addressee):
            continue
        weight = 0.5 if any(a <= start < b for a, b in quoted) else 1.0
        if _PARTNER_AFTER.match(text, end) or _PARTNER_BEFORE.search(text, max(0, start - 2), start) \
                or (text[start - 1:start] == "在" and _EVENT.match(text, end)):
            continue
        keys = gz.full.get(surface)
        if keys is None:
            keys = tuple(k for k in gz.short[surface]
                         if gz.units[k].level != "county"
                         or (where == "title" and len(gz.short[surface]) == 1
                             and _county_short_ok(gz, text, start, end, k)))
        elif len(surface) == 2 and _AFTER_TWO_CHAR.match(text, end):
            continue  # 和县 in 全国人民代表大会和县级以上
        elif len(surface) == 2 and where != "title":
            # Two characters are often ordinary words (县政府和县教育局): outside the title such a name
            # counts only when its city or province is named too (see _resolve).
            keys = (*keys, NEEDS_SUPPORT)
        if keys:
            out.append((keys, start, weight))
    return out


def _resolve(gz: Gazetteer, mentions: list[tuple[tuple[str, ...], int, float]],
             support: set[str]) -> list[tuple[str, int, float]]:
    """(unit key, start, weight) per mention: an ambiguous name keeps the one candidate consistent
    with the unambiguous names around it, or is dropped."""
    sure = {keys[0] for keys, _, _ in mentions if len(keys) == 1} | support
    out = []
    for keys, start, weight in mentions:
        if len(keys) > 1:
            keys = tuple(k for k in keys if k != NEEDS_SUPPORT and any(gz.related(k, s) for s in sure if s != k))
        if len(keys) == 1:
            out.append((keys[0], start, weight))
    return out


def _best(gz: Gazetteer, keys: list[str]) -> str:
    """The most specific unit that most of the mentioned units agree with (first wins ties)."""
    if not keys:
        return ""
    def score(k: str) -> tuple[int, int]:
        return sum(gz.related(k, o) for o in keys), len(gz.chain(k))
    return max(dict.fromkeys(keys), key=score)


def _region(gz: Gazetteer, key: str) -> Region:
    chain = gz.chain(key)
    names = {u.level: u.name for u in chain}
    return Region(names.get("province", ""), names.get("city", ""), names.get("county", ""), chain[-1].level)


def _body_unit(gz: Gazetteer, body: str, support: set[str]) -> str:
    """The unit the body speaks for: first-person suffix (我县) + the matching unit named most."""
    text = _drop_boilerplate(body)
    persons = Counter(m.group(1) for m in _FIRST_PERSON.finditer(text))
    if not persons:
        return ""
    found = _resolve(gz, _mentions(gz, text, "body"), support)
    organ = {k for k, s, _ in found if text.startswith(gz.units[k].name, s)
             and _ORGAN_AFTER.match(text, s + len(gz.units[k].name))}
    counts: Counter[str] = Counter()
    for k, _, weight in found:
        counts[k] += weight
    for suffix, said in persons.most_common():
        ranked = [(n, k) for k, n in counts.most_common() if gz.units[k].name.endswith(suffix)]
        if not ranked:
            continue
        (n, key), rest = ranked[0], ranked[1:]
        # The unit must dominate its peers: a text that names many provinces speaks for none.
        peers = sum(c for k, c in counts.items() if gz.units[k].level == gz.units[key].level)
        strong = n >= 2 or key in organ or (said >= 2 and not rest)
        if strong and (not rest or rest[0][0] * 2 <= n) and n * 2 >= peers:
            return key
    return ""


def resolve_region(title: str, head: str, body: str) -> Region:
    """Jurisdiction of a document from its title, head (date/source lines) and body.

    Returns full official names with parents filled (尉氏县 -> 开封市 -> 河南省) and
    ``admin_level`` in national/province/city/county, or an empty ``Region`` when unsure.
    """
    gz = load_gazetteer()
    title, head, body = _prepare(title), _prepare(head), _prepare(body)
    if _TAIWAN.search(title + "\n" + head):
        return Region("台湾省", "", "", "province")
    if len(title) > 60 or title.endswith("。"):
        title, body = "", title + "\n" + body  # a first sentence, not a title
    if _NATIONAL_TITLE.search(title):
        return Region(admin_level="national")
    head = _drop_boilerplate(head)
    title_m, head_m = _mentions(gz, title, "title"), _mentions(gz, head, "head")
    head_keys = [k for k, _, _ in _resolve(gz, head_m, set())]
    title_found = _resolve(gz, title_m, set(head_keys))
    key = _best(gz, [k for k, _, _ in title_found])
    # A national issuer in the head wins unless the title opens with the region (上海市…条例).
    if _NATIONAL_HEAD.search(head) and not (key and min(s for _, s, _ in title_found) <= 1):
        return Region(admin_level="national")
    if not key:
        key = _best(gz, head_keys)
    inner = _body_unit(gz, body, {key} if key else set())
    if inner and (not key or (gz.related(inner, key) and len(gz.chain(inner)) > len(gz.chain(key)))):
        key = inner
    return _region(gz, key) if key else Region()
