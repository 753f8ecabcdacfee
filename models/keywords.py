"""Cue-word counting: the dictionary method researchers use, as a baseline and as model features.

Two scikit-learn estimators share one counting routine (``count_cues``, kept in
``models.predictor``, which runs use without scikit-learn):

- :class:`CueCounter` turns texts into one column per theme (or instrument type): how many of its
  cue words occur. The theme classifier adds these columns to its TF-IDF features, so a cue word that
  is rare in the labelled data still pulls towards its theme.
- :class:`KeywordClassifier` predicts the theme with most cue hits; no hit or a tie gives the
  taxonomy's fallback theme (``other``). ``evaluate`` prints it beside the model.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from models.predictor import count_cues, cue_features
from models.taxonomy import Taxonomy, load_taxonomy

LOGGER = logging.getLogger(__name__)

_DIMENSIONS = ("themes", "instruments")


def _check_dimension(owner: str, dimension: str) -> None:
    if dimension not in _DIMENSIONS:
        raise ValueError(f"The 'dimension' parameter of {owner} must be one of {_DIMENSIONS}. "
                         f"Got {dimension!r} instead.")


def _groups(taxonomy: Taxonomy, dimension: str) -> tuple[list[str], list[tuple[str, ...]]]:
    groups = taxonomy.cue_groups(dimension)
    return list(groups), [tuple(c) for c in groups.values()]


class CueCounter(TransformerMixin, BaseEstimator):
    """Count the taxonomy's cue words per theme: one feature column per theme.

    Parameters
    ----------
    taxonomy_path : str or Path or None
        Taxonomy file; ``None`` is the shipped one.
    dimension : {"themes", "instruments"}
        Which cue groups to count.
    sublinear : bool
        Use ``log1p(count)`` so one sentence listing a cue five times does not dominate.
    weight : float
        Multiplies the columns: the strength of the dictionary prior beside TF-IDF features.
    """

    def __init__(self, *, taxonomy_path: str | Path | None = None, dimension: str = "themes",
                 sublinear: bool = True, weight: float = 1.0):
        self.taxonomy_path = taxonomy_path
        self.dimension = dimension
        self.sublinear = sublinear
        self.weight = weight

    def fit(self, X, y=None):
        _check_dimension(type(self).__name__, self.dimension)
        # Cues are copied into the estimator so a saved model needs no taxonomy file.
        self.groups_, self.cues_ = _groups(load_taxonomy(self.taxonomy_path), self.dimension)
        return self

    def transform(self, X) -> sparse.csr_matrix:
        check_is_fitted(self, "cues_", msg="This CueCounter is not fitted yet; call fit first.")
        return cue_features(list(X), self.cues_, self.sublinear, self.weight)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "groups_")
        return np.asarray([f"cue_{g}" for g in self.groups_], dtype=object)


class KeywordClassifier(ClassifierMixin, BaseEstimator):
    """Dictionary baseline: the theme with most cue-word hits wins; none or a tie -> fallback.

    ``fit`` learns nothing from the labels except, for instruments (which have no ``other``), the
    most frequent type to use as fallback. It exists so the baseline can be cross-validated and
    scored exactly like the model.

    Parameters
    ----------
    taxonomy_path : str or Path or None
        Taxonomy file; ``None`` is the shipped one.
    dimension : {"themes", "instruments"}
        Predict themes or instrument types.
    """

    def __init__(self, *, taxonomy_path: str | Path | None = None, dimension: str = "themes"):
        self.taxonomy_path = taxonomy_path
        self.dimension = dimension

    def fit(self, X, y=None):
        _check_dimension(type(self).__name__, self.dimension)
        taxonomy = load_taxonomy(self.taxonomy_path)
        groups, self.cues_ = _groups(taxonomy, self.dimension)
        if not groups:
            raise ValueError(f"taxonomy {taxonomy.source} has no {self.dimension} to predict")
        self.classes_ = np.asarray(groups, dtype=object)
        if self.dimension == "themes":
            self.fallback_ = taxonomy.fallback
        elif y is not None and len(y):
            values, counts = np.unique(np.asarray(y, dtype=object), return_counts=True)
            self.fallback_ = str(values[np.argmax(counts)])
        else:
            self.fallback_ = groups[0]
        return self

    def predict(self, X) -> np.ndarray:
        check_is_fitted(self, "classes_", msg="This KeywordClassifier is not fitted yet; call fit "
                        "first (fit(texts) is enough: it only reads the taxonomy).")
        counts = count_cues(X, self.cues_)
        out = np.full(len(counts), self.fallback_, dtype=object)
        if counts.size:
            best = counts.max(axis=1)
            unique_best = (counts == best[:, None]).sum(axis=1) == 1
            decided = (best > 0) & unique_best
            out[decided] = self.classes_[counts[decided].argmax(axis=1)]
        return out


def keyword_theme(text: str, taxonomy: Taxonomy | None = None) -> str:
    """The keyword baseline for one sentence: theme id with most cue hits, else the fallback.

    Examples
    --------
    >>> keyword_theme("推进义务教育教师交流轮岗")
    'teachers'
    """
    taxonomy = taxonomy or load_taxonomy()
    ids, cues = _groups(taxonomy, "themes")
    counts = count_cues([text], cues)[0]
    best = counts.max() if counts.size else 0
    if best == 0 or (counts == best).sum() > 1:
        return taxonomy.fallback
    return ids[int(counts.argmax())]
