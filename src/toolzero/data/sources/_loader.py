"""The load loop every source shares: resolve the folder, find the files, read, convert, count, log.

A source module declares one :class:`SourceSpec`: its name and folder, the files it reads
(glob ``patterns``, or a ``files`` hook), how a record's id is made, and ``build_row``, which
turns one row into a task (or several) and raises :class:`~toolzero.data.sources._skip.Skip`
for a row that does not convert.  :meth:`SourceSpec.load` runs the loop::

    check(options)                        # bad options fail before anything is read
    root = <path> or <shared data>/<folder>
    shared = setup(ctx)                   # once per load; None: nothing to read
    for file in files(ctx) or find_files(<root>/<under> or <root>, patterns):
        data = per_file(ctx)              # once per file; None: the file is skipped
        for rid, record in read(file, report, prefix(file)):
            rid = row_id(rid, record, ctx)
            for rid, row in rows(rid, record, ctx) or [(rid, record)]:
                build_row(rid, row, ctx)      # kept, or counted under rid with its reason

and logs ``"<name>: kept N, skipped {...}"``.  Every hook is optional; a hook that skips a
file or a record counts it in ``ctx.report`` itself.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolzero.data.report import LoadReport
from toolzero.data.sources._files import find_files, read_records, resolve_path
from toolzero.data.sources._skip import Skip
from toolzero.schema import SchemaError, Task


@dataclass(frozen=True)
class Context:
    """What the hooks and ``build_row`` see: the load's root, report and options, and the file being read."""

    root: Path
    report: LoadReport
    options: Mapping[str, Any]
    file: Path  # the file being read (in ``setup`` and ``files``: the root)
    shared: Any = None  # what the spec's ``setup`` returned
    category: str = ""  # the spec's ``category`` of that file
    data: Any = None  # what the spec's ``per_file`` returned for that file


Build = Callable[[str, Any, Context], "Task | list[Task]"]
RowId = Callable[[str, Any, Context], str]


@dataclass(frozen=True)
class SourceSpec:
    """One source: where its data is, which files it reads and how a record becomes tasks."""

    name: str  # the source name (``load_source(name)``, ``Task.source``, the log prefix)
    folder: str  # its folder under the shared data folder
    build_row: Build  # (row id, row, context) -> task(s); raises Skip
    patterns: tuple[str, ...] = ("**/*.json", "**/*.jsonl")  # globs under the folder
    under: str = ""  # read <folder>/<under> instead of <folder> when that subfolder exists
    options: Mapping[str, Any] = field(default_factory=dict)  # the source's options and their defaults
    check: Callable[[Mapping[str, Any]], None] | None = None  # raises ValueError for bad options
    setup: Callable[[Context], Any] | None = None  # data shared by all files (a tool pool, API specs)
    files: Callable[[Context], list[Path]] | None = None  # the files to read, instead of ``patterns``
    per_file: Callable[[Context], Any] | None = None  # data of one file (its tools, its answers)
    prefix: Callable[[Path], str] | None = None  # record-id prefix of a file (default: its stem)
    category: Callable[[Path], str] | None = None  # the category of a file's tasks (default: "")
    read: Callable[[Path, LoadReport, str], list[tuple[str, Any]]] = read_records  # (path, report, prefix)
    row_id: RowId | None = None  # a record's id (default: ``<prefix>:<index>``)
    rows: Callable[[str, Any, Context], Iterable[tuple[str, Any]]] | None = None  # rows of one record

    def load(self, path: str | Path | None = None, report: LoadReport | None = None, **options: Any) -> list[Task]:
        """Tasks of every record under ``path`` (default: the shared data folder); skips are counted in ``report``."""
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            raise TypeError(f"source {self.name!r} has no option {unknown[0]!r}; its options: {sorted(self.options)}")
        opts = {**self.options, **options}
        if self.check is not None:
            self.check(opts)
        root = resolve_path(path, self.folder)
        report = report if report is not None else LoadReport()
        ctx = Context(root, report, opts, root)
        if self.setup is not None:
            ctx = dataclasses.replace(ctx, shared=self.setup(ctx))
        tasks: list[Task] = []
        if ctx.shared is not None or self.setup is None:
            for f in self._files(ctx):
                self._load_file(dataclasses.replace(ctx, file=f, category=self.category(f) if self.category else ""), tasks)
        logging.getLogger(f"{__package__}.{self.name}").info("%s: kept %d, skipped %s", self.name, report.kept,
                                                               dict(report.skipped))
        return tasks

    def _files(self, ctx: Context) -> list[Path]:
        if self.files is not None:
            return self.files(ctx)
        base = ctx.root / self.under if self.under and (ctx.root / self.under).is_dir() else ctx.root
        return find_files(base, self.patterns)

    def _load_file(self, ctx: Context, tasks: list[Task]) -> None:
        f = ctx.file
        if self.per_file is not None:
            ctx = dataclasses.replace(ctx, data=self.per_file(ctx))
            if ctx.data is None:
                return
        for rid, rec in self.read(f, ctx.report, self.prefix(f) if self.prefix else f.stem):
            if self.row_id is not None:
                rid = self.row_id(rid, rec, ctx)
            for row_id, row in self.rows(rid, rec, ctx) if self.rows is not None else ((rid, rec),):
                _convert(ctx.report, tasks, row_id, self.build_row, row, ctx)


def record_id(prefix: str = "") -> RowId:
    """A :attr:`SourceSpec.row_id`: ``<prefix><the record's "id">`` when the record has one."""
    def row_id(rid: str, rec: Any, ctx: Context) -> str:
        return f"{prefix}{rec['id']}" if isinstance(rec, dict) and "id" in rec else rid

    return row_id


def _convert(report: LoadReport, tasks: list[Task], rid: str, build: Build, row: Any, ctx: Context) -> None:
    """Run ``build`` for row ``rid``: append its task(s), or count why it was skipped."""
    try:
        out = build(rid, row, ctx)
    except Skip as e:
        report.skip(rid, e.reason)
        return
    except SchemaError as e:
        report.skip(rid, f"schema_error: {e}")
        return
    for task in (out if isinstance(out, list) else [out]):
        tasks.append(task)
        report.kept += 1
