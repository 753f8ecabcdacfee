"""Turn a processed Doc into the dataclass records of ``corpus.records``."""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from corpus.records import FundingAmount, Indicator, Measure, Target


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


def _measure_id(span: Span) -> str:
    return span._.sentence_id if span._.is_measure else ""


def _known(record_type: type, value: dict) -> dict:
    names = record_type.__dataclass_fields__
    return {k: v for k, v in value.items() if k in names}


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
    for span in doc.spans.get("measures", []):
        out.measures.append(
            Measure(
                doc_id=doc_id,
                measure_id=span._.sentence_id,
                section=span._.section,
                text=span._.value["text"],
                start=span.start_char,
                end=span.end_char,
            )
        )
    sentence_text = {s._.sentence_id: s._.value["text"] for s in doc.spans.get("sentences", [])}
    for span in doc.spans.get("funding", []):
        value = dict(span._.value, sentence=sentence_text.get(span._.sentence_id, ""))
        out.funding.append(
            FundingAmount(doc_id=doc_id, measure_id=_measure_id(span), start=span.start_char, end=span.end_char,
                          **_known(FundingAmount, value))
        )
    for key, record_type, bucket in (("targets", Target, out.targets), ("indicators", Indicator, out.indicators)):
        for span in doc.spans.get(key, []):
            bucket.append(
                record_type(doc_id=doc_id, measure_id=_measure_id(span), start=span.start_char, end=span.end_char,
                            **_known(record_type, span._.value))
            )
    return out
