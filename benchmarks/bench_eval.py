"""BFCL eval speed: float32 vs bf16 weights vs bf16 + compact tools, batched, then on 2 processes, on the same items.

    python benchmarks/bench_eval.py                          # bundled SmolLM2-135M, 64 simple_python items
    python benchmarks/bench_eval.py --items 16 --batch-size 16
    python benchmarks/bench_eval.py --one-at-a-time          # also the unbatched loop (slow)

Every mode uses the same model, items, greedy decoding and max new tokens, batched (prompts of about
one length together, left padding), each row stopped at </answer>.  Prints items/s, new tokens/s,
mean prompt tokens, how many completions equal the float32 ones (and, on several processes, the
one-process ones of the same mode), and peak resident memory (this process; the workers' largest apart);
``--out`` writes the figures as JSON.  Timings mean something only on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="smollm2")
    ap.add_argument("--category", default="simple_python")
    ap.add_argument("--items", type=int, default=64)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--max-new-tokens", type=int, default=128)
    ap.add_argument("--one-at-a-time", action="store_true", help="also time the unbatched float32 loop")
    ap.add_argument("--workers", type=int, default=2, help="processes of the last mode (toolzero eval --workers)")
    ap.add_argument("--out", default=None, help="write the figures to this JSON file")
    args = ap.parse_args()

    import resource

    import torch

    from toolzero.data.bfcl import load_bfcl
    from toolzero.eval.generate import HFGenerator
    from toolzero.eval.parallel import ParallelGenerator
    from toolzero.models import resolve_model
    from toolzero.prompt import PromptStyle
    from toolzero.train.callbacks import peak_rss_mb

    tasks = load_bfcl(args.category)[: args.items]
    compact = f"bf16 + compact tools, {args.workers} processes"
    modes = [("float32, batched", args.batch_size, False, "json", 1), ("bf16, batched", args.batch_size, True, "json", 1),
             ("bf16 + compact tools", args.batch_size, True, "compact", 1)]
    if args.workers > 1:
        modes.append((compact, args.batch_size, True, "compact", args.workers))
    if args.one_at_a_time:
        modes.insert(0, ("float32, one at a time", 1, False, "json", 1))
    results, reference, outputs = {}, None, {}
    for label, bs, bf16, tools, workers in modes:
        torch.manual_seed(0)
        kwargs = {"max_new_tokens": args.max_new_tokens, "batch_size": bs, "bf16": bf16}
        gen = (HFGenerator(resolve_model(args.model), **kwargs) if workers == 1
               else ParallelGenerator(resolve_model(args.model), workers=workers, **kwargs))
        style = PromptStyle(prefill="<think>", tools=tools)
        prompts = [style.render(t, gen.tokenizer) for t in tasks]
        prompt_tokens = sum(len(gen.tokenizer(p, add_special_tokens=False)["input_ids"]) for p in prompts) / len(prompts)
        t0 = time.perf_counter()
        outs = outputs[label] = gen.generate(prompts)
        wall = time.perf_counter() - t0
        if workers > 1:
            gen.close()
        if reference is None and label.startswith("float32, batched"):
            reference = outs
        same = sum(a == b for a, b in zip(outs, reference)) if reference is not None else None
        results[label] = {"items_per_s": round(len(tasks) / wall, 3), "new_tok_per_s": round(gen.stats.new_tokens / wall, 1),
                          "seconds": round(wall, 1), "mean_prompt_tokens": round(prompt_tokens, 1),
                          "same_as_float32": same, "processes": workers}
        if workers > 1:
            one = outputs["bf16 + compact tools"]
            results[label]["same_as_one_process"] = sum(a == b for a, b in zip(outs, one))
            results[label]["worker_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        print(f"{label:24} {len(tasks) / wall:6.2f} items/s  {gen.stats.new_tokens / wall:7.1f} new tokens/s  "
              f"prompt {prompt_tokens:5.0f} tokens  ({gen.stats.new_tokens} tokens in {wall:.1f} s)"
              + (f"  same as float32: {same}/{len(tasks)}" if same is not None else "")
              + (f"  same as 1 process: {results[label]['same_as_one_process']}/{len(tasks)}" if workers > 1 else ""))
    base = results["float32, batched"]["items_per_s"]
    for r in results.values():
        r["speedup_vs_float32_batched"] = round(r["items_per_s"] / base, 2)
    print("speed-up vs float32 batched: " + ", ".join(f"{k} {v['speedup_vs_float32_batched']}x" for k, v in results.items())
          + f"; peak RSS {peak_rss_mb():.0f} MB")
    if args.out:
        Path(args.out).write_text(json.dumps({"items": len(tasks), "batch_size": args.batch_size,
                                              "max_new_tokens": args.max_new_tokens, "modes": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
