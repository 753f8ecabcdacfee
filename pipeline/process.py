"""The per-document work: ``process(path, doc_id, config) -> DocumentResult``, and
``process_batch`` for several files at once (the unit of work of the runner's workers).

A pure function of the file's bytes and the config, run in worker processes (which write the results
into the store themselves, ``pipeline.runner``) or as a Dask task (whose results the parent writes).
Every failure becomes a ``ReadError`` naming the stage, so one bad file never stops a batch.
"""
from __future__ import annotations

import hashlib
import logging
import stat
import threading
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from corpus.errors import ExtractionError, ReadFailed, ZhengceError
from corpus.records import Document, DocumentResult, Measure, ReadError
from pipeline.config import Config

LOGGER = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _nlp(segmenter: str):
    import extractors

    return extractors.load(segmenter=segmenter)


@lru_cache(maxsize=4)
def _classifier(model: str, taxonomy: str, threshold: float):
    from models.predictor import load_classifier

    return load_classifier(model or None, taxonomy or None, threshold)


# spaCy keeps every new word of every document in the vocab for the life of the process: on tens of
# thousands of files a worker's memory would keep growing. Words first seen inside a memory zone
# are dropped when it closes; a zone per document re-creates common words each time (35% slower), a
# zone per ZONE_DOCS documents costs about 2%.
ZONE_DOCS = 100


class _MemoryZones:
    """Opens a new ``nlp.memory_zone()`` every ``ZONE_DOCS`` documents, closing the last one.
    Safe because ``process`` keeps no Doc once it returns: the records hold plain strings."""

    def __init__(self) -> None:
        self._zone = None
        self._nlp = None
        self._docs = 0

    def enter(self, nlp) -> None:
        if self._zone is None or self._docs >= ZONE_DOCS or nlp is not self._nlp:
            if self._zone is not None:
                self._zone.__exit__(None, None, None)
            self._zone = nlp.memory_zone()
            self._zone.__enter__()
            self._nlp = nlp
            self._docs = 0
        self._docs += 1


_ZONES = _MemoryZones()
_NLP_LOCK = threading.Lock()

WARM_UP_TEXT = "某县关于教育的通知\n发布时间: 2024-01-02\n一、到2025年，累计投入1亿元，入学率达到95%以上。"


def warm_up(config: Config) -> None:
    """Load the pipeline and the model once per process (worker initialiser, or the parent before
    it forks): one tiny document also imports what the components load lazily."""
    from corpus.normalise import normalise

    nlp = _nlp(config.segmenter)
    nlp(normalise(WARM_UP_TEXT).text)
    if config.classify:
        _classifier(config.model, config.taxonomy, config.theme_threshold).predict_themes([WARM_UP_TEXT])


def _error(doc_id: str, path: Path, digest: str, stage: str, exc: BaseException) -> DocumentResult:
    reason = str(exc) if isinstance(exc, ZhengceError) else f"{type(exc).__name__}: {exc}"
    return DocumentResult(doc_id, str(path), digest, error=ReadError(doc_id, str(path), stage, reason[:500]))


def process(path: str | Path, doc_id: str, config: Config = Config()) -> DocumentResult:
    """All records of one file, or one ``ReadError``."""
    return process_batch([(path, doc_id)], config)[0]


# Documents per ``process_batch`` call in the runner: classifying the measures of 16 documents in
# one call costs about 30% less than one call per document (the fixed costs of the sparse features).
BATCH_DOCS = 16


def process_batch(files: Sequence[tuple[str | Path, str]], config: Config = Config()) -> list[DocumentResult]:
    """``process`` for several ``(path, doc_id)`` pairs, in order: each file is read and extracted
    alone, the measures of all of them are classified together. The results are those of
    ``process`` file by file; a file that fails is an error row and costs no other file."""
    results = [_extract(Path(path), doc_id, config) for path, doc_id in files]
    if config.classify:
        results = _classify(results, config)
    set_search_terms(results)
    return results


def _measure_words(result: DocumentResult) -> list[list[str] | None]:
    """The words of each measure from the document's segmentation; None where unknown."""
    if len(result.measure_words) == len(result.measures):
        return result.measure_words
    return [None] * len(result.measures)


def set_search_terms(results: list[DocumentResult]) -> None:
    """The full-text index terms of every measure, from the words the document was cut into;
    the words are dropped after (nothing downstream reads them)."""
    from pipeline.search import index_terms

    for result in results:
        result.search_terms = [index_terms(m.text, words)
                               for m, words in zip(result.measures, _measure_words(result))]
        result.measure_words = []


def _extract(path: Path, doc_id: str, config: Config) -> DocumentResult:
    """Every record of one file, measures not yet classified; or its ``ReadError``."""
    from corpus.normalise import normalise
    from corpus.readers import read_path
    from extractors import records

    digest = ""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # opening a named pipe would block forever
            raise ReadFailed(f"{path}: not a regular file (a named pipe, socket or device); skipped")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReadFailed(f"{path}: cannot open ({exc.strerror or exc})") from exc
        digest = hashlib.sha1(data).hexdigest()
        raw = read_path(path, data)
    except Exception as exc:  # noqa: BLE001 - every reader failure becomes an errors row
        return _error(doc_id, path, digest, "read", exc)
    try:
        norm = normalise(raw.text)
    except Exception as exc:  # noqa: BLE001
        return _error(doc_id, path, digest, "normalise", exc)
    if not norm.text.strip():
        return _error(doc_id, path, digest, "normalise", ValueError("no text left after removing site boilerplate"))
    try:
        nlp = _nlp(config.segmenter)
        if len(norm.text) > nlp.max_length:  # spaCy's own message advises settings users cannot reach
            raise ExtractionError(
                f"{path}: too long to analyse as one document ({len(norm.text):,} characters after "
                f"normalising, limit {nlp.max_length:,}); split it into its parts")
        # One Doc at a time per process (a Dask worker runs tasks in threads): a memory zone must
        # never close under another thread's Doc. The work holds the GIL anyway.
        with _NLP_LOCK:
            _ZONES.enter(nlp)
            doc = nlp.make_doc(norm.text)
            doc._.source_title = raw.title
            doc._.source_published = raw.published
            doc = nlp(doc)
            found = records(doc, doc_id)
            del doc
    except Exception as exc:  # noqa: BLE001
        LOGGER.warning("extraction failed on %s: %s", path, exc, exc_info=LOGGER.isEnabledFor(logging.DEBUG))
        return _error(doc_id, path, digest, "extract", exc)
    return extracted(doc_id, path, digest, raw, norm, found)


def extracted(doc_id: str, path: Path, digest: str, raw, norm, found) -> DocumentResult:
    """The result of one file from its reading (``RawDocument``), normalising (``Normalised``)
    and extraction (``extractors.collect.DocRecords``), measures not yet classified."""
    document = Document(
        doc_id=doc_id,
        title=found.title,
        published=found.published,
        province=found.province,
        city=found.city,
        county=found.county,
        admin_level=found.admin_level,
        script=norm.script,
        n_chars=len(norm.text),
        n_measures=len(found.measures),
        format=raw.format,
        encoding=raw.encoding,
        lost_chars=norm.lost_chars,
        content_hash=digest,
    )
    return DocumentResult(doc_id, str(path), digest, document, found.measures, found.funding, found.targets,
                          found.indicators, measure_words=found.measure_words)


def _classify(results: list[DocumentResult], config: Config) -> list[DocumentResult]:
    """Theme and instrument of every measure of ``results``, in one call; if that call fails, one
    call per document, so that only the document it fails on becomes an error row."""
    todo = [r for r in results if r.error is None and r.measures]
    if not todo:
        return results
    try:
        set_themes(todo, config)
    except Exception as exc:  # noqa: BLE001
        if len(todo) > 1:  # find the document it fails on
            return [_classify([r], config)[0] for r in results]
        failed = todo[0]
        LOGGER.warning("classification failed on %s: %s", failed.path, exc, exc_info=LOGGER.isEnabledFor(logging.DEBUG))
        return [_error(r.doc_id, Path(r.path), r.content_hash, "classify", exc) if r is failed else r for r in results]
    return results


def set_themes(results: list[DocumentResult], config: Config) -> None:
    """Classify the measures of ``results`` in one call and put theme and instrument on each."""
    measures = [m for r in results for m in r.measures]
    predictions = iter(_classifier(config.model, config.taxonomy, config.theme_threshold).predict_themes(
        [m.text for m in measures], sections=[m.section for m in measures],
        words=[words for r in results for words in _measure_words(r)]))
    # Assigned only once every prediction is in: a failed call leaves every result as it was.
    # The Measure built directly: dataclasses.replace inspects the fields on every call.
    classified = [[Measure(doc_id=m.doc_id, measure_id=m.measure_id, section=m.section, text=m.text, theme=p.theme,
                           theme_score=p.score, themes=p.themes,
                           instrument=p.instrument, start=m.start, end=m.end)
                   for m, p in zip(r.measures, predictions)]
                  for r in results]
    for r, measures_of in zip(results, classified):
        r.measures = measures_of
