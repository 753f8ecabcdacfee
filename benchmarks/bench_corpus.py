"""The bench corpus the benchmark scripts read: ``../shared/corpus/bench/*.tar.gz``."""
from __future__ import annotations

import tarfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bench"


def bench_documents(limit: int | None = None) -> Iterator[tuple[Path, str, bytes]]:
    """(archive, member name, bytes) of every document (``*/docs/*``) in the archives, or of an
    evenly spaced sample of ``limit`` of them across the sorted member list, so every archive keeps
    its share."""
    archives = sorted(BENCH.glob("*.tar.gz"))
    if not archives:  # a figure over no documents would be 0 or a division by zero
        raise SystemExit(f"no bench corpus: no *.tar.gz archives in {BENCH} (the repository's ../shared)")
    names: list[tuple[Path, str]] = []
    for archive in archives:
        with tarfile.open(archive) as tar:
            names += [(archive, m.name) for m in tar if m.isfile() and "/docs/" in m.name]
    if limit and limit < len(names):
        step = len(names) / limit
        names = [names[int(i * step)] for i in range(limit)]
    wanted: dict[Path, set[str]] = defaultdict(set)
    for archive, name in names:
        wanted[archive].add(name)
    for archive in sorted(wanted):
        with tarfile.open(archive) as tar:
            for member in tar:
                if member.name in wanted[archive]:
                    yield archive, member.name, tar.extractfile(member).read()
