"""Search latency at 100k measures: p50/p95 per query kind, and agreement with substring search.

Builds (once; reused on later runs) a store of sentences from ../shared/corpus/bench/*.tar.gz, read
straight from the archives, normalised, split with ``corpus.structure.split_sentences`` and written
with ``Store`` (no extraction or classification: themes, regions and years are assigned round-robin
so filters have something to filter), then times ``pipeline.search.search`` and compares its hits
with ``LIKE '%word%'`` on the measure text.

    .venv/bin/python benchmarks/search_latency.py [--measures 100000] [--db /tmp/zhengce_bench.sqlite]
"""
from __future__ import annotations

import argparse
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench_corpus import bench_documents
from corpus.records import Document, DocumentResult, Measure

THEMES = ("教师队伍", "经费保障", "办学条件", "关爱帮扶", "质量提升", "治理监督")
PROVINCES = ("河南省", "四川省", "广东省", "湖南省", "山东省", "安徽省")
QUERIES = {
    "2-char": ["教师", "经费", "安全", "学校", "责任", "标准", "环境", "培训", "双减", "补助"],
    "4-char": ["义务教育", "人民政府", "安全生产", "行政处罚", "交流轮岗", "留守儿童", "知识产权", "生态环境",
               "财政资金", "人工智能"],
    "multi-word": ["人民政府 责任", "安全 生产 监督", "教师 培训", "环境 保护 标准", "学校 安全",
                   "财政 资金 管理", "义务教育 学校", "人工智能 产业 发展", "农村 教师", "食品 安全 监管"],
}


def _members():
    for _, name, data in bench_documents():
        if name.endswith(".txt"):
            yield name, data


def _document(args: tuple[int, str, bytes]) -> DocumentResult:
    from corpus.decode import decode_bytes
    from corpus.normalise import normalise
    from corpus.structure import split_sentences
    from pipeline.search import index_terms

    n, name, data = args
    text = normalise(decode_bytes(data, name).text).text
    title = text.strip().split("\n", 1)[0][:80]
    sentences, pos = [], 0
    for line in text.split("\n"):  # split_sentences works one paragraph at a time
        sentences += [text[s:e].strip() for s, e in split_sentences(text, pos, pos + len(line))]
        pos += len(line) + 1
    measures = [
        Measure(name, f"s{i + 1:04d}", "", t, THEMES[(n + i) % len(THEMES)], start=i, end=i + 1)
        for i, t in enumerate(s for s in sentences if len(s) >= 8)
    ]
    document = Document(name, title, f"{2015 + n % 10}-01-01", PROVINCES[n % len(PROVINCES)], n_measures=len(measures))
    return DocumentResult(name, name, "", document, measures, search_terms=[index_terms(m.text) for m in measures])


def build(db: Path, target: int, workers: int = 2) -> int:
    """Write about ``target`` measures into a new store at ``db``; returns the number written."""
    from pipeline.store import Store

    db.unlink(missing_ok=True)
    written = 0
    started = time.perf_counter()
    with Store(db) as store, ProcessPoolExecutor(workers) as pool:
        jobs = ((n, name, data) for n, (name, data) in enumerate(_members()))
        for result in pool.map(_document, jobs, chunksize=8):
            if written >= target:
                break
            keep = target - written
            result.measures, result.search_terms = result.measures[:keep], result.search_terms[:keep]
            store.write_result(result, 0, 0.0)
            written += len(result.measures)
        store.conn.execute("INSERT INTO measures_fts(measures_fts) VALUES ('optimize')")
    print(f"built {db}: {written} measures in {time.perf_counter() - started:.0f}s")
    return written


def _like_ids(conn, query: str) -> set[int]:
    from pipeline.search import query_terms

    words = query_terms(query)
    where = " AND ".join("instr(text, ?) > 0" for _ in words)
    return {r[0] for r in conn.execute(f"SELECT rowid FROM measures WHERE {where}", words)}


def _fts_ids(conn, query: str) -> set[int]:
    from pipeline.search import fts_query, query_terms

    sql = "SELECT rowid FROM measures_fts WHERE measures_fts MATCH ?"
    return {r[0] for r in conn.execute(sql, ("{terms}: (" + fts_query(query_terms(query)) + ")",))}


def measure(db: Path, repeats: int = 5) -> None:
    from pipeline.search import Filters, search
    from pipeline.store import Store

    with Store(db, readonly=True) as store:
        conn = store.conn
        n = conn.execute("SELECT COUNT(*) FROM measures").fetchone()[0]
        print(f"{n} measures in {db} ({db.stat().st_size / 1e6:.0f} MB)")
        for query in (q for qs in QUERIES.values() for q in qs):  # warm caches and jieba
            search(conn, query)
        print(f"{'kind':<12}{'filter':<10}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}")
        for kind, queries in QUERIES.items():
            for label, filters in (("none", None), ("province", Filters(province="河南省", since=2018))):
                times = []
                for _ in range(repeats):
                    for query in queries:
                        t = time.perf_counter()
                        search(conn, query, filters, limit=20)
                        times.append((time.perf_counter() - t) * 1000)
                times.sort()
                p95 = times[int(0.95 * (len(times) - 1))]
                print(f"{kind:<12}{label:<10}{statistics.median(times):>8.1f}{p95:>8.1f}{times[-1]:>8.1f}")
        print(f"\n{'query':<14}{'search total':>13}{'text hits':>10}{'LIKE':>8}{'recall':>8}{'precision':>10}")
        for query in (q for qs in QUERIES.values() for q in qs):
            total = search(conn, query)[1]
            fts, like = _fts_ids(conn, query), _like_ids(conn, query)
            both = len(fts & like)
            recall = both / len(like) if like else 1.0
            precision = both / len(fts) if fts else 1.0
            print(f"{query:<14}{total:>13}{len(fts):>10}{len(like):>8}{recall:>8.3f}{precision:>10.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/zhengce_bench.sqlite"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if args.rebuild or not args.db.exists():
        build(args.db, args.measures)
    measure(args.db, args.repeats)


if __name__ == "__main__":
    main()
