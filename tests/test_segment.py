"""corpus.segment: jieba/rjieba with the policy dictionary, lazily loaded."""
from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.normalise import normalise
from corpus.readers import read_path
from corpus.segment import get_tokenizer, policy_words, tokens

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"

# The words the brief lists, each in a real policy sentence.
SENTENCES = {
    "优质均衡": "推动县域义务教育优质均衡发展,办好人民满意的教育。",
    "控辍保学": "落实控辍保学责任,严防义务教育阶段学生辍学。",
    "县管校聘": "深入推进中小学教师县管校聘管理改革。",
    "集团化办学": "积极探索集团化办学模式,由城区优质学校领办农村学校。",
    "双减": "加强双减政策落地生根创新实践。",
    "五项管理": "落实五项管理要求,减轻学生作业负担。",
    "班班通": "全县义务教育学校基本实现班班通全覆盖。",
    "留守儿童": "关爱保护留守儿童,建立专项档案。",
    "随迁子女": "将进城务工人员随迁子女就学纳入教育发展规划。",
    "寄宿制学校": "新建改扩建农村公办寄宿制学校22所。",
    "薄弱学校": "保障经费向农村薄弱学校倾斜。",
    "教学点": "分批次撤并农村教学点30多所。",
    "麻雀学校": "农村麻雀学校多仍然满足不了群众需求。",
    "三残儿童": "保障三残儿童少年入学,形成入学保障体系。",
    "送教上门": "不能随班就读的儿童由学校组织送教上门。",
    "交流轮岗": "推进义务教育学校校长教师交流轮岗。",
    "生均公用经费": "不足100名学生的学校按100人拨付生均公用经费。",
    "结对帮扶": "启动新一轮城区学校与山区学校结对帮扶工作。",
    "全面改薄": "实施全面改薄项目59个,改善基本办学条件。",
}


@pytest.mark.parametrize("name", ["jieba", "rjieba"])
@pytest.mark.parametrize("word, sentence", sorted(SENTENCES.items()))
def test_segment_keeps_listed_words_whole(name, word, sentence):
    assert word in get_tokenizer(name).cut(sentence)


def test_segment_dictionary_has_listed_words_and_more():
    words = policy_words()
    assert set(SENTENCES) <= set(words)
    assert len(words) >= 170
    assert len(words) == len(set(words))


def test_segment_every_dictionary_word_stays_whole():
    cut = get_tokenizer("jieba").cut
    broken = [w for w in policy_words() if w not in cut(f"各地要把{w}工作摆在突出位置。")]
    assert broken == []


def test_segment_tokenizer_is_cached():
    assert get_tokenizer("jieba") is get_tokenizer("jieba")
    assert get_tokenizer() is get_tokenizer("rjieba")


def test_segment_default_is_rjieba_with_the_policy_dictionary():
    assert get_tokenizer().name == "rjieba"
    assert "控辍保学" in get_tokenizer().cut("各地要落实控辍保学责任。")


def test_segment_unknown_backend_names_the_choices():
    with pytest.raises(ValueError, match="jieba, rjieba"):
        get_tokenizer("thulac")


def test_segment_tokens_drop_whitespace():
    assert tokens("落实 控辍保学\n责任") == ["落实", "控辍保学", "责任"]


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_segment_search_words_of_cut_words_are_cut_for_search(backend):
    # The search index expands words the Doc already holds instead of segmenting each measure
    # again: that must give exactly what cut_for_search gives, mixed Latin and digits included.
    seg = get_tokenizer(backend)
    texts = ["拨付生均公用经费，中华人民共和国义务教育法。",
             "按照《地表水环境质量标准》(GB3838-2002)和GB/T19892.1-2005执行，落实控辍保学责任",
             *(normalise(read_path(path).text).text for path in sorted(SAMPLES.rglob("*.*")))]
    for text in texts:
        assert [w for word in seg.cut(text) for w in seg.search_words(word)] == seg.cut_for_search(text)
    assert {"生均公用经费", "经费"} <= set(seg.search_words("生均公用经费"))


def test_segment_tokens_survive_pickle():
    # TfidfVectorizer(tokenizer=tokens) is persisted with the model: tokens must pickle by name.
    assert pickle.loads(pickle.dumps(tokens)) is tokens


def test_segment_import_does_not_load_jieba():
    code = "import sys, corpus.segment, corpus.structure; sys.exit('jieba' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
