"""Custom attributes on spaCy objects, registered in one place.

Guarded by ``has_extension`` so registration is safe to repeat in every component and in every
worker process (with spawn or on Dask the children do not inherit the parent's registrations).
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

DOC_EXTENSIONS = {
    "source_title": "",  # title given by the reader (HTML <title>, docx core properties)
    "source_published": "",  # date given by the reader (HTML meta)
    "title": "",
    "date_line": "",
    "published": "",
    "region": None,  # extractors.regions.Region
    "plan_period": None,  # (start_year, end_year) of the plan the document sets, if any
    "doc_year": None,
}
# spaCy keys a span's extension values by (name, start, end), so two spans over the same characters
# in different groups (a sentence and the target that is the whole sentence) would share one value.
# Each group therefore writes its own attribute; ``span._.value`` reads the one its label names.
SPAN_GROUP_ATTRIBUTES = {
    "SENT": "sentence",
    "MEASURE": "sentence",
    "FUNDING": "funding",
    "TARGET": "target",
    "INDICATOR": "indicator",
}
SPAN_EXTENSIONS = {name: None for name in (*set(SPAN_GROUP_ATTRIBUTES.values()), "heading")}


def _value(span: Span):
    """The record's fields of a zhengce span, as a plain dict (msgpack-safe)."""
    name = SPAN_GROUP_ATTRIBUTES.get(span.label_, "heading")
    return getattr(span._, name)


def ensure_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    if not Span.has_extension("value"):
        Span.set_extension("value", getter=_value)


ensure_extensions()
