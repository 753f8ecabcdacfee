"""Build the Chinese spaCy pipeline: ``spacy.blank("zh")`` with jieba (or its faster port rjieba,
the default) as segmenter, the policy dictionary loaded, and the zhengce components in order."""
from __future__ import annotations

from typing import Sequence

import spacy
from spacy import attrs
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces

import extractors.components  # noqa: F401  (registers the factories)
from corpus.segment import Segmenter, get_tokenizer
from extractors._extensions import ensure_extensions
from extractors.components import COMPONENTS, TEXT_KEY, WORDS_KEY


MAX_CHARS = 3_000_000

# Lexical attributes worked out for every new word of the vocab. No component reads like_num,
# shape, prefix/suffix, stop words or the URL/e-mail/currency flags, and computing them was 45% of
# building a Doc (8% of a whole run: benchmarks/throughput.py); those read False or "" here.
LEX_ATTRS = (attrs.IS_ALPHA, attrs.IS_ASCII, attrs.IS_DIGIT, attrs.IS_PUNCT, attrs.IS_SPACE, attrs.LOWER,
             attrs.NORM, attrs.LANG)


class SegmenterTokenizer:
    """A spaCy tokenizer over our segmenter: one token per word, no trailing-space bookkeeping
    (whitespace runs are tokens of their own); the Doc's text and words are remembered as plain
    strings for the components and ``words_between`` (reading them back from tokens is slow)."""

    def __init__(self, vocab, segmenter: Segmenter):
        self.vocab = vocab
        self.segmenter = segmenter

    def __call__(self, text: str) -> Doc:
        words = [w for w in self.segmenter.cut(text) if w]
        if "".join(words) != text:  # a segmenter that drops characters: let spaCy align them
            doc = Doc(self.vocab, *get_words_and_spaces(words, text))
        else:
            # Words as hash values, each distinct word hashed once: spaCy hashes every token it is
            # given as a string, which was 40% of building the Doc (a report repeats its words).
            add = self.vocab.strings.add
            orth = {word: add(word) for word in set(words)}
            doc = Doc(self.vocab, words=list(map(orth.__getitem__, words)), spaces=[False] * len(words))
            doc.user_data[WORDS_KEY] = words
        doc.user_data[TEXT_KEY] = text
        return doc


def load(segmenter: str = "rjieba", components: Sequence[str] = COMPONENTS) -> Language:
    """The whole zhengce pipeline in one call.

    Parameters
    ----------
    segmenter:
        ``"jieba"`` (reference) or ``"rjieba"`` (faster, same dictionary).
    components:
        Names of registered components to add, in order.
    """
    ensure_extensions()
    words = get_tokenizer(segmenter)  # loads the policy dictionary
    # Not spaCy's own Chinese tokenizer in jieba mode: it would load jieba's dictionary a second
    # time and re-derive whitespace for every token, while the segmenter's words already spell the
    # text exactly. Both segmenters therefore build the Doc the same way.
    nlp = spacy.blank("zh")
    nlp.vocab.lex_attr_getters = {k: v for k, v in nlp.vocab.lex_attr_getters.items() if k in LEX_ATTRS}
    nlp.tokenizer = SegmenterTokenizer(nlp.vocab, words)
    # No parser or NER runs here, so a long report (a yearbook, a whole law code) is affordable;
    # beyond this, process() refuses the file with a clear message instead of exhausting memory.
    nlp.max_length = MAX_CHARS
    for name in components:
        nlp.add_pipe(name)
    return nlp
