"""The taxonomy file: the shipped one loads, bad files fail with the file and the problem named."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus.errors import TaxonomyError
from models.taxonomy import DEFAULT_TAXONOMY, Taxonomy, load_taxonomy

THEMES = ("governance", "funding", "facilities", "teachers", "quality", "digital", "equity",
          "enrollment", "collaboration", "evaluation", "health_safety", "other")

MINIMAL = """
[[themes]]
id = "housing"
label = "住房保障"
cues = ["保障性住房", "公租房"]

[[themes]]
id = "other"
label = "其他"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "themes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_taxonomy_default_has_the_twelve_themes_in_order():
    assert load_taxonomy().theme_ids == THEMES


def test_taxonomy_default_has_three_instrument_types():
    taxonomy = load_taxonomy()
    assert taxonomy.instrument_ids == ("supply", "environment", "demand")
    assert [i.label for i in taxonomy.instruments] == ["供给型", "环境型", "需求型"]


def test_taxonomy_none_is_the_shipped_file():
    assert load_taxonomy(None).source == str(DEFAULT_TAXONOMY.resolve())


@pytest.mark.parametrize("theme, cue", [
    ("teachers", "交流轮岗"), ("digital", "班班通"), ("equity", "留守儿童"),
    ("enrollment", "控辍保学"), ("funding", "生均公用经费"), ("collaboration", "集团化办学"),
])
def test_taxonomy_cues_include_the_spec_cue(theme, cue):
    assert cue in load_taxonomy().cue_groups("themes")[theme]


def test_taxonomy_instrument_cues_join_the_subtypes():
    supply = load_taxonomy().instruments[0]
    assert {s.name for s in supply.subtypes} == {"资金投入", "人才培养", "基础设施", "信息支持", "公共服务"}
    assert "补助" in supply.cues and "培训" in supply.cues


def test_taxonomy_is_frozen():
    with pytest.raises(AttributeError):
        load_taxonomy().fallback = "teachers"  # type: ignore[misc]


def test_taxonomy_user_file_without_instruments_loads(tmp_path):
    taxonomy = load_taxonomy(write(tmp_path, MINIMAL))
    assert isinstance(taxonomy, Taxonomy)
    assert taxonomy.theme_ids == ("housing", "other") and taxonomy.instruments == ()
    assert taxonomy.label_of("housing") == "住房保障"


def test_taxonomy_edited_file_is_read_again(tmp_path):
    path = write(tmp_path, MINIMAL)
    load_taxonomy(path)
    path.write_text(MINIMAL.replace("住房保障", "住房"), encoding="utf-8")
    import os
    os.utime(path, ns=(1, 10**18))  # a different mtime even on coarse file systems
    assert load_taxonomy(path).label_of("housing") == "住房"


def test_taxonomy_missing_file_names_it(tmp_path):
    with pytest.raises(TaxonomyError, match="nope.toml does not exist"):
        load_taxonomy(tmp_path / "nope.toml")


@pytest.mark.parametrize("text, problem", [
    ("[[themes]\nid = 1", "not valid UTF-8 TOML"),
    ("name = 'x'", "no \\[\\[themes\\]\\]"),
    ('[[themes]]\nid = "other"\nlabel = "其他"', "only one theme"),
    (MINIMAL.replace('"housing"', '"住房"'), "lower-case ASCII"),
    (MINIMAL.replace('"housing"', '"Housing Policy"'), "lower-case ASCII"),
    (MINIMAL.replace('"housing"', '"other"'), "'other' appears twice"),
    (MINIMAL.replace('label = "住房保障"', 'label = ""'), "needs a non-empty text 'label'"),
    (MINIMAL.replace('["保障性住房", "公租房"]', '"公租房"'), "'cues' must be a list"),
    (MINIMAL.replace('["保障性住房", "公租房"]', '["公租房", 3]'), "'cues' must be a list"),
    (MINIMAL.replace('id = "other"', 'id = "misc"'), "fallback theme 'other'"),
    ("fallback = 'rest'\n" + MINIMAL, "fallback theme 'rest'"),
    (MINIMAL + '[[instruments]]\nid = "supply"\n', "instrument #1 \\(supply\\) needs"),
    (MINIMAL + '[[instruments]]\nid = "supply"\nlabel = "供给型"\nsubtypes = "x"\n',
     "'subtypes' must be a list"),
])
def test_taxonomy_bad_file_names_file_and_problem(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(TaxonomyError, match=problem) as info:
        load_taxonomy(path)
    assert str(path) in str(info.value)


def test_taxonomy_non_utf8_file_is_rejected(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(MINIMAL.encode("gbk"))
    with pytest.raises(TaxonomyError, match="UTF-8"):
        load_taxonomy(path)


def test_taxonomy_unknown_dimension_is_rejected():
    with pytest.raises(ValueError, match="dimension"):
        load_taxonomy().cue_groups("topics")
