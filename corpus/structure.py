"""Document structure: title, date line, heading tree and body sentences with their measure flag.

``parse`` reads normalised (simplified) text line by line. Markers give heading levels (一、 1,
(一) 2, 1. 3, (1) 4; 第X章 1, 第X节 2, 第X条 2, or 3 under 节); short unpunctuated lines and run-in
phrases repeated across paragraphs (政府主导,优先发展。) are headings at a level computed from the
open ones. Sentences split on 。！？； and line breaks, before 一是/二是 and, past ``MAX_SENTENCE``
characters, at commas. ``is_measure`` flags sentence-level policy actions.
"""
from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass

from corpus.records import Heading, Sentence

__all__ = ["MAX_SENTENCE", "SECTION_JOIN", "Structure", "heading_of", "in_article", "is_measure", "parse",
           "split_sentences"]

LOGGER = logging.getLogger(__name__)

MAX_SENTENCE = 250  # the scorer ignores measures over 300 canonical chars, targets over 200
SECTION_JOIN = " > "  # between the headings of a sentence's section path
_CN = "一二三四五六七八九十百千零〇两"
_LAW_CHAPTER = re.compile(rf"第\s*[{_CN}\d]+\s*[章编]\s*")
_LAW_SECTION = re.compile(rf"第\s*[{_CN}\d]+\s*节\s*")
_LAW_ARTICLE = re.compile(rf"第\s*[{_CN}\d]+\s*(?:-\s*\d+\s*)?条(?:之[{_CN}\d]+)?\s*")
_ARTICLE_AFTER_CHAPTER = re.compile(rf"[\s\u3000]+(?=第\s*[{_CN}\d]+\s*条)")
# (pattern, level); "1." must not be a decimal (1.5亿) and takes at most two digits.
_MARKERS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"[{_CN}]{{1,3}}\s*[、.．]\s*"), 1),
    (re.compile(rf"[(（]\s*[{_CN}]{{1,3}}\s*[)）]\s*[、.．,，]?\s*"), 2),
    (re.compile(r"\d{1,2}\s*(?:[、．]|\.(?!\d))\s*"), 3),
    (re.compile(r"[(（]\s*\d{1,2}\s*[)）]\s*[、.．]?\s*"), 4),
)
_MARKER_FIRST = frozenset(_CN + "第(（")  # and digits (str.isdigit covers what \d matches)
_END = "。！？；!?;"
_OPEN = "“‘「『《(（【〔"
_CLOSE = "”’」』》)）】〕"
_PUNCT = re.compile("[" + re.escape(_END + _OPEN + _CLOSE) + "]")
_WORDISH = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SPACE_IN_CJK = re.compile(r"(?<=[\u3400-\u9fff])[\s\u3000]+(?=[\u3400-\u9fff])")
_RUNIN = re.compile(r"^[\u4e00-\u9fff“”]{2,8}[，,、 \u3000][\u4e00-\u9fff“”]{2,8}[。.]")
# The lookbehind sits after the numeral so that the pattern opens with a character class (fast scan).
_ENUM = re.compile(rf"[{_CN[:10]}](?<=[，,；;：:。\s][{_CN[:10]}])是(?![否的])")
_DATE = re.compile(r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
                   r"|\d{1,2}[./]\d{1,2}[./]\d{4})")
_DATE_LABEL = re.compile(r"^(?:信息)?(?:发布|发文|成文|公布|印发|最新异动)?(?:时间|日期)\s*[:：]")
_MENU = re.compile(r"^(?:[-•·*▪●◆]\s*\S{1,12}|首页.*|当前位置.*|<!--.*-->|#+)$")
_LABEL_LINE = re.compile(
    r"^(?:内容|正文|来源|作者|责任编辑|编辑|字号|浏览次数|点击数|索引号|主题分类|发文机关|发文字号|"
    r"法规性质|法规类别|法规网址|原文链接|【法宝引证码】|【字体|\[字体|打印|关闭)\s*[:：】]?")
_TRAILER = re.compile(r"微信扫描分享|分享到|扫一扫|相关链接|相关阅读|相关新闻|相关文章|打印本页|关闭窗口"
                      r"|您访问的链接即将离开|上一篇|下一篇")
_MODAL_IN_LINE = re.compile(r"(?<![重主需纲摘简首只])要(?![求素点闻害])|应当|必须|不得|严禁")
_BULLET = re.compile(r"(?:#{1,6}\s*|[•·▪●◆■□◻*-]\s+)")


@dataclass(frozen=True, slots=True)
class Structure:
    """The parsed skeleton of one document (see ``parse``)."""

    title: str
    date_line: str
    headings: list[Heading]
    sentences: list[Sentence]


_HEADING_LABEL = re.compile("|".join(
    [p.pattern for p in (_LAW_CHAPTER, _LAW_SECTION, _LAW_ARTICLE)] + [p.pattern for p, _ in _MARKERS]))
_DOCUMENT_NUMBER = re.compile(r"〔\d{4}〕\d+号$")


def heading_of(section: str) -> str:
    """The words of the innermost heading of a section path (``Sentence.section``) that has any:
    its marker (一、 (二) 3. 第三章) removed, bare article numbers (第五条) and document numbers
    (国发〔2019〕5号) skipped; "" when none is left.

    >>> heading_of("一、落实政府责任 > (二)健全投入保障机制")
    '健全投入保障机制'
    >>> heading_of("第四章教职工 > 第三十八条")
    '教职工'
    """
    for part in reversed(section.split(SECTION_JOIN)):
        part = part.strip()
        label = _HEADING_LABEL.match(part)
        words = part[label.end():].strip() if label else part
        if len(words) >= 2 and not _DOCUMENT_NUMBER.search(words):
            return words
    return ""


def in_article(section: str) -> bool:
    """Whether a section path (``Sentence.section``) names an article of a law (第X条).

    >>> in_article("第一章总则 > 第六条"), in_article("一、主要目标")
    (True, False)
    """
    return _LAW_ARTICLE.search(section) is not None


# --- measures -------------------------------------------------------------------------------

_ACTION_WORDS = (
    "加强|完善|推进|推动|建立|健全|实施|落实|确保|保障|积极|深化|开展|扩大|鼓励|支持|严格|提高|提升",
    "实行|投入|投资|改扩建|新建|扩建|改建|撤并|统筹|优化|强化|规范|加快|加大|坚持|促进|探索|创新|培育",
    "培养|打造|构建|组织|制定|出台|印发|设立|设置|配备|配齐|配足|配强|选优|补充|招聘|招录|安排|拨付|下达",
    "补助|资助|减免|免除|纳入|列入|引导|发挥|整治|整顿|治理|杜绝|严禁|禁止|不得|应当|必须|须|可以|允许",
    "督促|督导|监测|评估|考核|检查|开齐|开足|新购|购置|采购|改造|维修|加固|拆除|创设|创建|成立|召开",
    "举办|发放|宣传|推行|推广|巩固|扶持|帮扶|结对|对口|选派|交流|轮岗|培训|研修|引进|吸引|简化|取消|调整",
    "划定|划分|合并|分配|倾斜|兑现|筹措|启动|完成|做好|抓好|办好|用好|管好|争取|力争|着力|切实|全面",
    "大力|深入|持续|进一步|依法|给予|予以|提供|享受|执行|遵守|建成|依托|围绕|聚焦|破解|解决|补齐|指导",
    "负责|承担|履行|明确|细化|核定|核查|审批|登记|公开|开放|普及|防控|防范|预防|推送|选拔|任用|评选",
    "表彰|奖励|激励|问责|约谈|通报|聘任|聘用|保留|扩容|挖潜|改善|增加|减轻|降低|控制|改革|进行|应该|列为|作为|确定",
    "整合|共享|衔接|形成|实现|营造|树立|弘扬|注重|重视|关爱|关心|落地|维护|采取|利用|结合|参加|参与",
    # The negative lookbehinds sit after the character (要(?<!重要)), so that every branch opens
    # with a literal: re then skips straight to characters that can start a word (5x faster).
    "布局|规划|合理|要(?<![重主需纲摘简首只]要)(?![求素点闻害])|将(?!来|近)|应(?![用届有对急变])",
    "可(?<![不许]可)(?![能靠行见观视喜])|建设(?!性)",
)
_ACTION = re.compile("|".join(_ACTION_WORDS))
# Split into openings (matched at the start) and phrases found anywhere, each phrase opening with a
# literal, so that the search can skip ahead in C; a trailing colon is tested with endswith.
_NOT_MEASURE_START = re.compile("|".join((
    r"(?:当前|目前|近年来|长期以来|过去)[^要将应须]*$",
    r"短板在",
    r"现将[^\n]{0,60}$",  # the transmittal formula: 现将有关工作情况报告如下 / 现将《办法》印发给你们
    r"(?:有力|有效|极大)地?(?:促进|推动|提升|带动)了",
    r"本(?:条例|办法|规定|细则|规范|方案|法|意见|通知)(?:自|由|所称|适用)",
)))
_NOT_MEASURE_ANYWHERE = re.compile("|".join((
    r"问题依然突出|依然突出|仍然存在|明显差距|满足不了|弱项在|不平衡不充分",
    r"成效显著|取得了?(?:显著|明显|良好)|好评|气息",
    r"报告(?:指出|强调)“|讲话(?:指出|强调)“|文件(?:指出|强调)“",
    r"适用本(?:条例|办法|规定|法)",
)))
_SIX_CJK = re.compile(r"(?:[^\u3400-\u9fff]*[\u3400-\u9fff]){6}")  # stops at the sixth


def is_measure(sentence: str) -> bool:
    """Whether ``sentence`` is a sentence-level policy action (措施).

    An action verb or modal is required (past achievements such as 新购计算机4400台 count); pure
    background, problems, praise, quotations of reports and commencement clauses do not.
    """
    if not _SIX_CJK.match(sentence) or _TRAILER.search(sentence):
        return False
    core = sentence.strip()
    if _NOT_MEASURE_START.match(core) or _NOT_MEASURE_ANYWHERE.search(core) or core.endswith((":", "：")):
        return False
    return bool(_ACTION.search(sentence))


# --- sentences ------------------------------------------------------------------------------

def _raw_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut at 。！？； outside quotes and brackets (inside them only past MAX_SENTENCE)."""
    spans, depth, s, i = [], 0, start, start
    while True:
        # Only brackets, quotes and stops change anything: jump to the next one in C.
        m = _PUNCT.search(text, i, end)
        if not m:
            break
        i = m.start()
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
            # 。” ends the sentence at the closing quote
            if depth == 0 and i > s and text[i - 1] in _END:
                spans.append((s, i + 1))
                s = i + 1
        elif depth == 0 or i - s > MAX_SENTENCE:  # ch in _END
            j = i + 1
            while j < end and (text[j] in _END or text[j] in "”’」』)）"):
                depth = max(0, depth - 1) if text[j] in _CLOSE else depth
                j += 1
            spans.append((s, j))
            s, i = j, j
            continue
        i += 1
    if s < end:
        spans.append((s, end))
    return spans


def _enum_spans(text: str, s: int, e: int) -> list[tuple[int, int]]:
    if text.find("是", s, e) < 0:  # every 一是/二是 cut needs one; most sentences have none
        return [(s, e)]
    cuts = [m.start() for m in _ENUM.finditer(text, s, e) if m.start() > s]
    bounds = [s, *cuts, e]
    return [(a, b) for a, b in itertools.pairwise(bounds) if a < b]


def _comma_cut(text: str, s: int, e: int) -> int:
    """The comma nearest the middle of text[s:e] (outside quotes when possible), or the middle."""
    mid, best = (s + e) // 2, None
    for pass_chars in ("，,", "、 "):
        depth = 0
        for i in range(s + 1, e - 1):
            ch = text[i]
            depth = depth + 1 if ch in _OPEN else max(0, depth - 1) if ch in _CLOSE else depth
            if ch in pass_chars and depth == 0 and (best is None or abs(i - mid) < abs(best - mid)):
                best = i
        if best is not None and abs(best - mid) < (e - s) // 2 - 10:
            return best + 1
    return mid


def _length_spans(text: str, s: int, e: int) -> list[tuple[int, int]]:
    if e - s <= MAX_SENTENCE:
        return [(s, e)]
    cut = _comma_cut(text, s, e)
    return _length_spans(text, s, cut) + _length_spans(text, cut, e)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (one paragraph), stripped, none longer than 250.

    Parameters
    ----------
    text : str
        The whole document text (offsets refer to it).
    start, end : int
        The paragraph's bounds.

    Returns
    -------
    list[tuple[int, int]]
        ``(start, end)`` offsets of each sentence, in order.
    """
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    for a, b in _raw_spans(text, start, end):
        for c, d in _enum_spans(text, a, b):
            for x, y in _length_spans(text, c, d):
                while x < y and text[x].isspace():
                    x += 1
                while y > x and text[y - 1].isspace():
                    y -= 1
                if _WORDISH.search(text, x, y):
                    out.append((x, y))
    return out


# --- lines ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # the raw line, bullets included
    content: int  # after bullets / markdown hashes
    end: int

    def of(self, text: str) -> str:
        return text[self.content:self.end]


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    for m in re.finditer(r"[^\n\r]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        raw = s
        bullet = _BULLET.match(text, s, e)
        if bullet and bullet.end() < e:
            s = bullet.end()
        if _LAW_CHAPTER.match(text, s, e):  # 第一章 总则 第一条 ... on one line
            cut = _ARTICLE_AFTER_CHAPTER.search(text, s, e)
            if cut:
                out += [_Line(s, s, cut.start()), _Line(cut.end(), cut.end(), e)]
                continue
        out.append(_Line(raw, s, e))
    return out


_NOT_CANON = re.compile(r"[^0-9a-z\u3400-\u9fff]")


def _canon(s: str) -> str:
    return _NOT_CANON.sub("", s.lower())


def _is_marked(s: str) -> bool:
    return any(p.match(s) for p, _ in _MARKERS) or bool(_LAW_CHAPTER.match(s) or _LAW_ARTICLE.match(s))


def _head(text: str, lines: list[_Line]) -> tuple[str, str, set[int]]:
    """Title, date line and the indices of the head lines that are not body."""
    title, skip, body_started = "", set(), False
    dates: list[tuple[int, str]] = []
    for i, line in enumerate(lines[:16]):
        s = line.of(text)
        label = _DATE_LABEL.match(s)
        if label and not _DATE.search(s) and i + 1 < len(lines) and _DATE.match(lines[i + 1].of(text)):
            # 成文日期： | 2019年01月09日 — a label and its value on two lines (table cells)
            dates.append((i, f"{s}{lines[i + 1].of(text)}"))
            skip.update((i, i + 1))
        elif i in skip:
            continue
        elif _MENU.match(text[line.start:line.end]) or _LABEL_LINE.match(s):
            skip.add(i)
        elif len(s) <= 80 and (label or _DATE.search(s) and (
                len(_DATE.sub("", s)) <= 30 or not body_started)):
            dates.append((i, text[line.content:line.end]))
            skip.add(i)
        elif not body_started and not title:
            if (_is_marked(s) or len(s) > 80 or s.endswith((*_END, "：", ":")) or "。" in s
                    or len(_CJK.findall(s)) < 2):
                body_started = True
            else:
                title = re.sub(r"\s+", " ", s)
                skip.add(i)
        else:
            body_started = True
    # Only the first date line is the document's; the later ones stay in the body.
    published = [d for d in dates if "发布" in d[1][:8]]
    chosen = (published or dates)[:1]
    for i, line_text in dates:
        if (i, line_text) not in chosen and not re.search("[:：]", line_text):
            skip.discard(i)
    return title, chosen[0][1] if chosen else "", skip


# --- headings -------------------------------------------------------------------------------

def _first_stop(s: str) -> int:
    depth = 0
    for i, ch in enumerate(s):
        depth = depth + 1 if ch in _OPEN else max(0, depth - 1) if ch in _CLOSE else depth
        if ch in _END and depth == 0:
            return i
    return -1


class _Builder:
    """The open heading stack (with each heading's kind) and the numbered sentences."""

    def __init__(self, text: str, article_level: int) -> None:
        self.text = text
        self.article_level = article_level
        self.stack: list[tuple[Heading, str]] = []  # kind: marked, law, article, colon, plain, runin
        self.headings: list[Heading] = []
        self.sentences: list[Sentence] = []
        # Both follow the stack, which changes far less often than they are read (every line).
        self.articles = 0  # open headings of kind "article"
        self.section = ""  # the stack's section path

    def in_article(self) -> bool:
        return self.articles > 0

    def open(self, level: int, label: str, body: str, start: int, end: int, kind: str) -> None:
        while self.stack and self.stack[-1][0].level >= level:
            self.articles -= self.stack.pop()[1] == "article"
        text = _SPACE_IN_CJK.sub("", body.strip().rstrip("：:").strip())
        heading = Heading(level=level, label=_SPACE_IN_CJK.sub("", label.strip()), text=text,
                          start=start, end=end)
        self.headings.append(heading)
        self.stack.append((heading, kind))
        self.articles += kind == "article"
        self.section = SECTION_JOIN.join(f"{h.label}{h.text}" for h, _ in self.stack)

    def unmarked_level(self, kind: str) -> int:
        if not self.stack:
            return 1
        top, top_kind = self.stack[-1]
        if kind == "colon":
            marked = [h.level for h, k in self.stack if k in ("marked", "law", "article")]
            return (marked[-1] if marked else 0) + 1
        if top_kind in ("plain", "runin"):
            return top.level
        return top.level + 1

    def body(self, start: int, end: int, paragraph: int) -> None:
        section = self.section
        for s, e in split_sentences(self.text, start, end):
            sentence = self.text[s:e]
            self.sentences.append(Sentence(
                sentence_id=f"s{len(self.sentences) + 1:04d}", section=section, text=sentence,
                start=s, end=e, paragraph=paragraph, is_measure=is_measure(sentence)))

    def marked(self, line: _Line, paragraph: int) -> bool:
        """A line opening with a heading marker; False when it has none or is a list item."""
        text, c = self.text, line.content
        # Every marker opens with 第, a numeral, a digit or a bracket: skip the patterns otherwise.
        if c >= line.end or (text[c] not in _MARKER_FIRST and not text[c].isdigit()):
            return False
        for pattern, level in ((_LAW_CHAPTER, 1), (_LAW_SECTION, 2)):
            m = pattern.match(text, c, line.end)
            if m:
                self.open(level, text[c:m.end()], text[m.end():line.end], c, line.end, "law")
                return True
        m = _LAW_ARTICLE.match(text, c, line.end)
        if m:
            self.open(self.article_level, text[c:m.end()], "", c, m.end(), "article")
            self.body(m.end(), line.end, paragraph)
            return True
        for pattern, level in _MARKERS:
            m = pattern.match(text, c, line.end)
            if not m or self.in_article():  # (一) inside an article is an item of its body
                continue
            after = text[m.end():line.end]
            stop = _first_stop(after)
            first = after if stop < 0 else after[:stop]
            if (stop < 0 and len(after) > 60) or (stop >= 0 and (len(first) > 40 or after[stop] in "；;")):
                return False  # a numbered item that is itself a sentence
            if not _CJK.search(first):
                return False
            self.open(level, text[c:m.end()], first, c, m.end() + len(first), "marked")
            if stop >= 0:
                self.body(m.end() + stop + 1, line.end, paragraph)
            return True
        return False

    def unmarked(self, line: _Line, runin_ok: bool, paragraph: int) -> bool:
        """Short unpunctuated lines and run-in heading phrases; False for ordinary body lines."""
        s, c = line.of(self.text), line.content
        core = s.rstrip("：: ")
        if (len(core) <= 30 and len(_CJK.findall(core)) >= 2 and not re.search(r"[。！？；!?;，,]", core)
                and not re.match(r"^(?:到|至|截至)?\d{4}\s*年", core) and not _TRAILER.search(core)
                and not _MODAL_IN_LINE.search(core)):
            kind = "colon" if s.endswith(("：", ":")) else "plain"
            self.open(self.unmarked_level(kind), "", core, c, c + len(core), kind)
            return True
        m = _RUNIN.match(s) if runin_ok else None
        if m and len(s) > m.end():
            self.open(self.unmarked_level("runin"), "", s[:m.end() - 1], c, c + m.end() - 1, "runin")
            self.body(c + m.end(), line.end, paragraph)
            return True
        return False


def parse(text: str, title_hint: str = "") -> Structure:
    """Split normalised text into title, date line, headings and numbered body sentences.

    Parameters
    ----------
    text : str
        Normalised simplified text (ASCII or full-width punctuation).
    title_hint : str
        A title known from elsewhere (HTML ``<title>``, file name); wins over the guessed title.

    Returns
    -------
    Structure
        ``sentences`` carry ids ``s0001``..., offsets into ``text``, the heading path in
        ``section`` (``"一、落实政府责任 > (一)健全政府统筹推进机制"``) and ``is_measure``.
    """
    lines = _lines(text)
    title, date_line, skip = _head(text, lines)
    title_key = _canon(title)
    # The related-links trailer of a web page: stop at its marker in the last part of the text.
    stop = next((i for i, ln in enumerate(lines) if ln.content > len(text) * 0.5
                 and len(ln.of(text)) <= 40 and _TRAILER.search(ln.of(text))), len(lines))
    body = [ln for i, ln in enumerate(lines[:stop]) if i not in skip
            and not (title_key and _canon(ln.of(text)) == title_key)
            and not _LABEL_LINE.match(ln.of(text)) and not _MENU.match(text[ln.start:ln.end])]
    has_sections = any(_LAW_SECTION.match(ln.of(text)) for ln in body)
    runin_ok = sum(bool(_RUNIN.match(ln.of(text))) for ln in body) >= 2
    b = _Builder(text, 3 if has_sections else 2)
    for paragraph, line in enumerate(body):
        if b.marked(line, paragraph):
            continue
        if not b.in_article() and b.unmarked(line, runin_ok, paragraph):
            continue
        b.body(line.content, line.end, paragraph)
    LOGGER.debug("parsed %d headings, %d sentences", len(b.headings), len(b.sentences))
    return Structure(title=title_hint.strip() or title, date_line=date_line,
                     headings=b.headings, sentences=b.sentences)
