"""Extractors: a Chinese spaCy pipeline (jieba tokenizer with the policy dictionary) whose
components find structure, dates, regions, funding amounts, targets and reported indicators.

    >>> import extractors
    >>> nlp = extractors.load()
    >>> doc = nlp("到2027年，全省30%左右的县实现优质均衡。累计投入4.6亿元用于改善办学条件。")
    >>> [span._.value["amount_yuan"] for span in doc.spans["funding"]]
    [460000000.0]

``nlp.pipe(texts)`` streams batches; ``records(doc, doc_id)`` turns a processed Doc into the
dataclass records of ``corpus.records``.
"""
from __future__ import annotations

from extractors.collect import records
from extractors.pipeline import load

__all__ = ["load", "records"]
