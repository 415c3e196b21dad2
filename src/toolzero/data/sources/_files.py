"""Where a source's data lives, which files it reads, and the records in a JSON or JSON Lines file."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolzero.data.report import LoadReport

SHARED_DATA_ENV = "TOOLZERO_SHARED_DATA"


def shared_data_dir() -> Path:
    """``$TOOLZERO_SHARED_DATA``, else ``<checkout>/../shared/data`` (``/work/shared/data`` here)."""
    env = os.environ.get(SHARED_DATA_ENV)
    if env:
        return Path(env)
    # parents: sources, data, toolzero, src, <checkout>, <checkout's parent>
    return Path(__file__).resolve().parents[5] / "shared" / "data"


def resolve_path(path: str | Path | None, folder: str) -> Path:
    """The explicit ``path``, else the shared data folder ``folder``; it must exist."""
    p = Path(path) if path is not None else shared_data_dir() / folder
    if not p.exists():
        raise FileNotFoundError(f"source data not found: {p} does not exist (pass path= or set ${SHARED_DATA_ENV})")
    return p


def find_files(root: Path, patterns: Sequence[str]) -> list[Path]:
    """``root`` itself when it is a file, else the files under it matching any glob pattern."""
    if root.is_file():
        return [root]
    found = {p for pat in patterns for p in root.glob(pat) if p.is_file()}
    return sorted(found)


def read_records(path: Path, report: LoadReport, prefix: str | None = None) -> list[tuple[str, Any]]:
    """``(record_id, record)`` pairs of a JSON array or JSON Lines file.

    Ids are ``<prefix>:<index>`` (``prefix`` defaults to the file's stem; the index is the
    line number for JSON Lines).  A JSON Lines line that does not parse is counted as
    ``bad_json`` under its id; a file that is neither format is counted once as ``bad_file``.
    """
    stem = prefix if prefix is not None else path.stem
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
        lines = text.splitlines()
        if len(lines) <= 1:
            report.skip(stem, "bad_file: neither JSON nor JSON Lines")
            return []
    if data is not None:
        if isinstance(data, list):
            return [(f"{stem}:{i}", rec) for i, rec in enumerate(data)]
        return [(f"{stem}:0", data)]
    out = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            out.append((f"{stem}:{i}", json.loads(line)))
        except json.JSONDecodeError as e:
            report.skip(f"{stem}:{i}", f"bad_json: line {i + 1}: {e.msg}")
    return out
