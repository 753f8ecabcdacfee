"""Custom attributes on spaCy objects, registered in one place.

Guarded by ``has_extension`` so registration is safe to repeat in every component and in every
worker process (with spawn or on Dask the children do not inherit the parent's registrations).
"""
from __future__ import annotations

from functools import lru_cache

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


def set_span_value(doc: Doc, span: Span, name: str, value: object) -> None:
    """``span._.<name> = value``, written straight into ``doc.user_data`` under the key spaCy's own
    accessor uses. The components set a value on every sentence and heading they find, tens of
    thousands per long law: building spaCy's accessor object for each cost as much as parsing
    the sentences. Where spaCy keeps span values elsewhere, the accessor is used."""
    if _user_data_layout():
        doc.user_data[("._.", name, span.start_char, span.end_char)] = value
    else:
        setattr(span._, name, value)


@lru_cache(maxsize=1)
def _user_data_layout() -> bool:
    """Whether ``span._.x = v`` stores ``doc.user_data[("._.", "x", start_char, end_char)] = v``
    (spaCy 3), checked once on a tiny Doc."""
    from spacy.vocab import Vocab

    ensure_extensions()
    doc = Doc(Vocab(), words=["ab", "cd"])
    doc[1:2]._.heading = "probe"
    return doc.user_data == {("._.", "heading", 3, 5): "probe"}


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
