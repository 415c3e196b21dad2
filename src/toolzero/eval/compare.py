"""``toolzero eval compare RUN RUN ...``: runs side by side, as a table and a grouped bar chart."""

from __future__ import annotations

import json
import math
from itertools import combinations
from pathlib import Path
from typing import Any


def load_scores(run: str | Path) -> dict[str, Any]:
    """A run's scores.json; a run folder without one is a clear error naming the file."""
    path = Path(run) / "scores.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: is {run} an eval run folder (toolzero eval bfcl --out ...)?")
    return json.loads(path.read_text())


def comparison_table(runs: dict[str, dict[str, Any]], key: str = "accuracy") -> tuple[list[str], str]:
    """Markdown table: one row per category (then the aggregates), one column per run."""
    names = list(runs)
    cats = list(dict.fromkeys(c for s in runs.values() for c in s["categories"]))
    lines = ["| category | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for cat in cats:
        cells = []
        for name in names:
            e = runs[name]["categories"].get(cat)
            cells.append("-" if not e or e.get(key) is None else f"{100 * e[key]:.2f} (n={e['n']})")
        lines.append(f"| {cat} | " + " | ".join(cells) + " |")
    label = "ours" if key == "accuracy" else "official"
    aggs = list(dict.fromkeys(a for s in runs.values() for a in s.get("aggregates", {}).get(label, {})))
    for agg in aggs:
        cells = []
        for name in names:
            v = runs[name].get("aggregates", {}).get(label, {}).get(agg)
            cells.append("-" if v is None else f"{100 * v['accuracy']:.2f}{'*' if v['missing'] else ''}")
        lines.append(f"| **{agg}** | " + " | ".join(cells) + " |")
    return cats, "\n".join(lines) + "\n"


def bar_chart(runs: dict[str, dict[str, Any]], categories: list[str], out: Path, key: str = "accuracy") -> Path:
    """Grouped bars: one group per category, one bar per run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(runs)
    width = 0.8 / max(1, len(names))
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(categories) * max(1, len(names)) / 2), 4))
    for i, name in enumerate(names):
        vals = [100 * (runs[name]["categories"].get(c, {}).get(key) or 0.0) for c in categories]
        xs = [j + (i - (len(names) - 1) / 2) * width for j in range(len(categories))]
        bars = ax.bar(xs, vals, width, label=name)
        ax.bar_label(bars, fmt="%.0f", fontsize=7)
    ax.set_xticks(range(len(categories)), categories, rotation=30, ha="right")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 105)
    ax.set_title("BFCL accuracy per category")
    ax.legend(fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def load_verdicts(run: str | Path, official: bool = False) -> dict[str, tuple[str, bool]]:
    """``category/id`` -> (category, correct) from a run's results.jsonl; {} when there is none.

    Read with the eval loop's own reader, so a line cut short by a kill is skipped the same way.
    """
    from toolzero.eval.runner import load_done

    key = "official_valid" if official else "valid"
    return {k: (rec["category"], bool(rec[key])) for k, rec in load_done(Path(run) / "results.jsonl").items()
            if rec.get(key) is not None}


def mcnemar_p(b: int, c: int) -> float:
    """Exact two-sided McNemar p-value for b and c discordant pairs (a binomial test at 1/2)."""
    n = b + c
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(b, c) + 1)) / 2**n
    return min(1.0, 2 * tail)


def item_group(category: str) -> str:
    """Paired tables pool items by what the right answer is: a call, or no call (irrelevance)."""
    return "no call expected" if "irrelevance" in category else "calls expected"


def paired_rows(verdicts: dict[str, dict[str, tuple[str, bool]]]) -> list[dict[str, Any]]:
    """Every pair of runs on the items both scored: who got which right, and McNemar's exact p.

    Items are pooled per ``item_group`` (a model that learns to call gains on one group and loses
    on the other; pooling both would hide it). A paired test says more than two accuracies: at
    n = 50 a 6-point gap can be 3 items gained and 0 lost (a change) or 10 gained and 7 lost (noise).
    """
    rows = []
    for a, b in combinations([n for n, v in verdicts.items() if v], 2):
        groups: dict[str, list[str]] = {}
        for i in sorted(set(verdicts[a]) & set(verdicts[b])):
            groups.setdefault(item_group(verdicts[a][i][0]), []).append(i)
        for group, ids in sorted(groups.items()):
            ra = [verdicts[a][i][1] for i in ids]
            rb = [verdicts[b][i][1] for i in ids]
            gained = sum(y and not x for x, y in zip(ra, rb))
            lost = sum(x and not y for x, y in zip(ra, rb))
            rows.append({"a": a, "b": b, "group": group, "n": len(ids), "a_right": sum(ra), "b_right": sum(rb),
                         "only_b_right": gained, "only_a_right": lost,
                         "b_minus_a_points": 100 * (sum(rb) - sum(ra)) / len(ids),
                         "p_mcnemar": mcnemar_p(gained, lost)})
    return rows


def paired_table(verdicts: dict[str, dict[str, tuple[str, bool]]]) -> str:
    """``paired_rows`` as a markdown table ('' when no two runs share an item)."""
    rows = paired_rows(verdicts)
    if not rows:
        return ""
    lines = ["| A | B | item group | n | A right | B right | only B right | only A right | B - A (points) "
             "| p (exact McNemar) |", "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['a']} | {r['b']} | {r['group']} | {r['n']} | {r['a_right']} | {r['b_right']} | {r['only_b_right']}"
              f" | {r['only_a_right']} | {r['b_minus_a_points']:+.1f} | {r['p_mcnemar']:.3g} |" for r in rows]
    return "\n".join(lines) + "\n"


def compare(run_dirs: list[str], out: str | Path, official: bool = False) -> str:
    """Print-ready table; writes ``out`` (PNG) and ``out`` with .md next to it."""
    runs: dict[str, dict[str, Any]] = {}
    for r in run_dirs:
        name = Path(r).name
        while name in runs:
            name += "'"
        runs[name] = load_scores(r)
    key = "official_accuracy" if official else "accuracy"
    cats, table = comparison_table(runs, key)
    out = Path(out)
    bar_chart(runs, cats, out, key)
    paired = paired_table({name: load_verdicts(r, official) for name, r in zip(runs, run_dirs)})
    if paired:
        table += "\nPaired, on the items both runs scored:\n\n" + paired
    out.with_suffix(".md").write_text(table)
    return table
