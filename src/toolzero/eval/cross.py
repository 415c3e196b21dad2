"""Cross-benchmarks, Hammer protocol: API-Bank L1/L2, ToolAlpaca, Seal-Tools, Nexus (METHOD.md section 6).

API-Bank L1/L2, ToolAlpaca and Seal-Tools are read from Hammer's unified test files
(``hammer/data/test/original``: the exact items Hammer evaluates on), Nexus from NexusRaven's
files.  Every item is generated with our prompt and scored with tool-name F1 and parameter F1
(:mod:`toolzero.eval.hammer`), plus strict AST-match accuracy for reference.

    toolzero eval cross --model runs/cpu-default/final --benchmarks api_bank_l1 toolalpaca --limit 50
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from toolzero.calls.decode import decode
from toolzero.calls.formats import OutputFormat
from toolzero.calls.match import match_calls
from toolzero.calls.render import render_calls
from toolzero.data.cross import load_cross
from toolzero.eval.hammer import HammerCounts, hammer_counts, hammer_scores
from toolzero.eval.runner import Generator, ItemResult, run_items
from toolzero.prompt import DEFAULT_STYLE, PromptStyle
from toolzero.schema import Task


@dataclass
class CrossResult(ItemResult):
    """One cross-benchmark item: the eval record plus its source category and Hammer counts."""

    source_category: str | None = None
    hammer: dict[str, int] = field(default_factory=dict)


def score_cross(task: Task, completion: str, output_format: str | OutputFormat = "gg") -> CrossResult:
    """One item: parsed calls, Hammer counts and the strict verdict."""
    d = decode(completion, task, output_format)
    valid, error = False, d.error
    if d.typed is not None:
        res = match_calls(d.typed, task.ground_truth, task.tools)
        valid, error = res.valid, ("" if res.valid else f"{res.error.value}: {res.message}")
    return CrossResult(task.id, task.category or "", completion, d.answer,
                       render_calls(d.calls) if d.calls is not None else None, valid, error,
                       source_category=task.category, hammer=asdict(hammer_counts(d.calls, task.ground_truth)))


def run_cross(
    generator: Generator,
    benchmarks: Sequence[str],
    out_dir: str | Path,
    limit: int | None = None,
    style: PromptStyle = DEFAULT_STYLE,
    paths: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Generate and score the cross-benchmarks in ``style``; writes results.jsonl, scores.json and scores.md."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tasks = {b: load_cross(b, (paths or {}).get(b))[:limit] for b in benchmarks}  # fail before generating
    done = run_items(generator, tasks, lambda t, text: score_cross(t, text, style.format), style, out / "results.jsonl")
    cats: dict[str, Any] = {}
    for b, ts in tasks.items():
        recs = [done[f"{b}/{t.id}"] for t in ts if f"{b}/{t.id}" in done]
        counts = [HammerCounts(**r["hammer"]) for r in recs]
        cats[b] = {"n": len(recs), "accuracy": sum(r["valid"] for r in recs) / len(recs) if recs else None,
                   **hammer_scores(counts)}
    scores = {"benchmarks": cats}
    (out / "scores.json").write_text(json.dumps(scores, indent=2))
    lines = ["| benchmark | n | tool F1 | param F1 | strict accuracy |", "|---|---:|---:|---:|---:|"]
    for b, e in cats.items():
        acc = "-" if e["accuracy"] is None else f"{100 * e['accuracy']:.2f}"
        lines.append(f"| {b} | {e['n']} | {100 * e['F1_tool']:.2f} | {100 * e['F1_param']:.2f} | {acc} |")
    (out / "scores.md").write_text("\n".join(lines) + "\n")
    return scores

