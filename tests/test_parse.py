"""Parser: think / answer / calls from a raw completion; never raises."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolzero.calls.parse import CallSyntaxError, ParsedCompletion, parse_call_list, parse_completion
from toolzero.calls.peer_formats import parse_n1, parse_toolrl
from toolzero.calls.render import render_calls
from toolzero.schema import ToolCall


def test_well_formed_completion():
    p = parse_completion("<think> it rains </think>\n<answer>[get_weather(city='Paris', unit=\"celsius\")]</answer>\n")
    assert p.format_ok and p.reason == ""
    assert p.think == " it rains "
    assert p.calls == (ToolCall("get_weather", {"city": "Paris", "unit": "celsius"}),)


def test_empty_list_means_no_call():
    p = parse_completion("<think>none fits</think><answer>[]</answer>")
    assert p.format_ok and p.calls == ()


def test_dotted_names_nested_values_and_negative_numbers():
    calls = parse_call_list("[math.hypot(x=-3, y=4.5, opts={'a': [1, (2, 3)], 'b': None}, flag=True)]")
    assert calls == (ToolCall("math.hypot", {"x": -3, "y": 4.5, "opts": {"a": [1, (2, 3)], "b": None}, "flag": True}),)


def test_several_calls_keep_their_order():
    calls = parse_call_list("[f(a=1), g(b='x'), f(a=2)]")
    assert [c.name for c in calls] == ["f", "g", "f"]


@pytest.mark.parametrize(
    "answer, reason",
    [
        ("[f(1)]", "positional"),
        ("[f(**kw)]", "**kwargs"),
        ("[f(a=x)]", "literal"),
        ("[f(a=1+2)]", "literal"),
        ("[f(a=g(b=1))]", "literal"),
        ("[f(a={**d})]", "**mapping"),
        ("f(a=1)", "list"),
        ("[1, 2]", "not a call"),
        ("[f(a=1)", "syntax"),
        ("", "empty"),
        ("[f()[0]()]", "name"),
        ("[f(a=-'x')]", "sign"),
        ("[f(a={[1]: 2})]", "scalar"),
        ("[f(a=b'x')]", "constant"),
    ],
)
def test_rejected_answers_say_why(answer, reason):
    with pytest.raises(CallSyntaxError) as e:
        parse_call_list(answer)
    assert reason in str(e.value).lower()
    p = parse_completion(f"<think>t</think><answer>{answer}</answer>")
    assert p.calls is None and not p.format_ok and "unparsable" in p.reason


def test_bare_names_only_when_asked():
    """BFCL's decoder reads city=Paris as "Paris"; we do so only with allow_names."""
    assert parse_call_list("[f(city=Paris)]", allow_names=True)[0].args == {"city": "Paris"}
    assert parse_call_list("f(a=1)", require_list=False)[0].name == "f"


@pytest.mark.parametrize(
    "text, problem",
    [
        ("<answer>[f(a=1)]</answer>", "<think> appears 0 times"),
        ("<think>a</think><think>b</think><answer>[]</answer>", "<think> appears 2 times"),
        ("<think>a</think><answer>[]</answer><answer>[]</answer>", "<answer> appears 2 times"),
        ("hello <think>a</think><answer>[]</answer>", "outside"),
        ("<think>a</think><answer>[]</answer> bye", "outside"),
        ("<answer>[]</answer><think>a</think>", "order"),
    ],
)
def test_format_is_exactly_think_then_answer(text, problem):
    p = parse_completion(text)
    assert not p.format_ok
    assert problem in p.reason
    assert p.calls is not None  # the answer itself still parses


def test_no_answer_block():
    p = parse_completion("<think>I would call f</think> f(a=1)")
    assert p.answer is None and p.calls is None and not p.format_ok


def test_render_then_parse_round_trips():
    calls = (ToolCall("a.b", {"x": 1, "s": "it's \"q\"", "l": [1.5, None], "d": {"k": True}}), ToolCall("g", {}))
    assert parse_call_list(render_calls(calls)) == calls


def test_toolrl_format():
    text = '<think>t</think>\n<tool_call>\n{"name": "f", "parameters": {"a": 1}}\n{"name": "g", "parameters": {}}\n</tool_call>'
    p = parse_toolrl(text)
    assert p.format_ok and p.calls == (ToolCall("f", {"a": 1}), ToolCall("g", {}))
    assert parse_toolrl("<think>t</think><response>No tool fits.</response>").calls == ()
    bad = parse_toolrl("<think>t</think><tool_call>{not json}</tool_call>")
    assert bad.calls is None and "unparsable" in bad.reason


def test_n1_format():
    p = parse_n1('<think>t</think><tool_call>[{"name": "f", "arguments": {"a": 1}}]</tool_call>')
    assert p.format_ok and p.calls == (ToolCall("f", {"a": 1}),)
    assert parse_n1('<think>t</think><tool_call>{"name": "f"}</tool_call>').calls is None
    assert not parse_n1('<tool_call>[]</tool_call>').format_ok


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_parser_never_raises_on_any_string(text):
    for parse in (parse_completion, parse_toolrl, parse_n1):
        p = parse(text)
        assert isinstance(p, ParsedCompletion)
        assert p.calls is None or isinstance(p.calls, tuple)


_fragments = st.sampled_from(["<think>", "</think>", "<answer>", "</answer>", "[", "]", "(", ")", "f", "a=", "1",
                              "'x'", ",", " ", "\n", "{", "}", ":", "-", ".", "**", "<tool_call>", "</tool_call>"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_fragments, max_size=40).map("".join))
def test_parser_never_raises_on_tag_soup(text):
    for parse in (parse_completion, parse_toolrl, parse_n1):
        assert isinstance(parse(text), ParsedCompletion)


def test_deep_nesting_is_unparsable_not_a_crash():
    p = parse_completion("<think>x</think><answer>[f(a=" + "[" * 5000 + "]" * 5000 + ")]</answer>")
    assert p.calls is None


def test_non_string_completion():
    assert parse_completion(None).reason.startswith("completion is NoneType")


def test_unclosed_answer_is_an_answer_with_bad_format():
    """A completion cut off inside <answer> still has an answer (for r_general), but not the format."""
    p = parse_completion("<think>t</think><answer>[f(a=1)]")
    assert p.answer == "[f(a=1)]" and p.calls == (ToolCall("f", {"a": 1}),)
    assert not p.format_ok and p.reason == "unclosed <answer>"
    cut = parse_completion("<think>t</think><answer>[f(a=")
    assert cut.answer == "[f(a=" and cut.calls is None
