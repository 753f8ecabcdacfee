"""Run the per-document work over folders: discover files, skip unchanged ones, process the rest
in worker processes (or on a Dask cluster), and write the results into a temporary copy of the store
that replaces the previous output only when the run is complete (an interrupted run leaves the old
output intact). Local workers write their batches into that copy themselves; results from Dask, or
from a run with one worker, are written by this process."""
from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import shutil
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from corpus.errors import ZhengceError
from corpus.readers import file_sha1
from corpus.records import DocumentResult, ReadError
from pipeline.config import Config
from pipeline.process import BATCH_DOCS, process, process_batch, warm_up
from pipeline.store import DB_NAME, Store, checkpoint, remove_store

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SourceFile:
    doc_id: str
    path: Path
    size: int
    mtime: float


@dataclass(slots=True)
class RunSummary:
    out: Path
    found: int = 0
    processed: int = 0
    unchanged: int = 0
    removed: int = 0
    errors: int = 0
    documents: int = 0
    measures: int = 0
    funding: int = 0
    targets: int = 0
    indicators: int = 0
    seconds: float = 0.0
    error_rows: list[tuple[str, str, str]] = field(default_factory=list)

    def format(self) -> str:
        lines = [
            f"zhengce run: {self.found} files in {self.seconds:.1f}s -> {self.out}",
            f"  processed {self.processed}, unchanged {self.unchanged}, removed {self.removed}, errors {self.errors}",
            f"  store: {self.documents} documents, {self.measures} measures, {self.funding} funding amounts, "
            f"{self.targets} targets, {self.indicators} indicators",
        ]
        for doc_id, stage, reason in self.error_rows[:10]:
            lines.append(f"  error [{stage}] {doc_id}: {reason}")
        if len(self.error_rows) > 10:
            lines.append(f"  ... {len(self.error_rows) - 10} more in errors.csv")
        return "\n".join(lines)


def discover(inputs: Iterable[str | Path]) -> list[SourceFile]:
    """Every regular file under the inputs (recursively, hidden entries skipped, symlinked
    folders not followed so a link loop cannot trap the walk). ``doc_id`` is the path relative to
    its input folder with ``/`` separators, prefixed by the folder's name when several folders are
    given."""
    inputs = [Path(p) for p in inputs]
    found: dict[str, SourceFile] = {}
    for root in inputs:
        if not root.exists():
            raise FileNotFoundError(f"no such file or folder: {root}")
        prefix = f"{root.name}/" if len(inputs) > 1 and root.is_dir() else ""
        if root.is_file():
            candidates: Iterable[Path] = [root]
            base = root.parent
        else:
            candidates = _walk(root)
            base = root
        for path in candidates:
            try:
                stat = path.stat()
            except OSError:
                stat = None
            doc_id = prefix + path.relative_to(base).as_posix()
            found[doc_id] = SourceFile(doc_id, path, stat.st_size if stat else -1, stat.st_mtime if stat else 0.0)
    return [found[k] for k in sorted(found)]


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def _results_local(files: list[SourceFile], config: Config) -> Iterator[DocumentResult]:
    for i in range(0, len(files), BATCH_DOCS):
        yield from process_batch([(f.path, f.doc_id) for f in files[i : i + BATCH_DOCS]], config)


# The store each worker process writes its batches into (opened once per process, after the fork).
_WORKER_STORE: dict[str, Store] = {}


def _store_batch(db_path: str, batch: list[tuple[str, str, int, float, bool]], config: Config) -> int:
    """Worker task: process ``(path, doc_id, size, mtime, new)`` files and write their results into
    the run's store in one transaction; returns how many were written. Writing here instead of
    sending the records back spares pickling them twice and lets both CPUs share the store's work
    (the full-text index above all): with the parent as the only writer it was the bottleneck."""
    results = process_batch([(path, doc_id) for path, doc_id, *_ in batch], config)
    store = _WORKER_STORE.get(db_path)
    if store is None:
        store = _WORKER_STORE[db_path] = Store(db_path, scratch=True, create=False)
    with store.transaction():
        for result, (_, _, size, mtime, new) in zip(results, batch):
            store.write_result(result, size, mtime, new=new)
    return len(results)


def _init_worker(config: Config) -> None:
    """Pool initialiser: the pipeline and model loaded (inherited from the parent, or loaded here),
    then frozen out of the garbage collector: its full collections would otherwise scan every
    loaded object again and again and, touching each, copy the memory pages shared with the parent."""
    warm_up(config)
    gc.freeze()


def _pool_writes(files: list[SourceFile], config: Config, workers: int, db_path: Path,
                 stored: set[str]) -> Iterator[int | DocumentResult]:
    """Process ``files`` in worker processes that write into the store at ``db_path`` themselves;
    yields the number of files each finished batch wrote, or the error row of a file that could not
    be written (for the caller to write once the workers are gone).

    Batches of up to ``BATCH_DOCS`` files, in a bounded window so memory stays flat. A crashed
    worker (segfault, OOM kill) breaks the pool and every batch running in it: their files are
    tried again one at a time (rows a batch had committed are replaced), so the file that kills a
    worker on its own gets the error row and no other file is lost. The caller must hold no
    connection to the store meanwhile: SQLite connections do not survive a fork.
    """
    window = workers * 4
    size = max(1, min(BATCH_DOCS, len(files) // (window * 2)))  # small runs still use every worker
    pending = [files[i : i + size] for i in range(0, len(files), size)][::-1]
    suspects: list[SourceFile] = []  # files of batches that were running when a worker died
    if multiprocessing.get_start_method() == "fork":
        # Load the pipeline and model once here: forked workers share them (copy-on-write) instead
        # of each spending seconds loading its own.
        warm_up(config)

    def submit(pool: ProcessPoolExecutor, batch: list[SourceFile], retry: bool) -> Future:
        tasks = [(str(f.path), f.doc_id, f.size, f.mtime, not retry and f.doc_id not in stored) for f in batch]
        return pool.submit(_store_batch, str(db_path), tasks, config)

    while pending or suspects:
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(config,)) as pool:
            running: dict[Future, list[SourceFile]] = {}
            broken = False
            while not broken and (pending or suspects or running):
                if suspects:
                    if not running:  # a suspect runs alone: if the pool breaks now, it is the cause
                        batch = [suspects.pop()]
                        running[submit(pool, batch, retry=True)] = batch
                else:
                    while pending and len(running) < window:
                        batch = pending.pop()
                        running[submit(pool, batch, retry=False)] = batch
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                alone = len(running) == 1
                for future in done:
                    batch = running.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        if alone and len(batch) == 1:
                            yield _worker_error(batch[0], "the worker process died on this file (out of memory or a crash)")
                        else:
                            suspects.extend(batch)
                    except Exception as exc:  # noqa: BLE001 - e.g. the store could not be written
                        if len(batch) > 1:
                            suspects.extend(batch)
                        else:
                            yield _worker_error(batch[0], f"{type(exc).__name__}: {exc}")
            # A broken pool fails every batch still running: try their files again one at a time.
            for batch in running.values():
                suspects.extend(batch)


def _worker_error(f: SourceFile, reason: str) -> DocumentResult:
    return DocumentResult(f.doc_id, str(f.path), error=ReadError(f.doc_id, str(f.path), "worker", reason))


def _unchanged(f: SourceFile, previous: tuple[int, float, str]) -> bool:
    """Same size and mtime, or (after a touch or a copy) the same content hash."""
    size, mtime, digest = previous
    if size == f.size and mtime == f.mtime:
        return True
    if size != f.size or not digest:
        return False
    return file_sha1(f.path) == digest


def check_config(config: Config) -> None:
    """Fail before any work when a custom model or taxonomy cannot be used (a per-file error row
    for every document would bury the one mistake)."""
    from corpus.errors import ConfigError

    for name in ("model", "taxonomy"):
        value = getattr(config, name)
        if value and not Path(value).is_file():
            raise ConfigError(f"{name} file not found: {value}")
    if config.classify and (config.model or config.taxonomy):
        from models.predictor import load_classifier

        load_classifier(config.model or None, config.taxonomy or None)


def config_fingerprint(config: Config) -> str:
    """What decides a file's output besides its bytes: the settings, the zhengce version and the
    content of the model and taxonomy files (a model retrained in place must reclassify)."""
    import dataclasses
    import json
    from importlib.metadata import PackageNotFoundError, version

    from models import DEFAULT_MODEL
    from models.taxonomy import DEFAULT_TAXONOMY

    try:
        release = version("zhengce")
    except PackageNotFoundError:
        release = "dev"
    files = {}
    if config.classify:
        files = {"model_sha1": config.model or DEFAULT_MODEL, "taxonomy_sha1": config.taxonomy or DEFAULT_TAXONOMY}
    digests = {key: file_sha1(Path(path)) for key, path in files.items()}
    return json.dumps({"version": release, **dataclasses.asdict(config), **digests}, sort_keys=True)


def _results_dask(files: list[SourceFile], config: Config, scheduler: str) -> Iterator[DocumentResult]:
    """Results from an existing Dask distributed cluster: the same per-document function as a task
    per file, submitted in a bounded window so the scheduler's memory stays flat too."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise ZhengceError("--scheduler needs Dask: pip install 'zhengce[dask]'") from exc
    client = _connect(Client, scheduler)
    def submit(f: SourceFile):
        # Workers may run elsewhere: give them an absolute path (the shared file system's).
        future = client.submit(process, str(f.path.resolve()), f.doc_id, config, key=f"zhengce-{f.doc_id}",
                               pure=False)
        running[future.key] = f
        return future

    try:
        pending = list(reversed(files))
        window = max(8, 4 * sum(client.nthreads().values()))
        running: dict[str, SourceFile] = {}
        first = [submit(pending.pop()) for _ in range(min(window, len(pending)))]
        queue = as_completed(first, loop=client.loop)
        for future in queue:
            f = running.pop(future.key)
            try:
                yield _as_given(future.result(), f)
            except Exception as exc:  # noqa: BLE001 - a lost worker costs only this file
                yield DocumentResult(f.doc_id, str(f.path), error=ReadError(
                    f.doc_id, str(f.path), "worker", f"{type(exc).__name__}: {exc}"))
            future.release()
            if pending:
                queue.add(submit(pending.pop()))
    finally:
        client.close()


def _as_given(result: DocumentResult, f: SourceFile) -> DocumentResult:
    """The result with the path as the user gave it, as a local run reports it."""
    import dataclasses

    result.path = str(f.path)
    if result.error is not None:
        result.error = dataclasses.replace(result.error, path=str(f.path))
    return result


def _connect(client_type, scheduler: str):  # noqa: ANN001, ANN202 - distributed.Client
    """A client of the scheduler, or a ZhengceError in seconds: Dask retries a refused connection
    until its timeout, so a plain TCP connect first tells a wrong port at once."""
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(scheduler)
        get_backend(scheme)  # an unknown scheme (http://) is a ValueError here, not a stuck Client
        if scheme in ("tcp", "tls"):
            socket.create_connection(parse_host_port(location, 8786), timeout=10).close()
        return client_type(scheduler, timeout="20s", set_as_default=False)
    except ValueError as exc:
        raise ZhengceError(f"bad --scheduler address {scheduler!r} ({exc}); give tcp://HOST:PORT") from None
    except (OSError, TimeoutError) as exc:
        raise ZhengceError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run(
    inputs: Iterable[str | Path],
    out: str | Path,
    config: Config = Config(),
    *,
    workers: int | None = None,
    force: bool = False,
    progress: bool | None = None,
    formats: Iterable[str] = ("csv",),
    scheduler: str | None = None,
) -> RunSummary:
    """Process every file under ``inputs`` into the store and tables in ``out``.

    Only new or changed files are processed unless ``force``; rows of files that disappeared are
    dropped. Output is replaced atomically at the end. ``scheduler`` (``tcp://host:8786``) runs the
    per-document work on an existing Dask distributed cluster instead of local processes.
    """
    from tqdm import tqdm

    from pipeline.export import export_paths, export_tables

    started = time.perf_counter()
    formats = list(formats)
    check_config(config)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = discover(inputs)
    summary = RunSummary(out=out, found=len(files))
    db_path = out / DB_NAME
    tmp_path = out / f".{DB_NAME}.tmp"
    remove_store(tmp_path)  # a run killed before it finished left it
    if db_path.exists() and not force:
        checkpoint(db_path)
        shutil.copyfile(db_path, tmp_path)

    with Store(tmp_path, scratch=True) as store:
        fingerprint = config_fingerprint(config)
        if store.get_meta("config") not in (None, fingerprint):
            LOGGER.warning("the configuration or zhengce version changed since the last run: reprocessing every file")
            force = True
        store.set_meta("config", fingerprint)
        known = {} if force else store.known_files()
        current = {f.doc_id for f in files}
        stored = store.all_files()
        for doc_id in sorted(stored - current):
            store.delete_document(doc_id)
            summary.removed += 1
        todo = []
        for f in files:
            previous = known.get(f.doc_id)
            if not force and previous and _unchanged(f, previous):
                if previous[1] != f.mtime:
                    store.touch_file(f.doc_id, f.size, f.mtime)
                summary.unchanged += 1
            else:
                todo.append(f)
    # The store is closed here: pool workers are forked below and write into it themselves.
    by_id = {f.doc_id: f for f in todo}
    n_workers = max(1, workers or default_workers())
    show = progress if progress is not None else (sys.stderr.isatty() and len(todo) > 1)
    pooled = not scheduler and n_workers > 1 and len(todo) > 1
    with tqdm(total=len(todo), disable=not show, unit="doc", file=sys.stderr) as bar:
        results: Iterable[DocumentResult]
        if pooled:
            results = []  # error rows of files no worker could write, written below
            for item in _pool_writes(todo, config, n_workers, tmp_path, stored):
                if isinstance(item, DocumentResult):
                    results.append(item)
                    item = 1
                summary.processed += item
                bar.update(item)
        elif scheduler:
            results = _results_dask(todo, config, scheduler)
        else:
            results = _results_local(todo, config)
        with Store(tmp_path, scratch=True) as store:
            for result in results:
                f = by_id[result.doc_id]
                # (a file a worker died on may have had rows committed: replace, never add)
                store.write_result(result, f.size, f.mtime, new=not pooled and result.doc_id not in stored)
                if not pooled:
                    summary.processed += 1
                    bar.update()
            store.commit()
            bar.close()
            for table in ("documents", "measures", "funding", "targets", "indicators", "errors"):
                setattr(summary, table, store.count(table))
            summary.error_rows = [(r["doc_id"], r["stage"], r["reason"]) for r in store.rows("errors")]
            # Nothing processed or removed: the tables are those of the last run's export (most of a
            # re-run's time went into writing them again).
            if summary.processed or summary.removed or not all(p.is_file() for p in export_paths(out, formats)):
                export_tables(store, out, formats, workers=n_workers)
    checkpoint(tmp_path)
    os.replace(tmp_path, db_path)
    summary.seconds = time.perf_counter() - started
    return summary
