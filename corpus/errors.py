"""Exceptions of zhengce, at the bottom of the import graph so every room can raise them.

The tree (catch the level you need)::

    ZhengceError
    ├── CorpusError            a file could not be turned into a document
    │   ├── UnsupportedFormat  no reader for this suffix
    │   ├── DecodeError        bytes that are no known Chinese encoding
    │   ├── EmptyDocument      the file holds no text (or only boilerplate)
    │   └── ReadFailed         the container is broken (truncated .docx, .pdf without text...)
    ├── ExtractionError        an extractor failed on a document
    ├── ModelError
    │   ├── NotFittedError     predict before fit
    │   └── TaxonomyError      a taxonomy file that cannot be used
    ├── ConfigError            an unknown or ill-typed setting
    └── StoreError             the SQLite store is missing or of another version

Messages name the input and, where there is one, the fix.
"""
from __future__ import annotations


class ZhengceError(Exception):
    """Base of every error zhengce raises on purpose."""


class CorpusError(ZhengceError):
    """A file could not be turned into a document."""


class UnsupportedFormat(CorpusError):
    pass


class DecodeError(CorpusError):
    pass


class EmptyDocument(CorpusError):
    pass


class ReadFailed(CorpusError):
    pass


class ExtractionError(ZhengceError):
    pass


class ModelError(ZhengceError):
    pass


class NotFittedError(ModelError):
    pass


class TaxonomyError(ModelError):
    pass


class ConfigError(ZhengceError):
    pass


class StoreError(ZhengceError):
    pass
