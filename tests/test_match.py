"""AST matcher: one worked example per rule of METHOD.md section 3 / BFCL's checker."""

import pytest

from toolzero.calls.match import MatchError, match_calls, normalize_string
from toolzero.calls.parse import parse_call_list
from toolzero.schema import SchemaError

from conftest import make_task


def verdict(answer: str, gt: list):
    task = make_task(gt)
    return match_calls(parse_call_list(answer), task.ground_truth, task.tools)


GT_ONE = [{"get_weather": {"city": ["Paris"], "unit": ["", "celsius"], "days": ["", 3]}}]
GT_TWO = [{"get_weather": {"city": ["Paris"]}}, {"get_time": {"tz": ["CET", "Europe/Paris"]}}]


@pytest.mark.parametrize(
    "answer, gt, error",
    [
        ("[get_weather(city='Paris')]", GT_ONE, MatchError.NONE),
        ("[get_weather(city='Paris', unit='celsius', days=3)]", GT_ONE, MatchError.NONE),
        ("[get_weather(city='London')]", GT_ONE, MatchError.WRONG_VALUE),
        ("[get_weather(unit='celsius')]", GT_ONE, MatchError.MISSING_REQUIRED),
        ("[get_weather(city='Paris', color='red')]", GT_ONE, MatchError.UNEXPECTED_ARG),
        ("[get_weather(city='Paris', days='3')]", GT_ONE, MatchError.WRONG_TYPE),
        ("[get_weather(city='Paris', days=3.0)]", GT_ONE, MatchError.WRONG_TYPE),
        ("[get_weather(city='Paris', days=True)]", GT_ONE, MatchError.WRONG_TYPE),
        ("[get_time(tz='CET')]", GT_ONE, MatchError.WRONG_NAME),
        ("[]", GT_ONE, MatchError.WRONG_COUNT),
        ("[get_weather(city='Paris'), get_weather(city='Paris')]", GT_ONE, MatchError.WRONG_COUNT),
    ],
)
def test_single_call_rules(answer, gt, error):
    res = verdict(answer, gt)
    assert res.error is error
    assert res.valid == (error is MatchError.NONE)


def test_string_normalisation_like_bfcl():
    """Case, spaces and ,./-_*^ do not matter; ' reads as "."""
    assert verdict("[get_weather(city=' PA-RIS. ')]", GT_ONE).valid
    assert normalize_string("April 1, 2024") == normalize_string("april 1 2024")
    assert normalize_string("it's") == 'it"s'


def test_int_is_accepted_for_float_but_not_float_for_int():
    gt = [{"math.hypot": {"x": [3.0], "y": [4.0]}}]
    assert verdict("[math.hypot(x=3, y=4)]", gt).valid
    gt_int = [{"math.hypot": {"x": [3.0], "y": [4.0], "coords": [[1, 2]]}}]
    assert verdict("[math.hypot(x=3, y=4, coords=[1, 2])]", gt_int).valid
    assert verdict("[math.hypot(x=3, y=4, coords=[1.0, 2])]", gt_int).error is MatchError.WRONG_TYPE


def test_lists_compare_in_order_with_normalised_strings():
    task = make_task([{"get_weather": {"city": [["Paris", "Rome"]]}}],
                     tools=({"name": "get_weather", "parameters": {"type": "dict", "properties": {
                         "city": {"type": "array", "items": {"type": "string"}}}}},))
    ok = match_calls(parse_call_list("[get_weather(city=['paris', 'ROME'])]"), task.ground_truth, task.tools)
    swapped = match_calls(parse_call_list("[get_weather(city=['Rome', 'Paris'])]"), task.ground_truth, task.tools)
    assert ok.valid and swapped.error is MatchError.WRONG_VALUE


def test_dict_values_one_level_with_optional_keys():
    gt = [{"math.hypot": {"x": [1.0], "y": [2.0], "opts": [{"precise": [True, ""]}]}}]
    assert verdict("[math.hypot(x=1, y=2, opts={'precise': True})]", gt).valid
    assert verdict("[math.hypot(x=1, y=2, opts={})]", gt).valid
    assert verdict("[math.hypot(x=1, y=2, opts={'precise': False})]", gt).error is MatchError.WRONG_VALUE
    assert verdict("[math.hypot(x=1, y=2, opts={'fast': True})]", gt).error is MatchError.WRONG_VALUE


def test_parallel_calls_in_any_order():
    assert verdict("[get_weather(city='Paris'), get_time(tz='CET')]", GT_TWO).valid
    assert verdict("[get_time(tz='Europe/Paris'), get_weather(city='Paris')]", GT_TWO).valid
    assert verdict("[get_time(tz='CET')]", GT_TWO).error is MatchError.WRONG_COUNT
    bad = verdict("[get_time(tz='UTC'), get_weather(city='Paris')]", GT_TWO)
    assert bad.error is MatchError.WRONG_VALUE  # the same-name candidate's error is reported


def test_irrelevance_only_empty_list_matches():
    assert verdict("[]", []).valid
    assert verdict("[get_time(tz='CET')]", []).error is MatchError.WRONG_COUNT


def test_answer_may_require_an_argument_the_schema_calls_optional():
    """BFCL: an argument in the possible answer without "" must be given."""
    gt = [{"get_weather": {"city": ["Paris"], "days": [3]}}]
    assert verdict("[get_weather(city='Paris')]", gt).error is MatchError.MISSING_REQUIRED


def test_variable_values_compare_exactly():
    """BFCL writes variables as strings for non-string params: compared as-is, no normalisation."""
    gt = [{"get_weather": {"city": ["Paris"], "days": ["n_days"]}}]
    assert verdict("[get_weather(city='Paris', days='n_days')]", gt).valid
    assert not verdict("[get_weather(city='Paris', days='N_DAYS')]", gt).valid


def test_ground_truth_naming_an_unknown_tool_is_a_data_error(tools):
    from toolzero.schema import parse_ground_truth

    with pytest.raises(SchemaError, match="not among the tools"):
        match_calls([], parse_ground_truth([{"nope": {}}]), tools)


def test_messages_quote_values():
    assert "'London'" in verdict("[get_weather(city='London')]", GT_ONE).message
