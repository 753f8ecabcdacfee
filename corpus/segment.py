"""Word segmentation for policy text: jieba (or rjieba) with a policy-domain user dictionary.

The dictionary ``corpus/data/policy_dict.txt`` (jieba userdict format ``word freq tag``) keeps
terms such as 控辍保学, 县管校聘 or 生均公用经费 whole, which jieba's general dictionary would cut.
jieba is imported lazily, inside the functions, so importing this module (and ``zhengce --help``)
stays cheap; each backend is built once per process and cached.
"""
from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

LOGGER = logging.getLogger(__name__)

DICT_PATH = Path(__file__).resolve().parent / "data" / "policy_dict.txt"
BACKENDS = ("jieba", "rjieba")
# rjieba (jieba-rs) cuts ~30x faster and agrees with jieba on 99.9% of word spans of the bench corpus
# with the policy dictionary loaded (benchmarks/segmenter_agreement.py); jieba stays the reference
# and the fallback when rjieba cannot be imported.
DEFAULT = "rjieba"

_LOCK = threading.Lock()
_WHITESPACE = re.compile(r"\s").search  # the characters str.strip() removes
_CJK_WORD = re.compile(r"[\u3400-\u9fff]+").fullmatch


@lru_cache(maxsize=1)
def _entries() -> tuple[tuple[str, int | None, str | None], ...]:
    rows: list[tuple[str, int | None, str | None]] = []
    for line in DICT_PATH.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else None
        rows.append((parts[0], freq, tag))
    return tuple(rows)


def policy_words() -> list[str]:
    """The words of the policy dictionary, in file order.

    Returns
    -------
    list[str]
        Every word of ``corpus/data/policy_dict.txt``.
    """
    return [word for word, _, _ in _entries()]


class Segmenter:
    """A segmenter with the policy dictionary loaded: ``cut`` and ``cut_for_search`` return lists.

    Parameters
    ----------
    name : str
        ``"jieba"`` or ``"rjieba"``.
    backend : Any
        The ``jieba.Tokenizer`` or ``rjieba.Jieba`` instance doing the work.
    """

    def __init__(self, name: str, backend: Any) -> None:
        self.name = name
        self.backend = backend

    def cut(self, text: str, cut_all: bool = False, HMM: bool = True) -> list[str]:
        """Segment ``text`` (precise mode, HMM on); ``cut_all`` only for jieba (spaCy passes it)."""
        if self.name == "rjieba":
            return list(self.backend.cut_all(text) if cut_all else self.backend.cut(text, hmm=HMM))
        return list(self.backend.cut(text, cut_all=cut_all, HMM=HMM))

    def cut_for_search(self, text: str) -> list[str]:
        """Segment ``text`` in search mode (long words also yield their sub-words)."""
        if self.name == "rjieba":
            return list(self.backend.cut_for_search(text, hmm=True))
        return list(self.backend.cut_for_search(text, HMM=True))

    def search_words(self, word: str) -> list[str]:
        """What ``cut_for_search`` makes of one word of ``cut``: its dictionary words of two and
        three characters, then the word. Text already cut need not be segmented again to be
        indexed; ``cut_for_search(text)`` is ``search_words`` over ``cut(text)`` (tested)."""
        if self.name == "rjieba":
            if not _CJK_WORD(word):  # jieba-rs splits mixed words (GB3838-2002) its own way
                return list(self.backend.cut_for_search(word, hmm=True))
            known = self.backend.has_word
        else:
            known = self.backend.FREQ.get
        n = len(word)
        out = [word[i : i + 2] for i in range(n - 1) if known(word[i : i + 2])] if n > 2 else []
        if n > 3:
            out += [word[i : i + 3] for i in range(n - 2) if known(word[i : i + 3])]
        out.append(word)
        return out

    def __repr__(self) -> str:
        return f"Segmenter({self.name!r}, {len(_entries())} policy words)"


def _build_jieba() -> Segmenter:
    try:
        import jieba
    except ImportError as exc:  # pragma: no cover - jieba is a dependency
        raise ImportError("the jieba segmenter needs jieba: pip install jieba") from exc
    # jieba logs "Building prefix dict..." at DEBUG on its own stderr handler.
    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    # The process-wide default tokenizer: code calling ``jieba.lcut`` directly (or a spaCy Chinese
    # tokenizer in jieba mode) shares this one dictionary load instead of building a second.
    tok = jieba.dt
    tok.initialize()
    tok.load_userdict(str(DICT_PATH))
    for word in policy_words():
        # A userdict frequency is not always enough against HMM joins across the word's
        # boundaries; suggest_freq raises it until the word survives as one token.
        tok.suggest_freq(word, tune=True)
    LOGGER.debug("jieba ready with %d policy words", len(_entries()))
    return Segmenter("jieba", tok)


def _build_rjieba() -> Segmenter:
    try:
        import rjieba
    except ImportError as exc:  # pragma: no cover - rjieba is a dependency
        raise ImportError("the rjieba segmenter needs rjieba: pip install rjieba") from exc
    # rjieba has no load_userdict, but add_word/suggest_freq do the same job word by word.
    tok = rjieba.Jieba()
    for word, freq, tag in _entries():
        tok.add_word(word, freq, tag)
        tok.add_word(word, max(freq or 0, tok.suggest_freq(word)), tag)
    LOGGER.debug("rjieba ready with %d policy words", len(_entries()))
    return Segmenter("rjieba", tok)


_INSTANCES: dict[str, Segmenter] = {}


def _cached(name: str) -> Segmenter:
    segmenter = _INSTANCES.get(name)
    if segmenter is None:
        with _LOCK:  # threads of one worker must not build the dictionary twice
            segmenter = _INSTANCES.get(name)
            if segmenter is None:
                if name == "rjieba":
                    try:
                        segmenter = _build_rjieba()
                    except ImportError:
                        LOGGER.warning("rjieba is not installed: segmenting with jieba (slower, same dictionary)")
                        segmenter = _cached("jieba")
                else:
                    segmenter = _build_jieba()
                _INSTANCES[name] = segmenter
    return segmenter


def get_tokenizer(name: str = DEFAULT) -> Segmenter:
    """The process-wide segmenter ``name``, built on first use with the policy dictionary.

    Parameters
    ----------
    name : str
        ``"rjieba"`` (default; jieba when rjieba is missing) or ``"jieba"`` (the reference).

    Returns
    -------
    Segmenter
        An object with ``cut(text) -> list[str]`` and ``cut_for_search(text) -> list[str]``;
        ``cut`` takes spaCy's ``cut_all`` keyword, so it can stand in for the ``jieba`` module
        behind spaCy's Chinese tokenizer (``nlp.tokenizer.jieba_seg = get_tokenizer()``).

    Raises
    ------
    ValueError
        For an unknown backend name.
    """
    if name not in BACKENDS:
        raise ValueError(f"unknown segmenter {name!r}: choose one of {', '.join(BACKENDS)}")
    return _cached(name)


def tokens(text: str) -> list[str]:
    """Non-whitespace words of ``text`` (default segmenter): the tokenizer for ``TfidfVectorizer``.

    A module-level function (not a lambda) so that fitted vectorizers can be persisted.
    """
    return _non_blank(get_tokenizer().cut(text), text)


# The name the style guide uses for the same function.
jieba_tokens = tokens


def _non_blank(words: list[str], text: str) -> list[str]:
    """``words`` without whitespace tokens; text without whitespace (most sentences) has none."""
    return [w for w in words if w.strip()] if _WHITESPACE(text) else words
