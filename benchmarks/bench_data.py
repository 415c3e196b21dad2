"""Throughput of the data pipeline: synthetic generation, decontamination against BFCL, dedupe, transforms.

    python benchmarks/bench_data.py              # 20,000 synthetic records, best of 3
    python benchmarks/bench_data.py --n 50000 --repeat 1

Decontamination is timed against the user queries of every BFCL v4 single-turn category
(index build included).  Goal: 20k records generated in well under a minute, and
decontaminated in seconds.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from typing import Any

from toolzero.data.bfcl import CATEGORIES, load_bfcl
from toolzero.data.synthetic import function_names, generate
from toolzero.data.transforms import (
    QueryIndex,
    concat_dialogues,
    decontaminate,
    dedupe,
    drop_and_reintroduce,
    make_irrelevant,
    mask_names,
    mask_parameter,
    parse_filter,
    perturb_previous_call,
)


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def row(name: str, n: int, seconds: float, note: str = "") -> None:
    print(f"{name:<28} {n:>8,} records {seconds:>8.3f} s {n / seconds:>12,.0f} records/s  {note}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, n={args.n}, best of {args.repeat}")

    seconds, tasks = best_of(lambda: generate(args.n, args.seed), args.repeat)
    row("generate", args.n, seconds, f"({len(function_names())} functions)")

    evals = {c: load_bfcl(c, "v4") for c in CATEGORIES}
    n_eval = sum(len(v) for v in evals.values())
    seconds, (kept, hits) = best_of(lambda: decontaminate(tasks, evals), args.repeat)
    index = QueryIndex(evals)
    row("decontaminate (+ index)", args.n, seconds, f"vs {n_eval} BFCL v4 items ({len(index)} distinct queries): "
        f"{len(hits)} hits")

    seconds, kept = best_of(lambda: dedupe(tasks), args.repeat)
    row("dedupe", args.n, seconds, f"{args.n - len(kept)} duplicates")

    records = [t.to_json() for t in tasks]
    seconds, kept = best_of(lambda: parse_filter(records), args.repeat)
    row("parse_filter (from JSON)", args.n, seconds, f"{args.n - len(kept)} dropped")

    per_task: dict[str, Callable[[Any], Any]] = {
        "mask_names": lambda t: mask_names(t, 0), "make_irrelevant": make_irrelevant,
        "drop_and_reintroduce": lambda t: drop_and_reintroduce(t, 0), "mask_parameter": lambda t: mask_parameter(t, 0),
        "perturb_previous_call": lambda t: perturb_previous_call(t, 0),
    }
    for name, fn in per_task.items():
        seconds, _ = best_of(lambda fn=fn: [fn(t) for t in tasks], 1)
        row(name, args.n, seconds)
    seconds, out = best_of(lambda: concat_dialogues(tasks, 0, 2), 1)
    row("concat_dialogues", args.n, seconds, f"{len(out)} conversations")


if __name__ == "__main__":
    main()
