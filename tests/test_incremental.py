"""Incremental runs: only new or changed files are processed, deleted ones leave the tables, and an
interrupted run leaves the previous complete output untouched."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.config import Config
from pipeline.runner import RunSummary, run
from pipeline.store import DB_NAME, TABLES, Store

GBK_SAMPLE = "county/shangshui_report_gbk.txt"
NEW_MEASURE = "各学校要建立健全控辍保学工作机制，确保适龄儿童少年依法完成义务教育。"
OUTPUTS = [f"{name}.csv" for name in TABLES] + [DB_NAME]


def _run(folder: Path, out: Path, **options) -> RunSummary:
    return run([folder], out, workers=1, progress=False, **options)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def _rows(out: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(out / DB_NAME) as conn:
        return conn.execute(sql, params).fetchall()


def _bump_mtime(path: Path, seconds: float = 100.0) -> None:
    """A clearly later mtime: size+mtime is the fast path, so a change must not keep both."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + int(seconds * 1e9)))


@pytest.fixture
def done(samples_dir: Path, tmp_path: Path) -> tuple[Path, Path, RunSummary]:
    """A copy of the samples and the output of one complete run over it."""
    folder, out = tmp_path / "docs", tmp_path / "out"
    shutil.copytree(samples_dir, folder)
    return folder, out, _run(folder, out)


def test_incremental_unchanged_folder_processes_nothing_quickly(done):
    folder, out, first = done
    before = _snapshot(out)
    again = _run(folder, out)
    assert (again.processed, again.unchanged, again.removed) == (0, first.found, 0)
    assert again.seconds < 5, f"a run with nothing to do took {again.seconds:.1f} s"
    after = _snapshot(out)
    for name in OUTPUTS[:-1]:
        assert after[name] == before[name], name


def test_incremental_unchanged_folder_leaves_the_tables_unwritten_unless_one_is_missing(done):
    folder, out, _ = done
    (out / "funding.csv").unlink()
    _run(folder, out)
    assert (out / "funding.csv").is_file()  # a missing table is exported again (all of them are)
    again = _run(folder, out, formats=("csv", "parquet"))  # a format not exported yet
    assert again.processed == 0 and (out / "measures.parquet").is_file()
    written = {name: (out / name).stat().st_mtime_ns for name in OUTPUTS[:-1]}
    _run(folder, out, formats=("csv", "parquet"))
    assert {name: (out / name).stat().st_mtime_ns for name in OUTPUTS[:-1]} == written


def test_incremental_touched_file_with_same_content_is_unchanged(done):
    folder, out, first = done
    touched = folder / GBK_SAMPLE
    _bump_mtime(touched)
    again = _run(folder, out)
    assert (again.processed, again.unchanged) == (0, first.found)
    # The new mtime is remembered, so the next run takes the fast path instead of hashing again.
    [(mtime,)] = _rows(out, "SELECT mtime FROM files WHERE doc_id = ?", GBK_SAMPLE)
    assert mtime == touched.stat().st_mtime


@pytest.mark.parametrize("change", ["append a sentence", "same size, other text"])
def test_incremental_changed_content_is_reprocessed(done, change):
    folder, out, first = done
    path = folder / GBK_SAMPLE
    text = path.read_bytes().decode("gbk")
    if change == "append a sentence":
        new = text.rstrip() + "\n" + NEW_MEASURE + "\n"
    else:
        new = text.replace("义务教育", "基础教育")
        assert new != text
    path.write_bytes(new.encode("gbk"))
    _bump_mtime(path)
    again = _run(folder, out)
    assert (again.processed, again.unchanged) == (1, first.found - 1)
    [(digest,)] = _rows(out, "SELECT content_hash FROM documents WHERE doc_id = ?", GBK_SAMPLE)
    assert digest == hashlib.sha1(new.encode("gbk")).hexdigest()
    measures = [t for (t,) in _rows(out, "SELECT text FROM measures WHERE doc_id = ?", GBK_SAMPLE)]
    if change == "append a sentence":
        assert NEW_MEASURE in measures
    else:
        assert any("基础教育" in t for t in measures)


def test_incremental_deleted_file_leaves_every_table(done):
    folder, out, first = done
    (folder / GBK_SAMPLE).unlink()
    again = _run(folder, out)
    assert (again.removed, again.processed, again.documents) == (1, 0, first.documents - 1)
    for table in (*TABLES, "files"):
        assert _rows(out, f"SELECT COUNT(*) FROM {table} WHERE doc_id = ?", GBK_SAMPLE) == [(0,)], table
    # The full-text index holds exactly the remaining measures.
    assert _rows(out, "SELECT COUNT(*) FROM measures_fts") == _rows(out, "SELECT COUNT(*) FROM measures")
    assert GBK_SAMPLE not in (out / "documents.csv").read_text(encoding="utf-8-sig")


def test_incremental_force_redoes_every_file(done):
    folder, out, first = done
    before = _snapshot(out)
    result = CliRunner().invoke(cli, ["run", str(folder), "--out", str(out), "--workers", "1", "--force"])
    assert result.exit_code == 0, result.output
    assert f"processed {first.found}, unchanged 0" in result.output
    for name in OUTPUTS[:-1]:
        assert (out / name).read_bytes() == before[name], name


def test_incremental_errored_file_keeps_its_error_until_it_changes(done):
    folder, out, first = done
    broken = folder / "补充通知.txt"
    broken.write_bytes(b"")
    assert _run(folder, out).errors == 1
    again = _run(folder, out)  # unchanged: the same content would fail the same way
    assert (again.processed, again.errors) == (0, 1)
    broken.write_text("关于进一步做好义务教育招生入学工作的补充通知\n" + NEW_MEASURE + "\n", encoding="utf-8")
    fixed = _run(folder, out)
    assert (fixed.processed, fixed.errors, fixed.documents) == (1, 0, first.documents + 1)


def test_incremental_config_change_reprocesses_everything(done):
    folder, out, first = done
    args = ["run", str(folder), "--out", str(out), "--workers", "1", "-s", "theme_threshold=0.5"]
    changed = CliRunner().invoke(cli, args)
    assert changed.exit_code == 0, changed.output
    assert f"processed {first.found}, unchanged 0" in changed.output
    same = CliRunner().invoke(cli, args)
    assert f"processed 0, unchanged {first.found}" in same.output
    back = _run(folder, out)  # back to the default threshold: everything again
    assert back.processed == first.found


def test_incremental_taxonomy_edited_in_place_reprocesses_everything(samples_dir, tmp_path):
    # Same settings, same path, other content: the themes may differ, so nothing is "unchanged".
    from models.taxonomy import DEFAULT_TAXONOMY

    folder, out, taxonomy = tmp_path / "docs", tmp_path / "out", tmp_path / "themes.toml"
    shutil.copytree(samples_dir, folder)
    shutil.copyfile(DEFAULT_TAXONOMY, taxonomy)
    config = Config(taxonomy=str(taxonomy))
    first = _run(folder, out, config=config)
    assert _run(folder, out, config=config).processed == 0
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "\n# edited by the user\n", encoding="utf-8")
    assert _run(folder, out, config=config).processed == first.found


def test_incremental_fingerprint_follows_the_model_files_content(tmp_path):
    from pipeline.runner import config_fingerprint

    model = tmp_path / "model.skops"
    model.write_bytes(b"first training")
    before = config_fingerprint(Config(model=str(model)))
    assert config_fingerprint(Config(model=str(model))) == before
    model.write_bytes(b"retrained in place")
    assert config_fingerprint(Config(model=str(model))) != before
    unclassified = config_fingerprint(Config(model=str(model), classify=False))
    model.write_bytes(b"retrained again")  # without classification the model does not matter
    assert config_fingerprint(Config(model=str(model), classify=False)) == unclassified


def test_incremental_interrupted_run_keeps_the_previous_output(done, monkeypatch):
    folder, out, first = done
    before = _snapshot(out)
    changed = {GBK_SAMPLE: "gbk", "town_report_utf16.txt": "utf-16"}
    for doc_id, encoding in changed.items():
        path = folder / doc_id
        path.write_bytes((path.read_bytes().decode(encoding).rstrip() + "\n" + NEW_MEASURE + "\n").encode(encoding))
        _bump_mtime(path)
    calls = {"n": 0}
    write_result = Store.write_result

    def interrupted(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return write_result(self, *args, **kwargs)

    monkeypatch.setattr(Store, "write_result", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _run(folder, out)
    assert _snapshot(out) == before
    monkeypatch.undo()
    again = _run(folder, out)
    assert (again.processed, again.unchanged) == (2, first.found - 2)
    assert not list(out.glob(f".{DB_NAME}.tmp*"))
    for doc_id in changed:
        texts = [t for (t,) in _rows(out, "SELECT text FROM measures WHERE doc_id = ?", doc_id)]
        assert any("控辍保学" in t for t in texts), doc_id


def test_incremental_run_interrupted_while_exporting_keeps_the_previous_output(done, monkeypatch):
    folder, out, first = done
    before = _snapshot(out)
    path = folder / GBK_SAMPLE
    path.write_bytes((path.read_bytes().decode("gbk").rstrip() + "\n" + NEW_MEASURE + "\n").encode("gbk"))
    _bump_mtime(path)
    rows = Store.rows

    def interrupted(self, name):
        if name == "funding":  # read only by the export, after documents.csv and measures.csv
            raise KeyboardInterrupt
        return rows(self, name)

    monkeypatch.setattr(Store, "rows", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _run(folder, out)
    changed = [name for name in OUTPUTS if (out / name).read_bytes() != before[name]]
    assert not changed, f"half-exported run replaced {changed} but not the rest"
    monkeypatch.undo()
    assert _run(folder, out).processed == 1


@pytest.mark.slow
def test_incremental_killed_subprocess_keeps_the_previous_output(done):
    """SIGKILL (no cleanup at all) while a real `zhengce run` is writing its store."""
    folder, out, first = done
    before = _snapshot(out)
    extra = folder / "extra"
    extra.mkdir()
    gbk = (folder / GBK_SAMPLE).read_bytes()
    for i in range(300):
        (extra / f"copy_{i:03d}.txt").write_bytes(gbk.replace("义务教育".encode("gbk"), f"第{i}号".encode("gbk"), 1))
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", str(folder), "--out", str(out), "--workers", "1", "--progress"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    progress = bytearray()

    def read_stderr() -> None:
        while chunk := proc.stderr.read1(4096):
            progress.extend(chunk)

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    deadline, counts = time.monotonic() + 90, [0]
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            counts = [0] + [int(n) for n in re.findall(rb"\b(\d+)/300\b", bytes(progress))]
            if max(counts) >= 3:
                break
            time.sleep(0.05)
        assert proc.poll() is None, f"the run ended before it could be killed: {bytes(progress)[-500:]!r}"
        assert 3 <= max(counts) < 300, f"not killed while writing documents: {bytes(progress)[-500:]!r}"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        reader.join(10)
    assert _snapshot(out) == before
    shutil.rmtree(extra)
    again = _run(folder, out)
    assert (again.processed, again.unchanged, again.removed) == (0, first.found, 0)
    assert not list(out.glob(f".{DB_NAME}.tmp*"))
    for name in OUTPUTS[:-1]:
        assert (out / name).read_bytes() == before[name], name
