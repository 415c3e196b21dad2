"""Rewards: every case of METHOD.md sections 3 and 4, plus ranges under random input."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolzero.calls.parse import parse_completion
from toolzero.rewards import REWARDS, RewardConfig, get_reward, gg_reward, n1_reward, strict_reward, toolrl_reward
from toolzero.rewards.general import general_score, reference_tokens, tokens
from toolzero.rewards.schedule import midpoint_steps, sigma
from toolzero.schema import SchemaError, parse_ground_truth

from conftest import HYPOT, TIME, WEATHER

TOOLS = [WEATHER, TIME, HYPOT]
GT = [{"get_weather": {"city": ["Paris"], "unit": ["celsius"]}}]
GT_TWO = [{"get_weather": {"city": ["Paris"]}}, {"get_time": {"tz": ["CET"]}}]


def wrap(answer: str) -> str:
    return f"<think>reasoning</think><answer>{answer}</answer>"


# --- sigma(t), METHOD 3: kappa 0.1, m 25 ---

@pytest.mark.parametrize("step, expected", [(0, 0.075858), (25, 0.5), (50, 0.924142), (75, 0.993307)])
def test_sigma_at_paper_steps(step, expected):
    assert sigma(step) == pytest.approx(expected, abs=1e-6)
    assert sigma(step) == pytest.approx(1 / (1 + math.exp(-0.1 * (step - 25))))


def test_sigma_is_monotone_and_bounded():
    values = [sigma(t) for t in range(-1000, 2000, 7)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert values == sorted(values)


def test_midpoint_as_fraction_of_the_run():
    cfg = RewardConfig(gg_midpoint=0.25, gg_midpoint_unit="fraction")
    assert midpoint_steps(cfg, 80) == 20
    r = gg_reward(wrap("[]"), GT, TOOLS, step=20, total_steps=80, config=cfg)
    assert r.breakdown["sigma"] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="total number of steps"):
        gg_reward(wrap("[]"), GT, TOOLS, step=20, config=cfg)


@pytest.mark.parametrize("kwargs", [{"kind": "nope"}, {"gg_kappa": 0}, {"gg_midpoint": 2, "gg_midpoint_unit": "fraction"},
                                    {"gg_midpoint_unit": "epochs"}, {"gg_bonus": -1}])
def test_bad_reward_config_fails_fast(kwargs):
    with pytest.raises(ValueError):
        RewardConfig(**kwargs)


# --- r_general ---

def test_general_full_and_partial_overlap():
    gt = parse_ground_truth(GT)
    assert sorted(reference_tokens(gt).elements()) == sorted(["get_weather", "city", "Paris", "unit", "celsius"])
    full = parse_completion(wrap("[get_weather(city='Paris', unit='celsius')]"))
    assert general_score(full, gt) == pytest.approx(0.5)
    partial = parse_completion(wrap("[get_weather(city='London')]"))  # 2 of 5 tokens
    assert general_score(partial, gt) == pytest.approx(-0.5 + 2 / 5)
    unparsable = parse_completion(wrap("get_weather city Paris"))  # overlap counts even unparsed
    assert general_score(unparsable, gt) == pytest.approx(-0.5 + 3 / 5)


def test_general_is_a_multiset_intersection():
    assert tokens("a a b") & tokens("a b b") == tokens("a b")
    gt = parse_ground_truth([{"get_time": {"tz": ["CET"]}}, {"get_time": {"tz": ["CET"]}}])
    once = parse_completion(wrap("[get_time(tz='CET')]"))
    assert general_score(once, gt) == pytest.approx(-0.5 + 3 / 6)


def test_general_without_answer_is_minimum():
    assert general_score(parse_completion("<think>hmm</think>"), parse_ground_truth(GT)) == -0.5


def test_general_irrelevance():
    assert general_score(parse_completion(wrap("[]")), ()) == 0.5
    assert general_score(parse_completion(wrap("[get_time(tz='CET')]")), ()) == -0.5


# --- r_strict, bonus, penalty, through the GG reward at the end of the schedule ---

def strict_part(answer, gt, step=10_000):
    return gg_reward(wrap(answer), gt, TOOLS, step=step).breakdown


def test_strict_match_scores_one():
    b = strict_part("[get_weather(city='paris', unit='Celsius')]", GT)
    assert (b["strict"], b["bonus"], b["penalty"]) == (1.0, 0.0, 0.0)


def test_multi_tool_bonus_when_all_calls_match():
    b = strict_part("[get_time(tz='CET'), get_weather(city='Paris')]", GT_TWO)
    assert b["strict"] == pytest.approx(1.3) and b["bonus"] == pytest.approx(0.3)
    half = strict_part("[get_time(tz='UTC'), get_weather(city='Paris')]", GT_TWO)
    assert half["strict"] == 0.0 and half["bonus"] == 0.0


def test_invalid_parameter_penalty():
    unknown_arg = strict_part("[get_weather(city='Paris', unit='celsius', color='red')]", GT)
    assert unknown_arg["strict"] == pytest.approx(-0.3) and unknown_arg["penalty"] == pytest.approx(-0.3)
    wrong_type = strict_part("[get_weather(city='Paris', unit='celsius', days='three')]", GT)
    assert wrong_type["strict"] == pytest.approx(-0.3)
    wrong_value = strict_part("[get_weather(city='Rome', unit='celsius')]", GT)
    assert wrong_value["strict"] == 0.0 and wrong_value["penalty"] == 0.0


def test_strict_irrelevance():
    assert strict_part("[]", [])["strict"] == 1.0
    assert strict_part("[get_time(tz='CET')]", [])["strict"] == 0.0


# --- the full GG reward ---

def test_gg_total_is_format_plus_blend():
    r = gg_reward(wrap("[get_weather(city='Paris', unit='celsius')]"), GT, TOOLS, step=0)
    s = sigma(0)
    assert r.score == pytest.approx(1.0 + s * 1.0 + (1 - s) * 0.5)
    assert r.breakdown["total"] == r.score
    assert set(r.breakdown) == {"format", "general", "strict", "match", "sigma", "bonus", "penalty", "tool", "total"}


def test_gg_shifts_from_overlap_to_strict():
    """A near miss is paid early (overlap) and not late (strict)."""
    near = wrap("[get_weather(city='Paris', unit='kelvin')]")
    early, late = gg_reward(near, GT, TOOLS, step=0), gg_reward(near, GT, TOOLS, step=100)
    assert early.breakdown["tool"] > 0.25 and late.breakdown["tool"] < 0.05


def test_gg_missing_answer_and_bad_format():
    r = gg_reward("I think it is sunny", GT, TOOLS, step=0)
    assert r.breakdown["format"] == 0.0 and r.breakdown["general"] == -0.5 and r.breakdown["strict"] == 0.0
    assert r.score == pytest.approx(-0.5 * (1 - sigma(0)))
    r2 = gg_reward("<answer>[get_weather(city='Paris', unit='celsius')]</answer>", GT, TOOLS, step=10_000)
    assert r2.breakdown["format"] == 0.0 and r2.breakdown["strict"] == 1.0


def test_vanilla_strict_reward_has_no_schedule_bonus_or_penalty():
    ok = strict_reward(wrap("[get_time(tz='CET'), get_weather(city='Paris')]"), GT_TWO, TOOLS, step=0)
    assert ok.score == 2.0
    bad = strict_reward(wrap("[get_weather(city='Paris', unit='celsius', color='red')]"), GT, TOOLS)
    assert bad.score == 1.0


# --- peers ---

def toolrl_text(calls: str) -> str:
    return f"<think>t</think>\n<tool_call>\n{calls}\n</tool_call>"


def test_toolrl_correctness_range_and_extremes():
    perfect = toolrl_reward(toolrl_text('{"name": "get_weather", "parameters": {"city": "Paris", "unit": "celsius"}}'),
                            GT, TOOLS)
    assert perfect.breakdown == {"format": 1.0, "correctness": 3.0, "total": 4.0}
    wrong = toolrl_reward(toolrl_text('{"name": "get_time", "parameters": {"tz": "CET"}}'), GT, TOOLS)
    assert wrong.breakdown["correctness"] == -3.0
    # name right (1) + keys 1/2 (0.5) + one value (1) of S_max = 1 + 1 + 2 = 4
    half = toolrl_reward(toolrl_text('{"name": "get_weather", "parameters": {"city": "Paris"}}'), GT, TOOLS)
    assert half.breakdown["correctness"] == pytest.approx(6 * 2.5 / 4 - 3)


def test_toolrl_no_call_expected():
    r = toolrl_reward("<think>t</think><response>None of the tools fit.</response>", [], TOOLS)
    assert r.breakdown == {"format": 1.0, "correctness": 3.0, "total": 4.0}


def test_n1_is_binary():
    good = '<think>t</think><tool_call>[{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}]</tool_call>'
    assert n1_reward(good, GT, TOOLS).score == 1.0
    assert n1_reward(good.replace("Paris", "Rome"), GT, TOOLS).score == 0.0
    assert n1_reward(good.replace("<think>t</think>", ""), GT, TOOLS).score == 0.0


# --- registry ---

@pytest.mark.parametrize("name", sorted(REWARDS))
def test_registry_resolves_every_name(name):
    spec = REWARDS[name]
    fn = get_reward(name)
    assert fn.__name__ == spec.fn.__name__
    assert isinstance(fn(wrap("[]"), GT, TOOLS, step=3).score, float)
    assert spec.floor == spec.range[0] <= spec.range[1]
    assert RewardConfig(kind=name).kind == name


def test_registry_rejects_unknown_names():
    with pytest.raises(ValueError, match="known"):
        get_reward("rouge")


def test_bound_constants_are_used():
    fn = get_reward(RewardConfig(gg_bonus=0.5))
    assert fn(wrap("[get_time(tz='CET'), get_weather(city='Paris')]"), GT_TWO, TOOLS, step=10_000).breakdown["bonus"] == 0.5


@pytest.mark.parametrize("fn", [gg_reward, strict_reward, toolrl_reward, n1_reward])
def test_malformed_ground_truth_raises_schema_error(fn):
    with pytest.raises(SchemaError):
        fn(wrap("[]"), [{"get_weather": "Paris"}], TOOLS)
    with pytest.raises(SchemaError):
        fn(wrap("[]"), [{"book_flight": {}}], TOOLS)
    with pytest.raises(SchemaError):
        fn(wrap("[]"), GT, [{"name": "get_weather", "parameters": {"type": "dict", "properties": {"a": {"type": "?"}}}}])


# --- property tests: arbitrary completions and JSON-ish ground truths ---

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, width=32),
                         st.text(max_size=8))
json_values = st.recursive(json_scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c,
                                                                                              max_size=3), max_leaves=8)
arg_names = st.sampled_from(["city", "unit", "days", "x", "y", "coords", "opts", "tz", "zz"])
TOOL_NAMES = ["get_weather", "get_time", "math.hypot"]
ground_truths = st.lists(
    st.builds(lambda n, args: {n: args}, st.sampled_from(TOOL_NAMES),
              st.dictionaries(arg_names, st.lists(st.one_of(st.just(""), json_values), max_size=3), max_size=4)),
    max_size=3,
)


@st.composite
def completions(draw):
    calls = draw(st.lists(st.builds(lambda n, a: f"{n}({', '.join(f'{k}={v!r}' for k, v in a.items())})",
                                    st.sampled_from([*TOOL_NAMES, "nope"]),
                                    st.dictionaries(arg_names, json_values, max_size=4)), max_size=3))
    answer = "[" + ", ".join(calls) + "]"
    shape = draw(st.sampled_from(["good", "no_think", "noise", "raw"]))
    if shape == "good":
        return wrap(answer)
    if shape == "no_think":
        return f"<answer>{answer}</answer>"
    if shape == "noise":
        return draw(st.text(max_size=30)) + wrap(answer) + draw(st.text(max_size=30))
    return draw(st.text(max_size=80))


RANGES = {spec.fn: spec.range for spec in REWARDS.values()}


@settings(max_examples=300, deadline=None)
@given(completions(), ground_truths, st.integers(-10, 500))
def test_rewards_never_raise_and_stay_in_range(completion, gt, step):
    for fn, (lo, hi) in RANGES.items():
        r = fn(completion, gt, TOOLS, step=step)
        assert lo - 1e-9 <= r.score <= hi + 1e-9, (fn.__name__, r)
        assert math.isfinite(r.score)
        assert r.breakdown["total"] == pytest.approx(r.score)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), ground_truths)
def test_rewards_never_raise_on_arbitrary_text(completion, gt):
    for fn, (lo, hi) in RANGES.items():
        assert lo - 1e-9 <= fn(completion, gt, TOOLS).score <= hi + 1e-9


def test_general_pays_overlap_for_an_answer_cut_off_by_the_token_limit():
    gt = parse_ground_truth(GT)
    cut = parse_completion("<think>t</think><answer>[get_weather(city='Paris', un")
    assert general_score(cut, gt) == pytest.approx(-0.5 + 3 / 5)
