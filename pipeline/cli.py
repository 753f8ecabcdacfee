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
@click.option("--scheduler", metavar="tcp://HOST:8786", default=None,
              help="Run the per-document work on an existing Dask distributed cluster.")
@config_options
def run(inputs, out, workers, force, formats, taxonomy, progress, scheduler, config_path, settings):
    """Read, normalise, segment and extract a folder of policy documents into tables in OUT.

    Example: zhengce run corpus/samples --out out
    """
    from pipeline.runner import run as run_pipeline

    try:
        config = _config(config_path, settings, taxonomy=taxonomy)
        summary = run_pipeline(inputs, out, config, workers=workers, force=force, progress=progress, formats=formats,
                               scheduler=scheduler)
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


@cli.command()
@click.argument("query")
@click.option("--db", "db", required=True, type=click.Path(exists=True),
              help="Output folder of `zhengce run` (or its zhengce.sqlite file).")
@click.option("--theme", default=None, help="Only measures of this theme.")
@click.option("--instrument", default=None, help="Only measures using this policy instrument.")
@click.option("--province", default=None, help="Only documents of this province, e.g. 河南省.")
@click.option("--city", default=None, help="Only documents of this city, e.g. 绵阳市.")
@click.option("--county", default=None, help="Only documents of this county, e.g. 江油市.")
@click.option("--since", type=click.IntRange(1900, 2100), default=None, help="Published in or after this year.")
@click.option("--until", type=click.IntRange(1900, 2100), default=None, help="Published in or before this year.")
@click.option("--has-funding", is_flag=True, help="Only measures with a funding amount.")
@click.option("--has-target", is_flag=True, help="Only measures with a target.")
@click.option("--limit", "-n", type=click.IntRange(1, 500), default=20, show_default=True, help="Measures to show.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the hits to this CSV file (UTF-8 with BOM) instead of printing them.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
def search(query, db, theme, instrument, province, city, county, since, until, has_funding, has_target, limit,
           csv_path, as_json):
    """Find measures across every processed document (words in any order; traditional
    characters are converted), best first, with the hit marked.

    Example: zhengce search 留守儿童 --db out --province 河南省 --since 2020
    """
    from pipeline.search import Filters, search_command

    if csv_path and as_json:
        raise click.UsageError("choose one of --csv and --json")
    filters = Filters(theme, instrument, province, city, county, since, until, has_funding, has_target)
    try:
        text = search_command(db, query, filters, limit=limit, csv_path=csv_path, as_json=as_json,
                              color=sys.stdout.isatty())
    except ZhengceError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(text)


@cli.command()
@click.argument("out", type=click.Path(exists=True))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
def serve(out, host, port):
    """Serve a search page and JSON API over the store in OUT (read-only; stop with Ctrl-C).

    Example: zhengce serve out --port 8000, then open http://127.0.0.1:8000/ (API docs at /docs)
    """
    from pipeline.serve import serve_command

    try:
        click.echo(f"serving {out} on http://{host}:{port}/ (Ctrl-C to stop)")
        serve_command(out, host, port)
    except ZhengceError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.argument("labels", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--taxonomy", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Taxonomy the labels use (default: the shipped one).")
@click.option("--model", "model_out", required=True, type=click.Path(dir_okay=False), help="Where to write the .skops model.")
def train(labels, taxonomy, model_out):
    """Train the theme and instrument classifiers on labelled measures (CSV: text,theme,...,instrument).

    Use the model with `zhengce run ... -s model=MODEL.skops -s taxonomy=FILE`.

    Example: zhengce train models/data/labels.csv --model my_model.skops
    """
    from models.training import train as train_model

    try:
        model = train_model(list(labels), taxonomy_path=taxonomy, model_out=model_out)
    except ZhengceError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"trained on {len(labels)} file(s): {len(model.classes_)} themes; wrote {model_out}")


@cli.command()
@click.argument("labels", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Score this saved model on every row (an independent test set) instead of a held-out split.")
@click.option("--cv", type=click.IntRange(min=2), default=None, help="Cross-validate with this many folds.")
@click.option("--test-size", type=click.FloatRange(0.05, 0.5), default=0.2, show_default=True,
              help="Share of sentences held out when not cross-validating.")
@click.option("--taxonomy", type=click.Path(exists=True, dir_okay=False), default=None, help="Taxonomy of the labels.")
def evaluate(labels, model_path, cv, test_size, taxonomy):
    """Per-theme precision/recall/F1, macro-F1 and confusion matrix of the theme model, with a
    keyword-count baseline beside it.

    Example: zhengce evaluate models/data/labels.csv --cv 5
    """
    from models.training import evaluate as evaluate_model

    try:
        report = evaluate_model(list(labels), model_path=model_path, cv=cv,
                                test_size=test_size, taxonomy_path=taxonomy)
    except (ZhengceError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.format())


def main() -> None:
    cli(prog_name="zhengce")


if __name__ == "__main__":
    main()
