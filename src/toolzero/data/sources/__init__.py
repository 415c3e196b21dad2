"""Converters from public tool-use datasets to :class:`~toolzero.schema.Task` records.

Every source module declares a :class:`~toolzero.data.sources._loader.SourceSpec` ``SPEC``
(its folder, files, record ids and row conversion); ``SPEC.load(path=None, report=None,
**options) -> list[Task]`` runs the loop all sources share.  ``path`` defaults to
``<shared data>/<folder>`` where the shared data folder is ``$TOOLZERO_SHARED_DATA`` or
``<checkout>/../shared/data``.  Records that do not convert are counted in the
:class:`~toolzero.data.report.LoadReport` with their id and reason.
The conversion rules common to all sources are in :mod:`toolzero.data.sources._values`;
the other shared helpers, one concern a module: ``_loader`` (the load loop), ``_files``
(paths, files, records), ``_json`` (fields of a record), ``_schema`` (types and tools),
``_calls`` (calls written as text), ``_tasks`` (messages and tasks), ``_skip``
(:class:`Skip`).  Each source module's docstring says what it reads and what it drops.
``docs/sources.md`` has the measured counts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolzero.data.report import LoadReport
from toolzero.data.sources import (
    acebench,
    api_bank,
    complexfuncbench,
    hammer,
    hammer_masked,
    nestful,
    nexus,
    seal_tools,
    toolace,
    toolalpaca,
    toolrl,
    xlam,
)
from toolzero.data.sources._files import SHARED_DATA_ENV, shared_data_dir
from toolzero.schema import Task

__all__ = ["SOURCES", "FOLDERS", "SHARED_DATA_ENV", "default_path", "load_source", "shared_data_dir"]

_SPECS = tuple(m.SPEC for m in (toolrl, seal_tools, api_bank, hammer, hammer_masked, toolalpaca, nexus, nestful,
                                  complexfuncbench, acebench, toolace, xlam))
# Source name -> its loader, ``load(path=None, report=None, **options) -> list[Task]``.
SOURCES: dict[str, Callable[..., list[Task]]] = {s.name: s.load for s in _SPECS}
# Source name -> its folder under the shared data folder.
FOLDERS: dict[str, str] = {s.name: s.folder for s in _SPECS}


def default_path(name: str) -> Path:
    """Where ``name``'s data is looked for when no path is given."""
    return shared_data_dir() / FOLDERS[name]


def load_source(name: str, path: str | Path | None = None, report: LoadReport | None = None, **options: Any) -> list[Task]:
    """Load source ``name`` from ``path`` (default: :func:`default_path`).

    Raises:
        ValueError: unknown source name (the message lists the known ones).
        FileNotFoundError: the folder or file does not exist (the message names it).
    """
    if name not in SOURCES:
        raise ValueError(f"unknown source {name!r}; known sources: {', '.join(sorted(SOURCES))}")
    target = Path(path) if path is not None else default_path(name)
    if not target.exists():
        raise FileNotFoundError(f"data for source {name!r} not found: {target} does not exist")
    return SOURCES[name](target, report, **options)
