"""Word agreement of rjieba with jieba, both with the policy dictionary (issue 7).

Segments the normalised text of every document in ../shared/corpus/bench/*.tar.gz with
``corpus.segment.get_tokenizer("jieba")`` (the reference) and ``get_tokenizer("rjieba")`` and
compares the tokens as character spans: recall = share of jieba tokens whose exact (start, end) is
also an rjieba token, precision = the same the other way, F1 of the two; whitespace-only tokens are
left out. Prints the figures overall and per archive and the most frequent disagreements (a jieba
token, and the rjieba tokens that cover its characters instead).

With ``--dev`` it also runs ``zhengce run`` on ../shared/seeds with each segmenter and scores both
outputs with ../shared/eval/score.py against ../shared/gold/dev, to show whether the extractors'
dev scores move with the segmenter.

    .venv/bin/python benchmarks/segmenter_agreement.py [--limit N] [--top 30] [--dev]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench_corpus import bench_documents

SHARED = Path(__file__).resolve().parents[2] / "shared"
REPO = Path(__file__).resolve().parents[1]


def documents(limit: int | None = None):
    """(archive name, member name, normalised text) of every ``*/docs/*`` member, or of an evenly
    spaced sample of ``limit`` of them."""
    from corpus.normalise import normalise
    from corpus.readers import read_text

    for archive, name, data in bench_documents(limit):
        try:
            text = normalise(read_text(data, name).text).text
        except Exception:  # noqa: BLE001 - an undecodable file is not a segmenter question
            continue
        yield archive.name.removesuffix(".tar.gz"), name, text


def spans(tokens: list[str]) -> dict[tuple[int, int], str]:
    """Character span -> token, whitespace-only tokens left out."""
    out, pos = {}, 0
    for token in tokens:
        if token.strip():
            out[(pos, pos + len(token))] = token
        pos += len(token)
    return out


def disagreements(ref: dict[tuple[int, int], str], other: dict[tuple[int, int], str]) -> list[tuple[str, str]]:
    """For each reference token missing from ``other``: (token, the other tokens overlapping it)."""
    starts = sorted(other)
    out = []
    j = 0
    for (s, e), token in sorted(ref.items()):
        if (s, e) in other:
            continue
        while j < len(starts) and starts[j][1] <= s:
            j += 1
        k, cover = j, []
        while k < len(starts) and starts[k][0] < e:
            cover.append(other[starts[k]])
            k += 1
        out.append((token, "/".join(cover)))
    return out


def f1(tp: int, n_ref: int, n_other: int) -> dict[str, float]:
    recall = tp / n_ref if n_ref else 1.0
    precision = tp / n_other if n_other else 1.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"recall_vs_jieba": recall, "precision_vs_jieba": precision, "f1": score}


def agreement(limit: int | None, top: int) -> dict:
    from corpus.segment import get_tokenizer

    jieba_seg, rjieba_seg = get_tokenizer("jieba"), get_tokenizer("rjieba")
    counts = defaultdict(lambda: [0, 0, 0, 0])  # archive -> tp, n jieba, n rjieba, docs
    diffs: Counter[tuple[str, str]] = Counter()
    seconds = {"jieba": 0.0, "rjieba": 0.0}
    for archive, _, text in documents(limit):
        t0 = time.perf_counter()
        ref = spans(jieba_seg.cut(text))
        t1 = time.perf_counter()
        other = spans(rjieba_seg.cut(text))
        seconds["jieba"] += t1 - t0
        seconds["rjieba"] += time.perf_counter() - t1
        c = counts[archive]
        c[0] += len(ref.keys() & other.keys())
        c[1] += len(ref)
        c[2] += len(other)
        c[3] += 1
        diffs.update(disagreements(ref, other))
    total = [sum(c[i] for c in counts.values()) for i in range(4)]
    return {
        "overall": {**f1(*total[:3]), "docs": total[3], "jieba_tokens": total[1], "rjieba_tokens": total[2]},
        "archives": {a: {**f1(*c[:3]), "docs": c[3], "jieba_tokens": c[1]} for a, c in sorted(counts.items())},
        "top_disagreements": [(j, r, n) for (j, r), n in diffs.most_common(top)],
        "distinct_disagreements": len(diffs),
        "seconds": seconds,
    }


def dev_scores(segmenter: str) -> dict:
    """``zhengce run`` on the seeds with ``segmenter``, scored against the dev gold."""
    out = Path(tempfile.mkdtemp(prefix=f"zhengce_dev_{segmenter}_"))
    zhengce = REPO / ".venv" / "bin" / "zhengce"
    subprocess.run([str(zhengce), "run", str(SHARED / "seeds"), "--out", str(out), "-s", f"segmenter={segmenter}",
                    "--force"], check=True, capture_output=True, text=True)
    done = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(SHARED / "gold" / "dev"),
                           "--out", str(out), "--json"], check=True, capture_output=True, text=True)
    return {"out": str(out), "score": json.loads(done.stdout)}


def _numbers(report: dict, prefix: str = "") -> dict[str, float]:
    """Flatten the scorer's JSON to its numeric leaves (section.key -> value)."""
    flat = {}
    for key, value in report.items():
        if isinstance(value, dict):
            flat.update(_numbers(value, f"{prefix}{key}."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            flat[f"{prefix}{key}"] = value
    return flat


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="an even sample of N documents")
    parser.add_argument("--top", type=int, default=30, help="how many disagreements to list")
    parser.add_argument("--dev", action="store_true", help="also compare dev scores of the two segmenters")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    one, five, _ = os.getloadavg()
    print(f"{time.strftime('%Y-%m-%d %H:%M')}  load {one:.2f} {five:.2f} on {os.cpu_count()} CPUs")
    result = agreement(args.limit, args.top)
    o = result["overall"]
    print(f"{o['docs']} docs, {o['jieba_tokens']} jieba tokens, {o['rjieba_tokens']} rjieba tokens; "
          f"segmenting took jieba {result['seconds']['jieba']:.1f} s, rjieba {result['seconds']['rjieba']:.1f} s")
    print(f"overall: recall {o['recall_vs_jieba']:.4f}, precision {o['precision_vs_jieba']:.4f}, F1 {o['f1']:.4f}")
    for archive, a in result["archives"].items():
        print(f"  {archive:<42} {a['docs']:5d} docs  recall {a['recall_vs_jieba']:.4f}  "
              f"precision {a['precision_vs_jieba']:.4f}  F1 {a['f1']:.4f}")
    print(f"most frequent disagreements (jieba token -> rjieba tokens), of {result['distinct_disagreements']} distinct:")
    for j, r, n in result["top_disagreements"]:
        print(f"  {n:6d}  {j} -> {r}")
    if args.dev:
        runs = {name: dev_scores(name) for name in ("jieba", "rjieba")}
        a, b = _numbers(runs["jieba"]["score"]), _numbers(runs["rjieba"]["score"])
        changed = {k: (a[k], b.get(k)) for k in a if a[k] != b.get(k)}
        print(f"dev scores (seeds vs gold/dev): {len(a)} figures, {len(changed)} differ between jieba and rjieba")
        for key, (x, y) in sorted(changed.items()):
            print(f"  {key}: jieba {x} -> rjieba {y}")
        result["dev"] = {"jieba": runs["jieba"]["score"], "rjieba": runs["rjieba"]["score"], "changed": changed}
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
