"""``toolzero report RUN [RUN ...]``: what happened in training and evaluation runs.

Writes ``report.md`` plus PNG plots into the output folder:

* reward components and sigma(t) over steps (from ``metrics.jsonl``);
* completion length and format-success rate over steps;
* a reward-hacking check: a run is flagged when its format reward or completion length rises
  while strict accuracy on the held-out probe set (``run.probe_every``) does not;
* a learning-signal check: a GRPO run is flagged when in most steps every group of rollouts got
  the same reward (zero advantage, so no update), and how far training moved the weights
  (``final/`` against the start model, when both are on disk);
* per-category eval tables and a bar chart comparing runs (from ``scores.json`` or
  ``eval/scores.json``);
* cross-benchmark tables and a bar chart, tool-name and parameter F1 (from ``cross/scores.json``,
  or a ``toolzero eval cross`` folder's ``scores.json``);
* a warning listing the recipe keys that differ between runs.

A missing or half-written run folder is reported (which file is missing) and the rest is
still reported.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from toolzero.data.synthetic import task_level, tasks_by_id
from toolzero.eval.compare import bar_chart, comparison_table, load_verdicts, paired_rows, paired_table

log = logging.getLogger(__name__)

COMPONENTS = ("total", "format", "general", "strict", "tool", "bonus", "penalty")
# Reward-hacking check (our choice, documented in docs/results.md): compare the mean over the
# first and last WINDOW of logged steps.
WINDOW = 0.2
FORMAT_RISE = 0.10  # format-success rate up by more than this ...
LENGTH_RISE = 0.20  # ... or mean completion length up by more than 20% ...
PROBE_RISE = 0.02  # ... while probe strict accuracy rises by no more than this: flagged
GENERAL_RISE = 0.10  # the flag says whether r_general rose by more than this (the calls' content improving)
AST_CATEGORIES = ("simple_python", "multiple", "parallel", "parallel_multiple", "live_simple")  # the summary's mean
NO_SIGNAL = 0.5  # learning-signal check: flagged when more than half the steps had no reward spread at all
IGNORED_KEYS = ("run.output_dir", "run.init_from", "run.resume")


@dataclass
class RunData:
    """Everything a report needs from one run folder."""

    name: str
    path: Path
    metrics: list[dict[str, Any]] = field(default_factory=list)
    recipe: dict[str, Any] | None = None
    scores: dict[str, Any] | None = None
    cross: dict[str, Any] | None = None
    verdicts: dict[str, tuple[str, bool]] = field(default_factory=dict)  # item id -> (category, correct)
    rollouts: list[dict[str, Any]] = field(default_factory=list)  # rollouts.jsonl(.gz): one scored completion a row
    eval_dir: Path | None = None  # the folder of scores.json and results.jsonl
    problems: list[str] = field(default_factory=list)

    def series(self, key: str) -> tuple[list[int], list[float]]:
        rows = [m for m in self.metrics if key in m]
        return [m["step"] for m in rows], [m[key] for m in rows]


def load_run(path: str | Path) -> RunData:
    """Read a training or eval run folder; never raises for a missing file, records it instead."""
    p = Path(path)
    run = RunData(name=p.name, path=p)
    if not p.is_dir():
        run.problems.append(f"{p} does not exist")
        return run
    metrics = p / "metrics.jsonl"
    if metrics.is_file():
        for n, line in enumerate(metrics.read_text().splitlines(), 1):
            try:
                run.metrics.append(json.loads(line))
            except json.JSONDecodeError:
                run.problems.append(f"{metrics}:{n} is not valid JSON (half-written?); skipped")
    for name in ("rollouts.jsonl", "rollouts.jsonl.gz"):
        if (p / name).is_file():
            run.rollouts = _read_rollouts(p / name, run.problems)
            break
    recipe = p / "recipe.yaml"
    if recipe.is_file():
        run.recipe = yaml.safe_load(recipe.read_text())
    for candidate in (p / "scores.json", p / "eval" / "scores.json", p / "cross" / "scores.json"):
        if candidate.is_file():
            try:
                loaded = json.loads(candidate.read_text())
            except json.JSONDecodeError:
                run.problems.append(f"{candidate} is not valid JSON")
                continue
            if "benchmarks" in loaded:  # toolzero eval cross
                run.cross = run.cross or loaded
            elif run.scores is None:
                run.scores = loaded
                run.eval_dir = candidate.parent
                run.verdicts = load_verdicts(candidate.parent)
    if run.recipe is not None or run.metrics:
        for needed, what in ((metrics, "training metrics"), (recipe, "the resolved recipe")):
            if not needed.is_file():
                run.problems.append(f"{needed} is missing: no {what}")
        if run.scores is None:
            run.problems.append(f"{p / 'eval' / 'scores.json'} is missing: no evaluation of this run")
    elif run.scores is None and run.cross is None:
        run.problems.append(f"{p} has neither metrics.jsonl nor scores.json: not a run folder")
    return run


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        out.update(_flatten(v, key + ".") if isinstance(v, dict) else {key: v})
    return out


def differing_settings(runs: list[RunData]) -> dict[str, list[Any]]:
    """Recipe keys whose values differ between runs (the run folder itself excluded)."""
    flat = [_flatten(r.recipe) for r in runs if r.recipe is not None]
    if len(flat) < 2:
        return {}
    keys = sorted({k for f in flat for k in f} - set(IGNORED_KEYS))
    return {k: [f.get(k) for f in flat] for k in keys if len({json.dumps(f.get(k), sort_keys=True) for f in flat}) > 1}


def _window_means(values: list[float]) -> tuple[float, float] | None:
    if len(values) < 2:
        return None
    k = max(1, int(len(values) * WINDOW))
    return sum(values[:k]) / k, sum(values[-k:]) / k


def hacking_check(run: RunData) -> str:
    """"" when fine, else a one-line warning (or why the check cannot be made)."""
    _, fmt = run.series("reward/format")
    _, length = run.series("completions/mean_length")
    _, probe = run.series("probe/strict_accuracy")
    f, ln = _window_means(fmt), _window_means(length)
    if not fmt and not length and run.series("loss")[0]:
        return "not applicable: no rewards were logged (SFT)"
    if f is None and ln is None:
        return "cannot check: fewer than 2 logged steps"
    rising = []
    if f and f[1] - f[0] > FORMAT_RISE:
        rising.append(f"format rate {f[0]:.2f} -> {f[1]:.2f}")
    if ln and ln[0] > 0 and ln[1] / ln[0] - 1 > LENGTH_RISE:
        rising.append(f"completion length {ln[0]:.0f} -> {ln[1]:.0f} tokens")
    if not rising:
        return ""
    if len(probe) < 2:
        return f"cannot check: {', '.join(rising)} but no probe accuracy was logged (set run.probe_every)"
    if probe[-1] - probe[0] <= PROBE_RISE:
        g = _window_means(run.series("reward/general")[1])
        content = "" if g is None else (f"; the training r_general {g[0]:+.2f} -> {g[1]:+.2f}: the calls' content "
                                        + ("improves too" if g[1] - g[0] > GENERAL_RISE else "does not improve"))
        return (f"POSSIBLE REWARD HACKING: {', '.join(rising)} while probe strict accuracy {probe[0]:.2f} -> "
                f"{probe[-1]:.2f}{content}")
    return ""


def _without_spread(group: list[dict[str, Any]]) -> bool:
    """A group of rollouts (one task, one step) whose rewards, as logged, are all equal: no advantage."""
    return len({round(r.get("total", 0.0), 6) for r in group}) == 1


def _rollout_groups(rollouts: list[dict[str, Any]]) -> dict[tuple[int, str], list[dict[str, Any]]]:
    """Scored rollouts grouped by (step, task): one GRPO group each."""
    groups: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rollouts:
        if "step" in r:
            groups[(r["step"], str(r.get("task", "")))].append(r)
    return groups


def zero_spread_series(run: RunData) -> list[float]:
    """Per step, the share of rollout groups whose rewards were all equal.

    From the scored rollouts when the run kept them (exact), else TRL's ``frac_reward_zero_std``, which
    before our trainer's correction missed groups of equal non-round rewards (float32 std ~1e-7 > its atol).
    """
    if run.rollouts:
        per_step: dict[int, list[bool]] = defaultdict(list)
        for (step, _), g in _rollout_groups(run.rollouts).items():
            per_step[step].append(_without_spread(g))
        return [sum(v) / len(v) for _, v in sorted(per_step.items())]
    return run.series("frac_reward_zero_std")[1]


def signal_check(run: RunData) -> str:
    """How much of a GRPO run had a learning signal, per step (:func:`zero_spread_series`).

    "" for runs without that figure (SFT, eval folders); otherwise a line starting with "ok",
    "WEAK SIGNAL" or "NO LEARNING SIGNAL".
    """
    frac = zero_spread_series(run)
    if not frac:
        return ""
    n, dead = len(frac), sum(f >= 1.0 for f in frac)
    _, grad = run.series("grad_norm")
    mean = sum(frac) / n
    detail = f"{mean:.0%} of rollout groups had zero reward spread (mean over {n} steps)"
    if dead == n:
        zero_grad = ", and the gradient norm was 0 in every step" if grad and all(g == 0 for g in grad) else ""
        return (f"NO LEARNING SIGNAL: in all {n} steps every group's rollouts got the same reward, so every "
                f"advantage was 0{zero_grad}")
    if dead / n > NO_SIGNAL:
        return f"WEAK SIGNAL: in {dead} of {n} steps every group's rollouts got the same reward; {detail}"
    return f"ok: {detail}"


def start_model_dir(run: RunData) -> Path | None:
    """The local folder a training run started from (``run.init_from`` or a bundled model's cache), if on disk."""
    from toolzero.models import local_model_dir

    recipe = run.recipe or {}
    name = recipe.get("run", {}).get("init_from") or recipe.get("model", {}).get("name")
    if not name:
        return None
    path = local_model_dir(name)
    return path if path.is_dir() and any(path.glob("*.safetensors")) else None


def weight_change(start: Path, final: Path) -> dict[str, float] | None:
    """How far training moved the weights: ||W - W0|| / ||W0|| over every tensor both folders hold.

    None when either folder has no safetensors or they share no tensor (e.g. a LoRA adapter).
    """
    from contextlib import ExitStack

    from safetensors import safe_open

    with ExitStack() as stack:
        def index(folder: Path) -> dict[str, Any]:
            """Tensor name -> the opened (memory-mapped) file holding it; each file is opened once."""
            out: dict[str, Any] = {}
            for f in sorted(folder.glob("*.safetensors")):
                handle = stack.enter_context(safe_open(f, framework="pt"))
                out.update({k: handle for k in handle.keys()})
            return out

        a, b = index(start), index(final)
        keys = sorted(set(a) & set(b))
        if not keys:
            return None
        diff2 = base2 = max_abs = 0.0
        changed = 0
        for k in keys:
            w0, w1 = a[k].get_tensor(k).double(), b[k].get_tensor(k).double()
            if w0.shape != w1.shape:
                return None
            d = w1 - w0
            diff2 += float((d * d).sum())
            base2 += float((w0 * w0).sum())
            m = float(d.abs().max()) if d.numel() else 0.0
            max_abs = max(max_abs, m)
            changed += m > 0
    return {"relative_l2": (diff2 / base2) ** 0.5 if base2 else 0.0, "max_abs": max_abs,
            "changed_tensors": changed, "tensors": len(keys)}


def _weights_cell(run: RunData) -> str:
    start, final = start_model_dir(run), run.path / "final"
    if start is None or not any(final.glob("*.safetensors")):
        return "-"
    change = weight_change(start, final)
    if change is None:
        return "-"
    if change["changed_tensors"] == 0:
        return "identical to start"
    return f"{change['relative_l2']:.2e} ({change['changed_tensors']}/{change['tensors']} tensors)"


def _plot_series(runs: list[RunData], panels: list[tuple[str, str]], out: Path, title: str) -> Path | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [(k, label) for k, label in panels if any(r.series(k)[0] for r in runs)]
    if not panels:
        return None
    cols = min(3, len(panels))
    rows = (len(panels) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False)
    for ax, (key, label) in zip(axes.flat, panels):
        for r in runs:
            xs, ys = r.series(key)
            if xs:
                ax.plot(xs, ys, marker="." if len(xs) < 30 else None, label=r.name)
        ax.set_title(label, fontsize=9)
        ax.set_xlabel("step", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def _train_summary(run: RunData) -> str:
    fig = _training_figures(run) or {}  # train_runs only: never None here
    steps, runtime = fig.get("steps", 0), fig.get("wall_clock_s")
    step_times = run.series("step_time")[1]
    wall = f"{runtime / 60:.1f} min" if runtime is not None else "-"
    if not step_times and runtime is not None and steps:
        step_times = [runtime / steps]
    st = f"{sum(step_times) / len(step_times):.1f}" if step_times else "-"
    if "last_reward" in fig:  # a GRPO run
        fmt = fig["last_format_rate"]
        end = f"{fig['last_reward']:.3f} | {fmt if fmt is not None else float('nan'):.2f}"
    else:
        last = next((m for m in reversed(run.metrics) if "loss" in m), {})
        end = f"loss {last.get('loss', float('nan')):.3f} | -"
    return (f"| {run.name} | {fig.get('method', 'sft')} | {fig.get('start_model') or '?'} | {steps} | {st} | {wall} | "
            f"{end} | {_weights_cell(run)} |")


def cross_table(runs: dict[str, dict[str, Any]]) -> str:
    """One row per benchmark, one column per run: ``tool F1 / param F1 (n)``."""
    names = list(runs)
    benches = list(dict.fromkeys(b for r in runs.values() for b in r))
    lines = ["| benchmark | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for b in benches:
        cells = []
        for name in names:
            e = runs[name].get(b)
            cells.append("-" if not e or not e.get("n") else
                         f"{100 * e['F1_tool']:.1f} / {100 * e['F1_param']:.1f} (n={e['n']})")
        lines.append(f"| {b} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def cross_chart(runs: dict[str, dict[str, Any]], out: Path) -> Path:
    """Two panels (tool F1, parameter F1): one group of bars per benchmark, one bar per run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(runs)
    benches = list(dict.fromkeys(b for r in runs.values() for b in r))
    width = 0.8 / max(1, len(names))
    fig, axes = plt.subplots(1, 2, figsize=(max(8, 1.6 * len(benches) * max(1, len(names)) / 2), 4), sharey=True)
    for ax, key, title in zip(axes, ("F1_tool", "F1_param"), ("tool-name F1", "parameter F1")):
        for i, name in enumerate(names):
            vals = [100 * (runs[name].get(b, {}).get(key) or 0.0) for b in benches]
            xs = [j + (i - (len(names) - 1) / 2) * width for j in range(len(benches))]
            ax.bar(xs, vals, width, label=name)
        ax.set_xticks(range(len(benches)), benches, rotation=30, ha="right")
        ax.set_title(title)
        ax.set_ylim(0, 105)
    axes[0].set_ylabel("%")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def _read_rollouts(path: Path, problems: list[str]) -> list[dict[str, Any]]:
    """The scored rollouts of a GRPO run (plain or gzipped JSON lines); a broken line is recorded and skipped."""
    rows = []
    with (gzip.open(path, "rt") if path.suffix == ".gz" else path.open()) as f:
        for n, line in enumerate(f, 1):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                problems.append(f"{path}:{n} is not valid JSON (half-written?); skipped")
    return rows


def level_figures(rollouts: list[dict[str, Any]], output_format: str = "gg") -> list[dict[str, Any]]:
    """Per curriculum level (from the synthetic task ids): steps, groups, rollouts, format rate, exact matches,
    answers of two calls or more (``multi_call``; read in ``output_format``) and how many of them were exact,
    mean reward, the groups whose rollouts all got one reward (no gradient), and, over the one-call answers to
    one-call tasks, the mean number of arguments the task states and the answer writes (``args_stated``,
    ``args_written``; the tasks generated again from their ids).  [] without levelled tasks.

    Levels come in the order the run met them (their first step).  A group is one task's rollouts at one step.
    Rollouts of other tasks (no level in their id) are left out.
    """
    from toolzero.calls.formats import get_format
    from toolzero.schema import OPTIONAL

    parse = get_format(output_format).parse
    parsed = [parse(str(r.get("completion", ""))).calls for r in rollouts]
    calls = {id(r): c or () for r, c in zip(rollouts, parsed)}
    tasks = tasks_by_id({str(r.get("task")) for r in rollouts})
    by_level: dict[int, dict[int, list[list[dict[str, Any]]]]] = defaultdict(lambda: defaultdict(list))
    for (step, task), g in _rollout_groups(rollouts).items():
        level = task_level(task)
        if level is not None:
            by_level[level][step].append(g)
    out = []
    for level, per_step in sorted(by_level.items(), key=lambda kv: (min(kv[1]), kv[0])):  # in the order the run met them
        gs = [g for step_groups in per_step.values() for g in step_groups]
        rows = [r for g in gs for r in g]
        steps = sorted(per_step)
        multi = [r for r in rows if len(calls[id(r)]) >= 2]
        single = [(tasks[r["task"]].ground_truth[0], calls[id(r)][0]) for r in rows
                  if r.get("task") in tasks and len(tasks[r["task"]].ground_truth) == 1 and len(calls[id(r)]) == 1]
        out.append({
            "level": level, "steps": [steps[0], steps[-1]], "groups": len(gs), "rollouts": len(rows),
            "format_rate": sum(r.get("format", 0) > 0 for r in rows) / len(rows),
            "exact": sum(r.get("match", 0) == 1 for r in rows),
            "multi_call": len(multi), "multi_call_exact": sum(r.get("match", 0) == 1 for r in multi),
            "mean_reward": sum(r.get("total", 0.0) for r in rows) / len(rows),
            "groups_without_spread": sum(_without_spread(g) for g in gs),
            "args_stated": _mean([sum(OPTIONAL not in acc for acc in want.args.values()) for want, _ in single]),
            "args_written": _mean([len(got.args) for _, got in single]),
        })
    return out


def _args(lv: dict[str, Any]) -> str:
    """``stated / written`` arguments of one-call answers to one-call tasks, or ``-``."""
    return "-" if lv.get("args_stated") is None else f"{lv['args_stated']:.2f} / {lv['args_written']:.2f}"


def _mean(xs: list[float]) -> float | None:
    return round(sum(xs) / len(xs), 3) if xs else None


def _level_table(runs: list[RunData]) -> list[str]:
    rows = [(r.name, lv) for r in runs for lv in level_figures(r.rollouts, _output_format(r))]
    if not rows:
        return []
    lines = ["### Per curriculum level (training rollouts)", "",
             "| run | level | steps | groups | rollouts | format | exact matches | answers of 2+ calls (exact) "
             "| arguments stated / written | mean reward | groups without spread |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {name} | {lv['level']} | {lv['steps'][0]}-{lv['steps'][1]} | {lv['groups']} | {lv['rollouts']} "
              f"| {lv['format_rate']:.0%} | {lv['exact']} ({lv['exact'] / lv['rollouts']:.1%}) "
              f"| {lv['multi_call']} ({lv['multi_call_exact']}) | {_args(lv)} | {lv['mean_reward']:+.3f} "
              f"| {lv['groups_without_spread']} ({lv['groups_without_spread'] / lv['groups']:.0%}) |" for name, lv in rows]
    return lines + [""]


def _output_format(run: RunData) -> str:
    """The output format a run's completions are written in (its recipe's ``model.output_format``; gg)."""
    return str(((run.recipe or {}).get("model") or {}).get("output_format") or "gg")


def _training_figures(run: RunData) -> dict[str, Any] | None:
    """Steps, rollouts (GRPO: completions generated) and wall-clock of a training run; None for an eval-only folder."""
    if not run.metrics:
        return None
    recipe = run.recipe or {}
    rl = any("reward" in m for m in run.metrics)
    steps = max((m["step"] for m in run.metrics if ("reward/total" in m or "reward" in m) or (not rl and "loss" in m)),
                default=0)
    runtime = next((m["train_runtime"] for m in reversed(run.metrics) if "train_runtime" in m), None)
    figures: dict[str, Any] = {
        "method": f"grpo ({recipe.get('reward', {}).get('kind', '?')})" if rl else "sft",
        "start_model": recipe.get("run", {}).get("init_from") or recipe.get("model", {}).get("name"),
        "steps": steps, "wall_clock_s": runtime, "step_time_s_sum": round(sum(run.series("step_time")[1]), 1)}
    rss = run.series("peak_rss_mb")[1]
    if rss:
        figures["peak_rss_mb"] = max(rss)
    if rl:
        tr = recipe.get("trainer", {})
        figures["rollouts"] = steps * tr.get("per_device_train_batch_size", 0) * tr.get("gradient_accumulation_steps", 1)
        last = next(m for m in reversed(run.metrics) if "reward" in m)
        figures["last_reward"] = last["reward"]
        figures["last_format_rate"] = last.get("reward/format")
    levels = level_figures(run.rollouts, _output_format(run))
    if levels:
        figures["levels"] = levels
    probes = [m for m in run.metrics if "probe/strict_accuracy" in m]
    if probes:
        figures["probe"] = [{"step": m["step"], "strict": m["probe/strict_accuracy"],
                             "format": m.get("probe/format_rate")} for m in probes]
    return figures


def summary(runs: list[RunData]) -> dict[str, Any]:
    """The report's figures as data: per run, training figures, every BFCL category's n and accuracy (ours
    and bfcl-eval's), the mean over ``AST_CATEGORIES`` where all five were scored, the cross-benchmark
    F1s; and the paired McNemar rows between runs (ours and official)."""
    out: dict[str, Any] = {"ast_categories": list(AST_CATEGORIES), "runs": {}}
    for r in runs:
        entry: dict[str, Any] = {"path": str(r.path), "training": _training_figures(r)}
        cats = (r.scores or {}).get("categories") or {}
        if cats:
            entry["bfcl"] = {c: {k: v[k] for k in ("n", "accuracy", "official_accuracy") if k in v}
                             for c, v in cats.items()}
            missing = [c for c in AST_CATEGORIES if c not in cats]
            ast: dict[str, Any] = {"n": sum(cats[c]["n"] for c in AST_CATEGORIES if c in cats), "missing": missing}
            if not missing:
                ast["accuracy"] = sum(cats[c]["accuracy"] for c in AST_CATEGORIES) / len(AST_CATEGORIES)
                if all("official_accuracy" in cats[c] for c in AST_CATEGORIES):
                    ast["official_accuracy"] = sum(cats[c]["official_accuracy"] for c in AST_CATEGORIES) / len(
                        AST_CATEGORIES)
            entry["ast_mean"] = ast
        if r.cross and r.cross.get("benchmarks"):
            entry["cross"] = {b: {k: v.get(k) for k in ("n", "accuracy", "F1_tool", "F1_param")}
                              for b, v in r.cross["benchmarks"].items()}
        out["runs"][r.name] = entry
    scored = [r for r in runs if r.scores and r.verdicts]
    out["paired"] = paired_rows({r.name: r.verdicts for r in scored})
    out["paired_official"] = paired_rows({r.name: load_verdicts(r.eval_dir, official=True) for r in scored
                                          if r.eval_dir is not None})
    return out


def build_report(run_paths: list[str | Path], out_dir: str | Path, summary_path: str | Path | None = None) -> Path:
    """Write report.md, summary.json (or ``summary_path``) and plots; returns the report's path."""

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    runs = [load_run(p) for p in run_paths]
    names = [r.name for r in runs]
    for i, r in enumerate(runs):  # keep names unique for legends and tables
        if names.count(r.name) > 1:
            r.name = f"{r.name}#{i}"
    lines = ["# Tool-Zero report", "", "Runs: " + ", ".join(f"`{r.path}`" for r in runs), ""]
    problems = [f"- {r.name}: {p}" for r in runs for p in r.problems]
    if problems:
        lines += ["## Missing or broken files", "", *problems, ""]
    diff = differing_settings(runs)
    if diff:
        lines += ["## Warning: the runs differ in their settings", "",
                  "Compare them knowing that these recipe keys differ:", "", "| key | " + " | ".join(
                      r.name for r in runs if r.recipe is not None) + " |", "|---|" + "---|" * sum(
                      r.recipe is not None for r in runs)]
        lines += [f"| {k} | " + " | ".join(f"`{json.dumps(v)}`" for v in vals) + " |" for k, vals in diff.items()]
        lines.append("")
    train_runs = [r for r in runs if r.metrics]
    if train_runs:
        lines += ["## Training", "",
                  "| run | method | start model | steps | s/step | wall-clock | last reward | last format rate "
                  "| weights moved (relative L2) |",
                  "|---|---|---|---:|---:|---:|---:|---:|---:|", *(_train_summary(r) for r in train_runs), ""]
        plots = [
            (_plot_series(train_runs, [(f"reward/{c}", c) for c in COMPONENTS] + [("reward/sigma", "sigma(t)")],
                          out / "rewards.png", "Reward components and sigma(t) per step"), "Reward components"),
            (_plot_series(train_runs, [("completions/mean_length", "mean completion length (tokens)"),
                                       ("reward/format", "format-success rate"),
                                       ("completions/clipped_ratio", "truncated completions")],
                          out / "length_format.png", "Completion length and format"), "Length and format"),
            (_plot_series(train_runs, [("probe/strict_accuracy", "probe strict accuracy"),
                                       ("probe/format_rate", "probe format rate")],
                          out / "probe.png", "Held-out probe (greedy)"), "Probe"),
        ]
        for path, caption in plots:
            if path is not None:
                lines += [f"![{caption}]({path.name})", ""]
        lines += _level_table(train_runs)
        lines += ["### Reward-hacking check", "",
                  f"Flagged when the format rate rises by > {FORMAT_RISE} or the completion length by > "
                  f"{LENGTH_RISE:.0%} (first vs last {WINDOW:.0%} of steps) while probe strict accuracy rises by "
                  f"<= {PROBE_RISE}.", ""]
        for r in train_runs:
            lines.append(f"- {r.name}: {hacking_check(r) or 'ok'}")
        lines.append("")
        signals = [(r.name, signal_check(r)) for r in train_runs]
        if any(text for _, text in signals):
            lines += ["### Learning-signal check", "",
                      "GRPO learns only from reward differences within a group of rollouts; a step where every "
                      "group's rewards are equal changes nothing (TRL's `frac_reward_zero_std`). Flagged when more "
                      f"than {NO_SIGNAL:.0%} of steps had no spread at all.", ""]
            lines += [f"- {name}: {text}" for name, text in signals if text]
            lines.append("")
    scored = {r.name: r.scores for r in runs if r.scores and r.scores.get("categories")}
    if scored:
        cats, table = comparison_table(scored)
        chart = bar_chart(scored, cats, out / "eval.png")
        lines += ["## Evaluation (BFCL, our scorer; `*` = aggregate over an incomplete set of categories)", "", table,
                  f"![BFCL accuracy per category]({chart.name})", ""]
        if any("official_accuracy" in e for s in scored.values() for e in s["categories"].values()):
            _, official = comparison_table(scored, "official_accuracy")
            lines += ["### Scored by bfcl-eval's checker", "", official, ""]
        paired = paired_table({r.name: r.verdicts for r in runs if r.scores and r.verdicts})
        if paired:
            lines += ["### Paired comparison (the same items, our scorer)", "",
                      "For each pair of runs: the items both scored, how many each got right, the items only one "
                      "got right, and the exact two-sided McNemar p-value (a binomial test on those discordant "
                      "items).", "", paired]
    crossed = {r.name: r.cross["benchmarks"] for r in runs if r.cross and r.cross.get("benchmarks")}
    if crossed:
        lines += ["## Cross-benchmarks (Hammer protocol: tool-name F1 / parameter F1, %)", "",
                  cross_table(crossed), f"![Cross-benchmarks]({cross_chart(crossed, out / 'cross.png').name})", ""]
    report = out / "report.md"
    report.write_text("\n".join(lines) + "\n")
    summary_file = Path(summary_path) if summary_path else out / "summary.json"
    summary_file.parent.mkdir(parents=True, exist_ok=True)
    summary_file.write_text(json.dumps(summary(runs), indent=2) + "\n")
    return report
