"""Theme classifier, keyword baseline, persistence and training/evaluation helpers."""
from __future__ import annotations

import csv

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError as SklearnNotFittedError

from corpus import errors
from labelled import INSTRUMENTS, TEXTS, THEMES, TINY
from models.classifier import (DEFAULT_MODEL, InvalidParameterError, ThemeClassifier,
                               ThemePrediction, load_model, predict_themes, save_model)
from models.keywords import CueCounter, KeywordClassifier, count_cues, keyword_theme
from models.training import EvaluationReport, evaluate, read_labels, train


@pytest.fixture(scope="module")
def tiny_model() -> ThemeClassifier:
    return ThemeClassifier(min_df=1).fit(TEXTS, THEMES, instrument=INSTRUMENTS)


@pytest.fixture(scope="module")
def tiny_labels_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("labels") / "labels.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "theme", "also", "instrument", "instrument_subtype", "source"])
        for text, theme, instrument in TINY * 2:  # the repeat checks deduplication
            writer.writerow([text, theme, "", instrument, "", "test"])
    return path


# -- keyword baseline -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, theme", [
    ("推进义务教育教师交流轮岗", "teachers"),
    ("实现班班通全覆盖", "digital"),
    ("健全农村留守儿童关爱体系", "equity"),
    ("严格落实控辍保学责任", "enrollment"),
    ("城区优质学校实行集团化办学", "collaboration"),
    ("会议于上午九时召开", "other"),  # no cue at all
])
def test_keywords_theme_by_most_cue_hits(text, theme):
    assert keyword_theme(text) == theme


def test_keywords_tie_gives_fallback():
    # one teachers cue (招聘) and one digital cue (宽带): a tie.
    assert keyword_theme("招聘宽带") == "other"


def test_keywords_longest_cue_counts_once():
    assert count_cues(["交流轮岗"], [("交流", "交流轮岗")]).tolist() == [[1]]


def test_keywords_classifier_predicts_like_the_function():
    baseline = KeywordClassifier().fit(TEXTS)
    assert list(baseline.predict(TEXTS)) == [keyword_theme(t) for t in TEXTS]


def test_keywords_instrument_fallback_is_the_majority_type():
    baseline = KeywordClassifier(dimension="instruments").fit(TEXTS, INSTRUMENTS)
    assert baseline.fallback_ == "supply"
    assert baseline.predict(["会议于上午九时召开"]).tolist() == ["supply"]


def test_keywords_bad_dimension_message():
    with pytest.raises(ValueError, match="The 'dimension' parameter of KeywordClassifier"):
        KeywordClassifier(dimension="topics").fit(TEXTS)


def test_cue_counter_one_column_per_theme():
    counter = CueCounter(sublinear=False).fit(TEXTS)
    matrix = counter.transform(["班班通和宽带网络"]).toarray()
    assert matrix.shape == (1, 12)
    assert matrix[0, counter.groups_.index("digital")] == 3  # 班班通, 宽带, 网络


# -- estimator contract -----------------------------------------------------------------------------
def test_classifier_fit_returns_self_and_sets_classes():
    model = ThemeClassifier(min_df=1)
    assert model.fit(TEXTS, THEMES) is model
    assert set(model.classes_) >= {"teachers", "digital", "equity", "facilities"}
    assert model.taxonomy_.theme_ids[0] == "governance"


@pytest.mark.parametrize("text, theme", [
    ("组织教师交流轮岗", "teachers"),
    ("推进班班通建设", "digital"),
    ("做好留守儿童关爱", "equity"),
])
def test_classifier_tiny_model_predicts_theme(tiny_model, text, theme):
    assert tiny_model.predict([text])[0] == theme


def test_classifier_predict_proba_rows_sum_to_one(tiny_model):
    proba = tiny_model.predict_proba(TEXTS[:3])
    assert proba.shape == (3, len(tiny_model.classes_))
    assert np.allclose(proba.sum(axis=1), 1)


def test_classifier_predict_themes_fills_every_field(tiny_model):
    (pred,) = tiny_model.predict_themes(["实现班班通全覆盖"])
    assert isinstance(pred, ThemePrediction)
    assert pred.theme == "digital" and pred.themes.split(";")[0] == "digital"
    assert 0 < pred.score <= 1 and pred.instrument == "supply" and 0 < pred.instrument_score <= 1


def test_classifier_without_instrument_labels_predicts_empty_instrument():
    model = ThemeClassifier(min_df=1).fit(TEXTS, THEMES)
    assert model.predict_themes(["新建学校"])[0].instrument == ""


def test_classifier_init_only_stores_params_so_clone_works():
    model = ThemeClassifier(C=2.0, min_df=3)
    assert clone(model).get_params() == model.get_params()
    assert not hasattr(model, "taxonomy_")


def test_classifier_predict_before_fit_says_not_fitted():
    with pytest.raises(errors.NotFittedError, match="not fitted yet: call fit") as info:
        ThemeClassifier().predict(["新建学校"])
    assert isinstance(info.value, SklearnNotFittedError)  # sklearn tools recognise it too


@pytest.mark.parametrize("params, message", [
    ({"min_df": 0}, "The 'min_df' parameter of ThemeClassifier must be an int >= 1. Got 0 instead."),
    ({"C": -1.0}, "The 'C' parameter of ThemeClassifier must be a float > 0. Got -1.0 instead."),
    ({"threshold": 2}, "The 'threshold' parameter of ThemeClassifier must be a float in [0, 1]."),
    ({"char_ngram_range": (3, 1)}, "The 'char_ngram_range' parameter of ThemeClassifier"),
    ({"heading_weight": 1.5}, "The 'heading_weight' parameter of ThemeClassifier must be a float in [0, 1]."),
])
def test_classifier_bad_param_is_named_at_fit(params, message):
    with pytest.raises(InvalidParameterError) as info:
        ThemeClassifier(**params).fit(TEXTS, THEMES)
    assert str(info.value).startswith(message)


def test_classifier_unknown_theme_label_names_the_taxonomy():
    with pytest.raises(errors.TaxonomyError, match="'housing'.*not ids of the taxonomy"):
        ThemeClassifier(min_df=1).fit(TEXTS[:2], ["teachers", "housing"])


def test_classifier_single_str_input_is_rejected(tiny_model):
    with pytest.raises(TypeError, match="wrap it in a list"):
        tiny_model.predict("新建学校")


# -- persistence ------------------------------------------------------------------------------------
def test_classifier_skops_round_trip_predicts_the_same(tiny_model, tmp_path):
    path = save_model(tiny_model, tmp_path / "tiny.skops")
    loaded = load_model(path)
    assert loaded is not tiny_model
    assert np.allclose(loaded.predict_proba(TEXTS), tiny_model.predict_proba(TEXTS))
    assert loaded.predict_themes(TEXTS[:2]) == tiny_model.predict_themes(TEXTS[:2])


def test_classifier_load_is_cached(tiny_model, tmp_path):
    path = save_model(tiny_model, tmp_path / "tiny.skops")
    assert load_model(path) is load_model(path)


def test_classifier_load_missing_model_says_how_to_train(tmp_path):
    with pytest.raises(errors.ModelError, match="zhengce train"):
        load_model(tmp_path / "none.skops")


def test_classifier_load_rejects_a_file_that_is_no_model(tmp_path):
    path = tmp_path / "bad.skops"
    path.write_bytes(b"not a zip file")
    with pytest.raises(errors.ModelError, match="cannot be loaded"):
        load_model(path)


# -- training and evaluation ------------------------------------------------------------------------
def test_training_read_labels_dedupes_on_text(tiny_labels_csv):
    assert len(read_labels(tiny_labels_csv)) == len(TINY)


def test_training_train_writes_a_loadable_model(tiny_labels_csv, tmp_path):
    out = tmp_path / "model.skops"
    model = train(tiny_labels_csv, model_out=out, min_df=1)
    assert list(load_model(out).predict(TEXTS)) == list(model.predict(TEXTS))


def test_training_evaluate_reports_model_beside_baseline(tiny_labels_csv):
    report = evaluate(tiny_labels_csv, test_size=1 / 3)
    assert isinstance(report, EvaluationReport)
    assert report.n_test == 4 and report.n_train == 8
    assert list(report.per_theme.columns) == ["precision", "recall", "f1", "support"]
    assert "keyword baseline" in report.format() and 0 <= report.baseline_macro_f1 <= 1


def test_training_evaluate_cross_validates(tiny_labels_csv):
    report = evaluate(tiny_labels_csv, cv=3)
    assert len(report.fold_macro_f1) == 3 and report.n_test == len(TINY)


# -- the shipped model ------------------------------------------------------------------------------
@pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="no trained models/theme_model.skops")
@pytest.mark.parametrize("text, theme", [
    ("全面推进义务教育阶段教师校长交流轮岗", "teachers"),
    ("实施乡村教师素质提升计划,开展全员培训", "teachers"),
    ("实现中小学班班通全覆盖,建设智慧校园", "digital"),
    ("健全农村留守儿童关爱服务体系", "equity"),
    ("加快推进农村寄宿制学校改扩建工程", "facilities"),
    ("严格落实控辍保学责任,确保适龄儿童不失学辍学", "enrollment"),
    ("建立健全义务教育督导评估制度", "evaluation"),
    ("深入推进集团化办学,组建城乡学校共同体", "collaboration"),
])
def test_classifier_shipped_model_predicts_clear_sentences(text, theme):
    assert predict_themes([text])[0].theme == theme


def test_classifier_cli_train_then_evaluate_the_saved_model(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import cli

    labels = tmp_path / "labels.csv"
    rows = ["text,theme,also,instrument,instrument_subtype,source"]
    examples = {
        "teachers": ["推进城乡教师交流轮岗", "加强乡村教师培训", "深化县管校聘管理改革", "落实教师绩效工资"],
        "digital": ["推进班班通全覆盖", "建设智慧教育平台", "提升教师信息技术应用能力", "实现学校宽带网络全覆盖"],
        "equity": ["关爱农村留守儿童", "做好残疾儿童送教上门", "落实家庭经济困难学生资助", "保障随迁子女平等受教育"],
    }
    for theme, texts in examples.items():
        rows += [f"{t}{i},{theme},,supply,公共服务,test" for t in texts for i in range(3)]
    labels.write_text("\n".join(rows) + "\n", encoding="utf-8")
    model = tmp_path / "m.skops"
    trained = CliRunner().invoke(cli, ["train", str(labels), "--model", str(model)])
    assert trained.exit_code == 0, trained.output
    assert model.is_file()
    scored = CliRunner().invoke(cli, ["evaluate", str(labels), "--model", str(model)])
    assert scored.exit_code == 0, scored.output
    assert "macro-F1" in scored.output and "keyword baseline" in scored.output


def test_classifier_fallback_theme_needs_fallback_min_proba():
    import numpy as np

    from models.classifier import ThemeClassifier

    texts = ["加强乡村教师培训", "推进教师交流轮岗", "建设智慧教育平台", "推进班班通全覆盖",
             "开放公共图书馆", "发展文化旅游产业"] * 3
    themes = ["teachers", "teachers", "digital", "digital", "other", "other"] * 3
    model = ThemeClassifier(fallback_min_proba=0.4).fit(texts, themes)
    assert list(model.classes_) == ["digital", "other", "teachers"]  # the columns of proba below
    proba = np.array([[0.2, 0.39, 0.41], [0.1, 0.45, 0.45], [0.25, 0.38, 0.37], [0.05, 0.9, 0.05]])
    assert [model.classes_[i] for i in model._primary(proba)] == ["teachers", "other", "teachers", "other"]
    model.set_params(fallback_min_proba=0.0)
    assert model.classes_[model._primary(np.array([[0.3, 0.4, 0.3]]))[0]] == "other"


# -- fast featurisation: the same numbers as sklearn's own code ---------------------------------------
def _sample_sentences(samples_dir) -> list[str]:
    from corpus.normalise import normalise
    from corpus.readers import read_path
    from corpus.structure import split_sentences

    texts = []
    for path in sorted(p for p in samples_dir.rglob("*") if p.suffix in {".txt", ".html", ".docx", ".pdf"}):
        text = normalise(read_path(path).text).text
        texts += [text[s:e] for s, e in split_sentences(text)]
    # Whitespace runs, Latin, digits, astral characters, empty and one-character texts.
    return texts + ["", "教", "  a  b\n\nc\t d ", "𠀀𠀁 教育  教师", "ABC abc 123 ＡＢＣ", "\n"]


@pytest.mark.parametrize("analyzer, ngram_range", [("char", (1, 2)), ("char", (1, 3)), ("char", (2, 3)),
                                                    ("word", (1, 1)), ("word", (1, 2))])
def test_compact_vectorizer_transform_equals_sklearn(samples_dir, analyzer, ngram_range):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from corpus.segment import tokens
    from models.classifier import CompactTfidfVectorizer

    texts = _sample_sentences(samples_dir)
    params = dict(analyzer=analyzer, ngram_range=ngram_range, lowercase=False, sublinear_tf=True)
    if analyzer == "word":
        params.update(tokenizer=tokens, token_pattern=None)
    fast = CompactTfidfVectorizer(**params).fit(texts[::2])  # unseen n-grams in the other half
    reference = TfidfVectorizer(**params).fit(texts[::2])
    assert fast._lookup() is not None  # the fast path is taken
    got, want = fast.transform(texts), reference.transform(texts)
    assert got.shape == want.shape and got.nnz == want.nnz > 0
    assert abs(got - want).max() < 1e-12


def test_compact_vectorizer_outside_the_fast_path_uses_sklearn():
    from models.classifier import CompactTfidfVectorizer

    lowered = CompactTfidfVectorizer(analyzer="char", lowercase=True).fit(["ABC 教育", "abc"])
    assert lowered._lookup() is None
    assert lowered.transform(["ABC"]).nnz == 3
    bigrams = CompactTfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False,
                                     ngram_range=(2, 2)).fit(["a b c", "b c d"])
    assert bigrams._lookup() is None
    assert bigrams.transform(["a b c"]).nnz == 2


def test_compact_vectorizer_refit_forgets_the_old_vocabulary():
    from models.classifier import CompactTfidfVectorizer

    vectorizer = CompactTfidfVectorizer(analyzer="char", lowercase=False)
    vectorizer.fit(["教育"]).transform(["教育"])
    vectorizer.fit(["学校"])
    assert vectorizer.transform(["学校"]).nnz == 2
    assert vectorizer.transform(["教育"]).nnz == 0


def test_predictor_features_and_probabilities_equal_the_pipelines(tiny_model):
    from models.predictor import LinearHead, ThemePredictor, as_texts

    texts = as_texts(TEXTS)
    features = ThemePredictor.from_classifier(tiny_model)._features(texts, None)
    union = tiny_model.pipeline_.named_steps["features"]
    np.testing.assert_allclose(features.toarray(), union.transform(texts).toarray(), atol=1e-12)
    for clf in (tiny_model.pipeline_.named_steps["clf"],
                tiny_model.instrument_pipeline_.named_steps["clf"]):
        head = LinearHead(list(clf.classes_), clf.coef_, clf.intercept_)
        np.testing.assert_allclose(head.proba(features), clf.predict_proba(features), atol=1e-12)
    binary = ThemeClassifier(min_df=1).fit(TEXTS[:6], THEMES[:6]).pipeline_
    features = binary.named_steps["features"].transform(texts)
    clf = binary.named_steps["clf"]
    np.testing.assert_allclose(LinearHead(list(clf.classes_), clf.coef_, clf.intercept_).proba(features),
                               clf.predict_proba(features), atol=1e-12)


def test_count_cues_batch_equals_counting_each_sentence(samples_dir):
    from models.predictor import _pattern
    from models.taxonomy import load_taxonomy

    groups = [tuple(g) for g in load_taxonomy(None).cue_groups("themes").values()]
    texts = _sample_sentences(samples_dir) + [None, "经费经费\n经费"]
    one_by_one = [[len(_pattern(g).findall(t or "")) for g in groups] for t in texts]
    assert (count_cues(texts, groups) == np.asarray(one_by_one)).all()
    assert count_cues(texts, groups).sum() > 20


# -- headings ------------------------------------------------------------------------------------
def test_heading_pulls_an_ambiguous_measure_towards_its_section(tiny_model):
    # Equal cue words for two themes: the heading above the sentence decides.
    text = "推进班班通建设,新建城区学校"
    alone = tiny_model.predict_proba([text])[0]
    classes = list(tiny_model.classes_)
    for heading, theme in (("一、加快教育信息化 > (一)提升宽带网络接入水平", "digital"),
                           ("一、改善办学条件 > (一)推进义务教育学校标准化建设", "facilities")):
        model = clone(tiny_model).set_params(heading_weight=0.5).fit(TEXTS, THEMES, instrument=INSTRUMENTS)
        mixed = model.predict_themes([text], sections=[heading])[0]
        assert mixed.theme == theme
        assert mixed.score > alone[classes.index(theme)]


def test_heading_weight_zero_and_no_sections_give_the_sentence_alone(tiny_model):
    text = ["推进班班通建设,新建城区学校"]
    plain = tiny_model.predict_themes(text)
    off = clone(tiny_model).set_params(heading_weight=0.0).fit(TEXTS, THEMES, instrument=INSTRUMENTS)
    assert off.predict_themes(text, sections=["一、加快教育信息化"]) == plain
    assert tiny_model.predict_themes(text, sections=[""]) == plain  # no heading above it


def test_sections_must_match_the_sentences(tiny_model):
    with pytest.raises(ValueError, match="2 sections for 1 sentences"):
        tiny_model.predict_themes(["实现班班通全覆盖"], sections=["一、信息化", "二、条件"])


def test_classifier_text_punctuation_is_read_in_one_form(tiny_model):
    full, ascii_ = "推进数字校园建设，提升宽带网络；", "推进数字校园建设,提升宽带网络;"
    assert tiny_model.predict_themes([full]) == tiny_model.predict_themes([ascii_])


@pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="no trained models/theme_model.skops")
def test_classifier_given_words_predicts_exactly_what_it_predicts_from_text():
    # The pipeline hands the classifier each measure's words from the document's segmentation;
    # punctuation and whitespace among them must come out as its own tokenizer would have them.
    from corpus.segment import get_tokenizer

    model = load_model(DEFAULT_MODEL)
    texts = ["各地要落实控辍保学责任，严防义务教育阶段学生辍学；确保入学率达100%！",
             "推进县管校聘 改革：教师交流轮岗？每年不少于10%。", "加强党的建设"]
    sections = ["一、主要任务 > (一)加强教师队伍建设", "", "二、保障措施"]
    words = [get_tokenizer().cut(text) for text in texts]
    words[2] = None  # segmented by the classifier itself
    assert model.predict_themes(texts, sections, words=words) == model.predict_themes(texts, sections)
    with pytest.raises(ValueError, match="2 word lists for 3 sentences"):
        model.predict_themes(texts, words=words[:2])
