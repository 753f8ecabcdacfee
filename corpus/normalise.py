"""Raw text to the one form every later step reads.

Steps, in order:

a. Web pinyin annotations (``網(wǎng)`` -> ``網``): a hanzi followed by a parenthesised syllable with
   a tone mark. Real parentheses ((一), (2023—2025年), (市、区)) never hold tone-marked Latin, so
   they are untouched. Where a character was lost with its annotation (``區域?qū)W位``: the ``?``
   stands for the missing lead byte and ``W`` is the GBK trail byte of 學), the debris is removed
   and counted in ``lost_chars``, as are U+FFFD replacement characters and, on a page that has
   pinyin annotations, a lone ``?`` between two hanzi (both kept: we cannot know what stood there;
   elsewhere such a ``?`` is more likely an ASCII question mark).
b. Script of the original: share of hanzi that OpenCC ``t2s`` changes, on a sample.
c. OpenCC ``t2s`` on the whole text (it leaves simplified text unchanged, so it is always run).
d. Widths and spaces: full-width digits, Latin letters, ``%`` and the like become ASCII, full-width
   ``（）`` become ``()`` (the seeds and most web copies already use ASCII parentheses, so one form
   makes heading markers like ``(一)`` uniform); the Chinese sentence punctuation ``，。；：！？、``
   is kept. Ideographic and no-break spaces become ``" "``; line endings become ``\\n``; spaces at
   both ends of a line are stripped (indentation carries no meaning); 3+ line breaks collapse to a
   single blank line.
e. Site boilerplate: the pattern lists below (share/print/close buttons, font-size widgets, "leaving
   this site" prompts, breadcrumbs), a run of short menu bullets at the top, and a trailing list of
   related-article headlines. The title and the date line are kept.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

LOGGER = logging.getLogger(__name__)

_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # CJK ext. A, unified, compatibility
_HAN = "".join(f"{chr(first)}-{chr(last)}" for first, last in _HAN_RANGES)
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_SYLLABLE = f"[a-zü]*[{_TONED}][a-zü]*"
# A hanzi, then "(pinyin)" with a tone mark: drop the annotation, keep the hanzi.
_PINYIN = re.compile(f"(?<=[{_HAN}])[(（]{_SYLLABLE}[)）]")
# "?pinyin)" plus at most one ASCII trail byte before the next hanzi: a character lost in transit.
_LOST_PINYIN = re.compile(f"[?？]{_SYLLABLE}[)）](?:[\\x40-\\x7e](?=[{_HAN}]))?")
_LOST_QMARK = re.compile(f"\\?(?<=[{_HAN}]\\?)(?=[{_HAN}])")  # literal first: fast scan
_TONE_MARK = re.compile(f"[{_TONED}]")

SCRIPT_THRESHOLD = 0.05  # share of hanzi t2s changes above which the original is traditional
_SCRIPT_SAMPLE = 5_000  # hanzi: plenty to tell the scripts apart
_HAN_RUN = re.compile(f"[{_HAN}]+")

# Full-width ASCII variants (digits, letters, %, + - / = < > . @ # & * ( )) to ASCII; Chinese
# sentence punctuation (，。；：！？、“”) stays as it is.
_KEEP_FULLWIDTH = set("，。；：！？、～")
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULLWIDTH}
_WIDTH.update({ord(s): " " for s in "\u3000\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
               "\u200a\u202f\u205f\t"})
_WIDTH.update({ord(s): None for s in "\u200b\u200c\u200d\u2060\ufeff"})  # zero-width junk
_WIDTH.update({0x2028: "\n", 0x2029: "\n"})
# str.translate looks up every character; a class regex only calls back on the rare hits.
_WIDTH_STR = {chr(k): (chr(v) if isinstance(v, int) else v or "") for k, v in _WIDTH.items()}
_WIDTH_RE = re.compile("[" + "".join(re.escape(ch) for ch in _WIDTH_STR) + "]")

_EOL = re.compile(r"\r\n?")
_SPACE_BEFORE_EOL = re.compile(r" +\n")
_SPACE_AFTER_EOL = re.compile(r"\n +")
_INNER_SPACES = re.compile(r" {2,}")
_BLANK_RUN = re.compile(r"\n{3,}")

# --- boilerplate, all in one place (matched after t2s, so simplified forms suffice; " *" and not
# "\s*", so no pattern reaches over a line break) ---
# Fragments removed wherever they appear inside a line (the date line keeps its date).
INLINE_BOILERPLATE: tuple[str, ...] = (
    r"【 *(?:字体|字号|浏览字号) *[:：]? *(?:[大中小] *)*】",
    r"【 *(?:字体|字号|浏览字号) *[:：]? *(?:[大中小](?: +|(?=】)|$)){0,3}】?",
    r"[【\[](?:打印(?:本页|此页)?|关闭(?:窗口|本页)?|收藏|分享|返回顶部|纠错)[】\]]",
)
# Whole lines dropped wherever they appear.
LINE_BOILERPLATE: tuple[str, ...] = (
    r"[(\[【]? *(?:微信)?扫(?:描|一扫)(?:分享|二维码)?(?:在手机(?:上)?打开(?:当前|本)页)? *[)\]】]?",
    r"微信扫一扫.{0,20}",
    r"分享到 *[:：]?.{0,40}",
    r"(?:[【\[]? *(?:打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|收藏本页|收藏|返回顶部|"
    r"保存本页|纠错|分享) *[】\]]? *[|/]? *){1,6}",
    r"【? *(?:字体|字号|浏览字号) *[:：]? *(?:[大中小] *){0,3}】?",
    r"您访问的链接即将离开.{0,40}是否继续 *[?？]?",
    r"(?:当前位置|您现在的位置|您的位置|所在位置) *[:：].{0,80}",
    r"(?:首页|网站地图|无障碍(?:浏览)?|English|繁体|简体|登录|注册)(?: *[|｜/] *"
    r"(?:首页|网站地图|无障碍(?:浏览)?|English|繁体|简体|登录|注册))*",
)
# A header opening the list of related headlines at the end of a page.
RELATED_HEADER = r"[【\[]? *(?:相关(?:阅读|链接|新闻|文章|文件|稿件|推荐|报道|信息)|延伸阅读|推荐阅读|热点新闻) *[】\]]? *[:：]?"
MENU_BULLET = r"[-•·*] *\S{1,12}"  # "- 市政府网", "- 政务微信": a menu, at the very top only
_HEADLINE_MAX = 60  # tail lines longer than this, or ending in 。, are body text, not headlines

_INLINE_RE = re.compile("|".join(f"(?:{p})" for p in INLINE_BOILERPLATE))
_LINE_RE = re.compile("^(?:" + "|".join(f"(?:{p})" for p in LINE_BOILERPLATE) + r")\n", re.M)
_LINE_FULL = re.compile("(?:" + "|".join(f"(?:{p})" for p in LINE_BOILERPLATE) + ")")
_RELATED_RE = re.compile(RELATED_HEADER)
_MENU_RE = re.compile(MENU_BULLET)
_SENTENCE_END = re.compile(r"[。；;！!]$")


@dataclass(frozen=True, slots=True)
class Normalised:
    """Normalised text, the script of the original and how many characters were lost on the way."""

    text: str
    script: str
    lost_chars: int


@lru_cache(maxsize=1)
def _t2s():  # noqa: ANN202 - opencc.OpenCC
    import opencc  # loaded on first use: its dictionaries take a moment

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """OpenCC ``t2s`` (traditional to simplified, no regional phrases)."""
    return _t2s().convert(text)


def detect_script(text: str) -> str:
    """``"traditional"`` when OpenCC t2s changes more than 5 % of the hanzi of a sample, else
    ``"simplified"`` (also for text without hanzi)."""
    sample = "".join(_HAN_RUN.findall(text[: _SCRIPT_SAMPLE * 3]))[:_SCRIPT_SAMPLE]
    if not sample:
        return "simplified"
    changes = _changed_alone()
    if changes is None:
        changed = sum(map(str.__ne__, sample, to_simplified(sample)))
    else:
        changed = len(changes.findall(sample))
    return "traditional" if changed / len(sample) > SCRIPT_THRESHOLD else "simplified"


@lru_cache(maxsize=1)
def _changed_alone() -> re.Pattern[str] | None:
    """The hanzi that t2s changes when converted alone (so no phrase spans two), as one character
    class; None if the conversion does not keep one line per character. Converting every hanzi
    once (28,096 of them, ~30 ms) spares each document converting its own: that, and one string
    per character to find the distinct ones, was most of ``detect_script``'s time."""
    chars = [chr(code) for first, last in _HAN_RANGES for code in range(first, last + 1)]
    converted = to_simplified("\n".join(chars)).split("\n")
    if len(converted) != len(chars):
        return None
    return re.compile("[" + "".join(a for a, b in zip(chars, converted) if a != b) + "]")


def remove_pinyin(text: str) -> tuple[str, int]:
    """Drop web pinyin annotations; return the text and the number of characters lost with them."""
    if not _TONE_MARK.search(text):
        return text, 0
    text, lost = _LOST_PINYIN.subn("", text)
    text, annotations = _PINYIN.subn("", text)
    if annotations and "?" in text:  # on a page mangled this way, "?" between hanzi is a lost one
        lost += len(_LOST_QMARK.findall(text))
    return text, lost


def _unify_layout(text: str) -> str:
    if "\r" in text:
        text = _EOL.sub("\n", text)
    text = _WIDTH_RE.sub(lambda m: _WIDTH_STR[m.group()], text)
    text = _SPACE_AFTER_EOL.sub("\n", _SPACE_BEFORE_EOL.sub("\n", text)).strip(" ")
    if "  " in text:
        text = _INNER_SPACES.sub(" ", text)
    if "\n\n\n" in text:
        text = _BLANK_RUN.sub("\n\n", text)
    return text.strip("\n")


def _drop_top_menu(lines: list[str]) -> list[str]:
    start = 0
    while start < len(lines) and (not lines[start] or _MENU_RE.fullmatch(lines[start])):
        start += 1
    return lines[start:] if any(_MENU_RE.fullmatch(line) for line in lines[:start]) else lines


def _is_headline(line: str) -> bool:
    return len(line) <= _HEADLINE_MAX and not _SENTENCE_END.search(line)


def _drop_related_tail(lines: list[str]) -> list[str]:
    """Cut a trailing related-articles header and the headlines after it."""
    for i in range(len(lines) - 1, max(-1, len(lines) - 60), -1):
        if _RELATED_RE.fullmatch(lines[i]) and all(_is_headline(x) for x in lines[i + 1:] if x):
            return lines[:i]
    return lines


def strip_boilerplate(text: str) -> str:
    """Remove site boilerplate (see the pattern lists at the top of this module)."""
    text = _INLINE_RE.sub(" ", text)
    text = _LINE_RE.sub("", text + "\n")
    lines = [line.strip() for line in text.split("\n")]
    lines = _drop_related_tail(_drop_top_menu(lines))
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


def _drop_share_tail(original: str, cleaned: str) -> str:
    """After a share/print widget near the end, headline-only lines are related links: cut them."""
    lines = original.split("\n")
    for i in range(len(lines) - 1, max(-1, len(lines) - 30), -1):
        if lines[i] and _LINE_FULL.fullmatch(lines[i]):
            tail = [x for x in lines[i + 1:] if x]
            if tail and all(_is_headline(x) for x in tail) and len(tail) <= 15:
                keep = "\n".join(lines[:i])
                return strip_boilerplate(keep)
            break
    return cleaned


def normalise(text: str) -> Normalised:
    """Normalise raw document text (pinyin, script, width, layout, boilerplate).

    Parameters
    ----------
    text
        Text as a reader returned it.

    Returns
    -------
    Normalised
        Simplified, width-unified text without boilerplate; ``script`` of the original
        (``"traditional"``/``"simplified"``); ``lost_chars``, characters known to be missing.
    """
    text, lost = remove_pinyin(text)
    lost += text.count("\ufffd")
    script = detect_script(text)
    text = _unify_layout(to_simplified(text))
    cleaned = _drop_share_tail(text, strip_boilerplate(text))
    if lost:
        LOGGER.info("%d character(s) were lost before this text reached us", lost)
    return Normalised(cleaned, script, lost)
