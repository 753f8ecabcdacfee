"""`zhengce run` end to end: real files in, tables out."""
from __future__ import annotations

import csv
import io
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.config import Config
from pipeline.runner import run
from pipeline.store import TABLES

PINYIN = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
TRADITIONAL_ONLY = set("們這對會學區國發網經歲辦優質調")
OUTPUT_FILES = [f"{name}.csv" for name in TABLES] + ["zhengce.sqlite"]


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} must start with a UTF-8 BOM for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def seeds_out(seeds_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds_out")
    result = CliRunner().invoke(cli, ["run", str(seeds_dir), "--out", str(out), "--workers", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.shared
def test_run_writes_every_table_and_the_store(seeds_dir, seeds_out):
    for name in OUTPUT_FILES:
        assert (seeds_out / name).is_file(), name
    docs = read_csv(seeds_out / "documents.csv")
    assert sorted(d["doc_id"] for d in docs) == sorted(p.name for p in seeds_dir.glob("*.txt"))
    with sqlite3.connect(seeds_out / "zhengce.sqlite") as conn:
        n = conn.execute("SELECT COUNT(*) FROM measures").fetchone()[0]
    assert n == len(read_csv(seeds_out / "measures.csv"))


@pytest.mark.shared
def test_run_csv_headers_have_the_documented_columns(seeds_out):
    required = {
        "documents": "doc_id title published province city county admin_level script n_chars n_measures",
        "measures": "doc_id measure_id section text theme theme_score",
        "funding": "doc_id measure_id mention amount_yuan qualifier period purpose",
        "targets": "doc_id measure_id text deadline_year value unit comparator metric",
        "indicators": "doc_id measure_id text metric value unit",
        "errors": "path stage reason",
    }
    for name, cols in required.items():
        header = (seeds_out / f"{name}.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        assert set(cols.split()) <= set(header), name


@pytest.mark.shared
def test_run_traditional_seed_becomes_simplified_without_pinyin(seeds_out):
    measures = [m for m in read_csv(seeds_out / "measures.csv") if m["doc_id"].startswith("002_")]
    assert measures
    text = "".join(m["text"] for m in measures)
    assert not PINYIN.search(text)
    assert not TRADITIONAL_ONLY & set(text)
    doc = next(d for d in read_csv(seeds_out / "documents.csv") if d["doc_id"].startswith("002_"))
    assert doc["script"] == "traditional"


@pytest.mark.shared
def test_run_finds_at_least_40_measures_in_seed_004(seeds_out):
    measures = [m for m in read_csv(seeds_out / "measures.csv") if m["doc_id"].startswith("004_")]
    assert len(measures) >= 40


@pytest.mark.shared
def test_run_measure_sections_name_their_headings_in_seed_000(seeds_out):
    measures = [m for m in read_csv(seeds_out / "measures.csv") if m["doc_id"].startswith("000_")]
    with_section = [m for m in measures if m["section"]]
    assert len(with_section) >= len(measures) * 0.5
    assert any("政府主导" in m["section"] for m in with_section)


def _docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for para in text.split("\n"):
        document.add_paragraph(para)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _html_bytes(text: str) -> bytes:
    import html

    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>政策文件</title></head><body>"
        "<nav><ul><li><a href='/'>首页</a></li><li><a href='/zc'>政策文件</a></li></ul></nav>"
        f"<div class='article'>{paras}</div>"
        "<footer>主办单位:某某市人民政府办公室 网站标识码:1234567890 ICP备案号</footer></body></html>"
    )
    return page.encode("utf-8")


VARIANTS = {
    "gbk": lambda t: t.encode("gbk"),
    "gb18030": lambda t: t.encode("gb18030"),
    "utf16": lambda t: t.encode("utf-16"),
    "utf8bom": lambda t: t.encode("utf-8-sig"),
}


@pytest.mark.shared
def test_run_gives_the_same_measures_whatever_the_encoding_or_format(seeds_dir, seeds_out, tmp_path):
    variants = tmp_path / "variants"
    variants.mkdir()
    expected: dict[str, list[str]] = {}
    for m in read_csv(seeds_out / "measures.csv"):
        expected.setdefault(m["doc_id"], []).append(m["text"])
    for seed in sorted(seeds_dir.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        stem = seed.stem
        for name, encode in VARIANTS.items():
            try:
                data = encode(text)
            except UnicodeEncodeError:
                continue
            (variants / f"{stem}.{name}.txt").write_bytes(data)
        if stem.startswith("002_"):
            # Plain Big5 has no tone-marked pinyin letters: web pages in Big5 carry them via HKSCS.
            (variants / f"{stem}.big5.txt").write_bytes(text.encode("big5hkscs", errors="strict"))
        (variants / f"{stem}.docx").write_bytes(_docx_bytes(text))
        (variants / f"{stem}.html").write_bytes(_html_bytes(text))
    out = tmp_path / "out"
    run([variants], out, workers=2, progress=False)
    got: dict[str, list[str]] = {}
    for m in read_csv(out / "measures.csv"):
        got.setdefault(m["doc_id"], []).append(m["text"])
    errors = read_csv(out / "errors.csv")
    assert not errors, errors
    checked = 0
    for doc_id, texts in got.items():
        stem = doc_id.split(".")[0]
        original = expected[f"{stem}.txt"]
        assert texts == original, doc_id
        checked += 1
    assert checked == len(list(variants.iterdir())) >= 5 * 5  # GBK cannot encode some seeds' • and nbsp


def test_run_bad_files_become_error_rows_and_the_batch_goes_on(samples_dir, tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(samples_dir, folder / "good")
    good = [p for p in (folder / "good").rglob("*") if p.is_file()]
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    whole = _docx_bytes("教育局关于加强教师队伍建设的通知。\n要完善教师培训机制。")
    (folder / "truncated.docx").write_bytes(whole[: len(whole) // 2])
    (folder / "scanned.pdf").write_bytes(_pdf_without_text())
    result = CliRunner().invoke(cli, ["run", str(folder), "--out", str(tmp_path / "out"), "--workers", "2"])
    assert result.exit_code == 0, result.output
    errors = read_csv(tmp_path / "out" / "errors.csv")
    assert sorted(e["doc_id"] for e in errors) == ["binary.txt", "empty.txt", "scanned.pdf", "truncated.docx"]
    assert all(e["reason"] for e in errors)
    docs = read_csv(tmp_path / "out" / "documents.csv")
    assert len(docs) == len(good)


def _pdf_without_text() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(100, 100, 200, 200, fill=1)  # a "scan": drawing, no text layer
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_run_output_is_the_same_whatever_the_number_of_workers(samples_dir, tmp_path):
    one = run([samples_dir], tmp_path / "one", workers=1, progress=False)
    two = run([samples_dir], tmp_path / "two", workers=2, progress=False)
    assert one.documents == two.documents > 0
    for name in TABLES:
        assert (tmp_path / "one" / f"{name}.csv").read_bytes() == (tmp_path / "two" / f"{name}.csv").read_bytes(), name


def test_run_skips_unchanged_files_and_drops_deleted_ones(samples_dir, tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(samples_dir, folder)
    first = run([folder], tmp_path / "out", workers=1, progress=False)
    again = run([folder], tmp_path / "out", workers=1, progress=False)
    assert again.processed == 0 and again.unchanged == first.found
    victim = sorted(p for p in folder.rglob("*") if p.is_file())[0]
    victim.unlink()
    third = run([folder], tmp_path / "out", workers=1, progress=False)
    assert third.removed == 1 and third.processed == 0
    ids = {d["doc_id"] for d in read_csv(tmp_path / "out" / "documents.csv")} | {
        e["doc_id"] for e in read_csv(tmp_path / "out" / "errors.csv")
    }
    assert victim.relative_to(folder).as_posix() not in ids
    forced = run([folder], tmp_path / "out", workers=1, progress=False, force=True)
    assert forced.processed == first.found - 1


MINI_TAXONOMY = """
name = "mini"
version = 1
fallback = "rest"

[[themes]]
id = "people"
label = "人员"
definition = "teachers and principals"
cues = ["教师", "校长"]

[[themes]]
id = "rest"
label = "其他"
definition = "everything else"
cues = []
"""


def test_run_with_a_custom_taxonomy_classifies_by_its_cues(samples_dir, tmp_path):
    taxonomy = tmp_path / "mini.toml"
    taxonomy.write_text(MINI_TAXONOMY, encoding="utf-8")
    run([samples_dir], tmp_path / "out", Config(taxonomy=str(taxonomy)), workers=1, progress=False)
    measures = read_csv(tmp_path / "out" / "measures.csv")
    assert {m["theme"] for m in measures} == {"people", "rest"}
    assert all(m["theme"] == "people" for m in measures if "教师" in m["text"] or "校长" in m["text"])


def test_run_refuses_a_model_trained_for_other_themes(samples_dir, tmp_path):
    taxonomy = tmp_path / "mini.toml"
    taxonomy.write_text(MINI_TAXONOMY, encoding="utf-8")
    model = Path(__file__).resolve().parents[1] / "models" / "theme_model.skops"
    result = CliRunner().invoke(cli, ["run", str(samples_dir), "--out", str(tmp_path / "out"), "--taxonomy",
                                      str(taxonomy), "-s", f"model={model}"])
    assert result.exit_code == 1
    assert "train a model for this taxonomy" in result.output
    assert not (tmp_path / "out" / "measures.csv").exists()


def test_worker_vocab_does_not_grow_with_the_corpus(tmp_path):
    # Every document brings words never seen before; spaCy would keep them all for the life of a
    # worker. process() drops them every ZONE_DOCS documents, so the vocab stays bounded.
    from pipeline.process import ZONE_DOCS, _nlp, process

    config = Config()
    strings = _nlp(config.segmenter).vocab.strings
    files = []
    for i in range(2 * ZONE_DOCS + 50):
        path = tmp_path / f"{i}.txt"
        unique = " ".join(f"zq{i}w{j}" for j in range(10))
        path.write_text(f"某县教育工作报告\n一、主要做法\n各乡镇要加强教师队伍建设，{unique}。\n", encoding="utf-8")
        files.append(path)
    process(files[0], "warm", config)
    before = len(strings)
    results = [process(path, path.name, config) for path in files]
    assert all(r.error is None and r.measures for r in results)
    # 250 documents x 10 new words = 2,500 strings without zones; at most one zone's worth stays.
    assert len(strings) - before <= ZONE_DOCS * 10 + 50


def test_worker_keeps_the_loaded_pipeline_out_of_garbage_collection():
    # A pool worker freezes what it loaded (or inherited): full collections would scan those
    # objects again and again, and touching them copies the pages shared with the parent.
    import gc

    from pipeline.runner import _init_worker

    gc.unfreeze()
    try:
        _init_worker(Config())
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def _crash_on(name: str):
    """``pipeline.process._extract`` that kills its worker process on the file called ``name``."""
    import os

    import pipeline.process as process_module

    extract = process_module._extract

    def extract_or_die(path, doc_id, config):
        if Path(path).name == name:
            os._exit(3)  # what a segfault or the OOM killer does to a worker: no exception, no result
        return extract(path, doc_id, config)

    return extract_or_die


@pytest.mark.skipif(__import__("multiprocessing").get_start_method() != "fork",
                    reason="the crashing stand-in reaches the workers by fork")
def test_run_a_file_that_kills_its_worker_is_the_only_one_lost(samples_dir, tmp_path, monkeypatch):
    import pipeline.process as process_module

    # Two copies of the samples and the killer: batches of one file, several running when it dies.
    folder = tmp_path / "in"
    for i in range(2):
        shutil.copytree(samples_dir, folder / f"copy{i}")
    n_good = sum(1 for p in folder.rglob("*") if p.is_file())
    (folder / "killer.txt").write_text("某县教育局关于加强教师培训的通知。\n要加强教师培训。\n", encoding="utf-8")
    monkeypatch.setattr(process_module, "_extract", _crash_on("killer.txt"))
    summary = run([folder], tmp_path / "out", workers=2, progress=False)
    errors = read_csv(tmp_path / "out" / "errors.csv")
    assert [(e["doc_id"], e["stage"]) for e in errors] == [("killer.txt", "worker")]
    assert "died" in errors[0]["reason"]
    assert summary.documents == n_good == len(read_csv(tmp_path / "out" / "documents.csv"))


def test_process_batch_gives_what_process_gives_file_by_file(samples_dir):
    from pipeline.process import process, process_batch

    files = sorted(p for p in samples_dir.rglob("*") if p.is_file() and p.suffix != ".md")
    pairs = [(p, p.relative_to(samples_dir).as_posix()) for p in files]
    assert [process(p, d) for p, d in pairs] == process_batch(pairs)


def test_process_batch_a_document_the_classifier_fails_on_costs_only_itself(tmp_path, monkeypatch):
    from models.predictor import ThemePredictor
    from pipeline.process import process_batch

    texts = {"a.txt": "某县教育报告\n一、主要做法\n要加强教师队伍建设。\n", "b.txt": "某县教育报告\n一、主要做法\n要改善办学条件。\n",
             "c.txt": "某县教育报告\n一、主要做法\n要推进集团化办学。\n"}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    predict = ThemePredictor.predict_themes

    def fail_on_conditions(self, X, sections=None, words=None):
        X = list(X)
        if any("办学条件" in x for x in X):
            raise RuntimeError("no theme for this one")
        return predict(self, X, sections=sections, words=words)

    monkeypatch.setattr(ThemePredictor, "predict_themes", fail_on_conditions)
    results = process_batch([(tmp_path / name, name) for name in texts])
    assert [r.doc_id for r in results] == list(texts)
    assert [r.error.stage if r.error else "" for r in results] == ["", "classify", ""]
    assert "no theme for this one" in results[1].error.reason
    assert all(m.theme for r in (results[0], results[2]) for m in r.measures)


@pytest.mark.skipif(__import__("multiprocessing").get_start_method() != "fork",
                    reason="the crashing stand-in reaches the workers by fork")
def test_run_a_worker_dying_after_its_batch_was_written_leaves_no_duplicate(samples_dir, tmp_path, monkeypatch):
    # Workers write their batches into the store themselves. One that dies after committing (before
    # reporting back) has its files retried: the retry must replace those rows, not add to them.
    import os

    import pipeline.runner as runner_module

    store_batch = runner_module._store_batch

    def store_then_die(db_path, batch, config):
        written = store_batch(db_path, batch, config)
        if any(doc_id.endswith("killer.txt") for _, doc_id, *_ in batch):
            os._exit(3)
        return written

    # Tasks name their function: the stand-in takes the real one's name (forked workers see it).
    store_then_die.__module__, store_then_die.__qualname__ = "pipeline.runner", "_store_batch"
    monkeypatch.setattr(runner_module, "_store_batch", store_then_die)
    _run_with_a_killer_among_36_files(samples_dir, tmp_path)
    with sqlite3.connect(tmp_path / "out" / "zhengce.sqlite") as conn:
        measures = conn.execute("SELECT COUNT(*), COUNT(DISTINCT doc_id || measure_id) FROM measures").fetchone()
        indexed = conn.execute("SELECT COUNT(*) FROM measures_fts WHERE rowid IN (SELECT rowid FROM measures)").fetchone()
    assert measures[0] == measures[1] == indexed[0] > 0


def test_process_batch_classifying_keeps_every_other_field_of_a_measure(samples_dir):
    from corpus.records import as_dict
    from pipeline.process import process_batch

    pairs = [(p, p.name) for p in sorted(samples_dir.rglob("*.txt"))]
    plain = process_batch(pairs, Config(classify=False))
    classified = process_batch(pairs)
    themed = ("theme", "theme_score", "themes", "instrument")
    for a, b in zip(plain, classified):
        assert len(a.measures) == len(b.measures) > 0
        for m, n in zip(a.measures, b.measures):
            assert {k: v for k, v in as_dict(m).items() if k not in themed} == \
                   {k: v for k, v in as_dict(n).items() if k not in themed}
            assert n.theme and n.themes.startswith(n.theme)


@pytest.mark.skipif(__import__("multiprocessing").get_start_method() != "fork",
                    reason="the crashing stand-in reaches the workers by fork")
def test_run_a_worker_killed_inside_its_write_transaction_loses_no_other_row(samples_dir, tmp_path, monkeypatch):
    # A worker killed half-way through writing its batch: the files are retried, nothing is doubled,
    # the store is sound and no journal is left beside it.
    import os

    from pipeline.store import Store

    parent, write_result = os.getpid(), Store.write_result

    def write_then_die(self, result, size, mtime, *, new=False):
        if os.getpid() != parent:
            self.conn.execute("PRAGMA cache_size=1")  # spill every page to the file before the commit
        write_result(self, result, size, mtime, new=new)
        if os.getpid() != parent and result.doc_id.endswith("killer.txt"):
            os._exit(3)  # the killer's rows are written, its batch's transaction still open

    monkeypatch.setattr(Store, "write_result", write_then_die)
    _run_with_a_killer_among_36_files(samples_dir, tmp_path)
    with sqlite3.connect(tmp_path / "out" / "zhengce.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(*) FROM measures WHERE doc_id = 'copy2/killer.txt'").fetchone() == (0,)
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if "sqlite" in p.name) == ["zhengce.sqlite"]


def _run_with_a_killer_among_36_files(samples_dir: Path, tmp_path: Path) -> None:
    """Run 2 workers over six copies of the samples and copy2/killer.txt (enough files for batches
    of two, the killer in the middle, so its batch holds another file); each good document must be
    there once and the killer only as an errors row."""
    folder = tmp_path / "in"
    for i in range(6):
        shutil.copytree(samples_dir, folder / f"copy{i}")
    (folder / "copy2" / "killer.txt").write_text("某县教育局关于加强教师培训的通知。\n要加强教师培训。\n", encoding="utf-8")
    summary = run([folder], tmp_path / "out", workers=2, progress=False)
    documents = [d["doc_id"] for d in read_csv(tmp_path / "out" / "documents.csv")]
    assert len(documents) == len(set(documents)) == summary.documents == 36
    assert [e["doc_id"] for e in read_csv(tmp_path / "out" / "errors.csv")] == ["copy2/killer.txt"]
