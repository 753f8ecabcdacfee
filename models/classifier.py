"""Theme and policy-instrument classifiers for measure sentences (scikit-learn estimators).

:class:`ThemeClassifier` holds two pipelines that share their fitted features::

    Pipeline([("features", FeatureUnion([("words", TF-IDF over words and word bigrams),
                                         ("chars", TF-IDF over character 1-2-grams),
                                         ("cues",  cue-word counts from the taxonomy)])),
              ("clf", LogisticRegression)])

``pipeline_`` predicts the primary theme (``classes_``); ``instrument_pipeline_`` predicts the
instrument type (supply / environment / demand) when the labels had one, from the same features.
(A calibrated linear SVM scored 2 points more macro-F1 on held-out labels but less on real reports,
with a model twice the size; logistic regression stays.) Nested parameters can be
tuned through the pipeline, e.g. ``model.pipeline_.set_params(features__chars__ngram_range=(1, 2))``
before refitting a clone.

Models are saved with skops (no pickle) and loaded with an explicit list of trusted types.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from numbers import Integral, Real
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import expit, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError as SklearnNotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from corpus import errors
from corpus.segment import tokens
from corpus.structure import heading_of
from models import DEFAULT_MODEL  # defined in the package, so the runner reads it without sklearn
from models.keywords import CueCounter
from models.taxonomy import load_taxonomy

LOGGER = logging.getLogger(__name__)


class ModelNotFittedError(errors.NotFittedError, SklearnNotFittedError):
    """Predict before fit: a zhengce ``NotFittedError`` that sklearn code also recognises."""


class InvalidParameterError(errors.ConfigError, ValueError):
    """A constructor parameter out of its allowed range (checked in ``fit``, as sklearn does)."""


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


class CompactTfidfVectorizer(TfidfVectorizer):
    """A ``TfidfVectorizer`` that saves its vocabulary as one array of terms and counts n-grams
    with numpy.

    skops writes a dict entry by entry into its JSON schema: a 30,000-term vocabulary made a
    56 MB file that took seconds to load. The terms in index order are one numpy array instead;
    the dict is rebuilt on load.

    ``transform`` is the hot path of classifying measures: sklearn counts n-grams one Python
    string at a time. Here character n-grams are integer keys built from code points, and word
    bigrams are pairs of word ids, both looked up in sorted arrays for a whole batch at once. The
    counts are the ones sklearn's counting gives (tested), and the TF-IDF weighting is sklearn's
    own; configurations outside the fast path (other analyzers, lowercasing, n > 3) use sklearn.
    """

    def __getstate__(self):
        # A copy: object.__getstate__ may hand back the live __dict__.
        state = dict(super().__getstate__())
        state.pop("_fast_lookup", None)
        vocabulary = state.pop("vocabulary_", None)
        if vocabulary is not None:
            terms = sorted(vocabulary, key=vocabulary.__getitem__)
            state["terms_"] = np.asarray(terms, dtype=str)
        return state

    def __setstate__(self, state):
        terms = state.pop("terms_", None)
        if terms is not None:
            state["vocabulary_"] = {term: i for i, term in enumerate(terms.tolist())}
        super().__setstate__(state)

    def fit(self, raw_documents, y=None):
        self.__dict__.pop("_fast_lookup", None)
        return super().fit(raw_documents, y)

    def fit_transform(self, raw_documents, y=None):
        self.__dict__.pop("_fast_lookup", None)
        return super().fit_transform(raw_documents, y)

    def transform(self, raw_documents, tokenized=None):
        """TF-IDF rows of ``raw_documents``. ``tokenized``: for a word analyzer, each document's
        words as the tokenizer would give them (None for one to tokenize here), so that text
        already segmented is not segmented again."""
        check_is_fitted(self, "vocabulary_")
        counts = self._fast_counts(raw_documents, tokenized)
        if counts is None:
            return super().transform(raw_documents)
        if self.norm not in (None, "l2"):
            return self._tfidf.transform(counts, copy=False)
        # TfidfTransformer.transform's arithmetic, without its per-call input validation.
        data = counts.data
        if self.sublinear_tf:
            np.log(data, out=data)
            data += 1.0
        if self.use_idf:
            data *= self._tfidf.idf_[counts.indices]
        if self.norm == "l2":
            rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
            norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=counts.shape[0]))
            norms[norms == 0] = 1.0
            data /= norms[rows]
        return counts

    def _fast_path(self) -> bool:
        plain = (self.input == "content" and not self.lowercase and self.preprocessor is None
                 and self.strip_accents is None and not self.binary)
        low, high = self.ngram_range
        if self.analyzer == "char":
            return plain and high <= _MAX_CHAR_N
        # Word bigrams are looked up as pairs of word ids: every word of a bigram in the
        # vocabulary must be in it too, which min_df guarantees but max_df, max_features or
        # bigrams without unigrams do not.
        return (plain and self.analyzer == "word" and callable(self.tokenizer)
                and self.stop_words is None and low == 1 and high <= 2
                and self.max_df in (1.0, None) and self.max_features is None)

    def _lookup(self) -> tuple[pd.Index, np.ndarray] | None:
        """A hash index of the integer keys of the vocabulary's n-grams and their column indices
        (built once)."""
        cached = self.__dict__.get("_fast_lookup")
        if cached is None:
            cached = (self._build_lookup(),) if self._fast_path() else (None,)
            self._fast_lookup = cached
        return cached[0]

    def _build_lookup(self) -> tuple[pd.Index, np.ndarray]:
        keys, columns = [], []
        vocabulary = self.vocabulary_
        for term, column in vocabulary.items():
            if self.analyzer == "char":
                key = 0
                for char in term:
                    key = key * _CODE_POINTS + ord(char)
            else:
                parts = term.split(" ")
                if len(parts) != 2 or parts[0] not in vocabulary or parts[1] not in vocabulary:
                    continue  # unigrams are looked up in the dict itself
                key = vocabulary[parts[0]] * len(vocabulary) + vocabulary[parts[1]]
            keys.append(key)
            columns.append(column)
        # A hash table (pandas' Index) finds a batch of keys five times faster than a binary search.
        return pd.Index(np.asarray(keys, dtype=np.int64)), np.asarray(columns, dtype=np.int64)

    def _fast_counts(self, raw_documents, tokenized=None):
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        lookup = self._lookup()
        if lookup is None:
            return None
        docs = list(raw_documents)
        if self.analyzer == "char":
            rows, columns = self._char_columns(docs, lookup)
        else:
            rows, columns = self._word_columns(docs, lookup, tokenized)
        counts = sparse.csr_matrix((np.ones(len(columns), dtype=self.dtype), (rows, columns)),
                                   shape=(len(docs), len(self.vocabulary_)), dtype=self.dtype)
        counts.sum_duplicates()
        counts.sort_indices()
        return counts

    def _char_columns(self, docs, lookup):
        texts = [_WHITE_SPACES.sub(" ", doc) for doc in docs]
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        code_points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        starts = np.cumsum(lengths) - lengths
        doc_of = np.repeat(np.arange(len(texts)), lengths)
        room = (starts + lengths)[doc_of] - np.arange(len(code_points))  # chars left in the doc
        rows, columns = [], []
        low, high = self.ngram_range
        for n in range(low, high + 1):
            ok = np.flatnonzero(room >= n)
            keys = code_points[ok]
            for offset in range(1, n):
                keys = keys * _CODE_POINTS + code_points[ok + offset]
            found, hit = _find(lookup, keys)
            rows.append(doc_of[ok][hit])
            columns.append(found)
        return np.concatenate(rows), np.concatenate(columns)

    def _word_columns(self, docs, lookup, tokenized=None):
        vocabulary = self.vocabulary_
        get = vocabulary.get
        ids, lengths = [], []
        for doc, given in zip(docs, tokenized or repeat(None)):
            words = self.tokenizer(doc) if given is None else given
            ids.extend(map(get, words, repeat(-1)))
            lengths.append(len(words))
        ids = np.asarray(ids, dtype=np.int64)
        lengths = np.asarray(lengths, dtype=np.int64)
        doc_of = np.repeat(np.arange(len(docs)), lengths)
        rows, columns = [], []
        low, high = self.ngram_range
        if low == 1:
            known = ids >= 0
            rows.append(doc_of[known])
            columns.append(ids[known])
        if high == 2 and len(ids) > 1:
            # A bigram in the vocabulary has both words in it (min_df counts documents), so
            # unknown words can be skipped.
            pair = (doc_of[:-1] == doc_of[1:]) & (ids[:-1] >= 0) & (ids[1:] >= 0)
            first = np.flatnonzero(pair)
            found, hit = _find(lookup, ids[first] * len(vocabulary) + ids[first + 1])
            rows.append(doc_of[first][hit])
            columns.append(found)
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(rows), np.concatenate(columns)


_MAX_CHAR_N = 3  # 0x110000 ** 3 still fits in int64
_CODE_POINTS = 0x110000
_WHITE_SPACES = re.compile(r"\s\s+")  # what sklearn's char analyzer collapses
_WHITE_SPACE = re.compile(r"\s").search


def _find(lookup: tuple[pd.Index, np.ndarray], keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Columns of the ``keys`` found in ``lookup`` and the mask of those found."""
    index, columns = lookup
    at = index.get_indexer(keys)
    hit = at >= 0
    return columns[at[hit]], hit


def _is_range(v) -> bool:
    return (isinstance(v, tuple) and len(v) == 2 and all(isinstance(n, Integral) for n in v)
            and 1 <= v[0] <= v[1])


# name -> (check, what the value must be); read by _validate_params, quoted in its message.
_CONSTRAINTS = {
    "taxonomy_path": (lambda v: v is None or isinstance(v, str | Path), "a path or None"),
    "C": (lambda v: isinstance(v, Real) and not isinstance(v, bool) and v > 0, "a float > 0"),
    "min_df": (lambda v: isinstance(v, Integral) and not isinstance(v, bool) and v >= 1,
               "an int >= 1"),
    "word_ngram_range": (_is_range, "a tuple (min_n, max_n) with 1 <= min_n <= max_n"),
    "char_ngram_range": (_is_range, "a tuple (min_n, max_n) with 1 <= min_n <= max_n"),
    "cue_weight": (lambda v: isinstance(v, Real) and not isinstance(v, bool) and v >= 0,
                   "a float >= 0"),
    "cue_example_weight": (lambda v: isinstance(v, Real) and not isinstance(v, bool) and v >= 0,
                           "a float >= 0"),
    "threshold": (lambda v: isinstance(v, Real) and not isinstance(v, bool) and 0 <= v <= 1,
                  "a float in [0, 1]"),
    "fallback_min_proba": (lambda v: isinstance(v, Real) and not isinstance(v, bool) and 0 <= v <= 1,
                           "a float in [0, 1]"),
    "heading_weight": (lambda v: isinstance(v, Real) and not isinstance(v, bool) and 0 <= v <= 1,
                       "a float in [0, 1]"),
    "class_weight": (lambda v: v is None or v == "balanced", "None or 'balanced'"),
    "max_iter": (lambda v: isinstance(v, Integral) and not isinstance(v, bool) and v >= 1,
                 "an int >= 1"),
    "random_state": (lambda v: v is None or (isinstance(v, Integral) and not isinstance(v, bool)),
                     "an int or None"),
}


class ThemeClassifier(ClassifierMixin, BaseEstimator):
    """Primary theme (and instrument type) of measure sentences.

    Parameters
    ----------
    taxonomy_path : str or Path or None
        Taxonomy TOML file; ``None`` is the shipped education-equity taxonomy.
    C : float
        Inverse regularisation strength of the logistic regressions.
    min_df : int
        Ignore words and character n-grams seen in fewer training sentences.
    word_ngram_range, char_ngram_range : tuple of int
        N-gram ranges of the jieba-word and character TF-IDF features.
    cue_weight : float
        Scale of the cue-word count features (0 switches them off). At 1 the counts, unlike the
        normalised TF-IDF columns, outweighed the sentence's own words. On the 6,468 labels 0.25
        scored best on 5-fold cross-validation (macro-F1 0.790 / 0.794 / 0.800 / 0.795 / 0.792 at
        0 / 0.1 / 0.25 / 0.5 / 1), with the dev gold and unseen documents about level (0.5 had been
        chosen the same way on the 4,834 labels of the second session).
    cue_example_weight : float
        Each cue word of the taxonomy is also added as a one-word training example of its theme,
        with this sample weight (0, the default, switches it off). This carries the dictionary into
        the word and character features, so themes thin in the labels (or absent) are still
        recognised: worth it for a new taxonomy with few labels. With 140+ labels per theme it
        cost 0.9 points of cross-validated macro-F1 and 3.5 points of accuracy on unseen documents.
    threshold : float
        Probability at or above which a theme is listed in ``ThemePrediction.themes``.
    fallback_min_proba : float
        The taxonomy's fallback theme (``other``) is the answer only with at least this probability;
        below it the best of the real themes wins. The labelled pool (mostly statutes) holds far
        more ``other`` (about 30%) than policy reports do, and the class learns a large intercept: a short
        measure about teachers' training went to ``other`` through the workers' 安全生产培训 rows.
        On reports this stops ``other`` from swallowing real measures, at a cost of about 0.2 points
        of cross-validated macro-F1.
    heading_weight : float
        Share of the heading in ``predict_themes(X, sections=...)``: a measure's theme
        probabilities are mixed with those of the innermost heading above it
        (``(1 - w) * p(sentence) + w * p(heading)``). In reports the heading often names what a
        terse measure is for ("(二)健全投入保障机制" over "确保教师工资逐年增长"). 0 ignores headings.
    class_weight : "balanced" or None
        Re-weight rare themes so they are not drowned by frequent ones.
    max_iter : int
        Solver iterations.
    random_state : int or None
        Seed of the solver, for reproducible training.
    """

    def __init__(self, *, taxonomy_path: str | Path | None = None, C: float = 50.0,
                 min_df: int = 2, word_ngram_range: tuple[int, int] = (1, 2),
                 char_ngram_range: tuple[int, int] = (1, 2), cue_weight: float = 0.25,
                 cue_example_weight: float = 0.0, threshold: float = 0.25, fallback_min_proba: float = 0.55,
                 heading_weight: float = 0.3, class_weight: str | None = "balanced",
                 max_iter: int = 2000, random_state: int | None = 0):
        self.taxonomy_path = taxonomy_path
        self.C = C
        self.min_df = min_df
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.cue_weight = cue_weight
        self.cue_example_weight = cue_example_weight
        self.threshold = threshold
        self.fallback_min_proba = fallback_min_proba
        self.heading_weight = heading_weight
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Input is a list of sentences, not a 2-D numeric array.
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    # -- fitting ---------------------------------------------------------------------------------
    def _validate_params(self) -> None:
        owner = type(self).__name__
        for name, (check, allowed) in _CONSTRAINTS.items():
            value = getattr(self, name)
            if not check(value):
                raise InvalidParameterError(
                    f"The {name!r} parameter of {owner} must be {allowed}. Got {value!r} instead.")

    def _make_pipeline(self, dimension: str) -> Pipeline:
        words = CompactTfidfVectorizer(tokenizer=tokens, token_pattern=None, lowercase=False,
                                ngram_range=self.word_ngram_range, min_df=self.min_df,
                                sublinear_tf=True)
        chars = CompactTfidfVectorizer(analyzer="char", lowercase=False, ngram_range=self.char_ngram_range,
                                min_df=self.min_df, sublinear_tf=True)
        cues = CueCounter(taxonomy_path=self.taxonomy_path, dimension=dimension,
                          weight=self.cue_weight)
        clf = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                                 random_state=self.random_state)
        features = FeatureUnion([("words", words), ("chars", chars), ("cues", cues)])
        return Pipeline([("features", features), ("clf", clf)])

    def _fit_pipeline(self, dimension: str, texts: list[str], labels: np.ndarray) -> Pipeline:
        weights = np.ones(len(texts))
        if self.cue_example_weight > 0:
            groups = self.taxonomy_.cue_groups(dimension)
            cue_texts = [cue for cues in groups.values() for cue in cues]
            texts = texts + cue_texts
            labels = np.concatenate([labels, [g for g, cues in groups.items() for _ in cues]])
            weights = np.concatenate([weights, np.full(len(cue_texts), self.cue_example_weight)])
        labels = np.asarray(labels, dtype=object)
        return self._make_pipeline(dimension).fit(texts, labels, clf__sample_weight=weights)

    def fit(self, X: Iterable[str], y: Iterable[str], *, instrument: Iterable[str] | None = None):
        """Fit the theme pipeline on ``(X, y)`` and, given ``instrument``, the instrument pipeline.

        Parameters
        ----------
        X : iterable of str
            Measure sentences.
        y : iterable of str
            Primary theme id of each sentence (ids of the taxonomy).
        instrument : iterable of str, optional
            Instrument type id of each sentence; empty strings are left out of that model.

        Returns
        -------
        self
        """
        self._validate_params()
        texts = _as_texts(X)
        themes = _as_labels(y, len(texts), "y")
        taxonomy = load_taxonomy(self.taxonomy_path)
        _check_known(themes, taxonomy.theme_ids, "theme", taxonomy.source)
        if len(set(themes)) < 2:
            raise ValueError(f"{type(self).__name__} needs at least two themes in y, got "
                             f"{sorted(set(themes))}")
        self.taxonomy_ = taxonomy
        self.pipeline_ = self._fit_pipeline("themes", texts, themes)
        self.classes_ = self.pipeline_.classes_
        self.instrument_pipeline_ = None
        self.instrument_classes_ = np.asarray([], dtype=object)
        if instrument is not None:
            self._fit_instrument(texts, _as_labels(instrument, len(texts), "instrument"))
        LOGGER.info("fitted %s on %d sentences, %d themes", type(self).__name__, len(texts),
                    len(self.classes_))
        return self

    def _fit_instrument(self, texts: list[str], labels: np.ndarray) -> None:
        keep = labels != ""
        if not keep.any():
            return
        if not self.taxonomy_.instruments:
            raise errors.TaxonomyError(f"taxonomy file {self.taxonomy_.source} has no "
                                       "[[instruments]], but instrument labels were given")
        _check_known(labels[keep], self.taxonomy_.instrument_ids, "instrument",
                     self.taxonomy_.source)
        if len(set(labels[keep])) < 2:
            LOGGER.warning("one instrument type only in the labels: no instrument classifier")
            return
        kept = [t for t, k in zip(texts, keep) if k]
        # The instrument model reads the theme model's fitted features: one featurisation of a
        # sentence then serves both (it is most of the cost of classifying a measure).
        features = self.pipeline_.named_steps["features"]
        clf = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                                 random_state=self.random_state)
        clf.fit(features.transform(kept), labels[keep])
        self.instrument_pipeline_ = Pipeline([("features", features), ("clf", clf)])
        self.instrument_classes_ = clf.classes_

    # -- prediction ------------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        try:
            check_is_fitted(self, "pipeline_")
        except SklearnNotFittedError:
            raise ModelNotFittedError(
                f"This {type(self).__name__} is not fitted yet: call fit(texts, themes) first, or "
                "load a trained model with models.classifier.load_model() "
                "(train one with `zhengce train LABELS.csv --model OUT`).") from None

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Probability of each theme in ``classes_``, one row per sentence."""
        self._check_fitted()
        return self.pipeline_.predict_proba(_as_texts(X))

    def _primary(self, proba: np.ndarray) -> np.ndarray:
        """Index of the primary theme of each row: the most probable one, except that the fallback
        theme needs ``fallback_min_proba``."""
        fallback = np.flatnonzero(self.classes_ == self.taxonomy_.fallback)
        if not fallback.size:
            return proba.argmax(axis=1)
        guarded = proba.copy()
        weak = guarded[:, fallback[0]] < self.fallback_min_proba
        guarded[weak, fallback[0]] = -1.0
        return guarded.argmax(axis=1)

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Primary theme id of each sentence."""
        self._check_fitted()
        return self.classes_[self._primary(self.predict_proba(X))]

    def _headings(self, sections: Iterable[str] | None, n: int) -> list[str]:
        """The innermost heading of each sentence's section ("" for none), or [] when headings
        are not used."""
        if sections is None or not getattr(self, "heading_weight", 0):
            return []
        sections = list(sections)
        if len(sections) != n:
            raise ValueError(f"{len(sections)} sections for {n} sentences")
        of = {s: heading_of(s or "") for s in set(sections)}
        return [of[s] for s in sections]

    def predict_instrument_proba(self, X: Iterable[str]) -> np.ndarray:
        """Probability of each type in ``instrument_classes_`` (no columns without the model)."""
        self._check_fitted()
        texts = _as_texts(X)
        if self.instrument_pipeline_ is None:
            return np.zeros((len(texts), 0))
        return self.instrument_pipeline_.predict_proba(texts)

    def predict_instrument(self, X: Iterable[str]) -> np.ndarray:
        """Instrument type of each sentence ("" when the model has no instrument classifier)."""
        proba = self.predict_instrument_proba(X)
        if proba.shape[1] == 0:
            return np.full(len(proba), "", dtype=object)
        return self.instrument_classes_[proba.argmax(axis=1)]

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
        texts = _as_texts(X)
        if not texts:
            return []
        self._check_fitted()
        headings = self._headings(sections, len(texts))
        distinct = sorted({h for h in headings if h})
        if words is not None and len(words) != len(texts):
            raise ValueError(f"{len(words)} word lists for {len(texts)} sentences")
        tokenized = None if words is None else [None if w is None else _ascii_words(w, text)
                                                for w, text in zip(words, texts)]
        # The sentences and their distinct headings in one featurisation (one call per document).
        features = _union_transform(self.pipeline_.named_steps["features"], texts + _as_texts(distinct),
                                    None if tokenized is None else tokenized + [None] * len(distinct))
        proba = _linear_proba(self.pipeline_.named_steps["clf"], features)
        if distinct:
            of_heading = proba[len(texts):]
            column = {heading: j for j, heading in enumerate(distinct)}
            rows = [i for i, heading in enumerate(headings) if heading]
            proba = proba[: len(texts)].copy()
            proba[rows] = ((1 - self.heading_weight) * proba[rows]
                           + self.heading_weight * of_heading[[column[headings[i]] for i in rows]])
            features = features[: len(texts)]
        if self.instrument_pipeline_ is None:
            inst = np.zeros((len(texts), 0))
        else:
            inst = _linear_proba(self.instrument_pipeline_.named_steps["clf"], features)
        primary = self._primary(proba)
        # The themes at or above the threshold, best first; the primary leads. Most rows have at
        # most the primary above it: only the others are sorted. (Plain lists from here: indexing
        # numpy arrays element by element costs more than the rest.)
        n_above = (proba >= self.threshold).sum(axis=1)
        ranked_rows = np.flatnonzero((n_above > 1) | ((n_above == 1) & (proba.argmax(axis=1) != primary)))
        classes = [str(c) for c in self.classes_]
        themes = [classes[best] for best in primary.tolist()]
        for i, ranked, above_n in zip(ranked_rows.tolist(),
                                      np.argsort(-proba[ranked_rows], axis=1, kind="stable").tolist(),
                                      n_above[ranked_rows].tolist()):
            best = primary[i]
            themes[i] = ";".join([classes[best], *(classes[j] for j in ranked[:above_n] if j != best)])
        best_score = proba[np.arange(len(texts)), primary].tolist()
        if inst.shape[1]:
            inst_best = inst.argmax(axis=1)
            inst_names = [str(c) for c in self.instrument_classes_]
            instruments = [inst_names[k] for k in inst_best.tolist()]
            inst_scores = [round(v, 4) for v in inst[np.arange(len(texts)), inst_best].tolist()]
        else:
            instruments, inst_scores = [""] * len(texts), [None] * len(texts)
        return [ThemePrediction(classes[best], round(score, 4), themes_of, instrument, inst_score)
                for best, score, themes_of, instrument, inst_score in zip(
                    primary.tolist(), best_score, themes, instruments, inst_scores)]


def _union_transform(union: FeatureUnion, texts: list[str], tokenized: list[list[str] | None] | None = None):
    """``union.transform(texts)`` without its joblib dispatch, which costs milliseconds per call:
    predict_themes runs once per document. ``tokenized`` goes to the word vectorizer whose
    tokenizer is ``tokens``: the texts' words as it would cut them."""
    weights = union.transformer_weights or {}
    blocks = [(transformer.transform(texts, tokenized) if tokenized is not None and _cuts_words(transformer)
               else transformer.transform(texts)) * weights.get(name, 1)
              for name, transformer in union.transformer_list if transformer != "drop"]
    return sparse.hstack(blocks, format="csr")


def _cuts_words(transformer) -> bool:
    return (isinstance(transformer, CompactTfidfVectorizer) and transformer.analyzer == "word"
            and transformer.tokenizer is tokens)


def _ascii_words(words: Sequence[str], text: str) -> list[str]:
    """The words of ``text`` as ``tokens`` cuts it: whitespace dropped, clause punctuation in ASCII
    (the segmenters give punctuation one character at a time). No Python loop per word where
    the text has no whitespace: this runs over every word of every measure."""
    if _WHITE_SPACE(text):
        words = [w for w in words if w.strip()]
    return list(map(_ASCII_CLAUSE.get, words, words))


def _linear_proba(clf: LogisticRegression, features) -> np.ndarray:
    """``clf.predict_proba(features)`` without its per-call input validation (the features were
    just built by the fitted vectorizers)."""
    scores = np.asarray(features @ clf.coef_.T) + clf.intercept_
    if scores.shape[1] == 1:  # binary: one column of log-odds for classes_[1]
        positive = expit(scores[:, 0])
        return np.column_stack([1.0 - positive, positive])
    return softmax(scores, axis=1)


def _as_texts(X) -> list[str]:
    if isinstance(X, str):
        raise TypeError("expected an iterable of sentences, got one str; wrap it in a list")
    texts = [x if isinstance(x, str) else "" if x is None else str(x) for x in X]
    return [_ascii_punctuation(text) for text in texts]


_ASCII_CLAUSE = {"，": ",", "；": ";", "：": ":", "！": "!", "？": "?"}
"""Clause punctuation and its ASCII form: for sentences (``_ascii_punctuation``) and for words
(``_ascii_words``)."""


def _ascii_punctuation(text: str) -> str:
    """Clause punctuation in one form ("，" and "," both ","), so that character n-grams do not
    learn a source's typing habit. (str.replace per mark: ten times faster than str.translate.)"""
    for full, ascii_form in _ASCII_CLAUSE.items():
        text = text.replace(full, ascii_form)
    return text


def _as_labels(y, n: int, name: str) -> np.ndarray:
    labels = np.asarray(["" if v is None else str(v).strip() for v in y], dtype=object)
    if len(labels) != n:
        raise ValueError(f"{name} has {len(labels)} labels for {n} sentences")
    return labels


def _check_known(labels: Sequence[str], known: Sequence[str], kind: str, source: str) -> None:
    unknown = sorted(set(labels) - set(known))
    if unknown:
        raise errors.TaxonomyError(
            f"{kind} labels {unknown} are not ids of the taxonomy {source} (ids: "
            f"{', '.join(known)}); fix the labels or pass the taxonomy they were made with")


# -- persistence (skops, never pickle) ------------------------------------------------------------

# Every non-builtin type a saved ThemeClassifier holds; load_model refuses files holding others.
TRUSTED_TYPES: list[str] = [
    "corpus.segment.tokens",
    "models.classifier.CompactTfidfVectorizer",
    "models.classifier.ThemeClassifier",
    "models.keywords.CueCounter",
    "models.taxonomy.Instrument",
    "models.taxonomy.Subtype",
    "models.taxonomy.Taxonomy",
    "models.taxonomy.Theme",
]


def save_model(model: ThemeClassifier, path: str | Path) -> Path:
    """Write a fitted model to ``path`` with ``skops.io.dump``; returns the path."""
    import skops.io as sio

    model._check_fitted()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, path)
    LOGGER.info("saved theme model to %s (%.1f MB)", path, path.stat().st_size / 1e6)
    return path


def load_model(path: str | Path | None = None) -> ThemeClassifier:
    """Load a saved :class:`ThemeClassifier` (``None``: the shipped model), cached per file.

    Raises
    ------
    corpus.errors.ModelError
        The file is missing, unreadable, or holds types outside ``TRUSTED_TYPES``.
    """
    file = (Path(path) if path is not None else DEFAULT_MODEL).expanduser().resolve()
    if not file.is_file():
        raise errors.ModelError(f"model file {file} does not exist; train one with "
                                "`zhengce train LABELS.csv --model OUT`")
    return _load_cached(str(file), file.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime_ns: int) -> ThemeClassifier:
    import skops.io as sio

    try:
        untrusted = set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
        if untrusted:
            raise errors.ModelError(f"model file {path} holds types that are not trusted: "
                                    f"{sorted(untrusted)}; retrain it with this version of zhengce")
        model = sio.load(path, trusted=TRUSTED_TYPES)
    except errors.ModelError:
        raise
    except Exception as exc:  # skops raises many kinds on a corrupt or foreign file
        raise errors.ModelError(f"model file {path} cannot be loaded: {exc}") from exc
    if not isinstance(model, ThemeClassifier):
        raise errors.ModelError(f"model file {path} holds a {type(model).__name__}, "
                                "not a ThemeClassifier")
    return model


def predict_themes(texts: Iterable[str], model: ThemeClassifier | None = None,
                   sections: Iterable[str] | None = None) -> list[ThemePrediction]:
    """Themes of ``texts`` with ``model`` (default: the shipped model, loaded once).

    Parameters
    ----------
    texts : iterable of str
        Measure sentences (simplified Chinese).
    model : ThemeClassifier, optional
    sections : iterable of str, optional
        Section path of each sentence, whose innermost heading informs the theme.

    Returns
    -------
    list[ThemePrediction]
    """
    return (model or load_model()).predict_themes(texts, sections=sections)


class KeywordThemes:
    """Themes from a taxonomy's cue words alone, with the same ``predict_themes`` as the model:
    what ``zhengce run --taxonomy FILE`` uses until a model is trained for that taxonomy."""

    def __init__(self, taxonomy_path: str | Path):
        from models.keywords import KeywordClassifier

        taxonomy = load_taxonomy(taxonomy_path)
        self.themes_ = KeywordClassifier(taxonomy_path=taxonomy_path).fit([])
        self.instruments_ = (
            KeywordClassifier(taxonomy_path=taxonomy_path, dimension="instruments").fit([])
            if taxonomy.instruments else None
        )

    def predict_themes(self, X: Iterable[str], sections: Iterable[str] | None = None,
                       words: Sequence[Sequence[str] | None] | None = None) -> list[ThemePrediction]:
        """Cue-word themes of each sentence (``sections`` and ``words`` are accepted and not used)."""
        texts = _as_texts(X)
        if not texts:
            return []
        themes = self.themes_.predict(texts)
        instruments = self.instruments_.predict(texts) if self.instruments_ is not None else [""] * len(texts)
        return [ThemePrediction(str(t), None, str(t), str(i)) for t, i in zip(themes, instruments)]


def load_classifier(model_path: str | Path | None = None, taxonomy_path: str | Path | None = None,
                    threshold: float | None = None):
    """What classifies measures in a run: the model at ``model_path`` (default: the shipped one), or,
    for a custom taxonomy without a model, its cue words (``KeywordThemes``, with a warning).

    Raises ``TaxonomyError`` when the model was trained for other themes than the taxonomy's.
    """
    from copy import copy

    if taxonomy_path and not model_path:
        LOGGER.warning("no model trained for taxonomy %s: classifying by its cue words; train one with "
                       "`zhengce train LABELS.csv --taxonomy %s --model M.skops` and pass -s model=M.skops",
                       taxonomy_path, taxonomy_path)
        return KeywordThemes(taxonomy_path)
    model = copy(load_model(model_path))  # load_model caches its instance: leave that one as it was
    if taxonomy_path:
        wanted = {t.id for t in load_taxonomy(taxonomy_path).themes}
        if wanted != {str(c) for c in model.classes_}:
            raise errors.TaxonomyError(
                f"the model {model_path} predicts {sorted(map(str, model.classes_))}, not the themes of "
                f"{taxonomy_path} ({sorted(wanted)}): train a model for this taxonomy with `zhengce train`")
    if threshold is not None:
        model.threshold = threshold
    return model
