"""GRPO throughput on this CPU: today's path and each addition, same model, tasks, seed and batch.

    python benchmarks/bench_train.py                                   # SmolLM2-135M, G = 8 and 16
    python benchmarks/bench_train.py --models smollm2 gemma3-270m --gens 8 16 --steps 1
    python benchmarks/bench_train.py --models tiny-random --gens 4 --steps 1   # seconds, a check

Arms (cumulative, each one GRPO run of ``--steps`` steps on ``--prompts`` prompts x G rollouts):

1. ``today``: TRL's GRPOTrainer as the project ran it: float32, rollouts run to EOS or the limit.
2. ``+bf16``: bf16 autocast for the training pass and generation (float32 master weights).
3. ``+stop``: rollouts end at ``</answer>`` (as eval does).
4. ``+prefix-gen``: each distinct prompt prefilled once, its KV cache expanded to the G rollouts.
5. ``+prefix-train``: each distinct prompt encoded once in the training pass.
6. ``+compact``: the compact tools rendering (fewer prompt tokens).

Printed per arm: s/step, rollouts per hour, generated tokens/s, mean prompt and completion tokens,
the seconds in generation and in the rest of the step, the peak RSS during the arm, and the FLOP
floor of the training pass: 6 x params x (each prompt once per group + all completion tokens) at
this CPU's measured bf16 matmul rate.  Also the machine's decode ceiling: a bare batched decode
of the same batch and length under bf16 autocast.  Figures go to ``docs/results/bench_train.json``
(``--out``).  Timings mean something only when nothing else runs on the machine.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path

ARMS = ("today", "+bf16", "+stop", "+prefix-gen", "+prefix-train", "+compact")


def matmul_gflops(dtype: str = "bfloat16", n: int = 2048, seconds: float = 2.0) -> float:
    """Measured matmul rate (GFLOP/s) in ``dtype`` on this CPU."""
    import torch

    a, b = torch.randn(n, n, dtype=getattr(torch, dtype)), torch.randn(n, n, dtype=getattr(torch, dtype))
    torch.matmul(a, b)
    reps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        torch.matmul(a, b)
        reps += 1
    return 2 * n**3 * reps / (time.perf_counter() - t0) / 1e9


class PeakRSS:
    """Sample this process's resident memory (VmRSS) in a thread; ``peak_mb`` since ``start``."""

    def __init__(self, every: float = 0.1):
        self.every, self.peak_kb, self._stop = every, 0, threading.Event()

    @staticmethod
    def now_kb() -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def __enter__(self) -> PeakRSS:
        self.peak_kb = self.now_kb()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak_kb = max(self.peak_kb, self.now_kb())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


def trainer_class(arm: int):
    """TRL's own class for ``today``; ours, with the arm's additions, after it."""
    from trl import GRPOTrainer

    from toolzero.train.trainer import ToolZeroGRPOTrainer

    if arm == 0:
        return GRPOTrainer, {}
    return ToolZeroGRPOTrainer, {"stop_strings": ("</answer>",) if arm >= 2 else (), "shared_prefix": arm >= 3,
                                 "shared_prefix_train": arm >= 4}


def run_arm(model_path: Path, tasks: list, arm: int, args: argparse.Namespace, gens: int, out_dir: Path) -> dict:
    """One GRPO run of the arm; timings per step."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, PrinterCallback
    from trl import GRPOConfig

    from toolzero.prompt import PromptStyle
    from toolzero.train.grpo import make_dataset

    tok = AutoTokenizer.from_pretrained(model_path)
    tok.padding_side = "left"
    tok.pad_token = tok.pad_token or tok.eos_token
    style = PromptStyle(mode=args.prompt, prefill="<think>", tools="compact" if arm >= 5 else "json")
    dataset = make_dataset(tasks, tok, style)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=torch.float32)
    micro = args.micro_batch or args.prompts * gens  # rows per forward; the step keeps prompts x G rollouts
    if (args.prompts * gens) % micro:
        raise SystemExit(f"--micro-batch {micro} must divide the {args.prompts * gens} rollouts of a step")
    cfg = GRPOConfig(output_dir=str(out_dir), max_steps=args.steps, per_device_train_batch_size=micro,
                     gradient_accumulation_steps=args.prompts * gens // micro,
                     num_generations=gens, max_completion_length=args.max_completion, beta=0.0, learning_rate=1e-6,
                     logging_steps=1, save_strategy="no", report_to=[], use_cpu=True, seed=0, temperature=0.8,
                     bf16=arm >= 1, disable_tqdm=True)
    cls, extra = trainer_class(arm)
    reward = lambda prompts, completions, **kw: [float(len(c) % 7) / 7 for c in completions]  # noqa: E731
    trainer = cls(model=model, reward_funcs=[reward], args=cfg, train_dataset=dataset, processing_class=tok, **extra)
    trainer.remove_callback(PrinterCallback)  # the table below is the output
    gen_s = [0.0]
    inner = trainer._generate_single_turn

    def timed(*a, **kw):
        t0 = time.perf_counter()
        try:
            return inner(*a, **kw)
        finally:
            gen_s[0] += time.perf_counter() - t0

    trainer._generate_single_turn = timed
    with PeakRSS() as rss:
        t0 = time.perf_counter()
        trainer.train()
        wall = time.perf_counter() - t0
    logs = [h for h in trainer.state.log_history if "completions/mean_length" in h]
    steps = [h["step_time"] for h in logs if "step_time" in h] or [wall / args.steps]
    rollouts = args.prompts * gens
    completion = sum(h["completions/mean_length"] for h in logs) / len(logs)
    prompt_tokens = sum(len(tok(r["prompt"], add_special_tokens=False)["input_ids"]) for r in dataset) / len(dataset)
    step_s = sum(steps) / len(steps)
    return {"arm": ARMS[arm], "G": gens, "rollouts_per_step": rollouts, "s_per_step": round(step_s, 2),
            "rollouts_per_hour": round(rollouts * 3600 / step_s), "generate_s_per_step": round(gen_s[0] / args.steps, 2),
            "rest_s_per_step": round(step_s - gen_s[0] / args.steps, 2),
            "generated_tok_per_s": round(completion * rollouts / (gen_s[0] / args.steps), 1),
            "mean_prompt_tokens": round(prompt_tokens, 1), "mean_completion_tokens": round(completion, 1),
            "stop_ratio": round(sum(h.get("completions/stop_ratio", 0.0) for h in logs) / len(logs), 3),
            "peak_rss_mb": round(rss.peak_mb), "micro_batch": micro, "params": sum(p.numel() for p in model.parameters())}


def decode_ceiling(model_path: Path, batch: int, new_tokens: int) -> float:
    """Tokens/s of a bare batched decode: ``batch`` short prompts, exactly ``new_tokens`` each, bf16 autocast."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_path)
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=torch.float32).eval()
    ids = tok(["Hello"] * batch, return_tensors="pt")
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        model.generate(**ids, max_new_tokens=4, min_new_tokens=4, do_sample=False, pad_token_id=pad)  # warm up
        t0 = time.perf_counter()
        model.generate(**ids, max_new_tokens=new_tokens, min_new_tokens=new_tokens, do_sample=True, pad_token_id=pad)
    return batch * new_tokens / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=["smollm2"])
    ap.add_argument("--gens", nargs="+", type=int, default=[8, 16], help="rollouts per prompt (G)")
    ap.add_argument("--prompts", type=int, default=2, help="distinct prompts per step")
    ap.add_argument("--steps", type=int, default=1)
    ap.add_argument("--micro-batch", type=int, default=None,
                    help="rows per forward/backward (gradient accumulation makes up the step; default: all at once)")
    ap.add_argument("--max-completion", type=int, default=96)
    ap.add_argument("--arms", nargs="+", default=list(ARMS), choices=ARMS)
    ap.add_argument("--prompt", default="auto", choices=["auto", "chat", "plain"])
    ap.add_argument("--out", default="docs/results/bench_train.json")
    args = ap.parse_args()

    from toolzero.data.synthetic import generate
    from toolzero.models import resolve_model

    tasks = generate(64, seed=0)
    gflops = matmul_gflops()
    report: dict = {"bf16_matmul_gflops": round(gflops, 1), "max_completion": args.max_completion,
                    "prompts_per_step": args.prompts, "steps": args.steps, "runs": []}
    print(f"bf16 matmul: {gflops:.0f} GFLOP/s; {args.prompts} prompts x G per step, max {args.max_completion} new tokens")
    for name in args.models:
        path = resolve_model(name)
        for gens in args.gens:
            ceiling = decode_ceiling(path, args.prompts * gens, args.max_completion)
            print(f"\n{name}, G = {gens}: bare batched decode ceiling {ceiling:.0f} tok/s at batch {args.prompts * gens}")
            print(f"{'arm':14}{'s/step':>8}{'rollouts/h':>11}{'gen s':>7}{'rest s':>8}{'gen tok/s':>10}{'prompt':>8}"
                  f"{'compl':>7}{'stop':>6}{'RSS MB':>8}{'floor s':>8}")
            base = None
            for arm in (ARMS.index(a) for a in args.arms):
                with tempfile.TemporaryDirectory() as tmp:
                    r = run_arm(path, tasks, arm, args, gens, Path(tmp))
                tokens = args.prompts * r["mean_prompt_tokens"] + r["rollouts_per_step"] * r["mean_completion_tokens"]
                r["train_floor_s"] = round(6 * r["params"] * tokens / (gflops * 1e9), 2)
                r.update(model=name, decode_ceiling_tok_per_s=round(ceiling, 1))
                base = base or r
                r["speedup_vs_today"] = round(base["s_per_step"] / r["s_per_step"], 2)
                report["runs"].append(r)
                print(f"{r['arm']:14}{r['s_per_step']:>8.1f}{r['rollouts_per_hour']:>11}{r['generate_s_per_step']:>7.1f}"
                      f"{r['rest_s_per_step']:>8.1f}{r['generated_tok_per_s']:>10.1f}{r['mean_prompt_tokens']:>8.0f}"
                      f"{r['mean_completion_tokens']:>7.1f}{r['stop_ratio']:>6.2f}{r['peak_rss_mb']:>8}"
                      f"{r['train_floor_s']:>8.2f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
