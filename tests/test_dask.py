"""`zhengce run --scheduler`: the same tables from a real Dask cluster as from a local run, and a
clear, quick error when no scheduler answers."""
from __future__ import annotations

import shutil
import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.store import TABLES

pytestmark = pytest.mark.slow
distributed = pytest.importorskip("distributed", reason="--scheduler needs dask[distributed]")

BAD_ADDRESS_SECONDS = 30


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as local_cluster:
        yield local_cluster


@pytest.fixture(scope="module")
def folder(samples_dir: Path, tmp_path_factory) -> Path:
    """The samples plus one file that fails, so errors.csv is compared too."""
    folder = tmp_path_factory.mktemp("dask") / "in"
    shutil.copytree(samples_dir, folder)
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def two_runs(cluster, folder: Path) -> tuple[Path, Path]:
    on_dask, local = folder.parent / "A", folder.parent / "B"
    for args in (["--scheduler", cluster.scheduler_address, "--out", str(on_dask)],
                 ["--workers", "1", "--out", str(local)]):
        result = CliRunner().invoke(cli, ["run", str(folder), *args])
        assert result.exit_code == 0, result.output
    return on_dask, local


@pytest.mark.parametrize("name", list(TABLES))
def test_dask_run_csv_is_byte_identical_to_a_local_run(two_runs, name):
    on_dask, local = two_runs
    assert (on_dask / f"{name}.csv").read_bytes() == (local / f"{name}.csv").read_bytes()


def test_dask_run_reports_the_bad_file_and_every_sample(two_runs, samples_dir):
    on_dask, _ = two_runs
    errors = (on_dask / "errors.csv").read_text(encoding="utf-8-sig").splitlines()
    documents = (on_dask / "documents.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(errors) == 2 and errors[1].startswith("empty.txt,")
    assert len(documents) - 1 == sum(1 for p in samples_dir.rglob("*") if p.is_file())


def test_dask_rerun_on_the_cluster_processes_nothing(cluster, folder, two_runs):
    on_dask, _ = two_runs
    result = CliRunner().invoke(cli, ["run", str(folder), "--scheduler", cluster.scheduler_address,
                                      "--out", str(on_dask)])
    assert result.exit_code == 0, result.output
    assert "processed 0," in result.output  # the empty file is unchanged, so is its error row
    assert "errors 1" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "address, message",
    [
        (f"tcp://127.0.0.1:{_free_port()}", "cannot reach the Dask scheduler"),
        ("tcp://127.0.0.1:no-port", "bad --scheduler address"),
        ("http://127.0.0.1:8786", "bad --scheduler address"),
    ],
)
def test_dask_bad_scheduler_address_fails_quickly_and_clearly(samples_dir, tmp_path, address, message):
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["run", str(samples_dir), "--scheduler", address, "--out", str(tmp_path)])
    seconds = time.perf_counter() - started
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), f"a traceback, not a message: {result.exception!r}"
    assert message in result.output and address in result.output
    assert seconds < BAD_ADDRESS_SECONDS
    assert not (tmp_path / "zhengce.sqlite").exists()
