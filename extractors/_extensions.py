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
SPAN_EXTENSIONS = {
    "value": None,  # plain dict of the record's fields (msgpack-safe)
    "section": "",
    "sentence_id": "",
    "is_measure": False,
}


def ensure_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


ensure_extensions()
