"""The model's arrays (``models.predictor``): what a run loads instead of scikit-learn and skops."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from corpus.readers import file_sha1, read_path
from labelled import INSTRUMENTS, TEXTS, THEMES
from models import DEFAULT_MODEL
from models.classifier import ThemeClassifier, load_model, save_model
from models.predictor import ThemePredictor, load_classifier, load_predictor, predictor_path


@pytest.fixture(scope="module")
def sample_sentences(samples_dir) -> tuple[list[str], list[str]]:
    """Sentences of the bundled samples and a section path for each (every third one none)."""
    from corpus.normalise import normalise
    from corpus.structure import parse

    texts, sections = [], []
    for path in sorted(samples_dir.iterdir()):
        try:
            structure = parse(normalise(read_path(path).text).text)
        except Exception:  # noqa: BLE001 - the samples include files meant to fail
            continue
        for i, sentence in enumerate(structure.sentences):
            texts.append(sentence.text)
            sections.append("" if i % 3 else sentence.section)
    assert len(texts) > 50
    return texts, sections


def test_shipped_arrays_are_made_from_the_shipped_model_and_predict_the_same(sample_sentences):
    texts, sections = sample_sentences
    predictor = load_predictor()
    assert predictor is not None, f"no {predictor_path(DEFAULT_MODEL).name}: save_model(load_model(), DEFAULT_MODEL)"
    assert predictor.source_sha1 == file_sha1(DEFAULT_MODEL)
    model = load_model()
    assert predictor.predict_themes(texts, sections) == model.predict_themes(texts, sections)


def test_predicted_themes_are_the_pipelines_own_prediction(sample_sentences):
    # predict() goes through scikit-learn's predict_proba; predict_themes through the arrays.
    texts, _ = sample_sentences
    model = load_model()
    assert [p.theme for p in load_predictor().predict_themes(texts)] == list(model.predict(texts))
    assert [p.instrument for p in model.predict_themes(texts)] == list(model.predict_instrument(texts))


def test_save_model_writes_arrays_a_run_loads(tmp_path):
    model = ThemeClassifier(min_df=1).fit(TEXTS, THEMES, instrument=INSTRUMENTS)
    path = save_model(model, tmp_path / "tiny.skops")
    loaded = load_classifier(path, threshold=0.6)
    assert isinstance(loaded, ThemePredictor) and loaded.threshold == 0.6
    assert load_predictor(path).threshold == model.threshold  # the cached one is left as it was
    loaded.threshold = model.threshold
    assert loaded.predict_themes(TEXTS, ["一、加强教师队伍建设"] * len(TEXTS)) == model.predict_themes(
        TEXTS, ["一、加强教师队伍建设"] * len(TEXTS))


def test_arrays_of_another_version_of_the_model_file_are_not_used(tmp_path):
    first = ThemeClassifier(min_df=1).fit(TEXTS, THEMES)
    second = ThemeClassifier(min_df=1, C=0.01).fit(TEXTS, THEMES)
    path = save_model(first, tmp_path / "m.skops")
    stale = tmp_path / "stale.npz"
    shutil.copy(predictor_path(path), stale)
    save_model(second, path)
    shutil.copy(stale, predictor_path(path))  # the first model's arrays beside the second model
    assert load_predictor(path) is None
    loaded = load_classifier(path)
    assert isinstance(loaded, ThemeClassifier)
    assert loaded.predict_themes(TEXTS) == second.predict_themes(TEXTS)


def test_a_model_file_without_arrays_is_loaded_itself(tmp_path):
    path = save_model(ThemeClassifier(min_df=1).fit(TEXTS, THEMES), tmp_path / "m.skops")
    predictor_path(path).unlink()
    assert isinstance(load_classifier(path), ThemeClassifier)


def test_a_run_imports_neither_scikit_learn_nor_skops():
    code = ("import sys; from pipeline.config import Config; from pipeline.process import warm_up; "
            "warm_up(Config()); print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'skops'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_model_outside_the_arrays_only_form_predicts_and_is_loaded_itself(tmp_path):
    # Character 4-grams do not fit the integer keys of the fast path: that block stays the
    # fitted vectorizer, and no arrays file is written for the model.
    model = ThemeClassifier(min_df=1, char_ngram_range=(1, 4)).fit(TEXTS, THEMES)
    assert [p.theme for p in model.predict_themes(TEXTS)] == list(model.predict(TEXTS))
    path = save_model(model, tmp_path / "wide.skops")
    assert not predictor_path(path).exists()
    assert isinstance(load_classifier(path), ThemeClassifier)
