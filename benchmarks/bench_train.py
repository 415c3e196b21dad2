"""Seconds per GRPO step with our reward adapter vs a bare TRL GRPOTrainer with a trivial reward.

    python benchmarks/bench_train.py                       # bundled SmolLM2-135M, 3 steps each
    python benchmarks/bench_train.py --model tiny-random --steps 5

Same model, data, batch and seed for both runs.  Prints step time, generated tokens/s, the
share of the step spent in our reward (goal: overhead <= 5%), and the step time against the
6 * params * tokens FLOP count at this CPU's measured float32 matmul rate.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path


def matmul_gflops(n: int = 1024, reps: int = 20) -> float:
    import torch

    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.matmul(a, b)
    t0 = time.perf_counter()
    for _ in range(reps):
        torch.matmul(a, b)
    return 2 * n**3 * reps / (time.perf_counter() - t0) / 1e9


class Timed:
    """Wrap a reward callable and accumulate the seconds spent in it."""

    def __init__(self, fn):
        self.fn, self.seconds, self.__name__ = fn, 0.0, getattr(fn, "__name__", "reward")

    def __call__(self, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - t0


def trivial_reward(prompts, completions, **kwargs):
    return [float(len(c) % 7) / 7 for c in completions]  # varies, so advantages are not all zero


def run(model_path, tasks, reward, args, out_dir) -> dict:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig, GRPOTrainer

    from toolzero.train.grpo import make_dataset

    tok = AutoTokenizer.from_pretrained(model_path)
    tok.padding_side = "left"
    tok.pad_token = tok.pad_token or tok.eos_token
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=torch.float32)
    ds = make_dataset(tasks, tok, "auto")
    cfg = GRPOConfig(output_dir=str(out_dir), max_steps=args.steps, per_device_train_batch_size=args.batch,
                     num_generations=args.gens, max_completion_length=args.max_completion, beta=0.0, learning_rate=1e-6,
                     logging_steps=1, save_strategy="no", report_to=[], use_cpu=True, seed=0, temperature=0.8)
    timed = Timed(reward)
    trainer = GRPOTrainer(model=model, reward_funcs=[timed], args=cfg, train_dataset=ds, processing_class=tok)
    t0 = time.perf_counter()
    trainer.train()
    wall = time.perf_counter() - t0
    logs = [h for h in trainer.state.log_history if "step_time" in h]
    steps = [h["step_time"] for h in logs]
    gen_tokens = sum(h["completions/mean_length"] * args.batch for h in logs)
    return {"params": sum(p.numel() for p in model.parameters()), "step_s": sum(steps) / len(steps), "wall_s": wall,
            "reward_s": timed.seconds, "gen_tokens": gen_tokens, "num_tokens": logs[-1].get("num_tokens", 0)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="smollm2")
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--batch", type=int, default=8, help="completions per step")
    ap.add_argument("--gens", type=int, default=4, help="rollouts per prompt")
    ap.add_argument("--max-completion", type=int, default=64)
    ap.add_argument("--tasks", default=None, help=".jsonl of tasks (default: synthetic)")
    args = ap.parse_args()

    from toolzero.data.build import load_jsonl_tasks
    from toolzero.models import resolve_model
    from toolzero.rewards import RewardConfig
    from toolzero.train.adapter import TRLReward

    if args.tasks:
        tasks = load_jsonl_tasks(args.tasks)
    else:
        from toolzero.data.synthetic import generate

        tasks = generate(64, seed=0)
    model_path = resolve_model(args.model)
    gflops = matmul_gflops()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["bare TRL, trivial reward"] = run(model_path, tasks, trivial_reward, args, Path(tmp) / "a")
        results["toolzero GG reward"] = run(model_path, tasks, TRLReward(RewardConfig(), args.steps), args, Path(tmp) / "b")
    print(f"model {args.model}, {args.steps} steps x {args.batch} completions ({args.gens} per prompt), "
          f"max {args.max_completion} new tokens; float32 matmul: {gflops:.1f} GFLOP/s")
    print(f"{'':28}{'s/step':>8}{'gen tok/s':>11}{'reward s/step':>15}{'reward share':>14}{'6ND/rate s':>12}")
    for name, r in results.items():
        per_step_tokens = r["num_tokens"] / args.steps
        ideal = 6 * r["params"] * per_step_tokens / (gflops * 1e9)
        print(f"{name:28}{r['step_s']:>8.2f}{r['gen_tokens'] / (r['step_s'] * args.steps):>11.1f}"
              f"{r['reward_s'] / args.steps:>15.4f}{r['reward_s'] / (r['step_s'] * args.steps):>13.2%}{ideal:>12.2f}")
    a, b = results["bare TRL, trivial reward"], results["toolzero GG reward"]
    print(f"step-time overhead of our adapter vs bare TRL: {b['step_s'] / a['step_s'] - 1:+.1%} "
          f"(sampling differs after step 1; the reward share is the direct measure)")
    print(json.dumps({k: {kk: round(vv, 4) for kk, vv in v.items()} for k, v in results.items()}))


if __name__ == "__main__":
    main()
