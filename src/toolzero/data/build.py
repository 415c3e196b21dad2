"""Assemble a training set from named sources with a mix ratio (METHOD.md section 5).

A source is ``synthetic`` (the bundled generator), a registered converter name
(``toolzero.data.sources``), or a path to a ``.jsonl`` file of task records.
"""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolzero.data.report import LoadReport
from toolzero.schema import SchemaError, Task

if TYPE_CHECKING:
    from toolzero.data.curriculum import Curriculum
    from toolzero.data.transforms import QueryIndex

log = logging.getLogger(__name__)


def load_jsonl_tasks(path: str | Path, report: LoadReport | None = None) -> list[Task]:
    """Task records, one JSON object per line; bad lines (not JSON, not an object, not a task) are skipped and counted."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"task file {p} does not exist")
    report = report if report is not None else LoadReport()
    tasks = []
    with p.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            rid = f"{p.name}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                report.skip(rid, f"bad_json: {e.msg}")
                continue
            if not isinstance(rec, dict):  # valid JSON, but not a task record
                report.skip(rid, f"schema_error: expected a JSON object, got {type(rec).__name__}")
                continue
            try:
                tasks.append(Task.from_json(rec))
                report.kept += 1
            except SchemaError as e:
                report.skip(rid, f"schema_error: {e}")
    return tasks


def load_named_source(name: str, n: int, seed: int, report: LoadReport, curriculum: Curriculum | None = None) -> list[Task]:
    """Load one source by name or path; ``synthetic`` at the curriculum's levels, in its shares, when given."""
    if name == "synthetic":
        from toolzero.data.synthetic import generate

        if curriculum is None:
            tasks = generate(n, seed)
        else:
            tasks = [t for lv, k in zip(curriculum.levels, curriculum.counts(n)) for t in generate(k, seed, level=lv)]
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


# Transforms a build can apply, each to a fraction of the records (METHOD.md section 5).
AUGMENTATIONS = ("mask", "irrelevance", "concat", "drop_tool", "mask_param", "correction")


@dataclass
class BuildStats:
    """What a build loaded, dropped, transformed and wrote."""

    per_source: dict[str, LoadReport] = field(default_factory=dict)
    dropped: Counter[str] = field(default_factory=Counter)
    decontamination_hits: list[Any] = field(default_factory=list)
    augmented: Counter[str] = field(default_factory=Counter)


def augment(tasks: list[Task], fractions: dict[str, float], seed: int, stats: BuildStats) -> list[Task]:
    """Add transformed copies of a random ``fraction`` of the records for each augmentation."""
    from toolzero.data import transforms as tf

    rng = random.Random(seed)
    out = list(tasks)
    for name, frac in fractions.items():
        if name not in AUGMENTATIONS:
            raise ValueError(f"unknown augmentation {name!r}; known: {', '.join(AUGMENTATIONS)}")
        picked = [t for t in tasks if rng.random() < frac]
        new: list[Task] = []
        if name == "mask":
            new = [tf.mask_names(t, seed)[0] for t in picked]
        elif name == "irrelevance":
            new = [x for x in (tf.make_irrelevant(t) for t in picked) if x is not None]
        elif name == "concat":
            new = tf.concat_dialogues(picked, seed) if len(picked) > 1 else []
        elif name == "drop_tool":
            new = [x for t in picked for x in tf.drop_and_reintroduce(t, seed)]
        elif name == "mask_param":
            new = [x for t in picked for x in tf.mask_parameter(t, seed)]
        elif name == "correction":
            new = [x for x in (tf.perturb_previous_call(t, seed) for t in picked) if x is not None]
        stats.augmented[name] += len(new)
        out.extend(new)
    return out


def build_dataset(
    sources: Sequence[str],
    num_records: int,
    seed: int = 0,
    mix: Sequence[float] | None = None,
    augmentations: dict[str, float] | None = None,
    decontaminate: bool = True,
    curriculum: Curriculum | None = None,
) -> tuple[list[Task], BuildStats]:
    """Load, filter, mix, augment, de-duplicate and decontaminate a training set.

    With a ``curriculum`` the synthetic source is generated at its levels, in its shares (the
    order the trainer reads them in is :meth:`Curriculum.arrange`'s business)."""
    from toolzero.data import transforms as tf

    stats = BuildStats()
    pools = []
    for name in sources:  # every source is loaded before anything else, so a bad name fails fast
        report = LoadReport()
        pool = load_named_source(name, num_records, seed, report, curriculum)
        filter_report = LoadReport()  # parse_filter counts kept records again; keep only its drops
        filtered = tf.parse_filter(pool, filter_report)
        report.skipped.update(filter_report.skipped)
        report.kept -= sum(filter_report.skipped.values())
        stats.per_source[name] = report
        pools.append(filtered)
    tasks = mix_sources(pools, mix or [1.0] * len(pools), num_records, seed)
    tasks = augment(tasks, augmentations or {}, seed, stats)
    dedupe_report = LoadReport()
    tasks = tf.dedupe(tasks, dedupe_report)
    stats.dropped.update(dedupe_report.skipped)
    if decontaminate:
        tasks, hits = tf.decontaminate(tasks, decontamination_index(), LoadReport())
        stats.decontamination_hits = hits
        stats.dropped["contaminated"] += len(hits)
    return tasks, stats


@cache
def decontamination_index() -> QueryIndex:
    """The user queries of every BFCL v4 single-turn category and cross-benchmark, indexed once per process.

    A build decontaminates against it; later builds in the same process reuse it (the evaluation
    data is read once; a change to it on disk is seen by the next process).
    """
    from toolzero.data.bfcl import CATEGORIES, load_bfcl
    from toolzero.data.transforms import QueryIndex

    eval_sets: dict[str, list[Task]] = {f"bfcl_v4/{c}": load_bfcl(c, report=LoadReport()) for c in CATEGORIES}
    eval_sets.update(cross_eval_sets())
    return QueryIndex(eval_sets)


def cross_eval_sets() -> dict[str, list[Task]]:
    """The cross-benchmark test items (when ../shared/data is present), for decontamination."""
    try:
        from toolzero.data.cross import CROSS_BENCHMARKS, load_cross

        return {f"cross/{b}": load_cross(b) for b in CROSS_BENCHMARKS}
    except FileNotFoundError as e:
        log.warning("cross-benchmark data not found (%s); decontaminating against BFCL only", e)
        return {}


def stats_table(tasks: list[Task], stats: BuildStats, tokens: Callable[[Task], int]) -> str:
    """Records per source and shape, drops per reason, tokens per record (markdown)."""
    by = Counter((t.source, t.category or "-") for t in tasks)
    lines = ["| source | shape | records |", "|---|---|---:|"]
    lines += [f"| {s} | {c} | {n} |" for (s, c), n in sorted(by.items())]
    lines += ["", "| source | loaded | dropped (reason: count) |", "|---|---:|---|"]
    for name, rep in stats.per_source.items():
        lines.append(f"| {name} | {rep.kept} | {', '.join(f'{k}: {v}' for k, v in rep.skipped.most_common()) or '-'} |")
    if stats.dropped:
        lines.append(f"| (after mixing) | | {', '.join(f'{k}: {v}' for k, v in stats.dropped.most_common())} |")
    if stats.augmented:
        lines += ["", "augmentations added: " + ", ".join(f"{k}: {v}" for k, v in stats.augmented.items())]
    counts = sorted(tokens(t) for t in tasks)
    if counts:
        mean = sum(counts) / len(counts)
        lines += ["", f"tokens per record (prompt + reference answer): mean {mean:.0f}, median {counts[len(counts) // 2]}, "
                      f"max {counts[-1]}", f"total records: {len(tasks)}"]
    return "\n".join(lines) + "\n"
