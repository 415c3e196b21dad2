"""The cross-benchmarks' items, Hammer protocol: API-Bank L1/L2, ToolAlpaca, Seal-Tools, Nexus (METHOD.md section 6).

API-Bank L1/L2, ToolAlpaca and Seal-Tools are read from Hammer's unified test files
(``hammer/data/test/original``: the exact items Hammer evaluates on), Nexus from NexusRaven's
files, both through :mod:`toolzero.data.sources`.  They are scored in ``eval/cross.py``.

A source is read once per process and folder: the four Hammer benchmarks are categories of one
``hammer`` load.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from toolzero.data.sources import default_path, load_source
from toolzero.schema import Task

# benchmark -> (source, category inside the source or None for all)
CROSS_BENCHMARKS: dict[str, tuple[str, str | None]] = {
    "api_bank_l1": ("hammer", "original/apibank_l1"),
    "api_bank_l2": ("hammer", "original/apibank_l2"),
    "toolalpaca": ("hammer", "original/toolalpaca"),
    "seal_tools": ("hammer", "original/sealtool"),
    "nexus": ("nexus", None),
}


def load_cross(name: str, path: str | Path | None = None) -> list[Task]:
    """The items of one cross-benchmark (``path`` overrides the source's default folder).

    Raises:
        ValueError: unknown benchmark name (the message lists the known ones).
        FileNotFoundError: the source's folder does not exist.
    """
    if name not in CROSS_BENCHMARKS:
        raise ValueError(f"unknown cross-benchmark {name!r}; known: {', '.join(CROSS_BENCHMARKS)}")
    source, category = CROSS_BENCHMARKS[name]
    tasks = _source_tasks(source, Path(path) if path is not None else default_path(source))
    return [t for t in tasks if category is None or t.category == category]


@cache
def _source_tasks(source: str, path: Path) -> tuple[Task, ...]:
    """Every task of ``source`` under ``path``, loaded once per process (tasks are immutable)."""
    return tuple(load_source(source, path))
