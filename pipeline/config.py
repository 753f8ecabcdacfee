"""One configuration for a run: defaults here, a TOML file (``--config``) and ``-s key=value``
override them. Every setting is a row of ``SETTINGS`` (name, default, help): a new setting adds no
CLI flag, is type-checked from its default, and ``tests/test_docs.py`` fails if the README does not
document it."""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from corpus.errors import ConfigError

SETTINGS: tuple[tuple[str, Any, str], ...] = (
    ("segmenter", "rjieba", "word segmenter behind the spaCy tokenizer: rjieba (fast) or jieba (reference)"),
    ("taxonomy", "", "theme taxonomy TOML file (empty: the shipped education-equity taxonomy)"),
    ("model", "", "theme model .skops file (empty: the shipped model for the default taxonomy)"),
    ("theme_threshold", 0.3, "probability above which a theme is listed in the `themes` column"),
    ("classify", True, "classify measures by theme and instrument"),
)


@dataclass(frozen=True, slots=True)
class Config:
    segmenter: str = "rjieba"
    taxonomy: str = ""
    model: str = ""
    theme_threshold: float = 0.3
    classify: bool = True

    def replace(self, **changes: Any) -> "Config":
        return dataclasses.replace(self, **changes)


_DEFAULTS = {name: default for name, default, _ in SETTINGS}
_ALLOWED = {"segmenter": ("jieba", "rjieba")}


def _coerce(name: str, value: Any) -> Any:
    if name not in _DEFAULTS:
        known = ", ".join(_DEFAULTS)
        raise ConfigError(f"unknown setting {name!r}; known settings: {known}")
    default = _DEFAULTS[name]
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                if value.lower() not in {"true", "false", "1", "0", "yes", "no"}:
                    raise ValueError(value)
                value = value.lower() in {"true", "1", "yes"}
            value = bool(value)
        elif isinstance(default, float):
            value = float(value)
        elif isinstance(default, int):
            value = int(value)
        else:
            value = str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name!r} takes a {type(default).__name__}, got {value!r}") from None
    if name in _ALLOWED and value not in _ALLOWED[name]:
        raise ConfigError(f"setting {name!r} must be one of {', '.join(_ALLOWED[name])}; got {value!r}")
    return value


def load_config(path: str | Path | None = None, overrides: Iterable[str] = ()) -> Config:
    """Defaults, then the TOML file at ``path`` (keys at top level or under ``[zhengce]``), then
    ``key=value`` overrides."""
    values: dict[str, Any] = {}
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from None
        data = data.get("zhengce", data)
        values.update({k: _coerce(k, v) for k, v in data.items()})
    for item in overrides:
        if "=" not in item:
            raise ConfigError(f"a setting is given as key=value, got {item!r}")
        key, value = item.split("=", 1)
        values[key.strip()] = _coerce(key.strip(), value.strip())
    return Config(**values)
