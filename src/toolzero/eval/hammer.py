"""Tool-name F1 and parameter F1, the Hammer protocol for the cross-benchmarks (METHOD.md section 6).

Definitions (after Hammer's ``evaluation/evaluate.py``, arXiv 2410.04587), micro-averaged over
a dataset:

* reference calls R, predicted calls P; an unparsable prediction counts as one predicted call
  that is wrong; ``[]`` adds nothing;
* a predicted call is a correct *tool* when its name is among the reference names (duplicates
  each count, as in Hammer);
* reference parameters are the reference arguments with a value (omittable ones excluded);
  nested possible-answer dicts are first made concrete (first accepted value per key);
  predicted parameters are the predicted arguments whose value is not ``""``;
* a correct tool's correct *parameters* are the reference arguments (of the first reference
  call with that name that shares any) whose value, as ``str``, equals the predicted one —
  exact, no normalisation, as in Hammer (so with parallel calls to one function, the second
  call is scored against the first reference call: a perfect answer can lose parameter points);
* precision = correct / predicted, recall = correct / reference, F1 their harmonic mean
  (0 when any count is 0).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

from toolzero.calls.render import concrete_value
from toolzero.schema import OPTIONAL, GroundTruth, ToolCall


@dataclass
class HammerCounts:
    """Counts for one item; add them up over a dataset."""

    ref_calls: int = 0
    pred_calls: int = 0
    correct_calls: int = 0
    ref_params: int = 0
    pred_params: int = 0
    correct_params: int = 0

    def __add__(self, other: HammerCounts) -> HammerCounts:
        return HammerCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def _reference_values(gt: GroundTruth) -> list[tuple[str, dict[str, list[str]]]]:
    """Per reference call: name and, per argument with a value, the accepted values as str."""
    return [(c.name, {k: [str(concrete_value(v)) for v in acc if v != OPTIONAL] for k, acc in c.args.items()
                      if any(v != OPTIONAL for v in acc)}) for c in gt]


def hammer_counts(predicted: tuple[ToolCall, ...] | None, gt: GroundTruth) -> HammerCounts:
    """Counts for one item (``predicted=None``: the output did not parse)."""
    refs = _reference_values(gt)
    counts = HammerCounts(ref_calls=len(refs), ref_params=sum(len(a) for _, a in refs))
    if predicted is None:
        counts.pred_calls = 1
        return counts
    names = {name for name, _ in refs}
    for call in predicted:
        counts.pred_calls += 1
        given = {k: str(v) for k, v in call.args.items() if v != ""}
        counts.pred_params += len(given)
        if call.name not in names:
            continue
        counts.correct_calls += 1
        for name, args in refs:
            if name != call.name:
                continue
            correct = sum(1 for k, accepted in args.items() if k in given and given[k] in accepted)
            if correct:
                counts.correct_params += correct
                break
    return counts


def _prf(correct: int, predicted: int, reference: int) -> tuple[float, float, float]:
    if not (correct and predicted and reference):
        return 0.0, 0.0, 0.0
    p, r = correct / predicted, correct / reference
    return p, r, 2 * p * r / (p + r)


def hammer_scores(items: Iterable[HammerCounts]) -> dict[str, float]:
    """Precision, recall and F1 for tool names and parameters over a dataset."""
    total = sum(items, HammerCounts())
    p_api, r_api, f_api = _prf(total.correct_calls, total.pred_calls, total.ref_calls)
    p_par, r_par, f_par = _prf(total.correct_params, total.pred_params, total.ref_params)
    return {"P_tool": p_api, "R_tool": r_api, "F1_tool": f_api, "P_param": p_par, "R_param": r_par, "F1_param": f_par,
            "items_ref_calls": total.ref_calls}
