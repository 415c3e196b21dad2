"""Forward+backward seconds and peak memory: TRL's per-rollout policy forward vs the shared-prefix one.

    python benchmarks/bench_prefix.py                     # SmolLM2-135M shapes, 2 prompts x G=8, ~480 + 96 tokens
    python benchmarks/bench_prefix.py --layers 6          # quicker, same widths

A random model with SmolLM2-135M's shapes (weights do not change the timing), patched as GRPOTrainer
patches it (fused LM head, log-probs and entropy).  Each (path, dtype) runs in its own process, so
its peak RSS is its own: the figure is the peak over the step minus the resident size before it.
Paths: ``plain+gc`` is TRL's default (its method, gradient checkpointing on), ``plain`` the same
without checkpointing, ``prefix`` toolzero.train.prefix.shared_prefix_logps (no checkpointing).
The last columns compare log-probs and one gradient with the ``plain`` run of the same dtype.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PATHS = ("plain+gc", "plain", "prefix")
DTYPES = ("float32", "bf16")


def build(layers: int):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    from trl.trainer.utils import add_fused_lm_head

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=49152, hidden_size=576, intermediate_size=1536, num_hidden_layers=layers,
                         num_attention_heads=9, num_key_value_heads=3, tie_word_embeddings=True,
                         max_position_embeddings=8192, pad_token_id=0)
    model = LlamaForCausalLM(config)
    add_fused_lm_head(model, temperature=0.8, outputs=("log_probs", "entropy"))
    return model.train()


def batch(prompts: int, group: int, prompt_len: int, completion_len: int, vocab: int):
    """Prompts of prompt_len, prompt_len - 10, ... tokens (left-padded), G rollouts each, full completions."""
    import torch

    g = torch.Generator().manual_seed(0)
    ids, mask = [], []
    for p in range(prompts):
        length = prompt_len - 10 * p
        prompt = torch.randint(1, vocab, (length,), generator=g)
        for _ in range(group):
            ids.append(torch.cat([torch.zeros(prompt_len - length, dtype=torch.long), prompt,
                                  torch.randint(1, vocab, (completion_len,), generator=g)]))
            mask.append(torch.cat([torch.zeros(prompt_len - length), torch.ones(length + completion_len)]).long())
    return torch.stack(ids), torch.stack(mask)


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def one(path: str, dtype: str, args, out: Path) -> dict:
    """One timed forward+backward in this process."""
    import contextlib
    from types import SimpleNamespace

    import torch
    from trl import GRPOTrainer

    from toolzero.train.prefix import shared_prefix_logps

    if args.threads:
        torch.set_num_threads(args.threads)
    model = build(args.layers)
    if path == "plain+gc":
        model.activation_checkpointing_enable({"use_reentrant": False})
    ids, mask = batch(args.prompts, args.group, args.prompt_len, args.completion_len, model.config.vocab_size)
    keep = args.completion_len
    trainer = SimpleNamespace(accelerator=SimpleNamespace(autocast=contextlib.nullcontext))
    trl_method = GRPOTrainer._get_per_token_logps_and_entropies.__wrapped__  # without TRL's profiling wrapper

    def step(ids, mask, keep):
        autocast = torch.autocast("cpu", torch.bfloat16) if dtype == "bf16" else contextlib.nullcontext()
        with autocast:
            if path == "prefix":
                logps, entropies = shared_prefix_logps(model, ids, mask, keep, compute_entropy=True)
            else:
                logps, entropies, _ = trl_method(trainer, model, ids, mask, keep, compute_entropy=True)
        advantages = torch.linspace(-1, 1, len(ids)).unsqueeze(1)
        completion_mask = mask[:, -keep:]
        loss = ((logps * advantages - 0.01 * entropies) * completion_mask).sum() / completion_mask.sum()
        loss.backward()
        return logps

    step(ids[:2, -40:], mask[:2, -40:], 8)  # warm-up on a few tokens
    for p in model.parameters():
        p.grad = torch.zeros_like(p)  # allocated before the baseline
    before = rss_mib()
    t0 = time.perf_counter()
    logps = step(ids, mask, keep)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    grad = model.model.layers[0].self_attn.q_proj.weight.grad
    torch.save({"logps": logps.detach().float(), "grad": grad.float()}, out)
    return {"path": path, "dtype": dtype, "seconds": seconds, "peak_mib": peak - before}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--layers", type=int, default=30)
    ap.add_argument("--prompts", type=int, default=2)
    ap.add_argument("--group", type=int, default=8, help="rollouts per prompt (G)")
    ap.add_argument("--prompt-len", type=int, default=480)
    ap.add_argument("--completion-len", type=int, default=96)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    ap.add_argument("--paths", default=",".join(PATHS))
    ap.add_argument("--dtypes", default=",".join(DTYPES))
    ap.add_argument("--one", nargs=3, metavar=("PATH", "DTYPE", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], args, Path(args.one[2]))))
        return

    import torch

    passthrough = [f"--layers={args.layers}", f"--prompts={args.prompts}", f"--group={args.group}",
                   f"--prompt-len={args.prompt_len}", f"--completion-len={args.completion_len}",
                   f"--threads={args.threads}"]
    print(f"SmolLM2-135M-shaped random Llama, {args.layers} layers; {args.prompts} prompts x G={args.group}, "
          f"prompt {args.prompt_len} (left-padded), completion {args.completion_len}; forward+backward of a GRPO loss")
    print(f"{'path':9} {'dtype':8} {'seconds':>8} {'speed-up':>9} {'peak MiB':>9} {'max|dlogp|':>11} {'grad rel':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for dtype in args.dtypes.split(","):
            rows = {}
            for path in args.paths.split(","):
                out = Path(tmp) / f"{path}-{dtype}.pt"
                res = subprocess.run([sys.executable, __file__, *passthrough, "--one", path, dtype, str(out)],
                                     capture_output=True, text=True)
                if res.returncode:
                    print(res.stderr[-2000:])
                    raise SystemExit(f"{path} {dtype} failed")
                rows[path] = json.loads(res.stdout.strip().splitlines()[-1])
                rows[path]["saved"] = torch.load(out)
            base = rows.get("plain+gc") or next(iter(rows.values()))
            ref = rows.get("plain")
            for path, r in rows.items():
                dlogp = grad_rel = float("nan")
                if ref is not None and r is not ref:
                    a, b = ref["saved"], r["saved"]
                    dlogp = (a["logps"] - b["logps"]).abs().max().item()
                    grad_rel = ((a["grad"] - b["grad"]).abs().max() / a["grad"].abs().max()).item()
                print(f"{path:9} {dtype:8} {r['seconds']:8.1f} {base['seconds'] / r['seconds']:8.2f}x "
                      f"{r['peak_mib']:9.0f} {dlogp:11.2e} {grad_rel:9.2e}", flush=True)
    print("speed-up: against plain+gc (TRL's default) of the same dtype; peak MiB: peak RSS during the step "
          "minus RSS before it (weights and gradient buffers excluded)")


if __name__ == "__main__":
    main()
