"""The extractors as a spaCy pipeline: one call to load, nlp(text), nlp.pipe, records."""
from __future__ import annotations

import dataclasses

import pytest
import spacy

import extractors
from corpus.records import FundingAmount, Indicator, Measure, Target
from extractors.components import COMPONENTS

TEXT = (
    "商水县关于推进义务教育优质均衡发展的报告\n"
    "发布时间: 2023-06-15\n"
    "一、主要做法\n"
    "2020年以来，全县累计投入2.3亿元，用于农村学校校舍改扩建。新增学位3600个。\n"
    "二、下一步打算\n"
    "力争到2025年底，全县义务教育学校全部达到省定办学标准。"
)


@pytest.fixture(scope="module", params=["rjieba", "jieba"])
def nlp(request):
    return extractors.load(segmenter=request.param)


def test_nlp_components_are_registered_by_name(nlp):
    assert nlp.pipe_names == list(COMPONENTS)
    for name in COMPONENTS:
        assert spacy.registry.factories.get(name) or name in nlp.factory_names


def test_nlp_doc_carries_every_record_group(nlp):
    doc = nlp(TEXT)
    assert doc._.published == "2023-06-15"
    assert doc._.region.county == "商水县" and doc._.region.province == "河南省"
    [funding] = doc.spans["funding"]
    assert funding._.value["amount_yuan"] == 230000000 and funding._.value["period"] == "2020-"
    assert [s._.value["value"] for s in doc.spans["indicators"]] == [3600]
    [target] = doc.spans["targets"]
    assert target._.value["deadline_year"] == 2025
    assert all(s._.value["section"].startswith(("一、", "二、")) for s in doc.spans["measures"])


def test_nlp_span_values_do_not_collide_when_spans_share_offsets(nlp):
    doc = nlp("到2027年全省实现优质均衡。")
    [sentence] = doc.spans["sentences"]
    assert sentence._.value["text"] == "到2027年全省实现优质均衡。"
    assert doc.spans["targets"][0]._.value["deadline_year"] == 2027


@pytest.mark.parametrize("direct", [True, False], ids=["user_data", "accessor"])
def test_nlp_sentence_and_heading_values_read_back_through_spacy(nlp, direct, monkeypatch):
    # The structure component writes these values into doc.user_data itself where spaCy keeps
    # them (or through span._ where spaCy keeps them elsewhere): span._ must find every one.
    import extractors._extensions as extensions

    monkeypatch.setattr(extensions, "_user_data_layout", lambda: direct)
    doc = nlp(TEXT)
    sentences = doc.spans["sentences"]
    assert len(sentences) == 3
    assert [s._.sentence["text"] for s in sentences] == [s.text for s in sentences]
    assert [s._.value["is_measure"] for s in sentences] == [s.label_ == "MEASURE" for s in sentences]
    assert [(h._.heading["label"], h._.value["text"]) for h in doc.spans["headings"]] == [
        ("一、", "主要做法"), ("二、", "下一步打算")]


def test_nlp_spacy_keeps_span_values_where_the_structure_component_writes_them():
    from extractors._extensions import _user_data_layout

    _user_data_layout.cache_clear()
    assert _user_data_layout()


def test_nlp_pipe_streams_batches_with_the_same_results(nlp):
    texts = [TEXT, "各地要落实控辍保学责任。", "累计投入4.6亿,用于改善办学条件。"]
    piped = list(nlp.pipe(texts, batch_size=2))
    assert [len(d.spans["measures"]) for d in piped] == [len(nlp(t).spans["measures"]) for t in texts]
    assert piped[2].spans["funding"][0]._.value["amount_yuan"] == 460000000


def test_nlp_records_are_dataclasses_traced_to_their_sentence(nlp):
    found = extractors.records(nlp(TEXT), "shangshui.txt")
    assert found.county == "商水县" and found.published == "2023-06-15"
    for records, kind in ((found.measures, Measure), (found.funding, FundingAmount), (found.targets, Target),
                          (found.indicators, Indicator)):
        assert records and all(isinstance(r, kind) and dataclasses.is_dataclass(r) for r in records)
    measure_ids = {m.measure_id for m in found.measures}
    assert found.funding[0].measure_id in measure_ids
    assert "2.3亿元" in found.funding[0].sentence


def test_nlp_words_keep_policy_terms_whole(nlp):
    words = [t.text for t in nlp.make_doc("落实控辍保学和县管校聘，推进集团化办学。")]
    assert {"控辍保学", "县管校聘", "集团化办学"} <= set(words)
    assert "".join(words) == "落实控辍保学和县管校聘，推进集团化办学。"


def test_nlp_tokens_are_the_segmenters_words_whitespace_included(nlp):
    # Both segmenters build the Doc straight from their words: whitespace runs and line breaks are
    # tokens of their own, so every character offset of the text is a token boundary it had.
    from corpus.segment import get_tokenizer

    text = "一、总体要求\n  到2025年 ，入学率达到95%。\t(一)加强领导"
    doc = nlp.make_doc(text)
    segmenter = get_tokenizer(nlp.tokenizer.segmenter.name)
    assert [t.text for t in doc] == [w for w in segmenter.cut(text) if w]
    assert doc.text == text and not any(t.whitespace_ for t in doc)


def test_nlp_finders_follow_a_sentence_group_changed_between_components(nlp):
    # The finders read the sentences from a list the structure component leaves beside the spans;
    # a user who edits doc.spans["sentences"] in between must still be obeyed.
    from extractors.components import sentence_values

    doc = nlp.make_doc(TEXT)
    doc = nlp.get_pipe("zhengce_structure")(doc)
    doc = nlp.get_pipe("zhengce_document_meta")(doc)
    everything = sentence_values(doc)
    assert [v["text"] for _, _, v in everything] == [s._.value["text"] for s in doc.spans["sentences"]]
    doc.spans["sentences"] = [s for s in doc.spans["sentences"] if "力争" in s.text]
    doc = nlp.get_pipe("zhengce_funding")(doc)
    doc = nlp.get_pipe("zhengce_targets")(doc)
    assert list(doc.spans["funding"]) == []  # the 2.3亿元 sentence was taken out
    assert [t._.value["deadline_year"] for t in doc.spans["targets"]] == [2025]
    assert [m.text for m in extractors.records(doc, "d").measures] == [
        s._.value["text"] for s in doc.spans["sentences"]]


def test_nlp_targets_read_a_laws_articles_as_norms(nlp):
    # The targets component tells find_targets when a sentence sits under 第X条.
    from extractors import records

    found = records(nlp("某市教育督导条例\n第一章 总则\n第五条 兼职督学的任期为3年，可以连续聘任。\n"
                        "第六条 本市共有督学50名。"), "law")
    assert [(t.value, t.unit) for t in found.targets] == [(3, "年")]
    assert [(i.value, i.unit) for i in found.indicators] == [(50, "名")]


def test_nlp_funding_in_a_taiwan_document_is_in_new_taiwan_dollars(nlp):
    from extractors import records

    found = records(nlp("偏远地区学校教育发展条例\n中华民国一百零六年十二月六日总统令制定公布\n"
                        "第三条 补助每校最高三百万元。"), "tw")
    assert (found.province, [f.currency for f in found.funding]) == ("台湾省", ["TWD"])


def test_nlp_goals_paragraph_dates_the_sentences_after_its_lead(nlp):
    from extractors import records

    plan = ("某省学前教育发展行动计划\n二、主要目标\n到2025年，全省学前教育普及水平进一步提高。"
            "全省学前三年毛入园率达到92%以上，普惠性幼儿园覆盖率达到85%。\n三、主要措施\n到2030年，建成"
            "覆盖城乡的学前教育公共服务体系。\n各地落实学前教育投入。")
    found = records(nlp(plan), "plan")
    assert {t.value: t.deadline_year for t in found.targets if t.value} == {92: 2025, 85: 2025}
    # A report's look back (到2020年 in a 2021 summary) dates nothing after it.
    report = records(nlp("某县2021年工作总结\n到2020年，全县学前教育基本普及。全县毛入园率达到92%。"), "report")
    assert [t.deadline_year for t in report.targets if t.value == 92] == [None]



def test_nlp_tokens_keep_the_cheap_lexical_flags_only(nlp):
    # The expensive lexical attributes are not computed (extractors.pipeline.LEX_ATTRS): punctuation,
    # space and digit flags still are, like_num and shape read as unset.
    doc = nlp("到2027年， 全省30%的县")
    flags = {t.text: (t.is_punct, t.is_space, t.is_digit) for t in doc}
    assert flags["，"] == (True, False, False)
    assert flags[" "] == (False, True, False)
    assert flags["2027"] == (False, False, True)
    assert not any(t.like_num or t.shape_ for t in doc)


def test_nlp_measures_carry_the_words_the_document_was_cut_into(nlp):
    # The classifier and the search index read these instead of segmenting each measure again.
    from corpus.segment import get_tokenizer
    from extractors.components import words_between

    found = extractors.records(nlp(TEXT), "d")
    segmenter = get_tokenizer(nlp.tokenizer.segmenter.name)
    assert len(found.measure_words) == len(found.measures) > 0
    for measure, words in zip(found.measures, found.measure_words):
        assert words == [w for w in segmenter.cut(measure.text) if w]
    doc = nlp.make_doc("加强教师队伍建设。")  # 加强 | 教师队伍 | 建设 | 。
    assert words_between(doc, 0, 6) == ["加强", "教师队伍"]
    assert words_between(doc, 0, 4) is None  # 4 falls inside 教师队伍: the caller segments instead
    assert words_between(doc, 8, 9) == ["。"] and words_between(doc, 9, 9) == []


def test_nlp_component_spans_are_those_of_char_span(nlp):
    # The components find a span's tokens from the words' offsets (extractors.components._span);
    # on every character range, inside words and across whitespace tokens, that is char_span's
    # "expand" alignment.
    from extractors.components import _span

    doc = nlp.make_doc("一、加强教师队伍建设。\n  到2025年，投入 4.6亿元！")
    n = len(doc.text)
    for start in range(n):
        for end in range(start + 1, n + 1):
            ours = _span(doc, start, end, "X")
            theirs = doc.char_span(start, end, label="X", alignment_mode="expand")
            assert (ours.start, ours.end, ours.label_) == (theirs.start, theirs.end, theirs.label_), (start, end)
