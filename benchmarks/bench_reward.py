"""Throughput of our matcher vs bfcl-eval's checker on the same pairs, and of the GG reward.

    python benchmarks/bench_reward.py            # all BFCL v4 single-turn Python items
    python benchmarks/bench_reward.py --repeat 5

Pairs are the agreement test's: each item's ground truth rendered as an answer plus its
perturbations.  "check only" times the matchers on already-decoded calls; "parse + check"
includes reading the answer text (ast for both).  Goal: ours >= 5x faster than bfcl-eval.
"""

from __future__ import annotations

import argparse
import platform
import time

from toolzero.calls.match import match_calls
from toolzero.calls.parse import CallSyntaxError, parse_call_list
from toolzero.calls.perturb import rendered_perturbations
from toolzero.data.bfcl import PYTHON_AST_CATEGORIES, load_bfcl
from toolzero.eval.official import BFCL_MODEL_NAME, official_decode
from toolzero.rewards import gg_reward
from toolzero.schema import ground_truth_to_json


def build_pairs():
    pairs = []
    for cat in PYTHON_AST_CATEGORIES:
        for task in load_bfcl(cat):
            tools = {t.name: t for t in task.tools}
            functions = [t.to_json() for t in task.tools]
            gt_json = ground_truth_to_json(task.ground_truth)
            for _, answer in rendered_perturbations(task):
                pairs.append((task, tools, functions, gt_json, answer))
    return pairs


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rewards", type=int, default=10_000)
    args = ap.parse_args()

    from bfcl_eval.constants.enums import Language
    from bfcl_eval.eval_checker.ast_eval.ast_checker import ast_checker

    pairs = build_pairs()
    ours_in, bfcl_in = [], []
    for task, tools, functions, gt_json, answer in pairs:
        try:
            calls = parse_call_list(answer)
        except CallSyntaxError:
            continue
        decoded = official_decode(answer)
        ours_in.append((calls, task.ground_truth, tools))
        bfcl_in.append((functions, decoded, gt_json, task.category))
    n = len(ours_in)

    def ours_check():
        for calls, gt, tools in ours_in:
            match_calls(calls, gt, tools)

    def bfcl_check():
        for functions, decoded, gt_json, cat in bfcl_in:
            ast_checker(functions, decoded, gt_json, Language.PYTHON, cat, BFCL_MODEL_NAME)

    def ours_full():
        for task, tools, _, _, answer in pairs:
            try:
                match_calls(parse_call_list(answer), task.ground_truth, tools)
            except CallSyntaxError:
                pass

    def bfcl_full():
        for task, _, functions, gt_json, answer in pairs:
            decoded = official_decode(answer)
            if decoded is not None:
                ast_checker(functions, decoded, gt_json, Language.PYTHON, task.category, BFCL_MODEL_NAME)

    print(f"python {platform.python_version()} on {platform.machine()}, {len(pairs)} pairs "
          f"({n} decodable), best of {args.repeat}")
    print(f"{'':16}{'ours items/s':>14}{'bfcl-eval items/s':>20}{'ratio':>8}")
    for label, mine, theirs, count in (("check only", ours_check, bfcl_check, n),
                                       ("parse + check", ours_full, bfcl_full, len(pairs))):
        a, b = best_of(mine, args.repeat), best_of(theirs, args.repeat)
        print(f"{label:16}{count / a:>14,.0f}{count / b:>20,.0f}{b / a:>7.2f}x")

    completions = [f"<think>checking the tools</think><answer>{p[4]}</answer>" for p in pairs]
    completions = (completions * (args.rewards // len(completions) + 1))[: args.rewards]
    items = (pairs * (args.rewards // len(pairs) + 1))[: args.rewards]

    def rewards():
        for (task, tools, *_), text in zip(items, completions):
            gg_reward(text, task.ground_truth, tools, step=20)

    t = best_of(rewards, args.repeat)
    print(f"GG reward: {args.rewards} completions in {t:.2f} s = {args.rewards / t:,.0f} rewards/s")


if __name__ == "__main__":
    main()
