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

Models are saved with skops (no pickle) and loaded with an explicit list of trusted types;
``save_model`` also writes their arrays beside them, which runs load instead (``models.predictor``:
prediction without importing scikit-learn or skops).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import lru_cache
from numbers import Integral, Real
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError as SklearnNotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from corpus import errors
from corpus.readers import file_sha1
from corpus.segment import tokens
from models import DEFAULT_MODEL  # defined in the package, so the runner reads it without sklearn
from models.keywords import CueCounter
from models.predictor import (CODE_POINTS, MAX_CHAR_N, TfidfBlock, ThemePrediction, ThemePredictor,
                              char_columns, make_lookup, predictor_path, tfidf_rows, word_columns)
from models.predictor import as_texts as _as_texts
from models.taxonomy import load_taxonomy

LOGGER = logging.getLogger(__name__)


class ModelNotFittedError(errors.NotFittedError, SklearnNotFittedError):
    """Predict before fit: a zhengce ``NotFittedError`` that sklearn code also recognises."""


class InvalidParameterError(errors.ConfigError, ValueError):
    """A constructor parameter out of its allowed range (checked in ``fit``, as sklearn does)."""


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
        state.pop("_block", None)
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
        self.__dict__.pop("_block", None)
        return super().fit(raw_documents, y)

    def fit_transform(self, raw_documents, y=None):
        self.__dict__.pop("_fast_lookup", None)
        self.__dict__.pop("_block", None)
        return super().fit_transform(raw_documents, y)

    def transform(self, raw_documents, tokenized=None):
        """TF-IDF rows of ``raw_documents``. ``tokenized``: for a word analyzer, each document's
        words as the tokenizer would give them (None for one to tokenize here), so that text
        already segmented is not segmented again."""
        check_is_fitted(self, "vocabulary_")
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        lookup = self._lookup()
        if lookup is None:
            return super().transform(raw_documents)
        docs = list(raw_documents)
        if self.analyzer == "char":
            rows, columns = char_columns(docs, lookup, self.ngram_range)
        else:
            rows, columns = word_columns(docs, lookup, self.vocabulary_, self.ngram_range, self.tokenizer, tokenized)
        shape = (len(docs), len(self.vocabulary_))
        if self.norm not in (None, "l2"):
            counts = tfidf_rows(rows, columns, shape, self.dtype, None, sublinear_tf=False, l2=False)
            return self._tfidf.transform(counts, copy=False)
        # TfidfTransformer.transform's arithmetic, without its per-call input validation.
        return tfidf_rows(rows, columns, shape, self.dtype, self._tfidf.idf_ if self.use_idf else None,
                          self.sublinear_tf, self.norm == "l2")

    def arrays_only(self) -> bool:
        """Whether ``as_block`` can stand for this vectorizer (the fast path, sklearn's norms, and
        for words the zhengce tokenizer)."""
        return (self._lookup() is not None and self.norm in (None, "l2")
                and (self.analyzer == "char" or self.tokenizer is tokens))

    def as_block(self) -> TfidfBlock:
        """This fitted vectorizer as the arrays ``models.predictor`` transforms with (built once,
        sharing the lookup; the block makes its own vocabulary, which also holds aliases)."""
        block = self.__dict__.get("_block")
        if block is None:
            index, columns = self._lookup()
            vocabulary = self.vocabulary_
            terms = np.asarray(sorted(vocabulary, key=vocabulary.__getitem__), dtype=str)
            block = self._block = TfidfBlock(
                self.analyzer, tuple(self.ngram_range), terms, index.to_numpy(), columns,
                self._tfidf.idf_ if self.use_idf else None, self.sublinear_tf, self.norm == "l2",
                np.dtype(self.dtype).name, _lookup=(index, columns))
        return block

    def _fast_path(self) -> bool:
        plain = (self.input == "content" and not self.lowercase and self.preprocessor is None
                 and self.strip_accents is None and not self.binary)
        low, high = self.ngram_range
        if self.analyzer == "char":
            return plain and high <= MAX_CHAR_N
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
                    key = key * CODE_POINTS + ord(char)
            else:
                parts = term.split(" ")
                if len(parts) != 2 or parts[0] not in vocabulary or parts[1] not in vocabulary:
                    continue  # unigrams are looked up in the dict itself
                key = vocabulary[parts[0]] * len(vocabulary) + vocabulary[parts[1]]
            keys.append(key)
            columns.append(column)
        return make_lookup(np.asarray(keys, dtype=np.int64), np.asarray(columns, dtype=np.int64))


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
        """Index of the primary theme of each row (``ThemePredictor.primary``)."""
        return ThemePredictor.from_classifier(self).primary(proba)

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Primary theme id of each sentence."""
        self._check_fitted()
        return self.classes_[self._primary(self.predict_proba(X))]

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
        """Theme, secondary themes and instrument of each sentence, with each sentence's
        ``sections`` path and already-cut ``words`` when known: ``ThemePredictor.predict_themes``
        (which documents the parameters) over this model's arrays, what a run loads from the
        ``.npz`` beside the model file."""
        texts = _as_texts(X)
        if not texts:
            return []
        self._check_fitted()
        return ThemePredictor.from_classifier(self).predict_texts(texts, sections, words)


def cuts_words(transformer) -> bool:
    """Whether ``transformer`` is a word vectorizer with zhengce's tokenizer (it accepts the words
    a sentence was already cut into)."""
    return (isinstance(transformer, CompactTfidfVectorizer) and transformer.analyzer == "word"
            and transformer.tokenizer is tokens)


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
    """Write a fitted model to ``path`` with ``skops.io.dump``, and its arrays beside it
    (``models.predictor``: ``.npz``) for runs to load; returns the path."""
    import skops.io as sio

    model._check_fitted()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, path)
    LOGGER.info("saved theme model to %s (%.1f MB)", path, path.stat().st_size / 1e6)
    arrays = predictor_path(path)
    try:
        ThemePredictor.from_classifier(model).save(arrays, source_sha1=file_sha1(path))
    except ValueError as exc:  # a feature block outside the fast path: runs load the model itself
        arrays.unlink(missing_ok=True)
        LOGGER.info("no %s: %s", arrays.name, exc)
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


def load_estimator(model_path: str | Path | None = None, taxonomy_path: str | Path | None = None,
                   threshold: float | None = None):
    """The model at ``model_path`` (default: the shipped one), or, for a custom taxonomy without a
    model, its cue words (``KeywordThemes``, with a warning): what a run classifies with when
    ``models.predictor.load_classifier`` finds no arrays of the model.

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
