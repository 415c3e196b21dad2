"""Hammer's tool-name and parameter F1 on worked examples."""

import pytest

from toolzero.eval.hammer import HammerCounts, hammer_counts, hammer_scores
from toolzero.schema import ToolCall, parse_ground_truth

GT = parse_ground_truth([{"get_weather": {"city": ["Paris"], "unit": ["", "celsius"]}}, {"get_time": {"tz": ["CET"]}}])


def test_perfect_prediction():
    pred = (ToolCall("get_weather", {"city": "Paris", "unit": "celsius"}), ToolCall("get_time", {"tz": "CET"}))
    c = hammer_counts(pred, GT)
    assert c == HammerCounts(ref_calls=2, pred_calls=2, correct_calls=2, ref_params=3, pred_params=3, correct_params=3)
    s = hammer_scores([c])
    assert s["F1_tool"] == 1.0 and s["F1_param"] == 1.0


def test_partial_prediction():
    c = hammer_counts((ToolCall("get_weather", {"city": "paris"}), ToolCall("book", {"x": 1})), GT)
    assert (c.correct_calls, c.pred_calls, c.ref_calls) == (1, 2, 2)
    assert (c.correct_params, c.pred_params, c.ref_params) == (0, 2, 3)  # exact str match: "paris" != "Paris"
    s = hammer_scores([c])
    assert s["F1_tool"] == pytest.approx(0.5) and s["F1_param"] == 0.0


def test_unparsable_counts_one_wrong_call_and_empty_adds_nothing():
    assert hammer_counts(None, GT) == HammerCounts(ref_calls=2, pred_calls=1, ref_params=3)
    assert hammer_counts((), GT) == HammerCounts(ref_calls=2, ref_params=3)


def test_micro_average_over_items():
    a = hammer_counts((ToolCall("get_time", {"tz": "CET"}),), GT)
    b = hammer_counts((ToolCall("get_time", {"tz": "UTC"}),), GT)
    s = hammer_scores([a, b])
    assert s["P_tool"] == 1.0 and s["R_tool"] == pytest.approx(0.5)
    assert s["P_param"] == pytest.approx(0.5) and s["R_param"] == pytest.approx(1 / 6)


def test_parallel_same_name_calls_follow_hammers_first_match_rule():
    """Hammer credits each predicted call against the first same-name reference that shares any value."""
    gt = parse_ground_truth([{"holidays": {"year": [2023], "country": ["CA"]}},
                             {"holidays": {"year": [2023], "country": ["MX"]}}])
    pred = (ToolCall("holidays", {"year": 2023, "country": "CA"}), ToolCall("holidays", {"year": 2023, "country": "MX"}))
    c = hammer_counts(pred, gt)
    assert (c.correct_params, c.ref_params) == (3, 4)
