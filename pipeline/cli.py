"""The ``zhengce`` command. Bodies are thin: build the config, call the library, report.

Heavy libraries (jieba, spaCy, the model) are imported inside the commands, so ``zhengce --help``
starts fast.
"""
from __future__ import annotations

import logging
import sys

import click

from corpus.errors import ZhengceError


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("jieba", "trafilatura", "pdfminer", "pypdf"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def config_options(func):
    func = click.option(
        "-s", "--set", "settings", multiple=True, metavar="KEY=VALUE", help="Override one setting (repeatable)."
    )(func)
    func = click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="TOML config file.")(func)
    return func


def _config(config_path, settings, **direct):
    from pipeline.config import load_config

    overrides = list(settings) + [f"{k}={v}" for k, v in direct.items() if v is not None]
    return load_config(config_path, overrides)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.version_option(package_name="zhengce")
def cli(verbose: int, quiet: bool) -> None:
    """zhengce (政策): turn folders of Chinese policy documents into tables to compare, search and export."""
    _configure_logging(verbose, quiet)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@click.option("--force", is_flag=True, help="Reprocess every file, not only new or changed ones.")
@click.option("--format", "formats", multiple=True, type=click.Choice(["csv", "parquet", "xlsx"]), default=["csv"],
              show_default=True, help="Table formats to write (repeatable).")
@click.option("--taxonomy", type=click.Path(exists=True, dir_okay=False), default=None, help="Theme taxonomy TOML.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
@config_options
def run(inputs, out, workers, force, formats, taxonomy, progress, config_path, settings):
    """Read, normalise, segment and extract a folder of policy documents into tables in OUT.

    Example: zhengce run corpus/samples --out out
    """
    from pipeline.runner import run as run_pipeline

    try:
        config = _config(config_path, settings, taxonomy=taxonomy)
        summary = run_pipeline(inputs, out, config, workers=workers, force=force, progress=progress, formats=formats)
    except (ZhengceError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(summary.format())


@cli.command()
@click.argument("out", type=click.Path(exists=True))
@click.option("--by", type=click.Choice(["province", "city", "county", "doc"]), default="province", show_default=True,
              help="Level at which documents are grouped into regions.")
@click.option("--report", "report_dir", type=click.Path(file_okay=False), default=None,
              help="Also write report.xlsx and report.html (with charts) into this folder.")
@click.option("--format", "formats", multiple=True, type=click.Choice(["csv", "parquet"]), default=["csv"],
              show_default=True, help="Table formats to write (repeatable).")
def compare(out, by, report_dir, formats):
    """Put regions side by side: themes, funding, targets, distinctive terms, similarity and
    national standards, read from the store in OUT (written next to it).

    Example: zhengce compare out --by province --report out/report
    """
    from pathlib import Path

    from pipeline.compare import compare as compare_regions
    from pipeline.compare import write_comparison

    try:
        tables = compare_regions(out, by=by)
    except ZhengceError as exc:
        raise click.ClickException(str(exc)) from None
    target = Path(out) if Path(out).is_dir() else Path(out).parent
    written = write_comparison(tables, target, formats)
    if report_dir:
        from pipeline.report import write_report

        written += write_report(tables, report_dir)
    for name, frame in tables.items():
        click.echo(f"{name}: {len(frame)} rows")
    click.echo(f"wrote {len(written)} files to {target}" + (f" and {report_dir}" if report_dir else ""))


def main() -> None:
    cli(prog_name="zhengce")


if __name__ == "__main__":
    main()
