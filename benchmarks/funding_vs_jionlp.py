"""Funding amounts: our extractor next to JioNLP's ``extract_money`` on the dev gold.

Both read the same sentences: each seed is read, normalised (``corpus.normalise.normalise``) and
split (``corpus.structure.parse``); ``extractors.funding.find_funding`` and JioNLP each get every
sentence. Predictions are matched to the gold by amount within a document, as
``score.py``'s ``score_funding`` does (precision only over the documents listed in
documents.jsonl), and qualifier accuracy is counted over the matches.

JioNLP is *not* a dependency of zhengce: it runs in a separate virtualenv (created on first use in
a cache dir and reused), called once in a subprocess that reads sentences as JSON on stdin and
writes its matches as JSON on stdout.

    .venv/bin/python benchmarks/funding_vs_jionlp.py [--seeds DIR] [--gold DIR]
        [--jionlp-venv /tmp/zhengce-jionlp-venv | --jionlp-python PATH] [--show-misses]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import venv
from collections import defaultdict
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT_VENV = Path("/tmp/zhengce-jionlp-venv")

# Runs inside the JioNLP venv: one JSON list of sentences in, one list of match lists out.
# definition: accurate | blur (approx, or a span 1-2亿 / 3000多万 with a list of two numbers)
# | blur+ (more than) | blur- (less than).
_WORKER = r"""
import contextlib, io, json, sys
with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner on import
    import jionlp
sentences = json.load(sys.stdin)
out = []
for s in sentences:
    try:
        found = jionlp.ner.extract_money(s, with_parsing=True)
    except Exception as exc:  # one odd sentence must not end the run
        print(f"jionlp failed on {s[:40]!r}: {exc}", file=sys.stderr)
        found = []
    out.append([{"text": f["text"], "num": f["detail"]["num"], "case": f["detail"]["case"],
                 "definition": f["detail"]["definition"]} for f in found])
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def jionlp_python(venv_dir: Path, python: Path | None) -> Path:
    """The interpreter that has jionlp: ``python`` when given, else a venv made on first use."""
    if python is not None:
        exe = python
    else:
        exe = venv_dir / "bin" / "python"
        if not exe.exists():
            print(f"creating {venv_dir} ...", file=sys.stderr)
            venv.create(venv_dir, with_pip=True)
    probe = subprocess.run([str(exe), "-c", "import jionlp"], capture_output=True, text=True)
    if probe.returncode != 0:
        if python is not None:
            sys.exit(f"funding_vs_jionlp: {exe} cannot import jionlp:\n{probe.stderr[-800:]}")
        print(f"pip install jionlp into {venv_dir} ...", file=sys.stderr)
        pip = subprocess.run([str(exe), "-m", "pip", "install", "-q", "jionlp"], capture_output=True, text=True)
        if pip.returncode != 0:
            sys.exit("funding_vs_jionlp: could not install jionlp from the package index "
                     f"(offline, or no such package here):\n{pip.stderr[-1500:]}")
    return exe


def run_jionlp(exe: Path, sentences: list[str]) -> list[list[dict]]:
    done = subprocess.run([str(exe), "-c", _WORKER], input=json.dumps(sentences, ensure_ascii=False),
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"funding_vs_jionlp: the jionlp worker failed:\n{done.stderr[-1500:]}")
    return json.loads(done.stdout)


def jionlp_row(found: dict) -> dict:
    """A JioNLP match as a funding row: lower bound as amount, its definition as our qualifier."""
    num, definition, text = found["num"], found["definition"], found["text"]
    if isinstance(num, list):
        amount = float(num[0])
        qualifier = "more_than" if any(c in text for c in "多余几数") else "range"
    else:
        amount = float(num)
        qualifier = {"accurate": "exact", "blur+": "more_than", "blur-": "less_than"}.get(definition, "approx")
    return {"mention": text, "amount_yuan": amount, "qualifier": qualifier}


def seed_sentences(seeds: Path) -> dict[str, list[str]]:
    """doc id (path relative to ``seeds``) -> its sentences, as the pipeline splits them."""
    from corpus.normalise import normalise
    from corpus.readers import SUFFIXES, read_path
    from corpus.structure import parse

    out = {}
    for path in sorted(p for p in seeds.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES):
        raw = read_path(path)
        text = normalise(raw.text).text
        out[path.relative_to(seeds).as_posix()] = [s.text for s in parse(text, title_hint=raw.title).sentences]
    return out


def score(gold: list[dict], gold_docs: set[str], pred: dict[str, list[dict]]) -> dict:
    """score.py's score_funding: greedy match by amount (relative 1e-6) per document."""
    gold_by_doc = defaultdict(list)
    for g in gold:
        gold_by_doc[g["doc"]].append(g)
    tp = n_pred = qual_right = 0
    misses = []
    for doc in sorted(gold_docs):
        open_gold = list(gold_by_doc.get(doc, []))
        for p in pred.get(doc, []):
            n_pred += 1
            a = p["amount_yuan"]
            hit = next((g for g in open_gold if abs(a - g["amount_yuan"]) <= 1e-6 * g["amount_yuan"]), None)
            if hit is None:
                misses.append(f"{doc}: false positive {p['mention']!r} = {a:g}")
                continue
            open_gold.remove(hit)
            tp += 1
            if p["qualifier"] == hit.get("qualifier", "exact"):
                qual_right += 1
            else:
                misses.append(f"{doc}: qualifier {p['qualifier']} for {hit['mention']!r}, want {hit.get('qualifier')}")
        misses += [f"{doc}: missed {g['mention']!r} = {g['amount_yuan']:g}" for g in open_gold]
    n_gold = len(gold)
    prec = tp / n_pred if n_pred else float(n_gold == 0)
    rec = tp / n_gold if n_gold else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1, "tp": tp, "pred": n_pred, "gold": n_gold,
            "qualifier_accuracy": qual_right / tp if tp else None, "misses": misses}


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=SHARED / "seeds")
    ap.add_argument("--gold", type=Path, default=SHARED / "gold" / "dev")
    ap.add_argument("--jionlp-venv", type=Path, default=DEFAULT_VENV, help="cache dir of the JioNLP venv")
    ap.add_argument("--jionlp-python", type=Path, default=None,
                    help="an interpreter that already has jionlp (no venv is made)")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args(argv)
    if not (args.gold / "funding.jsonl").exists() or not args.seeds.is_dir():
        sys.exit(f"funding_vs_jionlp: need {args.seeds}/ and {args.gold}/funding.jsonl")

    from extractors.funding import find_funding

    gold = _read_jsonl(args.gold / "funding.jsonl")
    docs_file = args.gold / "documents.jsonl"
    gold_docs = {d["doc"] for d in _read_jsonl(docs_file)} if docs_file.exists() else {g["doc"] for g in gold}
    sentences = seed_sentences(args.seeds)
    flat = [(doc, s) for doc, ss in sentences.items() if doc in gold_docs for s in ss]

    ours: dict[str, list[dict]] = defaultdict(list)
    for doc, s in flat:
        ours[doc] += [{"mention": f.mention, "amount_yuan": f.amount_yuan, "qualifier": f.qualifier}
                      for f in find_funding(s)]
    exe = jionlp_python(args.jionlp_venv, args.jionlp_python)
    theirs: dict[str, list[dict]] = defaultdict(list)
    for (doc, _), found in zip(flat, run_jionlp(exe, [s for _, s in flat])):
        theirs[doc] += [jionlp_row(f) for f in found]

    results = {"zhengce find_funding": score(gold, gold_docs, ours),
               "JioNLP extract_money": score(gold, gold_docs, theirs)}
    print(f"funding on {len(gold_docs)} gold docs, {len(flat)} sentences, {len(gold)} gold amounts")
    print(f"{'':24}{'precision':>10}{'recall':>8}{'F1':>8}{'tp':>5}{'pred':>6}{'qualifier':>11}")
    for name, r in results.items():
        qual = "-" if r["qualifier_accuracy"] is None else f"{r['qualifier_accuracy']:.3f}"
        print(f"{name:24}{r['precision']:>10.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}{r['tp']:>5}{r['pred']:>6}{qual:>11}")
    if args.show_misses:
        for name, r in results.items():
            print(f"\n== {name}")
            for line in r["misses"]:
                print(f"  - {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
