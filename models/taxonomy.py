"""The theme taxonomy as data: a TOML file of themes and policy-instrument types.

The shipped file is ``models/themes.toml`` (education equity); a user passes their own file to work on
another policy domain. ``load_taxonomy`` checks the file and raises
:class:`corpus.errors.TaxonomyError` naming the file and the problem, so a bad file fails before any
training starts.
"""
from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from corpus.errors import TaxonomyError

LOGGER = logging.getLogger(__name__)

DEFAULT_TAXONOMY = Path(__file__).with_name("themes.toml")

# Ids become column values and sklearn class labels: keep them ASCII and shell-safe.
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme: stable ASCII ``id``, Chinese ``label``, a ``definition`` and its cue words."""

    id: str
    label: str
    definition: str = ""
    cues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Subtype:
    """A sub-type of a policy instrument (e.g. 资金投入) with its cue words."""

    name: str
    cues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Instrument:
    """A policy-instrument type (supply / environment / demand) and its sub-types."""

    id: str
    label: str
    definition: str = ""
    subtypes: tuple[Subtype, ...] = ()

    @property
    def cues(self) -> tuple[str, ...]:
        """All cue words of the sub-types, in order, without repeats."""
        return tuple(dict.fromkeys(c for s in self.subtypes for c in s.cues))


@dataclass(frozen=True)
class Taxonomy:
    """Themes and instrument types of one policy domain, as read from ``source``."""

    themes: tuple[Theme, ...]
    instruments: tuple[Instrument, ...] = ()
    fallback: str = "other"
    name: str = ""
    source: str = ""

    @property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)

    @property
    def instrument_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.instruments)

    def cue_groups(self, dimension: str = "themes") -> dict[str, tuple[str, ...]]:
        """Cue words by id, for ``dimension`` ``"themes"`` or ``"instruments"``."""
        if dimension == "themes":
            return {t.id: t.cues for t in self.themes}
        if dimension == "instruments":
            return {i.id: i.cues for i in self.instruments}
        raise ValueError(f"dimension must be 'themes' or 'instruments', got {dimension!r}")

    def label_of(self, theme_id: str) -> str:
        """The Chinese label of a theme id (the id itself when unknown)."""
        return next((t.label for t in self.themes if t.id == theme_id), theme_id)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and check a taxonomy file.

    Parameters
    ----------
    path
        A TOML file with ``[[themes]]`` (id, label, definition, cues) and optionally
        ``[[instruments]]`` (id, label, definition, ``[[instruments.subtypes]]`` name, cues).
        ``None`` means the shipped education-equity taxonomy.

    Returns
    -------
    Taxonomy

    Raises
    ------
    corpus.errors.TaxonomyError
        The file is missing, is not TOML, or breaks a rule; the message names the file and the rule.
    """
    file = (Path(path) if path is not None else DEFAULT_TAXONOMY).expanduser().resolve()
    if not file.is_file():
        raise TaxonomyError(f"taxonomy file {file} does not exist; pass an existing .toml file")
    # The modification time is part of the cache key so an edited file is read again.
    return _load_cached(str(file), file.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int) -> Taxonomy:
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"taxonomy file {file} is not valid UTF-8 TOML: {exc}") from None
    taxonomy = _parse(data, file)
    LOGGER.debug("loaded taxonomy %s: %d themes, %d instruments", file, len(taxonomy.themes),
                 len(taxonomy.instruments))
    return taxonomy


def _parse(data: dict[str, Any], file: Path) -> Taxonomy:
    def fail(problem: str) -> TaxonomyError:
        return TaxonomyError(f"taxonomy file {file}: {problem}")

    raw_themes = data.get("themes")
    if not isinstance(raw_themes, list) or not raw_themes:
        raise fail("no [[themes]] tables; a taxonomy needs at least two themes")
    themes = tuple(_theme(entry, n, fail) for n, entry in enumerate(raw_themes, 1))
    if len(themes) < 2:
        raise fail("only one theme; a classifier needs at least two")
    _check_unique([t.id for t in themes], "theme", fail)

    raw_instruments = data.get("instruments", [])
    if not isinstance(raw_instruments, list):
        raise fail("'instruments' must be a list of [[instruments]] tables")
    instruments = tuple(_instrument(entry, n, fail) for n, entry in enumerate(raw_instruments, 1))
    _check_unique([i.id for i in instruments], "instrument", fail)

    fallback = data.get("fallback", "other")
    if fallback not in {t.id for t in themes}:
        raise fail(f"fallback theme {fallback!r} is not one of the theme ids; add that theme or "
                   "set fallback = \"<theme id>\"")
    return Taxonomy(themes=themes, instruments=instruments, fallback=fallback,
                    name=str(data.get("name", file.stem)), source=str(file))


def _theme(entry: Any, n: int, fail) -> Theme:
    where = f"theme #{n}"
    if not isinstance(entry, dict):
        raise fail(f"{where} is not a table")
    ident = _ident(entry, where, fail)
    return Theme(id=ident, label=_text(entry, "label", f"{where} ({ident})", fail, required=True),
                 definition=_text(entry, "definition", f"{where} ({ident})", fail),
                 cues=_cues(entry, f"{where} ({ident})", fail))


def _instrument(entry: Any, n: int, fail) -> Instrument:
    where = f"instrument #{n}"
    if not isinstance(entry, dict):
        raise fail(f"{where} is not a table")
    ident = _ident(entry, where, fail)
    where = f"{where} ({ident})"
    raw_subtypes = entry.get("subtypes", [])
    if not isinstance(raw_subtypes, list):
        raise fail(f"{where}: 'subtypes' must be a list of [[instruments.subtypes]] tables")
    subtypes = []
    for k, sub in enumerate(raw_subtypes, 1):
        if not isinstance(sub, dict):
            raise fail(f"{where}: subtype #{k} is not a table")
        name = _text(sub, "name", f"{where} subtype #{k}", fail, required=True)
        subtypes.append(Subtype(name=name, cues=_cues(sub, f"{where} subtype {name}", fail)))
    return Instrument(id=ident, label=_text(entry, "label", where, fail, required=True),
                      definition=_text(entry, "definition", where, fail), subtypes=tuple(subtypes))


def _ident(entry: dict, where: str, fail) -> str:
    ident = entry.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        raise fail(f"{where} has id {ident!r}; ids must be lower-case ASCII like 'health_safety'")
    return ident


def _text(entry: dict, key: str, where: str, fail, required: bool = False) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise fail(f"{where} needs a non-empty text '{key}'" if required
                   else f"{where}: '{key}' must be text, got {value!r}")
    return value.strip()


def _cues(entry: dict, where: str, fail) -> tuple[str, ...]:
    cues = entry.get("cues", [])
    if not isinstance(cues, list) or not all(isinstance(c, str) and c.strip() for c in cues):
        raise fail(f"{where}: 'cues' must be a list of non-empty strings")
    return tuple(dict.fromkeys(c.strip() for c in cues))


def _check_unique(ids: list[str], kind: str, fail) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise fail(f"{kind} id {ident!r} appears twice")
        seen.add(ident)
