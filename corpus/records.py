"""Records shared by every room: frozen dataclasses, one module.

Every record carries ``doc_id`` and, below the document, ``measure_id`` (empty when the sentence the
number comes from is not a measure), so every number can be traced back to its sentence.
``values`` feeds SQLite and the exports; the column order of each table is the field order here.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading line: ``level`` 1 for 一、, 2 for (一), 3 for 1., 4 for (1); ``label`` is the marker."""

    level: int
    label: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or clause list ending in 。！？；) of the body, with its place in the heading tree.

    ``section`` is the path of headings above it, joined with `` > ``; ``is_measure`` says whether it
    is a sentence-level policy action (措施); ``start``/``end`` are offsets in the normalised text.
    """

    sentence_id: str
    section: str
    text: str
    start: int
    end: int
    paragraph: int
    is_measure: bool


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    title: str = ""
    published: str = ""
    province: str = ""
    city: str = ""
    county: str = ""
    admin_level: str = ""
    script: str = ""
    n_chars: int = 0
    n_measures: int = 0
    format: str = ""
    encoding: str = ""
    lost_chars: int = 0
    content_hash: str = ""


@dataclass(frozen=True, slots=True)
class Measure:
    doc_id: str
    measure_id: str
    section: str
    text: str
    theme: str = ""
    theme_score: float | None = None
    themes: str = ""
    instrument: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class FundingAmount:
    doc_id: str
    measure_id: str
    mention: str
    amount_yuan: float
    qualifier: str = "exact"
    amount_max: float | None = None
    currency: str = "CNY"
    per_unit: bool = False
    period: str = ""
    purpose: str = ""
    sentence: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Target:
    doc_id: str
    measure_id: str
    text: str
    deadline_year: int | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str = ""
    comparator: str = ""
    metric: str = ""
    scope: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Indicator:
    doc_id: str
    measure_id: str
    text: str
    metric: str = ""
    value: float | None = None
    unit: str = ""
    period: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class ReadError:
    doc_id: str
    path: str
    stage: str
    reason: str


@dataclass(slots=True)
class DocumentResult:
    """All records of one file, or its error: what ``pipeline.process`` gives the store's writer."""

    doc_id: str
    path: str
    content_hash: str = ""
    document: Document | None = None
    measures: list[Measure] = field(default_factory=list)
    funding: list[FundingAmount] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    error: ReadError | None = None
    search_terms: list[str] = field(default_factory=list)
    """Per measure, the space-joined terms the full-text index stores (segmented in the worker)."""
    measure_words: list[list[str] | None] = field(default_factory=list)
    """Per measure, its words from the document's segmentation (None: segment the text again);
    read by the classifier and the index in the worker, then dropped."""


def columns(record_type: type) -> list[str]:
    """Column names of a record type, in table order."""
    return list(_names(record_type))


def values(record) -> tuple:
    """The field values of a flat record, in column order. (``dataclasses.astuple`` and ``asdict``
    deep-copy every value: on the hot paths of writing and extracting that was most of the time.)"""
    return _getter(type(record))(record)


def as_dict(record) -> dict:
    """A flat record's fields by name."""
    return dict(zip(_names(type(record)), values(record)))


@lru_cache(maxsize=None)
def _names(record_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(record_type))


@lru_cache(maxsize=None)
def _getter(record_type: type):
    getter = operator.attrgetter(*_names(record_type))
    return getter if len(_names(record_type)) > 1 else (lambda record: (getter(record),))
