"""Source converters (toolzero.data.sources): real data, fixtures, round trip and errors.

Real data is read from the shared data folder (``conftest.SHARED_DATA``); a test whose
folder is absent is skipped.  The fixtures under ``tests/fixtures/sources`` are tiny
hand-written records in each source's published shape, each with malformed records.
Every converted record must round-trip: the ground truth rendered as calls
(``reference_calls(..., keep_optional=True)``) must match itself (``match_calls``).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from toolzero.calls.match import match_calls
from toolzero.calls.render import reference_calls
from toolzero.data.report import LoadReport
from toolzero.data.sources import FOLDERS, SHARED_DATA_ENV, SOURCES, default_path, load_source, shared_data_dir
from toolzero.data.sources._calls import parse_python_calls
from toolzero.data.sources._schema import make_tool, type_schema
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._values import expected_call
from toolzero.schema import Task

from conftest import SHARED_DATA, SUMMARY

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
NAMES = ("toolrl", "seal_tools", "api_bank", "hammer", "hammer_masked", "toolalpaca", "nexus", "nestful",
         "complexfuncbench", "acebench", "toolace", "xlam")

# source -> (fixture folder, records kept, {skipped id: reason kind})
FIXTURE_EXPECT: dict[str, tuple[str, int, dict[str, str]]] = {
    "toolrl": ("toolrl", 3, {"rlla_4k_raw/rlla_sft:2": "bad_json", "rlla_4k/test:1": "bad_json"}),
    "seal_tools": ("seal_tools", 2, {"dev-difficult-2": "nested_reference", "dev-easy-3": "unknown_tool"}),
    "api_bank": ("api_bank", 2, {"level-1-api:1": "unknown_tool", "lv3-api-train:0": "bad_call"}),
    "hammer": ("hammer", 2, {"original/apibank_l1:1": "unknown_argument"}),
    "hammer_masked": ("hammer", 2, {"masking_sft_data_example:2": "bad_json"}),
    "toolalpaca": ("toolalpaca", 2, {"eval_real:TeaFacts:2": "nested_reference"}),
    "nexus": ("nexus", 3, {"emailrep_queries:1": "unknown_tool"}),
    "nestful": ("nestful", 2, {"executable:0#1": "dependent_call", "executable:2": "unknown_tool"}),
    "complexfuncbench": ("complexfuncbench", 1, {"complexfuncbench:0#1": "dependent_call",
                                                 "complexfuncbench:1": "type_mismatch"}),
    "acebench": ("acebench", 3, {"en/data_normal_single_turn_single_function:3": "bad_json",
                                 "en/normal_single_turn_single_function_2": "unknown_tool"}),
    "toolace": ("toolace", 3, {"data:1": "schema_error", "data:2#1": "unknown_tool"}),
    "xlam": ("xlam", 2, {"xlam:2": "bad_json", "xlam:3": "unknown_tool"}),
}

_REAL: dict[str, tuple[list[Task], LoadReport, float]] = {}


def _load_real(name: str) -> tuple[list[Task], LoadReport, float]:
    """Load a source's real data once per test session (it is read by several tests)."""
    if name not in _REAL:
        report = LoadReport()
        t0 = time.perf_counter()
        tasks = load_source(name, SHARED_DATA / FOLDERS[name], report)
        _REAL[name] = (tasks, report, time.perf_counter() - t0)
    return _REAL[name]


def _load_fixture(name: str, **options) -> tuple[list[Task], LoadReport]:
    report = LoadReport()
    return load_source(name, FIXTURES / FIXTURE_EXPECT[name][0], report, **options), report


def _round_trip_failures(tasks: list[Task]) -> list[str]:
    out = []
    for task in tasks:
        res = match_calls(reference_calls(task.ground_truth, keep_optional=True), task.ground_truth, task.tools)
        if not res.valid:
            out.append(f"{task.id}: {res.message}")
    return out


def _by_id(tasks: list[Task]) -> dict[str, Task]:
    return {t.id: t for t in tasks}


# ---------------------------------------------------------------------------- registry


def test_registry_lists_every_source():
    assert set(SOURCES) == set(NAMES)
    assert set(FOLDERS) == set(NAMES)


def test_default_folder_is_the_shared_data(monkeypatch):
    monkeypatch.delenv(SHARED_DATA_ENV, raising=False)
    assert shared_data_dir() == SHARED_DATA
    assert default_path("nexus") == SHARED_DATA / "nexusraven"
    monkeypatch.setenv(SHARED_DATA_ENV, "/somewhere/else")
    assert default_path("toolrl") == Path("/somewhere/else/toolrl")


def test_unknown_source_lists_the_known_names():
    with pytest.raises(ValueError, match="unknown source 'no_such_source'") as err:
        load_source("no_such_source")
    for name in NAMES:
        assert name in str(err.value)


@pytest.mark.parametrize("name", NAMES)
def test_missing_folder_names_the_path(name, tmp_path):
    missing = tmp_path / "not_here"
    with pytest.raises(FileNotFoundError, match=str(missing)):
        load_source(name, missing)
    with pytest.raises(FileNotFoundError, match=str(missing)):
        SOURCES[name](missing)  # the module's own load() checks too


def test_missing_default_folder_names_the_path(monkeypatch, tmp_path):
    monkeypatch.setenv(SHARED_DATA_ENV, str(tmp_path))
    with pytest.raises(FileNotFoundError, match=str(tmp_path / "xlam")):
        load_source("xlam")


# ---------------------------------------------------------------------------- fixtures


@pytest.mark.parametrize("name", NAMES)
def test_fixture_converts_good_records_and_skips_bad_ones(name):
    tasks, report = _load_fixture(name)
    _, kept, skips = FIXTURE_EXPECT[name]
    assert report.kept == kept == len(tasks)
    assert sum(report.skipped.values()) == len(skips), report.examples
    for rid, kind in skips.items():
        assert any(e.startswith(f"{rid}: {kind}:") for e in report.examples), (rid, kind, report.examples)
    assert all(t.source == name for t in tasks)
    assert len({t.id for t in tasks}) == len(tasks)
    assert _round_trip_failures(tasks) == []


def test_toolrl_history_and_values():
    tasks = _by_id(_load_fixture("toolrl")[0])
    weather = tasks["rlla_4k_raw/rlla_sft:0"]
    assert weather.ground_truth[0].args == {"city": ("Oslo",), "days": (3,)}  # "3" -> 3: the schema says int
    assert weather.tool("get_weather").parameters.required == ()  # ToolRL gives no required information
    followup = tasks["rlla_4k_raw/rlla_sft:1"]
    assert [m["role"] for m in followup.messages] == ["user", "assistant", "tool", "assistant", "user"]
    assert followup.ground_truth == ()  # a <response>-only output: no call expected
    assert tasks["rlla_4k/test:0"].tool("Search Books").parameters.properties["tags"].type == "array"


def test_api_bank_tools_come_from_descriptions_and_tool_searcher():
    tasks = _by_id(_load_fixture("api_bank")[0])
    alarm = tasks["level-1-api:0"]
    assert alarm.messages[0] == {"role": "system", "content": "The current year is 2023."}
    assert {t.name for t in alarm.tools} == {"AddAlarm", "Calculator"}
    convert = tasks["level-3-batch-inf:0"]
    assert {t.name for t in convert.tools} == {"ToolSearcher", "UnitConverter"}  # retrieved earlier in the dialogue
    assert [m["role"] for m in convert.messages] == ["user", "assistant", "tool"]
    assert convert.ground_truth[0].args["value"] == (10,)


def test_api_bank_repairs_quoted_list_literals():
    from toolzero.data.sources.api_bank import repair_call

    text = "[QueryMeeting(topic='Sales', attendees='['John Smith', 'Jane Doe']')]"
    want = [("QueryMeeting", {"topic": "Sales", "attendees": ["John Smith", "Jane Doe"]})]
    assert parse_python_calls(repair_call(text)) == want


def test_acebench_repeated_calls_and_merged_alternatives():
    tasks = _by_id(_load_fixture("acebench")[0])
    parallel = tasks["en/normal_single_turn_parallel_function_0"]
    assert [c.name for c in parallel.ground_truth] == ["order_cake", "order_cake"]  # order_cake_1 is a second call
    cake = tasks["en/normal_single_turn_single_function_1"].ground_truth[0]
    assert cake.args == {"flavor": ("lemon", "Lemon"), "size": ("large", "")}  # "" where an alternative omits it
    brew = tasks["en/normal_single_turn_single_function_0"]
    assert brew.messages[0]["role"] == "system"  # the row's date
    assert brew.ground_truth[0].args["settings"] == ({"temperature": [80], "minutes": [3]},)  # possible-answer dict


def test_nestful_keeps_independent_calls_and_counts_dependent_ones():
    tasks = _by_id(_load_fixture("nestful")[0])
    assert [c.name for c in tasks["executable:1"].ground_truth] == ["CitySearch", "CitySearch"]
    assert tasks["executable:1"].category == "complete"
    assert tasks["executable:0"].category == "first_turn"
    first, report = _load_fixture("nestful", mode="first")
    assert [len(t.ground_truth) for t in sorted(first, key=lambda t: t.id)] == [1, 1]
    assert report.skipped["later_step"] == 2
    with pytest.raises(ValueError, match="mode"):
        _load_fixture("nestful", mode="everything")


def test_toolace_makes_one_task_per_decision_turn():
    tasks, _ = _load_fixture("toolace")
    assert [(t.id, len(t.ground_truth)) for t in tasks] == [("data:0#1", 1), ("data:0#5", 0), ("data:0#7", 1)]
    last = tasks[-1]
    assert [m["role"] for m in last.messages] == ["user", "assistant", "tool", "assistant", "user", "assistant", "user"]
    assert last.messages[1]["content"] == '[get_weather(city="Paris")]'
    calls_only, report = _load_fixture("toolace", no_call_turns=False)
    assert [t.id for t in calls_only] == ["data:0#1", "data:0#7"]


def test_xlam_required_parameters_and_numeric_strings():
    tasks = _by_id(_load_fixture("xlam")[0])
    pairs = tasks["xlam:1"]
    assert pairs.tool("find_pairs").parameters.required == ("nums", "target")  # "bool, optional" is not required
    assert pairs.ground_truth[0].args["target"] == (10,)
    assert tasks["xlam:0"].tool("live_giveaways_by_type").parameters.required == ()  # has a default


def test_nexus_keyword_argument_names_and_module_prefixes():
    tasks = _by_id(_load_fixture("nexus")[0])
    assert tasks["toolalpaca_queries:0.turns_1"].ground_truth[0].args == {"from": ("EUR",), "to": ("GBP",), "amount": (20,)}
    cpe = tasks["cve_cpe_queries:0"]
    assert cpe.ground_truth[0].name == "searchCPE"  # "nvdlib.searchCPE" -> the tool's name
    assert cpe.tool("searchCPE").parameters.properties["limit"].type == "integer"  # from the docstring


# ---------------------------------------------------------------------------- conversion rules


def _tool(params: dict, required: list[str] | None = None):
    return make_tool("f", "", params, required=required or [])


def test_values_are_checked_against_the_schema():
    tool = _tool({"n": {"type": "int"}, "x": {"type": "float"}, "s": {"type": "str"}, "b": {"type": "bool"},
                  "e": {"type": "str", "enum": ["Red", "blue"]}})
    assert expected_call("f", {"n": "7", "x": "2.5", "s": "7"}, tool) == {"f": {"n": [7], "x": [2.5], "s": ["7"]}}
    assert expected_call("f", {"e": "red"}, tool) == {"f": {"e": ["red"]}}  # enum compared like the matcher does
    for args, kind in [({"s": 7}, "type_mismatch"), ({"b": "true"}, "type_mismatch"), ({"n": 1.5}, "type_mismatch"),
                       ({"e": "green"}, "not_in_enum"), ({"zz": 1}, "unknown_argument")]:
        with pytest.raises(Skip) as err:
            expected_call("f", args, tool)
        assert err.value.kind == kind, args


def test_empty_values_may_be_omitted_unless_required():
    assert expected_call("f", {"s": "", "n": None}, _tool({"s": {"type": "str"}, "n": {"type": "int"}})) == \
        {"f": {"s": [""], "n": [""]}}
    with pytest.raises(Skip, match="missing_required"):
        expected_call("f", {"s": ""}, _tool({"s": {"type": "str"}}, ["s"]))


def test_nested_values_the_renderer_cannot_write_are_skipped():
    tool = _tool({"d": {"type": "dict"}})
    assert expected_call("f", {"d": {"a": 1, "b": {"c": 2}}}, tool) == {"f": {"d": [{"a": [1], "b": [{"c": 2}]}]}}
    with pytest.raises(Skip, match="unrepresentable"):
        expected_call("f", {"d": {"a": {"b": [1, 2]}}}, tool)


@pytest.mark.parametrize(("raw", "want", "optional"), [
    ("str", {"type": "string"}, False),
    ("int, optional", {"type": "integer"}, True),
    ("List[int]", {"type": "array", "items": {"type": "integer"}}, False),
    ("Optional[float]", {"type": "number"}, True),
    ("Union[int, float]", {"type": "number"}, False),
    ("Dict[str, Any]", {"type": "object"}, False),
    ("list(str)", {"type": "array", "items": {"type": "string"}}, False),
    ("['string', 'null']", {"type": "string"}, True),
    ("Date (yyyy-mm-dd)", {"type": "string"}, False),
    ("Array[Object{id: string", {"type": "array", "items": {"type": "any"}}, False),
])
def test_type_spellings(raw, want, optional):
    assert type_schema(raw) == (want, optional)


def test_unknown_type_is_a_schema_error():
    with pytest.raises(Skip, match="schema_error"):
        type_schema("Callable[[float], float]")


def test_python_calls():
    assert parse_python_calls("[f(a=1, b='x'), g()]") == [("f", {"a": 1, "b": "x"}), ("g", {})]
    assert parse_python_calls("r = mod.f(flag=true, v=-2.5, xs=[1, {'k': None}])") == \
        [("mod.f", {"flag": True, "v": -2.5, "xs": [1, {"k": None}]})]
    for bad in ("f(1)", "[f(a=b)]", "f(a=", "x + 1"):
        with pytest.raises(Skip, match="bad_call"):
            parse_python_calls(bad)


# ---------------------------------------------------------------------------- real data


def _real(name: str):
    folder = SHARED_DATA / FOLDERS[name]
    return pytest.param(name, marks=pytest.mark.skipif(not folder.exists(), reason=f"{folder} is absent"))


@pytest.mark.parametrize("name", [_real(n) for n in NAMES])
def test_real_data_converts_and_round_trips(name):
    tasks, report, seconds = _load_real(name)
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(report.skipped.items())) or "none"
    SUMMARY.append(f"sources/{name}: kept {report.kept}, skipped {sum(report.skipped.values())} ({reasons}); {seconds:.1f}s")
    assert report.kept == len(tasks) > 0
    assert len({t.id for t in tasks}) == len(tasks)
    failures = _round_trip_failures(tasks)
    assert failures == [], failures[:5]
