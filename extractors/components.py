"""spaCy pipeline components: each wraps one pure finder and writes ``doc.spans[key]``.

The finders (``corpus.structure.parse``, ``extractors.funding.find_funding`` ...) are plain
functions over text, testable alone; these components only map their character offsets onto the
Doc and keep the record's fields as a plain dict in ``span._.value``.
"""
from __future__ import annotations

import bisect
import itertools
import logging
import re
from functools import partial
from typing import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from corpus.records import as_dict
from extractors._extensions import ensure_extensions, set_span_value
from extractors.funding import MONEY_CHAR
from extractors.targets import ANY_NUMBER

LOGGER = logging.getLogger(__name__)

HEAD_LINES = 8  # lines at the top that may hold the date line and the issuing body


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    """``doc.char_span(start, end, label, alignment_mode="expand")``. On a Doc of the segmenter's
    words (no trailing spaces) the tokens are found from the words' offsets: ``char_span`` builds
    four Token objects per call, and the components make tens of thousands of spans per long law."""
    bounds = _word_bounds(doc)
    if bounds is not None and 0 <= start < end <= bounds[-1]:
        first = bisect.bisect_right(bounds, start) - 1  # the word holding the first character
        return Span(doc, first, bisect.bisect_left(bounds, end, first), label=label)
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None:
        LOGGER.debug("no token span for %d-%d (%s)", start, end, label)
    return span


def _fields(match, origin: dict) -> dict:
    """The match's fields, plus where it comes from: sentence id, section and measure flag."""
    value = as_dict(match)
    value.pop("start", None)
    value.pop("end", None)
    value.update(sentence_id=origin["sentence_id"], section=origin["section"], is_measure=origin["is_measure"])
    return value


SENTENCES_KEY = "zhengce.sentences"


def sentence_values(doc: Doc) -> list[tuple[int, int, dict]]:
    """``(start_char, end_char, span._.sentence)`` of every span in ``doc.spans["sentences"]``.

    The structure component leaves this list in ``doc.user_data`` beside the spans: the finders
    and ``records`` walk tens of thousands of sentences per long law, and building a Span object
    and reading its extension for each costs more than the finders themselves. If the span group
    was changed since, the list is rebuilt from it.
    """
    group = doc.spans.get("sentences", [])
    cached = doc.user_data.get(SENTENCES_KEY)
    if cached is not None and len(cached) == len(group):
        return cached
    return [(span.start_char, span.end_char, span._.sentence) for span in group]


def _set(doc: Doc, key: str, spans: list[Span], overwrite: bool) -> None:
    if overwrite or key not in doc.spans:
        doc.spans[key] = spans
    else:
        doc.spans[key] = list(doc.spans[key]) + spans


TEXT_KEY = "zhengce.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy joins every token on each access, which on a long
    law makes a million short-lived Token objects per call."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


WORDS_KEY = "zhengce.words"
_BOUNDS_KEY = "zhengce.word_bounds"


def words_between(doc: Doc, start: int, end: int) -> list[str] | None:
    """The segmenter's words of ``doc_text(doc)[start:end]``, or None when ``start`` or ``end``
    falls inside a word or the Doc was not made by ``extractors.load``'s tokenizer.

    What the theme classifier and the search index read instead of segmenting each measure a
    second and third time. A sentence ends at punctuation or a line break, where the segmenter
    starts a new block, so its words here are the ones it gets when cut alone (checked on the
    58,106 measures of a 600-document bench sample, the eval documents and the seeds: 2 not
    aligned, every other one the same words).
    """
    bounds = _word_bounds(doc)
    if bounds is None:
        return None
    words = doc.user_data[WORDS_KEY]
    i = bisect.bisect_left(bounds, start)
    j = bisect.bisect_left(bounds, end, i)
    if i < len(bounds) and bounds[i] == start and j < len(bounds) and bounds[j] == end:
        return words[i:j]
    return None


def _word_bounds(doc: Doc) -> list[int] | None:
    """Where each of the segmenter's words starts in the text, then the text's length; None when
    the Doc was not made by ``extractors.load``'s tokenizer."""
    bounds = doc.user_data.get(_BOUNDS_KEY)
    if bounds is None:
        words = doc.user_data.get(WORDS_KEY)
        if words is None:
            return None
        bounds = doc.user_data[_BOUNDS_KEY] = [0, *itertools.accumulate(map(len, words))]
    return bounds


def span_text(doc: Doc, span: Span) -> str:
    """``span.text``, sliced from the cached Doc text instead of walking the span's tokens."""
    return doc_text(doc)[span.start_char : span.end_char]


def head_of(doc: Doc) -> str:
    """The first non-blank lines of the text: title, date line, source line, version notes."""
    lines = (line for line in doc_text(doc).splitlines() if line.strip())
    return "\n".join(line for _, line in zip(range(HEAD_LINES), lines))


class StructureComponent:
    """Title, date line, heading tree, sentences and measures (``corpus.structure.parse``)."""

    def __init__(self, nlp: Language, name: str, overwrite: bool = True):
        ensure_extensions()
        self.name = name
        self.overwrite = overwrite

    def __call__(self, doc: Doc) -> Doc:
        from corpus.structure import parse

        structure = parse(doc_text(doc), title_hint=doc._.source_title)
        doc._.title = structure.title
        doc._.date_line = structure.date_line
        headings, sentences, measures, values = [], [], [], []
        for heading in structure.headings:
            span = _span(doc, heading.start, heading.end, f"H{heading.level}")
            if span is not None:
                set_span_value(doc, span, "heading", as_dict(heading))
                headings.append(span)
        for sentence in structure.sentences:
            span = _span(doc, sentence.start, sentence.end, "MEASURE" if sentence.is_measure else "SENT")
            if span is None:
                continue
            value = as_dict(sentence)
            set_span_value(doc, span, "sentence", value)
            sentences.append(span)
            if sentence.is_measure:
                measures.append(span)
            values.append((span.start_char, span.end_char, value))
        cached = [] if self.overwrite else sentence_values(doc)
        _set(doc, "headings", headings, self.overwrite)
        _set(doc, "sentences", sentences, self.overwrite)
        doc.user_data[SENTENCES_KEY] = cached + values
        _set(doc, "measures", measures, self.overwrite)
        return doc


class DocumentMetaComponent:
    """Publication date, the year the document speaks of, its plan period and its region."""

    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from extractors.dates import document_year, find_published
        from extractors.regions import resolve_region
        from extractors.targets import find_plan_period

        text = doc_text(doc)
        head = head_of(doc)
        title = doc._.title or doc._.source_title
        date_head = "\n".join(filter(None, [doc._.date_line, head]))
        doc._.published = find_published(date_head, title, tail=text[-400:]) or doc._.source_published
        doc._.doc_year = document_year(doc._.published, text)
        doc._.plan_period = find_plan_period(title + "\n" + text[:3000])
        doc._.region = resolve_region(title, head, text)
        return doc


class SentenceFinder:
    """Runs ``finder(doc)(sentence_text) -> matches`` over every sentence and keeps the matches as
    spans (the finder is set up once per Doc: reading ``doc._`` costs more than most sentences).
    Sentences without a match of ``hint`` are skipped: the finder would return nothing for them."""

    label = ""
    attribute = ""
    hint: re.Pattern[str] | None = None

    def __init__(self, nlp: Language, name: str, spans_key: str, overwrite: bool = True):
        ensure_extensions()
        self.name = name
        self.spans_key = spans_key
        self.overwrite = overwrite

    def finder(self, doc: Doc) -> Callable[[str], Iterable]:
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        found: list[Span] = []
        text = doc_text(doc)
        find = self.finder(doc)
        hint = self.hint.search if self.hint else None
        for start, end, origin in sentence_values(doc):
            if hint and not hint(text, start, end):
                continue
            try:
                matches = list(find(text[start:end]))
            except Exception:  # one odd sentence must not lose the document
                LOGGER.exception("%s failed on %r", self.name, text[start:end][:80])
                continue
            for match in matches:
                span = _span(doc, start + match.start, start + match.end, self.label)
                if span is None:
                    continue
                set_span_value(doc, span, self.attribute, _fields(match, origin))
                found.append(span)
        _set(doc, self.spans_key, found, self.overwrite)
        return doc


class FundingComponent(SentenceFinder):
    label = "FUNDING"
    attribute = "funding"
    hint = MONEY_CHAR

    def finder(self, doc: Doc) -> Callable[[str], Iterable]:
        from extractors.funding import find_funding

        # A Taiwan document's bare 元 is New Taiwan dollars (the region is set by document_meta).
        taiwan = getattr(doc._.region, "province", "") == "台湾省"
        return partial(find_funding, default_currency="TWD" if taiwan else "CNY")


class TargetsComponent(SentenceFinder):
    """Targets set by policy into ``doc.spans[spans_key]``, reported results into ``indicators_key``."""

    label = "TARGET"
    hint = ANY_NUMBER

    def __init__(self, nlp: Language, name: str, spans_key: str, indicators_key: str, overwrite: bool = True):
        super().__init__(nlp, name, spans_key, overwrite)
        self.indicators_key = indicators_key

    def __call__(self, doc: Doc) -> Doc:
        from corpus.structure import in_article
        from extractors.targets import GOALS_LEAD, find_targets

        targets: list[Span] = []
        indicators: list[Span] = []
        text = doc_text(doc)
        doc_year, plan_period = doc._.doc_year, doc._.plan_period
        lead_year, lead_paragraph = None, None  # 到2025年，…。 dates the goals after it in its paragraph
        for start, end, origin in sentence_values(doc):
            if not self.hint.search(text, start, end):  # nothing to find, and no 到2025年 lead
                continue
            if origin["paragraph"] != lead_paragraph:
                lead_year = None
            lead = GOALS_LEAD.match(text, start, end)
            if lead and (doc_year is None or int(lead.group(1)) >= doc_year):
                lead_year, lead_paragraph = int(lead.group(1)), origin["paragraph"]
                context = None  # the lead sentence dates its own goals
            else:
                context = lead_year
            try:
                found, reported = find_targets(text[start:end], doc_year=doc_year, plan_period=plan_period,
                                               normative=in_article(origin["section"] or ""), lead_year=context)
            except Exception:
                LOGGER.exception("%s failed on %r", self.name, text[start:end][:80])
                continue
            for matches, bucket, label, attribute in ((found, targets, "TARGET", "target"),
                                                      (reported, indicators, "INDICATOR", "indicator")):
                for match in matches:
                    span = _span(doc, start + match.start, start + match.end, label)
                    if span is None:
                        continue
                    set_span_value(doc, span, attribute, _fields(match, origin))
                    bucket.append(span)
        _set(doc, self.spans_key, targets, self.overwrite)
        _set(doc, self.indicators_key, indicators, self.overwrite)
        return doc


@Language.factory("zhengce_structure", assigns=["doc.spans"], default_config={"overwrite": True})
def make_structure(nlp: Language, name: str, overwrite: bool) -> StructureComponent:
    return StructureComponent(nlp, name, overwrite)


@Language.factory("zhengce_document_meta", assigns=["doc._.published", "doc._.region"], default_config={})
def make_document_meta(nlp: Language, name: str) -> DocumentMetaComponent:
    return DocumentMetaComponent(nlp, name)


@Language.factory(
    "zhengce_funding", assigns=["doc.spans"], default_config={"spans_key": "funding", "overwrite": True}
)
def make_funding(nlp: Language, name: str, spans_key: str, overwrite: bool) -> FundingComponent:
    return FundingComponent(nlp, name, spans_key, overwrite)


@Language.factory(
    "zhengce_targets",
    assigns=["doc.spans"],
    default_config={"spans_key": "targets", "indicators_key": "indicators", "overwrite": True},
)
def make_targets(nlp: Language, name: str, spans_key: str, indicators_key: str, overwrite: bool) -> TargetsComponent:
    return TargetsComponent(nlp, name, spans_key, indicators_key, overwrite)


COMPONENTS: tuple[str, ...] = ("zhengce_structure", "zhengce_document_meta", "zhengce_funding", "zhengce_targets")
"""The default pipeline, in order."""
