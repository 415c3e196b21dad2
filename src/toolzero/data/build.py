"""Assemble a training set from named sources with a mix ratio (METHOD.md section 5).

A source is ``synthetic`` (the bundled generator), a registered converter name
(``toolzero.data.sources``), or a path to a ``.jsonl`` file of task records.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Sequence
from pathlib import Path

from toolzero.data.report import LoadReport
from toolzero.schema import SchemaError, Task

log = logging.getLogger(__name__)


def load_jsonl_tasks(path: str | Path, report: LoadReport | None = None) -> list[Task]:
    """Task records, one JSON object per line; bad lines are skipped and counted."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"task file {p} does not exist")
    report = report if report is not None else LoadReport()
    tasks = []
    with p.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                tasks.append(Task.from_json(json.loads(line)))
                report.kept += 1
            except json.JSONDecodeError as e:
                report.skip(f"{p.name}:{n}", f"bad_json: {e.msg}")
            except SchemaError as e:
                report.skip(f"{p.name}:{n}", f"schema_error: {e}")
    return tasks


def load_named_source(name: str, n: int, seed: int, report: LoadReport) -> list[Task]:
    """Load one source by name or path."""
    if name == "synthetic":
        from toolzero.data.synthetic import generate

        tasks = generate(n, seed)
        report.kept += len(tasks)
        return tasks
    if name.endswith(".jsonl") or Path(name).is_file():
        return load_jsonl_tasks(name, report)
    from toolzero.data.sources import load_source

    return load_source(name, report=report)


def mix_sources(pools: Sequence[list[Task]], weights: Sequence[float], total: int, seed: int) -> list[Task]:
    """Sample ``total`` records with the given weights (without replacement while a pool lasts)."""
    rng = random.Random(seed)
    wsum = sum(weights)
    if wsum <= 0:
        raise ValueError("mix weights must sum to > 0")
    out: list[Task] = []
    for pool, w in zip(pools, weights):
        want = round(total * w / wsum)
        shuffled = list(pool)
        rng.shuffle(shuffled)
        if want > len(shuffled):
            log.warning("a source has %d records, fewer than the %d its weight asks for; using all", len(shuffled), want)
        out.extend(shuffled[:want])
    rng.shuffle(out)
    return out
