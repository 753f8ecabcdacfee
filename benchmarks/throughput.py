"""Throughput of ``zhengce run`` over ../shared/corpus/bench/*.tar.gz (issue 7).

Prints documents/s, MB/s (file bytes, 1 MB = 10^6 bytes), the time of each stage measured on one
process by calling the stage functions directly (read, normalise, segment = ``nlp.make_doc``,
extract = the spaCy components + ``extractors.records``, classify = ``predict_themes``, index =
``pipeline.process.set_search_terms`` as the worker does it, write = ``Store.write_result``),
the RSS after 25/50/100 % of the documents, the ratio of the whole pipeline to plain ``jieba.lcut`` on
the same normalised text (one process each; ratio = pipeline MB/s / jieba MB/s), the same with
``segmenter=rjieba``, and the wall time of ``pipeline.runner.run`` with 1 and 2 workers on the same
files with the peak RSS of each worker and the CPU of the main and worker processes, and (phase
``contention``) the CPU per document of one worker alone against two at once. The machine load
(``os.getloadavg``) is printed with every phase, since other jobs may share the CPU.

    .venv/bin/python benchmarks/throughput.py                    # whole corpus, every phase
    .venv/bin/python benchmarks/throughput.py --limit 400        # an even sample of 400 documents
    .venv/bin/python benchmarks/throughput.py --limit 400 --phases stages,workers --workers 1,2
    .venv/bin/python benchmarks/throughput.py --json /tmp/throughput.json
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import psutil

from bench_corpus import BENCH, bench_documents

STAGES = ("read", "normalise", "segment", "extract", "classify", "index", "write")
PHASES = ("stages", "rjieba", "jieba", "workers", "contention")
TARGETS = "targets: pipeline/jieba >= 0.6 (>= 1.0 with rjieba); 2 workers >= 1.8x one; whole corpus <= 60 s " \
          "with 2 workers; peak RSS per worker <= 600 MB, not growing"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def extract(dest: Path, limit: int | None) -> list[Path]:
    """Write the documents (``*/docs/*``) of every archive, or an even sample of them, under ``dest``."""
    for _, name, data in bench_documents(limit):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return sorted(dest.glob("*/docs/*"))


def rss_mb(pid: int | None = None) -> float:
    return psutil.Process(pid).memory_info().rss / 1e6


def run_stages(files: list[Path], root: Path, segmenter: str) -> dict:
    """Call each stage of ``pipeline.process.process`` by hand on one process and time it.

    Plain ``jieba.lcut`` (the process-wide jieba with the policy dictionary) cuts each document's
    normalised text right after the pipeline has processed it: both are timed under the same
    machine conditions, so their ratio holds on a machine whose speed drifts over minutes.
    """
    import jieba

    from corpus.segment import get_tokenizer

    from corpus.normalise import normalise
    from corpus.readers import read_path
    from extractors import records
    from pipeline.config import Config
    from pipeline.process import BATCH_DOCS, _classifier, _nlp, extracted, set_search_terms, set_themes
    from pipeline.search import index_terms
    from pipeline.store import Store

    config = Config(segmenter=segmenter)
    get_tokenizer("jieba")  # loads the policy dictionary into jieba.dt, which jieba.lcut uses
    started = time.perf_counter()
    nlp = _nlp(config.segmenter)
    classifier = _classifier(config.model, config.taxonomy, config.theme_threshold)
    if files:  # first-call set-up (gazetteers, compiled patterns) is loading, not per-document work
        warm = nlp(nlp.make_doc(read_path(files[0]).text[:2000]))
        records(warm, "warm-up")
        classifier.predict_themes(["加强义务教育教师队伍建设。"])
        index_terms("加强义务教育教师队伍建设")
    load_s = time.perf_counter() - started
    times = dict.fromkeys(STAGES, 0.0)
    components: dict[str, float] = defaultdict(float)
    texts: list[str] = []
    rss: dict[str, float] = {"loaded": rss_mb()}
    marks = {max(1, round(len(files) * q)): f"{int(q * 100)}%" for q in (0.25, 0.5, 1.0)}
    errors = n_bytes = 0
    jieba_s = 0.0
    batch: list = []

    def write_batch(batch: list) -> None:
        """Classify the measures of a batch in one call, index and write, as ``process_batch`` and
        the workers do."""
        t4 = time.perf_counter()
        results = [extracted(doc_id, path, digest, raw, norm, found) for doc_id, path, _, digest, raw, norm, found in batch]
        set_themes([r for r in results if r.measures], config)
        t5 = time.perf_counter()
        times["classify"] += t5 - t4
        set_search_terms(results)
        t6 = time.perf_counter()
        times["index"] += t6 - t5
        for r, (_, _, data, *_) in zip(results, batch):
            store.write_result(r, len(data), 0.0)
        times["write"] += time.perf_counter() - t6

    with tempfile.TemporaryDirectory() as out, Store(Path(out) / "bench.sqlite", scratch=True) as store:
        for n, path in enumerate(files, 1):
            doc_id = path.relative_to(root).as_posix()
            t0 = time.perf_counter()
            data = path.read_bytes()
            n_bytes += len(data)
            digest = hashlib.sha1(data).hexdigest()
            try:
                raw = read_path(path)
                t1 = time.perf_counter()
                norm = normalise(raw.text)
                t2 = time.perf_counter()
                times["read"] += t1 - t0
                times["normalise"] += t2 - t1
                if not norm.text.strip():
                    raise ValueError("empty")
            except Exception:  # noqa: BLE001 - process() makes these errors rows; we only count them
                errors += 1
                continue
            texts.append(norm.text)
            doc = nlp.make_doc(norm.text)
            doc._.source_title, doc._.source_published = raw.title, raw.published
            t3 = time.perf_counter()
            times["segment"] += t3 - t2
            for name, component in nlp.pipeline:
                c0 = time.perf_counter()
                doc = component(doc)
                components[name] += time.perf_counter() - c0
            found = records(doc, doc_id)
            t4 = time.perf_counter()
            times["extract"] += t4 - t3
            batch.append((doc_id, path, data, digest, raw, norm, found))
            if len(batch) == BATCH_DOCS:
                write_batch(batch)
                batch = []
            c0 = time.perf_counter()
            jieba.lcut(norm.text)
            jieba_s += time.perf_counter() - c0
            if n in marks:
                rss[marks[n]] = rss_mb()
        if batch:
            write_batch(batch)
        c0 = time.perf_counter()
        store.commit()
        times["write"] += time.perf_counter() - c0
    total = sum(times.values())
    return {"segmenter": segmenter, "docs": len(files), "errors": errors, "mb": n_bytes / 1e6, "load_s": load_s,
            "seconds": total, "docs_per_s": len(files) / total, "mb_per_s": n_bytes / 1e6 / total,
            "jieba_lcut_s": jieba_s, "ratio_to_jieba": jieba_s / total,
            "stages": times, "components": dict(components), "rss_mb": rss, "load": load(), "_texts": texts}


def run_segmenter(texts: list[str], name: str, n_bytes_mb: float) -> dict:
    """Plain segmentation of the normalised texts: ``jieba.lcut`` (the process-wide jieba, which
    holds the policy dictionary once the pipeline is loaded) or rjieba with the policy dictionary."""
    if name == "jieba":
        import jieba

        cut = jieba.lcut
    else:
        from corpus.segment import get_tokenizer

        cut = get_tokenizer("rjieba").cut
    started = time.perf_counter()
    n_tokens = sum(len(cut(t)) for t in texts)
    seconds = time.perf_counter() - started
    return {"segmenter": name, "seconds": seconds, "mb_per_s": n_bytes_mb / seconds, "tokens": n_tokens,
            "load": load()}


class _Sampler(threading.Thread):
    """Polls the RSS of this process's children (or of itself) every ``every`` seconds."""

    def __init__(self, children: bool, every: float = 0.25):
        super().__init__(daemon=True)
        self.children, self.every = children, every
        self.samples: list[tuple[float, int, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        started = time.perf_counter()
        while not self.stop.is_set():
            procs = me.children(recursive=True) if self.children else [me]
            for p in procs:
                try:
                    mb = p.memory_info().rss / 1e6
                except psutil.Error:
                    continue
                if mb > 0:  # an exiting worker reports 0
                    self.samples.append((time.perf_counter() - started, p.pid, mb))
            self.stop.wait(self.every)

    def summary(self) -> dict:
        """Peak RSS per process, and each process's RSS at 25/50/100 % of its sampled lifetime."""
        by_pid: dict[int, list[tuple[float, float]]] = defaultdict(list)
        for t, pid, mb in self.samples:
            by_pid[pid].append((t, mb))
        out = {}
        for pid, series in by_pid.items():
            if len(series) < 3:  # a short-lived helper (the resource tracker), not a worker
                continue
            at = {f"{int(q * 100)}%": series[min(len(series) - 1, int(q * (len(series) - 1)))][1]
                  for q in (0.25, 0.5, 1.0)}
            out[str(pid)] = {"peak": max(mb for _, mb in series), **at}
        return out


def _runner_child(root: Path, n_workers: int) -> dict:
    """``pipeline.runner.run`` as the CLI does it, in this (fresh) process: loading included.
    Also times the main process's parts that no worker shares: loading before the workers are
    forked (with 1 worker the loading happens inside the first batch instead) and the export."""
    import pipeline.export
    import pipeline.runner
    from pipeline.runner import run

    serial = {"warm_up_s": 0.0, "export_s": 0.0}
    main_pid = os.getpid()

    def timed(function, key):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                if os.getpid() == main_pid:  # not the workers' own (cached) warm-up
                    serial[key] += time.perf_counter() - started
        return wrapper

    pipeline.runner.warm_up = timed(pipeline.runner.warm_up, "warm_up_s")
    pipeline.export.export_tables = timed(pipeline.export.export_tables, "export_s")
    sampler = _Sampler(children=n_workers > 1)
    with tempfile.TemporaryDirectory() as out:
        before = load()
        sampler.start()
        started = time.perf_counter()
        summary = run([root], out, workers=n_workers, force=True, progress=False)
        seconds = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
    return {"workers": n_workers, "seconds": seconds, "files": summary.found, "errors": summary.errors,
            "docs_per_s": summary.found / seconds, "rss_mb": sampler.summary(),
            "children_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3,
            "parent_cpu_s": _cpu(resource.RUSAGE_SELF), "workers_cpu_s": _cpu(resource.RUSAGE_CHILDREN),
            "load_before": before, "load_after": load(), **serial}


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_workers(root: Path, n_workers: int) -> dict:
    """One runner run in a fresh interpreter, so that workers do not inherit (by fork) the models
    this process already loaded, and wall time includes loading as a real ``zhengce run`` does."""
    import subprocess

    cmd = [sys.executable, __file__, "--runner-child", str(n_workers), "--root", str(root)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report_stages(r: dict) -> None:
    print(f"\n[{r['segmenter']}] one process, {r['docs']} docs ({r['mb']:.1f} MB, {r['errors']} errors) "
          f"in {r['seconds']:.1f} s (+{r['load_s']:.1f} s loading): {r['docs_per_s']:.1f} docs/s, "
          f"{r['mb_per_s']:.3f} MB/s  [{r['load']}]")
    for stage, s in r["stages"].items():
        print(f"  {stage:<10} {s:8.2f} s  {100 * s / r['seconds']:5.1f} %")
    print(f"  plain jieba.lcut on the same texts, interleaved: {r['jieba_lcut_s']:.2f} s; "
          f"pipeline/jieba {r['ratio_to_jieba']:.2f}")
    for name, s in r["components"].items():
        print(f"    {name:<24} {s:8.2f} s")
    print("  RSS (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in r["rss_mb"].items()))


def _cpu_in_process(files: list[Path], config, conn) -> None:
    """Child: CPU seconds of ``process`` over ``files`` (and of a pure-Python control loop)."""
    from pipeline.process import process

    start = time.thread_time()
    for i, f in enumerate(files):
        process(f, str(i), config)
    work = time.thread_time() - start
    start, total, table = time.thread_time(), 0, {}
    for i in range(3_000_000):
        total += i * i % 7
        table[i % 1000] = total
    conn.send((work, time.thread_time() - start))
    conn.close()


def run_contention(files: list[Path]) -> dict:
    """CPU per document when one worker runs alone and when two run at once, in processes forked
    from a loaded parent as ``runner.run`` makes them. A pure-Python loop is the control: it shows
    what the two CPUs give to work that does not touch memory."""
    import multiprocessing

    from pipeline.config import Config
    from pipeline.process import warm_up

    config = Config()
    warm_up(config)
    context = multiprocessing.get_context("fork")
    halves = [files[0::2], files[1::2]]

    def start(half):
        parent, child = context.Pipe()
        proc = context.Process(target=_cpu_in_process, args=(half, config, child))
        proc.start()
        return proc, parent

    alone = []
    for half in halves:
        proc, conn = start(half)
        alone.append(conn.recv())
        proc.join()
    running = [start(half) for half in halves]
    together = [conn.recv() for _, conn in running]
    for proc, _ in running:
        proc.join()
    n = len(files)
    out = {
        "docs": n,
        "alone_cpu_s": sum(w for w, _ in alone), "together_cpu_s": sum(w for w, _ in together),
        "control_alone_s": sum(c for _, c in alone), "control_together_s": sum(c for _, c in together),
        "load": load(),
    }
    out["slowdown"] = out["together_cpu_s"] / out["alone_cpu_s"] - 1
    out["control_slowdown"] = out["control_together_s"] / out["control_alone_s"] - 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="an even sample of N documents")
    parser.add_argument("--workers", default="1,2", help="worker counts for pipeline.runner.run")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"any of {','.join(PHASES)}")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rjieba phase: pipeline and plain jieba.lcut pairs to measure; workers phase: "
                             "rounds of the worker counts, alternating (medians reported)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--runner-child", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runner_child:
        print(json.dumps(_runner_child(args.root, args.runner_child)))
        return 0
    phases = set(args.phases.split(","))
    results: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "limit": args.limit, "load_start": load()}
    with tempfile.TemporaryDirectory(prefix="zhengce_bench_") as tmp:
        root = Path(tmp)
        files = extract(root, args.limit)
        size = sum(f.stat().st_size for f in files) / 1e6
        print(f"{len(files)} documents, {size:.1f} MB from {BENCH}  [{load()}]\n{TARGETS}")
        base = fast = None
        if "stages" in phases:
            base = run_stages(files, root, "jieba")
            report_stages(base)
            print(f"pipeline(jieba)/jieba.lcut, interleaved per document: {base['ratio_to_jieba']:.2f} "
                  "(target >= 0.6)")
        if "rjieba" in phases:
            runs = []
            for _ in range(args.repeat):
                runs.append(run_stages(files, root, "rjieba"))
                report_stages(runs[-1])
            ratios = sorted(r["ratio_to_jieba"] for r in runs)
            fast = sorted(runs, key=lambda r: r["ratio_to_jieba"])[len(runs) // 2]
            rseg = run_segmenter(fast["_texts"], "rjieba", fast["mb"])
            print(f"\nplain rjieba cut: {rseg['seconds']:.1f} s, {rseg['mb_per_s']:.3f} MB/s")
            print(f"pipeline(rjieba)/jieba.lcut, interleaved per document, {len(runs)} runs: median "
                  f"{fast['ratio_to_jieba']:.2f} (all: {', '.join(f'{r:.2f}' for r in ratios)}; target >= 1.0)")
            results["rjieba_stages"], results["rjieba_cut"], results["rjieba_ratios"] = fast, rseg, ratios
        if "jieba" in phases:
            ran = base or fast or run_stages(files, root, "rjieba")
            seg = run_segmenter(ran["_texts"], "jieba", ran["mb"])
            results["jieba_lcut"] = seg
            print(f"\nplain jieba.lcut, all texts in one go after the pipeline: {seg['seconds']:.1f} s, "
                  f"{seg['mb_per_s']:.3f} MB/s; pipeline({ran['segmenter']})/jieba = "
                  f"{ran['mb_per_s'] / seg['mb_per_s']:.2f}  [{seg['load']}]")
        if base is not None:
            results["jieba_stages"] = base
        runs = []
        if "workers" in phases:
            counts = [int(w) for w in args.workers.split(",")]
            rounds = args.repeat if len(counts) > 1 else 1
            speedups = []
            rss_of = {False: "of the process", True: "per child process (the workers, then the export's)"}
            for _ in range(rounds):  # alternating, so that a drift in machine speed hits both
                for n in counts:
                    r = run_workers(root, n)
                    runs.append(r)
                    peaks = ", ".join(f"{v['peak']:.0f} (25% {v['25%']:.0f}, 50% {v['50%']:.0f}, 100% {v['100%']:.0f})"
                                      for v in r["rss_mb"].values())
                    print(f"\nrunner.run, {n} worker(s): {r['seconds']:.1f} s wall, {r['docs_per_s']:.1f} docs/s, "
                          f"{size / r['seconds']:.3f} MB/s, {r['errors']} errors  [{r['load_before']} -> {r['load_after']}]"
                          f"\n  CPU: main process {r['parent_cpu_s']:.1f} s, worker processes "
                          f"{r['workers_cpu_s']:.1f} s"
                          f"\n  main process alone (wall): loading before forking {r['warm_up_s']:.1f} s, "
                          f"export {r['export_s']:.1f} s"
                          f"\n  RSS MB {rss_of[n > 1]}, peak (at 25/50/100 % of its life): {peaks}")
                if len(counts) > 1:
                    first, last = runs[-len(counts)], runs[-1]
                    speedups.append(first["seconds"] / last["seconds"])
                    print(f"speed-up {first['workers']} -> {last['workers']} workers: {speedups[-1]:.2f}x "
                          f"(target >= 1.8x)")
            if len(speedups) > 1:
                walls = [r["seconds"] for r in runs if r["workers"] == counts[-1]]
                print(f"speed-up over {len(speedups)} alternating rounds: median {statistics.median(speedups):.2f}x "
                      f"(all: {', '.join(f'{x:.2f}' for x in speedups)}); wall with {counts[-1]} workers: "
                      f"{', '.join(f'{seconds:.1f}' for seconds in walls)} s")
            results["workers"] = runs
        if "contention" in phases:
            c = results["contention"] = run_contention(files)
            print(f"\nper-document CPU in process(), {c['docs']} docs: one worker alone "
                  f"{1000 * c['alone_cpu_s'] / c['docs']:.1f} ms, two workers at once "
                  f"{1000 * c['together_cpu_s'] / c['docs']:.1f} ms ({c['slowdown']:+.0%}); "
                  f"pure-Python control loop {c['control_slowdown']:+.0%}  [{c['load']}]")
    for key in ("jieba_stages", "rjieba_stages"):
        results.get(key, {}).pop("_texts", None)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
