"""Batched generation vs a one-item-at-a-time loop on the same BFCL items (goal: >= 4x items/s).

    python benchmarks/bench_eval.py                          # bundled SmolLM2-135M, 64 simple_python items
    python benchmarks/bench_eval.py --items 16 --batch-size 16

Both modes use the same model, prompts, greedy decoding and max new tokens; the batched one
pads on the left and stops each row at </answer>.  Also prints peak resident memory.
"""

from __future__ import annotations

import argparse
import resource
import time


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="smollm2")
    ap.add_argument("--category", default="simple_python")
    ap.add_argument("--items", type=int, default=64)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--max-new-tokens", type=int, default=128)
    args = ap.parse_args()

    import torch

    from toolzero.data.bfcl import load_bfcl
    from toolzero.eval.generate import HFGenerator
    from toolzero.models import resolve_model
    from toolzero.prompt import render_prompt

    torch.manual_seed(0)
    tasks = load_bfcl(args.category)[: args.items]
    results = {}
    for label, bs in (("one at a time", 1), (f"batched ({args.batch_size})", args.batch_size)):
        gen = HFGenerator(resolve_model(args.model), max_new_tokens=args.max_new_tokens, batch_size=bs)
        prompts = [render_prompt(t, gen.tokenizer) for t in tasks]
        t0 = time.perf_counter()
        outs = gen.generate(prompts)
        wall = time.perf_counter() - t0
        results[label] = (wall, gen.stats.new_tokens, outs)
        print(f"{label:16} {len(tasks) / wall:6.2f} items/s  {gen.stats.new_tokens / wall:7.1f} new tokens/s  "
              f"({gen.stats.new_tokens} tokens in {wall:.1f} s)")
    (w1, _, o1), (wb, _, ob) = results.values()
    same = sum(a == b for a, b in zip(o1, ob))
    print(f"speed-up: {w1 / wb:.2f}x items/s; identical completions: {same}/{len(tasks)} "
          "(padding can change float rounding); peak RSS: {:.0f} MB".format(peak_rss_mb()))


if __name__ == "__main__":
    main()
