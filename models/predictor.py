"""Theme prediction from a trained model's arrays: what a run loads.

A fitted :class:`models.classifier.ThemeClassifier` is made of scikit-learn estimators and saved
with skops. Predicting needs only their arrays: each TF-IDF block's n-gram lookup and idf, the cue
words, the logistic regressions' coefficients. :class:`ThemePredictor` holds those and predicts
(``ThemeClassifier.predict_themes`` itself goes through it, so there is one way to predict).
``save_model`` writes them beside the ``.skops`` file as ``.npz`` (numpy arrays and JSON, no
pickle), and :func:`load_classifier` reads that file without importing scikit-learn or skops:
their imports were half of every run's start-up (3.3 of 7 s on a 2-core machine).
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import expit, softmax

from corpus.readers import file_sha1
from corpus.segment import tokens
from corpus.structure import heading_of
from models import DEFAULT_MODEL

LOGGER = logging.getLogger(__name__)

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class ThemePrediction:
    """Theme of one sentence: primary ``theme`` and its probability ``score``; ``themes`` lists
    every theme at or above the threshold, best first, ``;``-joined; ``instrument`` is the
    policy-instrument type ("" when the model has no instrument classifier)."""

    theme: str
    score: float
    themes: str
    instrument: str = ""
    instrument_score: float | None = None


# -- sentences as the features see them ----------------------------------------------------------

_ASCII_CLAUSE = {"，": ",", "；": ";", "：": ":", "！": "!", "？": "?"}
"""Clause punctuation and its ASCII form: for sentences (``ascii_punctuation``) and for words
(``ascii_words``)."""


def ascii_punctuation(text: str) -> str:
    """Clause punctuation in one form ("，" and "," both ","), so that character n-grams do not
    learn a source's typing habit. (str.replace per mark: ten times faster than str.translate.)"""
    for full, ascii_form in _ASCII_CLAUSE.items():
        text = text.replace(full, ascii_form)
    return text


def as_texts(X) -> list[str]:
    """Sentences as the features read them (``None`` as "", clause punctuation in ASCII)."""
    if isinstance(X, str):
        raise TypeError("expected an iterable of sentences, got one str; wrap it in a list")
    texts = [x if isinstance(x, str) else "" if x is None else str(x) for x in X]
    return [ascii_punctuation(text) for text in texts]


_WHITE_SPACES = re.compile(r"\s\s+")  # what sklearn's char analyzer collapses
_WHITE_SPACE = re.compile(r"\s").search


def non_blank_words(words: Sequence[str], text: str) -> Sequence[str]:
    """The segmenter's words of ``text`` without whitespace, as ``tokens`` cuts it (except that
    clause punctuation is left full-width: see ``ascii_words``). ``words`` itself when ``text``
    has no whitespace: this runs over every measure."""
    return [w for w in words if w.strip()] if _WHITE_SPACE(text) else words


def ascii_words(words: Sequence[str]) -> list[str]:
    """``words`` with clause punctuation in ASCII, as ``tokens`` gives it for a prepared sentence
    (the segmenters give punctuation one character at a time)."""
    return list(map(_ASCII_CLAUSE.get, words, words))


# -- n-gram counting (shared with models.classifier.CompactTfidfVectorizer) ----------------------

MAX_CHAR_N = 3  # 0x110000 ** 3 still fits in int64
CODE_POINTS = 0x110000

Lookup = tuple[pd.Index, np.ndarray]
"""A hash index of the integer keys of a vocabulary's n-grams, and their column indices."""


def make_lookup(keys: np.ndarray, columns: np.ndarray) -> Lookup:
    # A hash table (pandas' Index) finds a batch of keys five times faster than a binary search.
    return pd.Index(np.asarray(keys, dtype=np.int64)), np.asarray(columns, dtype=np.int64)


def find_columns(lookup: Lookup, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Columns of the ``keys`` found in ``lookup`` and the mask of those found."""
    index, columns = lookup
    at = index.get_indexer(keys)
    hit = at >= 0
    return columns[at[hit]], hit


def char_columns(docs: list[str], lookup: Lookup, ngram_range: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every character n-gram of ``docs`` in the vocabulary: integer keys built
    from code points, looked up for the whole batch at once."""
    texts = [_WHITE_SPACES.sub(" ", doc) for doc in docs]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    code_points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    starts = np.cumsum(lengths) - lengths
    doc_of = np.repeat(np.arange(len(texts)), lengths)
    room = (starts + lengths)[doc_of] - np.arange(len(code_points))  # chars left in the doc
    rows, columns = [], []
    low, high = ngram_range
    for n in range(low, high + 1):
        ok = np.flatnonzero(room >= n)
        keys = code_points[ok]
        for offset in range(1, n):
            keys = keys * CODE_POINTS + code_points[ok + offset]
        found, hit = find_columns(lookup, keys)
        rows.append(doc_of[ok][hit])
        columns.append(found)
    return np.concatenate(rows), np.concatenate(columns)


def word_columns(docs: list[str], lookup: Lookup, vocabulary: dict[str, int], ngram_range: tuple[int, int],
                 tokenizer, tokenized: Sequence[Sequence[str] | None] | None = None,
                 n_terms: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every word and word bigram of ``docs`` in the vocabulary (bigrams as pairs
    of word ids). ``tokenized``: each doc's words when already cut (None: cut with ``tokenizer``).
    ``n_terms``: the number of columns, when ``vocabulary`` also holds aliases."""
    n_terms = len(vocabulary) if n_terms is None else n_terms
    get = vocabulary.get
    ids, lengths = [], []
    for doc, given in zip(docs, tokenized or repeat(None)):
        words = tokenizer(doc) if given is None else given
        ids.extend(map(get, words, repeat(-1)))
        lengths.append(len(words))
    ids = np.asarray(ids, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    doc_of = np.repeat(np.arange(len(docs)), lengths)
    rows, columns = [], []
    low, high = ngram_range
    if low == 1:
        known = ids >= 0
        rows.append(doc_of[known])
        columns.append(ids[known])
    if high == 2 and len(ids) > 1:
        # A bigram in the vocabulary has both words in it (min_df counts documents), so
        # unknown words can be skipped.
        pair = (doc_of[:-1] == doc_of[1:]) & (ids[:-1] >= 0) & (ids[1:] >= 0)
        first = np.flatnonzero(pair)
        found, hit = find_columns(lookup, ids[first] * n_terms + ids[first + 1])
        rows.append(doc_of[first][hit])
        columns.append(found)
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(columns)


def tfidf_rows(rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int], dtype, idf: np.ndarray | None,
               sublinear_tf: bool, l2: bool) -> sparse.csr_matrix:
    """Counts of (row, column) hits weighted as sklearn's ``TfidfTransformer`` weighs them."""
    counts = sparse.csr_matrix((np.ones(len(columns), dtype=dtype), (rows, columns)), shape=shape, dtype=dtype)
    counts.sum_duplicates()
    counts.sort_indices()
    data = counts.data
    if sublinear_tf:
        np.log(data, out=data)
        data += 1.0
    if idf is not None:
        data *= idf[counts.indices]
    if l2:
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=counts.shape[0]))
        norms[norms == 0] = 1.0
        data /= norms[rows]
    return counts


# -- cue words (shared with models.keywords) ------------------------------------------------------

@lru_cache(maxsize=64)
def _pattern(cues: tuple[str, ...]) -> re.Pattern[str] | None:
    # Longest first so 交流轮岗 is one hit, not 交流 + 轮岗 when both are cues.
    if not cues:
        return None
    return re.compile("|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)))


def count_cues(texts: Iterable[str], cue_groups: Sequence[Sequence[str]]) -> np.ndarray:
    """Cue hits per text (rows) and group (columns), non-overlapping, longest cue first.

    Parameters
    ----------
    texts
        Sentences (simplified Chinese).
    cue_groups
        One sequence of cue words per group (theme or instrument type).

    Returns
    -------
    numpy.ndarray of int, shape (n_texts, n_groups)
    """
    patterns = [_pattern(tuple(group)) for group in cue_groups]
    texts = ["" if text is None else text for text in texts]
    counts = np.zeros((len(texts), len(patterns)), dtype=np.int64)
    if not texts:
        return counts
    # One scan of the joined batch per group instead of one per sentence: a cue never spans
    # the separator (cues are words; a cue holding it falls back to per-sentence scanning).
    separator = "\n"
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + len(separator)
    starts = np.cumsum(lengths) - lengths
    joined = separator.join(texts)
    for column, (group, pattern) in enumerate(zip(cue_groups, patterns)):
        if pattern is None:
            continue
        if any(separator in cue for cue in group):
            counts[:, column] = [len(pattern.findall(text)) for text in texts]
            continue
        found = [match.start() for match in pattern.finditer(joined)]
        if found:
            rows = np.searchsorted(starts, found, side="right") - 1
            counts[:, column] = np.bincount(rows, minlength=len(texts))
    return counts


def cue_features(texts: list[str], cues: Sequence[Sequence[str]], sublinear: bool, weight: float) -> sparse.csr_matrix:
    counts = count_cues(texts, cues).astype(np.float64)
    if sublinear:
        counts = np.log1p(counts)
    return sparse.csr_matrix(counts * weight)


# -- feature blocks ---------------------------------------------------------------------------------

@dataclass(slots=True)
class TfidfBlock:
    """A TF-IDF block (characters or words) from its arrays."""

    analyzer: str  # "char" or "word"
    ngram_range: tuple[int, int]
    terms: np.ndarray  # the vocabulary in column order
    keys: np.ndarray  # integer keys of the n-grams looked up by hash (see CompactTfidfVectorizer)
    columns: np.ndarray
    idf: np.ndarray | None
    sublinear_tf: bool
    l2: bool
    dtype: str = "float64"
    _lookup: Lookup | None = None
    _vocabulary: dict[str, int] | None = None

    def lookup(self) -> Lookup:
        if self._lookup is None:
            self._lookup = make_lookup(self.keys, self.columns)
        return self._lookup

    def vocabulary(self) -> dict[str, int]:
        """Term -> column; full-width clause punctuation also finds its ASCII form's column, so that
        the segmenter's words are looked up as they are (converting every word of every measure
        cost a tenth of predicting)."""
        if self._vocabulary is None:
            vocabulary = {term: i for i, term in enumerate(self.terms.tolist())}
            for full, ascii_form in _ASCII_CLAUSE.items():
                if ascii_form in vocabulary:
                    vocabulary.setdefault(full, vocabulary[ascii_form])
            self._vocabulary = vocabulary
        return self._vocabulary

    def transform(self, texts: list[str], tokenized=None) -> sparse.csr_matrix:
        if self.analyzer == "char":
            rows, columns = char_columns(texts, self.lookup(), self.ngram_range)
        else:
            rows, columns = word_columns(texts, self.lookup(), self.vocabulary(), self.ngram_range, tokens, tokenized,
                                         len(self.terms))
        return tfidf_rows(rows, columns, (len(texts), len(self.terms)), np.dtype(self.dtype), self.idf,
                          self.sublinear_tf, self.l2)


@dataclass(slots=True)
class CueBlock:
    """Cue-word counts per group (see ``models.keywords.CueCounter``)."""

    cues: list[tuple[str, ...]]
    sublinear: bool
    weight: float

    def transform(self, texts: list[str], tokenized=None) -> sparse.csr_matrix:
        return cue_features(texts, self.cues, self.sublinear, self.weight)


class EstimatorBlock:
    """A fitted transformer that has no arrays-only form (a configuration outside the fast path):
    used as it is, in memory only."""

    def __init__(self, transformer):  # noqa: ANN001 - a fitted sklearn transformer
        self.transformer = transformer

    def transform(self, texts: list[str], tokenized=None) -> sparse.csr_matrix:
        from models.classifier import cuts_words

        if tokenized is not None and cuts_words(self.transformer):
            return self.transformer.transform(texts, [None if w is None else ascii_words(w) for w in tokenized])
        return self.transformer.transform(texts)


@dataclass(slots=True)
class LinearHead:
    """A fitted logistic regression: ``classes``, ``coef`` (classes x features), ``intercept``."""

    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray

    def proba(self, features) -> np.ndarray:
        """``LogisticRegression.predict_proba`` (tested equal), without its input validation."""
        scores = np.asarray(features @ self.coef.T) + self.intercept
        if scores.shape[1] == 1:  # binary: one column of log-odds for classes[1]
            positive = expit(scores[:, 0])
            return np.column_stack([1.0 - positive, positive])
        return softmax(scores, axis=1)


# -- the predictor ----------------------------------------------------------------------------------

class ThemePredictor:
    """``predict_themes`` of a trained :class:`models.classifier.ThemeClassifier`, from its arrays.

    Parameters
    ----------
    blocks : list of (block, weight)
        The feature blocks in the model's order, each with its weight in the feature union.
    themes, instruments : LinearHead
        The theme and the instrument regressions (``instruments`` None without instrument labels).
    fallback : str
        The taxonomy's fallback theme (``other``), chosen only with ``fallback_min_proba``.
    threshold, fallback_min_proba, heading_weight : float
        As in ``ThemeClassifier``.
    source_sha1 : str
        The sha1 of the model file the arrays were saved from ("" when made in memory).
    """

    def __init__(self, blocks: list[tuple[object, float]], themes: LinearHead, instruments: LinearHead | None,
                 fallback: str, threshold: float, fallback_min_proba: float, heading_weight: float,
                 source_sha1: str = ""):
        self.blocks = blocks
        self.themes = themes
        self.instruments = instruments
        self.fallback = fallback
        self.threshold = threshold
        self.fallback_min_proba = fallback_min_proba
        self.heading_weight = heading_weight
        self.source_sha1 = source_sha1  # of the model file the arrays were saved from

    # -- from a fitted classifier, to and from a file ---------------------------------------------
    @classmethod
    def from_classifier(cls, model) -> "ThemePredictor":  # noqa: ANN001 - a fitted ThemeClassifier
        """The predictor of a fitted ``ThemeClassifier`` (its arrays shared, not copied)."""
        from models.classifier import CompactTfidfVectorizer
        from models.keywords import CueCounter

        union = model.pipeline_.named_steps["features"]
        weights = union.transformer_weights or {}
        blocks = []
        for name, transformer in union.transformer_list:
            if transformer == "drop":
                continue
            if isinstance(transformer, CompactTfidfVectorizer) and transformer.arrays_only():
                block = transformer.as_block()
            elif isinstance(transformer, CueCounter):
                block = CueBlock([tuple(c) for c in transformer.cues_], transformer.sublinear, transformer.weight)
            else:
                block = EstimatorBlock(transformer)
            blocks.append((block, weights.get(name, 1)))

        def head(pipeline) -> LinearHead | None:  # noqa: ANN001
            if pipeline is None:
                return None
            clf = pipeline.named_steps["clf"]
            return LinearHead([str(c) for c in clf.classes_], clf.coef_, clf.intercept_)

        return cls(blocks, head(model.pipeline_), head(model.instrument_pipeline_), model.taxonomy_.fallback,
                   model.threshold, model.fallback_min_proba, getattr(model, "heading_weight", 0.0))

    def save(self, path: str | Path, source_sha1: str = "") -> Path:
        """Write the arrays to ``path`` (``.npz``, no pickle); ``source_sha1`` names the model file
        they were made from, so a stale file is never read in its place."""
        arrays: dict[str, np.ndarray] = {}
        blocks = []
        for i, (block, weight) in enumerate(self.blocks):
            if isinstance(block, TfidfBlock):
                for field in ("terms", "keys", "columns") + (("idf",) if block.idf is not None else ()):
                    arrays[f"block{i}_{field}"] = getattr(block, field)
                blocks.append({"kind": "tfidf", "weight": weight, "analyzer": block.analyzer,
                               "ngram_range": list(block.ngram_range), "idf": block.idf is not None,
                               "sublinear_tf": block.sublinear_tf, "l2": block.l2, "dtype": block.dtype})
            elif isinstance(block, CueBlock):
                blocks.append({"kind": "cues", "weight": weight, "cues": [list(c) for c in block.cues],
                               "sublinear": block.sublinear, "cue_weight": block.weight})
            else:
                raise ValueError(f"feature block {i} ({type(block).__name__}) has no arrays-only form")
        heads = {}
        for name, head in (("themes", self.themes), ("instruments", self.instruments)):
            if head is not None:
                arrays[f"{name}_coef"], arrays[f"{name}_intercept"] = head.coef, head.intercept
                heads[name] = head.classes
        meta = {"format": FORMAT_VERSION, "source_sha1": source_sha1, "blocks": blocks, "heads": heads,
                "fallback": self.fallback, "threshold": self.threshold,
                "fallback_min_proba": self.fallback_min_proba, "heading_weight": self.heading_weight}
        path = Path(path)
        with path.open("wb") as f:
            np.savez_compressed(f, meta=np.asarray(json.dumps(meta, ensure_ascii=False)), **arrays)
        return path

    @classmethod
    def load(cls, path: str | Path) -> "ThemePredictor":
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format") != FORMAT_VERSION:
                raise ValueError(f"{path}: predictor format {meta.get('format')}, this zhengce reads {FORMAT_VERSION}")
            blocks: list[tuple[object, float]] = []
            for i, spec in enumerate(meta["blocks"]):
                if spec["kind"] == "tfidf":
                    block = TfidfBlock(spec["analyzer"], tuple(spec["ngram_range"]), data[f"block{i}_terms"],
                                       data[f"block{i}_keys"], data[f"block{i}_columns"],
                                       data[f"block{i}_idf"] if spec["idf"] else None, spec["sublinear_tf"],
                                       spec["l2"], spec["dtype"])
                else:
                    block = CueBlock([tuple(c) for c in spec["cues"]], spec["sublinear"], spec["cue_weight"])
                blocks.append((block, spec["weight"]))
            heads = {name: LinearHead(classes, data[f"{name}_coef"], data[f"{name}_intercept"])
                     for name, classes in meta["heads"].items()}
        return cls(blocks, heads["themes"], heads.get("instruments"), meta["fallback"], meta["threshold"],
                   meta["fallback_min_proba"], meta["heading_weight"], meta["source_sha1"])

    # -- prediction ----------------------------------------------------------------------------------
    def _features(self, texts: list[str], tokenized) -> sparse.csr_matrix:
        return sparse.hstack([block.transform(texts, tokenized) * weight for block, weight in self.blocks],
                             format="csr")

    def _headings(self, sections: Iterable[str] | None, n: int) -> list[str]:
        """The innermost heading of each sentence's section ("" for none), or [] when headings
        are not used."""
        if sections is None or not self.heading_weight:
            return []
        sections = list(sections)
        if len(sections) != n:
            raise ValueError(f"{len(sections)} sections for {n} sentences")
        of = {s: heading_of(s or "") for s in set(sections)}
        return [of[s] for s in sections]

    def primary(self, proba: np.ndarray) -> np.ndarray:
        """Index of the primary theme of each row: the most probable one, except that the fallback
        theme needs ``fallback_min_proba``."""
        if self.fallback not in self.themes.classes:
            return proba.argmax(axis=1)
        fallback = self.themes.classes.index(self.fallback)
        guarded = proba.copy()
        weak = guarded[:, fallback] < self.fallback_min_proba
        guarded[weak, fallback] = -1.0
        return guarded.argmax(axis=1)

    def predict_themes(self, X: Iterable[str], sections: Iterable[str] | None = None,
                       words: Sequence[Sequence[str] | None] | None = None) -> list[ThemePrediction]:
        """Theme, secondary themes and instrument of each sentence.

        Parameters
        ----------
        X : iterable of str
            Measure sentences.
        sections : iterable of str, optional
            The section path of each sentence (``Measure.section``); its innermost heading is
            mixed into the theme with ``heading_weight``.
        words : sequence of (sequence of str or None), optional
            Each sentence's words as the segmenter cut it (``DocRecords.measure_words``), to
            skip segmenting it again; None for a sentence to segment here.

        Returns
        -------
        list[ThemePrediction]
        """
        return self.predict_texts(as_texts(X), sections, words)

    def predict_texts(self, texts: list[str], sections: Iterable[str] | None = None,
                      words: Sequence[Sequence[str] | None] | None = None) -> list[ThemePrediction]:
        """``predict_themes`` of sentences already prepared by ``as_texts``."""
        if not texts:
            return []
        headings = self._headings(sections, len(texts))
        distinct = sorted({h for h in headings if h})
        if words is not None and len(words) != len(texts):
            raise ValueError(f"{len(words)} word lists for {len(texts)} sentences")
        tokenized = None if words is None else [None if w is None else non_blank_words(w, text)
                                                for w, text in zip(words, texts)]
        # The sentences and their distinct headings in one featurisation (one call per batch).
        features = self._features(texts + as_texts(distinct),
                                  None if tokenized is None else tokenized + [None] * len(distinct))
        proba = self.themes.proba(features)
        if distinct:
            of_heading = proba[len(texts):]
            column = {heading: j for j, heading in enumerate(distinct)}
            rows = [i for i, heading in enumerate(headings) if heading]
            proba = proba[: len(texts)].copy()
            proba[rows] = ((1 - self.heading_weight) * proba[rows]
                           + self.heading_weight * of_heading[[column[headings[i]] for i in rows]])
            features = features[: len(texts)]
        inst = np.zeros((len(texts), 0)) if self.instruments is None else self.instruments.proba(features)
        primary = self.primary(proba)
        # The themes at or above the threshold, best first; the primary leads. Most rows have at
        # most the primary above it: only the others are sorted. (Plain lists from here: indexing
        # numpy arrays element by element costs more than the rest.)
        n_above = (proba >= self.threshold).sum(axis=1)
        ranked_rows = np.flatnonzero((n_above > 1) | ((n_above == 1) & (proba.argmax(axis=1) != primary)))
        classes = self.themes.classes
        themes = [classes[best] for best in primary.tolist()]
        for i, ranked, above_n in zip(ranked_rows.tolist(),
                                      np.argsort(-proba[ranked_rows], axis=1, kind="stable").tolist(),
                                      n_above[ranked_rows].tolist()):
            best = primary[i]
            themes[i] = ";".join([classes[best], *(classes[j] for j in ranked[:above_n] if j != best)])
        best_score = proba[np.arange(len(texts)), primary].tolist()
        if inst.shape[1]:
            inst_best = inst.argmax(axis=1)
            inst_names = self.instruments.classes
            instruments = [inst_names[k] for k in inst_best.tolist()]
            inst_scores = [round(v, 4) for v in inst[np.arange(len(texts)), inst_best].tolist()]
        else:
            instruments, inst_scores = [""] * len(texts), [None] * len(texts)
        return [ThemePrediction(classes[best], round(score, 4), themes_of, instrument, inst_score)
                for best, score, themes_of, instrument, inst_score in zip(
                    primary.tolist(), best_score, themes, instruments, inst_scores)]


# -- loading for a run ----------------------------------------------------------------------------

def predictor_path(model_path: str | Path) -> Path:
    """Where ``save_model`` writes the arrays of the model at ``model_path``."""
    return Path(model_path).with_suffix(".npz")


@lru_cache(maxsize=4)
def _load_predictor(path: str, model: str, mtimes_ns: tuple[int, int]) -> ThemePredictor | None:
    try:
        predictor = ThemePredictor.load(path)
    except (OSError, ValueError, KeyError) as exc:
        LOGGER.info("not using %s: %s", path, exc)
        return None
    if predictor.source_sha1 != file_sha1(model):
        LOGGER.info("not using %s: made from another version of the model file", path)
        return None
    return predictor


def load_predictor(model_path: str | Path | None = None) -> ThemePredictor | None:
    """The arrays ``save_model`` wrote beside the model file (default: the shipped model), or None
    when there are none or they were made from another version of that file."""
    model = (Path(model_path) if model_path is not None else DEFAULT_MODEL).expanduser().resolve()
    arrays = predictor_path(model)
    if not model.is_file() or not arrays.is_file():
        return None
    return _load_predictor(str(arrays), str(model), (arrays.stat().st_mtime_ns, model.stat().st_mtime_ns))


def load_classifier(model_path: str | Path | None = None, taxonomy_path: str | Path | None = None,
                    threshold: float | None = None):
    """What classifies measures in a run: the model's arrays when ``save_model`` wrote them beside
    it (no scikit-learn or skops imported), else the model itself
    (``models.classifier.load_estimator``: a custom taxonomy, an old model file).

    Raises ``ModelError`` when the model cannot be loaded, ``TaxonomyError`` when it was trained
    for other themes than the taxonomy's.
    """
    if not taxonomy_path:
        predictor = load_predictor(model_path)
        if predictor is not None:
            predictor = copy(predictor)  # the cached one stays as it was
            if threshold is not None:
                predictor.threshold = threshold
            return predictor
    from models.classifier import load_estimator

    return load_estimator(model_path, taxonomy_path, threshold)
