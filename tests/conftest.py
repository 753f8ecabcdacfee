"""Fixtures shared by the test modules.

``shared_dir`` is ``../shared`` beside the repository (seeds, corpus, gold): present in CI, absent
in a user's own clone, where the tests that need it skip with the reason.
"""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = REPO / "corpus" / "samples"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"needs the shared data folder {SHARED} (seeds, corpus, gold) beside the repo")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    return shared_dir / "seeds"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES
