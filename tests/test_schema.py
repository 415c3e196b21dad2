"""Types: tools, ground truth and tasks validate their input and name the bad field."""

import pytest

from toolzero.schema import SchemaError, Task, Tool, coerce_tools, ground_truth_to_json, parse_ground_truth

from conftest import HYPOT, TIME, WEATHER, make_task


def test_bfcl_and_openai_type_names_normalise():
    """"dict"/"object" and "float"/"number" mean the same thing."""
    h = Tool.from_json(HYPOT)
    assert h.parameters.type == "dict"
    assert h.parameters.properties["x"].type == "float"
    assert h.parameters.properties["y"].type == "float"
    assert h.parameters.properties["coords"].items.type == "integer"
    assert h.parameters.properties["opts"].properties["precise"].type == "boolean"
    assert Tool.from_json(TIME).parameters.type == "dict"


def test_openai_function_wrapper_is_accepted():
    """{"type": "function", "function": {...}} unwraps to the function."""
    assert Tool.from_json({"type": "function", "function": WEATHER}).name == "get_weather"


def test_enum_and_required_are_kept():
    w = Tool.from_json(WEATHER)
    assert w.parameters.properties["unit"].enum == ("celsius", "fahrenheit")
    assert w.parameters.required == ("city",)


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"description": "no name"}, "name"),
        ({"name": "f", "parameters": {"type": "dict", "properties": {"a": {"type": "complex"}}}}, "properties.a.type"),
        ({"name": "f", "parameters": {"type": "dict", "properties": {}, "required": ["a"]}}, "required"),
        ({"name": "f", "parameters": {"type": "string"}}, "parameters.type"),
        ({"name": "f", "parameters": {"type": "dict", "properties": [1]}}, "properties"),
        ("not a dict", "tool"),
    ],
)
def test_malformed_tool_raises_schema_error_naming_the_field(bad, field):
    with pytest.raises(SchemaError) as e:
        Tool.from_json(bad)
    assert field in str(e.value)


def test_ground_truth_round_trip():
    gt = [{"get_weather": {"city": ["Paris", "paris"], "unit": ["", "celsius"]}}]
    parsed = parse_ground_truth(gt)
    assert parsed[0].name == "get_weather"
    assert parsed[0].args["unit"] == ("", "celsius")
    assert ground_truth_to_json(parsed) == gt
    assert parse_ground_truth("[]") == ()


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"f": {}}, "ground_truth"),
        ([{"f": {}, "g": {}}], "ground_truth[0]"),
        ([{"f": {"a": 1}}], "ground_truth[0].f.a"),
        ([{"f": [1]}], "ground_truth[0].f"),
        ("{not json", "ground_truth"),
    ],
)
def test_malformed_ground_truth_raises_schema_error(bad, field):
    with pytest.raises(SchemaError) as e:
        parse_ground_truth(bad)
    assert str(e.value).startswith(field)


def test_task_rejects_a_call_to_an_unknown_tool():
    with pytest.raises(SchemaError, match="not in tools"):
        make_task([{"book_flight": {}}])


def test_task_rejects_duplicate_tool_names():
    with pytest.raises(SchemaError, match="duplicate"):
        make_task([], tools=(WEATHER, WEATHER))


def test_task_json_round_trip():
    t = make_task([{"get_weather": {"city": ["Paris"]}}])
    assert Task.from_json(t.to_json()) == t


def test_coerce_tools_accepts_json_text():
    assert set(coerce_tools('[{"name": "f"}]')) == {"f"}
    with pytest.raises(SchemaError):
        coerce_tools(42)
