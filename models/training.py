"""Train and evaluate the theme model from a labelled CSV (what `zhengce train/evaluate` call).

The CSV has the columns ``text,theme,also,instrument,instrument_subtype,source`` (see
``models/data/labelling_guide.md``); only ``text`` and ``theme`` are required. Rows are deduplicated
on ``text`` (first label wins). Evaluation holds out a stratified 20 % with a fixed seed, or runs
k-fold cross-validation, and always scores the keyword baseline on the same sentences.
"""
from __future__ import annotations

import csv
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, train_test_split

from corpus.errors import ModelError
from models.classifier import ThemeClassifier, load_model, save_model
from models.keywords import KeywordClassifier

LOGGER = logging.getLogger(__name__)

LABEL_COLUMNS = ("text", "theme", "also", "instrument", "instrument_subtype", "source")
SEED = 0


def read_labels(paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Read one or more labelled CSVs into one frame, deduplicated on ``text``.

    Parameters
    ----------
    paths
        A CSV path or several; the first label of a repeated text wins.

    Returns
    -------
    pandas.DataFrame
        The columns of ``LABEL_COLUMNS`` (missing optional ones filled with "").
    """
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    frames = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise ModelError(f"labels file {path} does not exist")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        missing = {"text", "theme"} - set(frame.columns)
        if missing:
            raise ModelError(f"labels file {path} lacks the column(s) {sorted(missing)}; "
                             f"expected {','.join(LABEL_COLUMNS)}")
        frames.append(frame)
    labels = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    for column in LABEL_COLUMNS:
        labels[column] = labels.get(column, "").astype(str).str.strip() if column in labels else ""
    labels = labels[(labels.text != "") & (labels.theme != "")]
    before = len(labels)
    labels = labels.drop_duplicates("text", keep="first").reset_index(drop=True)
    LOGGER.info("read %d labelled sentences (%d duplicates dropped)", len(labels), before - len(labels))
    return labels[list(LABEL_COLUMNS)]


def merge_labels(inputs: Iterable[str | Path], out: str | Path) -> pd.DataFrame:
    """Merge labelled CSVs (deduplicated on text) into ``out``; returns the merged frame."""
    labels = read_labels(inputs)
    labels.to_csv(out, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL)
    return labels


def train(labels_csv: str | Path, taxonomy_path: str | Path | None = None,
          model_out: str | Path | None = None, **params) -> ThemeClassifier:
    """Fit a :class:`ThemeClassifier` on a labelled CSV and optionally save it.

    Parameters
    ----------
    labels_csv
        Labelled sentences (columns of ``LABEL_COLUMNS``; ``instrument`` optional).
    taxonomy_path
        Taxonomy the labels use; ``None`` is the shipped one.
    model_out
        Where to write the ``.skops`` model; ``None`` writes nothing.
    **params
        Constructor parameters of ``ThemeClassifier`` (``C``, ``min_df``...).

    Returns
    -------
    ThemeClassifier
        The fitted model.
    """
    labels = read_labels(labels_csv)
    model = ThemeClassifier(taxonomy_path=taxonomy_path, **params)
    model.fit(labels.text.tolist(), labels.theme.tolist(), instrument=labels.instrument.tolist())
    if model_out is not None:
        save_model(model, model_out)
    return model


@dataclass
class EvaluationReport:
    """Scores of the model and of the keyword baseline on the same held-out sentences."""

    method: str
    n_train: int
    n_test: int
    accuracy: float
    macro_f1: float
    lenient_accuracy: float
    per_theme: pd.DataFrame
    confusion: pd.DataFrame
    baseline_accuracy: float
    baseline_macro_f1: float
    instrument_accuracy: float | None = None
    instrument_macro_f1: float | None = None
    instrument_baseline_macro_f1: float | None = None
    fold_macro_f1: list[float] = field(default_factory=list)

    def format(self) -> str:
        """A plain-text report for the command line."""
        lines = [f"theme model, {self.method}: {self.n_train} training / {self.n_test} test sentences",
                 f"  macro-F1 {self.macro_f1:.3f}   accuracy {self.accuracy:.3f}   "
                 f"lenient accuracy (primary or secondary) {self.lenient_accuracy:.3f}",
                 f"  keyword baseline: macro-F1 {self.baseline_macro_f1:.3f}   "
                 f"accuracy {self.baseline_accuracy:.3f}"]
        if self.fold_macro_f1:
            folds = np.asarray(self.fold_macro_f1)
            lines.append(f"  macro-F1 per fold: {folds.mean():.3f} +/- {folds.std():.3f}")
        if self.instrument_accuracy is not None:
            lines.append(f"instrument model: macro-F1 {self.instrument_macro_f1:.3f}   accuracy "
                         f"{self.instrument_accuracy:.3f}   (keyword baseline macro-F1 "
                         f"{self.instrument_baseline_macro_f1:.3f})")
        lines += ["", "per theme:", self.per_theme.round(3).to_string(), "",
                  "confusion (rows: labelled, columns: predicted):", self.confusion.to_string()]
        return "\n".join(lines)


def evaluate(labels_csv: str | Path, model_path: str | Path | None = None, cv: int | None = None,
             test_size: float = 0.2, taxonomy_path: str | Path | None = None) -> EvaluationReport:
    """Score the theme model on labelled sentences it was not trained on.

    Parameters
    ----------
    labels_csv
        Labelled sentences.
    model_path
        Without ``cv``: a saved model scored on *every* row (``labels_csv`` is then an independent
        test set). With ``cv``: its hyper-parameters are cross-validated. ``None``: a fresh
        ``ThemeClassifier`` trained on the split.
    cv
        Number of stratified folds; ``None`` holds out ``test_size`` instead.
    test_size
        Share of sentences held out (stratified by theme, fixed seed).
    taxonomy_path
        Taxonomy of the labels (for a fresh model and the baseline); ``None`` is the shipped one.

    Returns
    -------
    EvaluationReport
    """
    labels = read_labels(labels_csv)
    texts = np.asarray(labels.text.tolist(), dtype=object)
    y = labels.theme.to_numpy(dtype=object)
    inst = labels.instrument.to_numpy(dtype=object)
    template = ThemeClassifier(taxonomy_path=taxonomy_path)
    if model_path is not None:
        saved = load_model(model_path)
        if cv is None:
            everything = np.zeros(len(y), bool)
            return _report("saved model on all rows", labels, everything, saved, taxonomy_path,
                           saved.predict(texts), saved.predict_instrument(texts))
        template = clone(saved)
    if cv is None:
        is_train = _holdout(y, test_size)
        model = clone(template).fit(texts[is_train], y[is_train], instrument=inst[is_train])
        test = texts[~is_train]
        return _report(f"held-out {test_size:.0%} (stratified, seed {SEED})", labels, is_train,
                       model, taxonomy_path, model.predict(test), model.predict_instrument(test))
    if cv < 2:
        raise ValueError(f"cv must be at least 2 folds, got {cv}")
    pred = np.empty(len(y), dtype=object)
    pred_inst = np.full(len(y), "", dtype=object)
    fold_f1 = []
    for train_idx, test_idx in StratifiedKFold(cv, shuffle=True, random_state=SEED).split(texts, y):
        model = clone(template).fit(texts[train_idx], y[train_idx], instrument=inst[train_idx])
        pred[test_idx] = model.predict(texts[test_idx])
        pred_inst[test_idx] = model.predict_instrument(texts[test_idx])
        fold_f1.append(_macro_f1(y[test_idx], pred[test_idx]))
    report = _report(f"{cv}-fold cross-validation (stratified, seed {SEED})", labels,
                     np.zeros(len(y), bool), model, taxonomy_path, pred, pred_inst,
                     n_train=len(train_idx))
    report.fold_macro_f1 = fold_f1
    return report


def _holdout(y: np.ndarray, test_size: float) -> np.ndarray:
    """Boolean mask of training rows; themes with a single example always train."""
    values, counts = np.unique(y, return_counts=True)
    rare = np.isin(y, values[counts < 2])
    idx = np.flatnonzero(~rare)
    train_idx, _ = train_test_split(idx, test_size=test_size, stratify=y[idx], random_state=SEED)
    mask = rare.copy()
    mask[train_idx] = True
    return mask


def _macro_f1(y_true, y_pred) -> float:
    # Over the themes that occur in y_true, like the project scorer (eval/score.py).
    present = sorted(set(y_true))
    return float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0))


def _report(method: str, labels: pd.DataFrame, is_train: np.ndarray, model: ThemeClassifier,
            taxonomy_path: str | Path | None, pred: np.ndarray, pred_inst: np.ndarray,
            n_train: int | None = None) -> EvaluationReport:
    test = labels[~is_train]
    trained = labels[is_train] if is_train.any() else labels
    y_true = test.theme.to_numpy(dtype=object)
    order = [t for t in model.taxonomy_.theme_ids if t in set(y_true) | set(pred)]
    present = [t for t in order if t in set(y_true)]
    p, r, f, s = precision_recall_fscore_support(y_true, pred, labels=present, zero_division=0)
    per_theme = pd.DataFrame({"precision": p, "recall": r, "f1": f, "support": s},
                             index=pd.Index(present, name="theme"))
    confusion = pd.DataFrame(confusion_matrix(y_true, pred, labels=order),
                             index=pd.Index(order, name="labelled"), columns=order)
    also = test.also.str.split(";")
    lenient = np.mean([p_ == t or p_ in a for p_, t, a in zip(pred, y_true, also)])
    baseline = KeywordClassifier(taxonomy_path=taxonomy_path).fit(test.text)
    base_pred = baseline.predict(test.text)
    report = EvaluationReport(
        method=method, n_train=int(is_train.sum()) if n_train is None else n_train,
        n_test=len(test), accuracy=float(accuracy_score(y_true, pred)),
        macro_f1=_macro_f1(y_true, pred), lenient_accuracy=float(lenient), per_theme=per_theme,
        confusion=confusion, baseline_accuracy=float(accuracy_score(y_true, base_pred)),
        baseline_macro_f1=_macro_f1(y_true, base_pred))
    has_inst = (test.instrument != "").to_numpy()
    if has_inst.any() and model.instrument_pipeline_ is not None:
        inst_true = test.instrument.to_numpy(dtype=object)[has_inst]
        # Instruments have no "other": the baseline falls back to the most frequent trained type.
        inst_base = KeywordClassifier(taxonomy_path=taxonomy_path, dimension="instruments")
        inst_base.fit(trained.text, trained.instrument[trained.instrument != ""])
        report.instrument_accuracy = float(accuracy_score(inst_true, pred_inst[has_inst]))
        report.instrument_macro_f1 = _macro_f1(inst_true, pred_inst[has_inst])
        report.instrument_baseline_macro_f1 = _macro_f1(
            inst_true, inst_base.predict(test.text[has_inst]))
    return report
