"""Turn a processed Doc into the dataclass records of ``corpus.records``."""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from corpus.records import FundingAmount, Indicator, Measure, Target
from extractors.components import sentence_values, words_between


@dataclass(slots=True)
class DocRecords:
    title: str = ""
    published: str = ""
    province: str = ""
    city: str = ""
    county: str = ""
    admin_level: str = ""
    measures: list[Measure] = field(default_factory=list)
    funding: list[FundingAmount] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    measure_words: list[list[str] | None] = field(default_factory=list)
    """Per measure, its words as the Doc's segmenter cut them (None where a measure's bounds fall
    inside a word): the classifier and the search index use them instead of segmenting again."""


def _known(record_type: type, value: dict) -> dict:
    names = record_type.__dataclass_fields__
    return {k: v for k, v in value.items() if k in names}


def _origin(value: dict) -> str:
    """``measure_id``: the sentence's id when the sentence is a measure, else empty."""
    return value["sentence_id"] if value["is_measure"] else ""


def records(doc: Doc, doc_id: str) -> DocRecords:
    """All records of one processed document; ``measure_id`` is the id of the sentence a number
    comes from when that sentence is a measure, else empty."""
    region = doc._.region
    out = DocRecords(
        title=doc._.title or doc._.source_title,
        published=doc._.published or "",
        province=getattr(region, "province", ""),
        city=getattr(region, "city", ""),
        county=getattr(region, "county", ""),
        admin_level=getattr(region, "admin_level", ""),
    )
    sentences = [value for _, _, value in sentence_values(doc)]
    out.measures = [
        Measure(doc_id=doc_id, measure_id=s["sentence_id"], section=s["section"], text=s["text"],
                start=s["start"], end=s["end"])
        for s in sentences if s["is_measure"]
    ]
    out.measure_words = [words_between(doc, m.start, m.end) for m in out.measures]
    sentence_text = {s["sentence_id"]: s["text"] for s in sentences}
    for span in doc.spans.get("funding", []):
        value = span._.value
        value = dict(value, sentence=sentence_text.get(value["sentence_id"], ""))
        out.funding.append(
            FundingAmount(doc_id=doc_id, measure_id=_origin(value), start=span.start_char, end=span.end_char,
                          **_known(FundingAmount, value))
        )
    for key, record_type, bucket in (("targets", Target, out.targets), ("indicators", Indicator, out.indicators)):
        for span in doc.spans.get(key, []):
            value = span._.value
            bucket.append(
                record_type(doc_id=doc_id, measure_id=_origin(value), start=span.start_char, end=span.end_char,
                            **_known(record_type, value))
            )
    return out
