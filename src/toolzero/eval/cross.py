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
from dataclasses import asdict
from pathlib import Path
from typing import Any

from toolzero.calls.match import match_calls
from toolzero.calls.render import render_calls
from toolzero.eval.bfcl_run import generate_and_score, read_calls
from toolzero.eval.hammer import HammerCounts, hammer_counts, hammer_scores
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
    """The items of one cross-benchmark (``path`` overrides the source's default folder)."""
    from toolzero.data.sources import load_source

    if name not in CROSS_BENCHMARKS:
        raise ValueError(f"unknown cross-benchmark {name!r}; known: {', '.join(CROSS_BENCHMARKS)}")
    source, category = CROSS_BENCHMARKS[name]
    tasks = load_source(source, path)
    return [t for t in tasks if category is None or t.category == category]


def score_cross(task: Task, completion: str, output_format: str = "gg") -> dict[str, Any]:
    """One item: parsed calls, Hammer counts and the strict verdict."""
    answer, calls, error = read_calls(completion, output_format)
    valid = False
    if calls is not None:
        res = match_calls(calls, task.ground_truth, task.tools)
        valid, error = res.valid, ("" if res.valid else f"{res.error.value}: {res.message}")
    return {"id": task.id, "source_category": task.category, "completion": completion, "answer": answer,
            "calls": render_calls(calls) if calls is not None else None, "valid": valid, "error": error,
            "hammer": asdict(hammer_counts(calls, task.ground_truth))}


def run_cross(
    generator: Any,
    benchmarks: Sequence[str],
    out_dir: str | Path,
    limit: int | None = None,
    chat: bool | None = None,
    paths: dict[str, str] | None = None,
    output_format: str = "gg",
    prefill: str = "",
) -> dict[str, Any]:
    """Generate and score the cross-benchmarks; writes results.jsonl, scores.json and scores.md."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tasks = {b: load_cross(b, (paths or {}).get(b))[:limit] for b in benchmarks}  # fail before generating
    done = generate_and_score(generator, tasks, out / "results.jsonl",
                              lambda t, text: score_cross(t, text, output_format), chat, output_format, prefill)
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

