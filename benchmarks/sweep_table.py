"""Training-side figures of short GRPO runs (a settings sweep), as a table and as JSON.

    python benchmarks/sweep_table.py runs/sweep/* --out docs/results/cold_start_sweep.json [--append]

``--append`` keeps the runs already in ``--out`` (run folders do not outlive a session; their
figures do) and replaces those summarised again.

Per run: its varied settings (read from its recipe.yaml), and per step the reward, the share of
rollouts in the answer format, exact matches (where logged), r_strict, r_general, the share of groups with reward spread and
the completion length; plus every probe (held-out synthetic tasks).  These are the only figures a
setting is chosen on (never BFCL or the cross-benchmarks).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

STEP_KEYS = {"reward": "reward", "format": "reward/format_ok", "r_strict": "reward/strict", "exact": "reward/match",
             "general": "reward/general", "length": "completions/mean_length", "step_s": "step_time"}
SETTINGS = (("model", "name"), ("model", "examples"), ("model", "tools"), ("data", "curriculum"),
            ("trainer", "learning_rate"), ("trainer", "temperature"), ("trainer", "num_generations"),
            ("reward", "kind"), ("model", "lora"))


def summarize(run: Path) -> dict:
    recipe = yaml.safe_load((run / "recipe.yaml").read_text())
    steps, probes = [], []
    for line in (run / "metrics.jsonl").read_text().splitlines():
        row = json.loads(line)
        if "reward" in row:
            s = {k: round(row[v], 3) for k, v in STEP_KEYS.items() if v in row}
            s["spread"] = round(1 - row.get("frac_reward_zero_std", 1.0), 3)
            steps.append({"step": row["step"], **s})
        elif "probe/strict_accuracy" in row:
            probes.append({"step": row["step"], "strict": row["probe/strict_accuracy"], "format": row["probe/format_rate"]})
    settings = {f"{sec}.{key}": recipe.get(sec, {}).get(key) for sec, key in SETTINGS}
    return {"run": run.name, "settings": settings, "steps": steps, "probes": probes,
            "probe_size": recipe.get("run", {}).get("probe_size"), "probe_level": recipe.get("run", {}).get("probe_level")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--append", action="store_true", help="keep the runs already in --out")
    args = ap.parse_args()
    runs = [summarize(r) for r in args.runs if (r / "metrics.jsonl").is_file()]
    if args.append and args.out and args.out.is_file():
        new = {r["run"] for r in runs}
        runs = [r for r in json.loads(args.out.read_text()) if r["run"] not in new] + runs
    for r in runs:
        print(f"\n{r['run']}: " + ", ".join(f"{k}={v}" for k, v in r["settings"].items() if v not in (None, False, "")))
        print("step  reward  format  exact  r_strict  r_general  spread  length")
        for s in r["steps"]:
            exact = f"{s['exact']:>5.0%}" if "exact" in s else "    -"
            print(f"{s['step']:>4}  {s['reward']:+.3f}  {s['format']:>6.0%}  {exact}  {s['r_strict']:+8.3f}"
                  f"  {s['general']:+9.3f}  {s['spread']:>6.0%}  {s.get('length', 0):>6.0f}")
        for p in r["probes"]:
            print(f"probe at step {p['step']}: strict {p['strict']:.0%}, format {p['format']:.0%} (n = {r['probe_size']},"
                  f" level {r['probe_level']})")
    if args.out:
        args.out.write_text(json.dumps(runs, indent=2) + "\n")
        print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
