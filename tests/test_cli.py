"""The command line: fast start, clear errors, settings."""
from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from corpus.errors import ConfigError
from pipeline.cli import cli
from pipeline.config import SETTINGS, Config, load_config


def test_cli_help_loads_no_heavy_library():
    code = (
        "import sys; from pipeline.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('jieba', 'spacy', 'sklearn', 'pandas', 'models.classifier') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_cli_python_dash_m_pipeline_shows_the_commands():
    out = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("run", "compare"):
        assert command in out


def test_cli_run_on_a_missing_folder_says_so(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "nope"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_cli_unknown_setting_is_a_clear_error(samples_dir, tmp_path):
    result = CliRunner().invoke(cli, ["run", str(samples_dir), "--out", str(tmp_path), "-s", "segmentr=jieba"])
    assert result.exit_code == 1
    assert "unknown setting 'segmentr'" in result.output


@pytest.mark.parametrize(
    "override, field, value",
    [("segmenter=rjieba", "segmenter", "rjieba"), ("theme_threshold=0.5", "theme_threshold", 0.5),
     ("classify=false", "classify", False)],
)
def test_config_overrides_are_typed(override, field, value):
    assert getattr(load_config(None, [override]), field) == value


@pytest.mark.parametrize("override", ["segmenter=pkuseg", "theme_threshold=high", "classify=maybe", "novalue"])
def test_config_rejects_bad_values(override):
    with pytest.raises(ConfigError):
        load_config(None, [override])


def test_config_file_is_read(tmp_path):
    path = tmp_path / "zhengce.toml"
    path.write_text('[zhengce]\nsegmenter = "rjieba"\n', encoding="utf-8")
    assert load_config(path).segmenter == "rjieba"


def test_settings_table_matches_config_defaults_and_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name, default, _ in SETTINGS:
        assert getattr(Config(), name) == default
        assert f"| {name} |" in readme, f"setting {name} is not documented in the README"
