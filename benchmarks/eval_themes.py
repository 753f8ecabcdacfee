"""Theme accuracy on documents the model never saw: ``../shared/corpus/eval``.

``benchmarks/data/eval_themes_blind.csv`` holds the themes a second annotator gave, without seeing
any prediction, to 189 measures (three per document) of the 63 eval documents; 16 of them are
marked ``not_measure`` and left out. Rows name their measure by document and SHA-1 of its text, so
no eval text is copied into the repository. The script runs ``zhengce run`` on the eval folder
(unless ``--out`` already holds a run), matches the rows and prints accuracy, macro-F1 and lenient
accuracy (primary or secondary theme) of the model and of the keyword baseline.

    .venv/bin/python benchmarks/eval_themes.py [--out DIR] [--model M.skops]

The eval documents measure; they are never used to train or tune.
"""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "corpus" / "eval"
BLIND = Path(__file__).with_name("data") / "eval_themes_blind.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="a finished `zhengce run` of the eval folder")
    parser.add_argument("--model", help="model file (default: the shipped one)")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"no eval corpus at {EVAL}: this benchmark needs ../shared", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="zhengce_eval_") as tmp:
        out = args.out or Path(tmp)
        if not (out / "measures.csv").exists():
            command = [sys.executable, "-m", "pipeline", "run", str(EVAL), "--out", str(out)]
            if args.model:
                command += ["-s", f"model={args.model}"]
            subprocess.run(command, check=True, cwd=ROOT)
        measures = pd.read_csv(out / "measures.csv", dtype=str, keep_default_na=False)
    measures["text_sha1"] = [hashlib.sha1(t.encode()).hexdigest() for t in measures.text]
    blind = pd.read_csv(BLIND, dtype=str, keep_default_na=False)
    blind = blind[blind.note != "not_measure"]
    rows = blind.merge(measures.drop_duplicates(["doc_id", "text_sha1"]), on=["doc_id", "text_sha1"],
                       how="left", suffixes=("", "_predicted"))
    missing = rows.theme_predicted.isna()
    rows = rows[~missing]
    from models.keywords import KeywordClassifier

    baseline = KeywordClassifier().fit([]).predict(list(rows.text))
    also = rows.also.str.split(";")
    print(f"{len(rows)} measures matched of {len(blind)} ({int(missing.sum())} no longer segmented the same way)")
    for name, predicted in (("model", rows.theme_predicted.tolist()), ("keyword baseline", list(baseline))):
        lenient = sum(p == t or p in a for p, t, a in zip(predicted, rows.theme, also)) / len(rows)
        print(f"{name:17} accuracy {accuracy_score(rows.theme, predicted):.3f}   "
              f"macro-F1 {f1_score(rows.theme, predicted, average='macro'):.3f}   lenient {lenient:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
