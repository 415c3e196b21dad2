"""Difficulty levels of the synthetic set: level None unchanged, what each level builds, reachable ground truths."""

import dataclasses
import datetime as dt
import hashlib
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolzero.calls.decode import strict_match
from toolzero.calls.formats import get_format
from toolzero.calls.match import match_calls
from toolzero.calls.render import reference_calls
from toolzero.data.synthetic import (
    LEVELS,
    SHAPES,
    Level,
    function_names,
    generate,
    get_level,
    rich_catalogue,
    task_level,
    verbatim_catalogue,
)
from toolzero.data.synthetic.slots import MONTHS, Coded, IsoDate, Quantity
from toolzero.data.transforms import normalize_query
from toolzero.schema import OPTIONAL, ExpectedCall, Task

# sha256 of json.dumps([t.to_json() for t in generate(200, 0)], sort_keys=True) and of generate(200, 7),
# computed on commit 7aa011c, before levels existed: level=None must stay byte-identical.
BEFORE_LEVELS = {0: "cd3c414954db820ff5b0d7c9b55af6163ffea121c8cc0df146bbae0cf541e216",
                 7: "b1f066a633d15fa80963613aeb0e061a4868ea6f347976dc5f4e393e85e5fa52"}
LEVEL_1_BEFORE = "1828058fb6b5ab8bae0d3c229d3efb8ccfb86821ccea74162cc5a604916a42dd"  # generate(200, 0, level=1)
N = 300
GG = get_format("gg")


def _sha(tasks: list[Task]) -> str:
    return hashlib.sha256(json.dumps([t.to_json() for t in tasks], sort_keys=True).encode()).hexdigest()


@pytest.fixture(scope="module")
def by_level() -> dict[int, list[Task]]:
    return {lv.number: generate(N, seed=0, level=lv.number) for lv in LEVELS}


def _query(t: Task) -> str:
    return t.messages[0]["content"]


def _stated(call: ExpectedCall) -> dict:
    """The arguments a correct answer must set (those that may not be left out)."""
    return {a: acc for a, acc in call.args.items() if OPTIONAL not in acc}


def _strict_ok(t: Task, **kw) -> bool:
    """The ground truth's own reference answer, written in the gg format and read back, is a strict match."""
    res = strict_match(GG.parse(GG.render(reference_calls(t.ground_truth, **kw))), t)
    return res is not None and res.valid


# ----------------------------------------------------------------------------- level None and the table


@pytest.mark.parametrize("seed", sorted(BEFORE_LEVELS))
def test_level_none_is_byte_identical_to_before_levels(seed):
    assert _sha(generate(200, seed)) == BEFORE_LEVELS[seed]
    assert _sha(generate(200, seed, level=None)) == BEFORE_LEVELS[seed]


def test_level_3_is_todays_mix_under_level_ids():
    plain, full = generate(120, 5), generate(120, 5, level=3)
    assert [{**t.to_json(), "id": ""} for t in plain] == [{**t.to_json(), "id": ""} for t in full]
    assert [t.id for t in full] == [f"syn5_L3_{i}" for i in range(120)]


def test_levels_table():
    assert [lv.number for lv in LEVELS] == [1, 2, 3, 4, 5, 6]
    assert [lv.name for lv in LEVELS] == ["verbatim", "simple", "full", "rich", "verbatim_multi", "verbatim_wide"]
    for lv in LEVELS:
        assert lv.description and "\n" not in lv.description and set(lv.shapes) <= set(SHAPES)
        assert get_level(lv.number) is lv and get_level(lv.name) is lv and get_level(lv) is lv
        with pytest.raises(dataclasses.FrozenInstanceError):
            lv.name = "other"  # type: ignore[misc]
    assert LEVELS[2].shapes == SHAPES
    with pytest.raises(ValueError, match="unknown level"):
        generate(3, 0, level=9)
    with pytest.raises(ValueError, match="unknown level"):
        get_level(True)
    with pytest.raises(ValueError, match="one weight each"):
        Level(5, "x", "y", ("simple",), (0.5, 0.5))
    assert [t.to_json() for t in generate(20, 1, level="rich")] == [t.to_json() for t in generate(20, 1, level=4)]


def test_ids_categories_and_task_level_roundtrip(by_level):
    for number, tasks in by_level.items():
        lv = get_level(number)
        assert [t.id for t in tasks] == [f"syn0_L{number}_{i}" for i in range(N)]
        assert {t.category for t in tasks} == set(lv.shapes)
        for t in tasks[:50]:
            assert task_level(t) == number == task_level(Task.from_json(t.to_json())) == task_level(t.id)
    assert all(task_level(t) is None for t in generate(30, 0))
    assert task_level("syn-2_L4_0") == 4 and task_level("bfcl_simple_0") is None and task_level("syn0_L_3") is None


# ----------------------------------------------------------------------------- every level


def test_every_level_is_valid_distinct_and_strictly_matchable(by_level):
    for number, tasks in by_level.items():
        assert len({normalize_query(_query(t)) for t in tasks}) == N, number
        for t in tasks:
            assert Task.from_json(t.to_json()).to_json() == t.to_json()
            assert t.source == "synthetic" and len(t.messages) == 1
            assert _strict_ok(t), (t.id, _query(t))
            assert match_calls(reference_calls(t.ground_truth, keep_optional=True), t.ground_truth, t.tools).valid, t.id


@pytest.mark.parametrize("level", [lv.number for lv in LEVELS])
def test_every_level_is_deterministic_from_the_seed(level):
    a, b, c = generate(60, 3, level=level), generate(60, 3, level=level), generate(60, 4, level=level)
    assert [t.to_json() for t in a] == [t.to_json() for t in b]
    assert [t.to_json() for t in a] != [t.to_json() for t in c]
    assert generate(0, 3, level=level) == []


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31), level=st.sampled_from([None, *(lv.number for lv in LEVELS)]))
def test_any_seed_gives_valid_tasks(seed, level):
    tasks = generate(12, seed, level=level)
    assert len({normalize_query(_query(t)) for t in tasks}) == 12
    for t in tasks:
        assert task_level(t) == level
        assert Task.from_json(t.to_json()).to_json() == t.to_json()
        assert _strict_ok(t)


# ----------------------------------------------------------------------------- level 1: verbatim


def test_verbatim_level(by_level):
    for t in by_level[1]:
        assert t.category == "simple" and len(t.tools) == 1 and len(t.ground_truth) == 1
        params = t.tools[0].parameters
        assert 1 <= len(params.properties) <= 2 and set(params.required) == set(params.properties)
        (call,) = t.ground_truth
        assert set(call.args) == set(params.properties)
        for arg, accepted in call.args.items():
            assert len(accepted) == 1 and accepted[0] != OPTIONAL
            assert params.properties[arg].type in ("string", "integer")
            assert str(accepted[0]) in _query(t), (t.id, arg, accepted, _query(t))
    sizes = {len(t.tools[0].parameters.properties) for t in by_level[1]}
    assert sizes == {1, 2}
    cat = verbatim_catalogue()
    assert len(cat.functions) >= 100 and all(f.action != "update" for f in cat.functions)


# ----------------------------------------------------------------------------- level 5: verbatim_multi


def test_verbatim_multi_level(by_level):
    """Level 1's tools and verbatim values, two or three calls a task; parallel calls differ in an identifier."""
    tasks = by_level[5]
    assert {len(t.ground_truth) for t in tasks} == {2, 3}
    names = {f.name for f in verbatim_catalogue().functions}
    for t in tasks:
        assert {tool.name for tool in t.tools} <= names
        for call in t.ground_truth:
            for arg, accepted in call.args.items():
                assert len(accepted) == 1 and accepted[0] != OPTIONAL
                assert str(accepted[0]) in _query(t), (t.id, arg, accepted, _query(t))
        if t.category == "parallel":
            assert len(t.tools) == 1 and len({c.name for c in t.ground_truth}) == 1
            varied = {a for a in t.ground_truth[0].args if len({c.args[a] for c in t.ground_truth}) > 1}
            assert len(varied) == 1
            props = t.tools[0].parameters.properties
            if any((p.description or "").startswith("Identifier") for p in props.values()):  # 101 of 149 here
                (arg,) = varied
                assert (props[arg].description or "").startswith("Identifier"), (t.id, arg)
        else:
            assert len({c.name for c in t.ground_truth}) == len(t.ground_truth) >= 2
    assert sum(t.category == "parallel" for t in tasks) > N / 4 and sum(t.category == "parallel_multiple" for t in tasks) > N / 4


def test_verbatim_wide_level(by_level):
    """Any catalogue function, 2-4 stated arguments written as the call has them, every optional left out."""
    tasks = by_level[6]
    assert {t.category for t in tasks} == {"simple", "multiple"}
    stated = []
    for t in tasks:
        (call,) = t.ground_truth
        args = _stated(call)
        stated.append(len(args))
        for arg, accepted in args.items():
            assert len(accepted) == 1 and str(accepted[0]) in _query(t), (t.id, arg, accepted, _query(t))
        tool = next(tool for tool in t.tools if tool.name == call.name)
        assert set(tool.parameters.properties) == set(call.args)  # the schema's optionals are there, to be left out
    assert min(stated) == 2 and max(stated) >= 3 and sum(n >= 3 for n in stated) > N / 5
    assert len({t.ground_truth[0].name for t in tasks} - {f.name for f in verbatim_catalogue().functions}) > 50


def test_level_1_is_unchanged_by_level_5():
    """Level 5 shares level 1's functions; level 1's tasks (single calls) stay what they were."""
    # LEVEL_1_BEFORE: sha256 of generate(200, 0, level=1), computed on commit f00055f, before level 5 existed
    assert _sha(generate(200, 0, level=1)) == LEVEL_1_BEFORE


# ----------------------------------------------------------------------------- level 2: simple


def test_simple_level(by_level):
    tasks = by_level[2]
    mentioned = omitted = 0
    for t in tasks:
        assert len(t.ground_truth) == 1
        assert (len(t.tools) == 1) == (t.category == "simple") and len(t.tools) <= 4
        for arg, accepted in t.ground_truth[0].args.items():
            required = arg in t.tool(t.ground_truth[0].name).parameters.required
            mentioned += not required and OPTIONAL not in accepted
            omitted += OPTIONAL in accepted
    assert mentioned > 50 and omitted > 50


# ----------------------------------------------------------------------------- level 4: rich


def _rich_features(t: Task) -> set[str]:
    """Which of the rich level's hard cases the task has."""
    query, out = _query(t), set()
    rich = rich_catalogue().by_name
    for call in t.ground_truth:
        slots = {s.name: s for s, _ in rich[call.name].params}
        for arg, accepted in call.args.items():
            slot = slots[arg]
            if accepted == (OPTIONAL,):
                out.add("omitted")
                continue
            value = accepted[0]
            if isinstance(slot, Quantity):
                out.add("unit")
                if slot.say(value, slot.units[0]) not in query:
                    out.add("conversion")
            elif isinstance(slot, IsoDate) and value not in query:
                assert accepted == (value,) and re.fullmatch(r"\d{4}-\d\d-\d\d", value)
                out.add("date")
            elif isinstance(slot, Coded) and value not in query:
                assert accepted == (value,)
                out.add("enum")
            elif type(value) is dict:
                out.add("nested")
    return out


def test_rich_level(by_level):
    tasks = by_level[4]
    assert {t.category for t in tasks} == {"simple", "multiple", "parallel", "parallel_multiple"}
    assert sum(t.category in ("simple", "multiple") for t in tasks) > 0.6 * N
    calls = [c for t in tasks for c in t.ground_truth]
    assert sum(4 <= len(_stated(c)) <= 6 for c in calls) / len(calls) >= 0.95
    assert all(c.name in rich_catalogue().by_name for c in calls)
    seen: dict[str, int] = {}
    for t in tasks:
        for f in _rich_features(t):
            seen[f] = seen.get(f, 0) + 1
    for feature in ("unit", "conversion", "date", "enum", "nested", "omitted"):
        assert seen.get(feature, 0) >= 10, (feature, seen)


def test_rich_ground_truth_accepts_only_normalised_values(by_level):
    """The value as the query says it (the date in words, the enum in words, the unconverted number) fails."""
    checked = set()
    for t in by_level[4]:
        if len(t.ground_truth) != 1:
            continue
        (call,) = t.ground_truth
        slots = {s.name: s for s, _ in rich_catalogue().by_name[call.name].params}
        ref = reference_calls(t.ground_truth)[0]
        for arg, accepted in call.args.items():
            slot, value = slots[arg], accepted[0]
            if accepted == (OPTIONAL,):  # an unmentioned optional may not be set, not even to a plausible value
                continue
            if isinstance(slot, IsoDate):
                d = dt.date.fromisoformat(value)
                wrong, kind = f"{MONTHS[d.month - 1]} {d.day}, {d.year}", "date"
            elif isinstance(slot, Coded):
                wrong, kind = slot.codes[value][0], "enum"
            elif isinstance(slot, Quantity) and slot.say(value, slot.units[0]) not in _query(t):
                unit = next(u for u in slot.sayable(value) if slot.say(value, u) in _query(t))
                wrong, kind = round(value / unit[2], 6), "conversion"
            else:
                continue
            bad = dataclasses.replace(ref, args={**ref.args, arg: wrong})
            assert not match_calls([bad], t.ground_truth, t.tools).valid, (t.id, arg, wrong)
            checked.add(kind)
        omitted = [a for a, acc in call.args.items() if acc == (OPTIONAL,)]
        if omitted:
            tool = t.tool(call.name)
            spec = tool.parameters.properties[omitted[0]]
            filler = {"string": "x", "integer": 1, "float": 1.0, "number": 1.0, "boolean": True}.get(spec.type)
            if filler is not None:
                bad = dataclasses.replace(ref, args={**ref.args, omitted[0]: filler})
                assert not match_calls([bad], t.ground_truth, t.tools).valid
                checked.add("omitted")
    assert checked == {"date", "enum", "conversion", "omitted"}


def test_rich_slots():
    import random

    rng = random.Random(0)
    minutes = Quantity("duration_minutes", "duration", "Length, in minutes.", [["minutes", "minute", 1], ["hours", "hour", 60]],
                       30, 300, 30, integer=True)
    said = {minutes.render(90, rng)[0] for _ in range(40)}
    assert said == {"90 minutes", "1.5 hours"} and minutes.render(90, rng)[1] == (90,)
    assert {minutes.render(60, rng)[0] for _ in range(40)} == {"60 minutes", "1 hour"}
    assert {minutes.render(45, rng)[0] for _ in range(20)} == {"45 minutes"}  # 0.75 hours is not said
    date = IsoDate("d", "date")
    forms = {date.render("2026-03-03", rng)[0] for _ in range(60)}
    assert "2026-03-03" not in forms and "March 3, 2026" in forms and "the 3rd of March 2026" in forms
    assert date.render("2026-03-03", rng)[1] == ("2026-03-03",)
    cabin = Coded("cabin", "cabin", "Cabin.", {"ECONOMY": ["coach"], "BUSINESS": ["business class"]})
    assert cabin.render("BUSINESS", rng) == ("business class", ("BUSINESS",))
    assert cabin.schema("openai")["enum"] == ["ECONOMY", "BUSINESS"]
    for codes in ({"SUV": ["an SUV"], "VAN": ["minivan"]}, {"ICE_HOCKEY": ["ice hockey"], "CHESS": ["board games"]}):
        with pytest.raises(ValueError, match="nothing is left to normalise"):  # the matcher would read them as the code
            Coded("c", "c", "C.", codes)
    with pytest.raises(ValueError, match="must name the unit"):
        Quantity("d_km", "distance", "Distance.", [["km", "km", 1]], 1, 9, 1)


def test_rich_entities_are_checked():
    from toolzero.data.synthetic.services import _entity

    city = {"name": "city", "kind": "city", "required": True}
    doc = {"key": "k", "noun": "thing", "plural": "things", "ident": {"name": "thing_id", "label": "thing"},
           "attrs": [city, {**city, "name": "to"}, {**city, "name": "via"},
                     {"name": "n", "kind": "int", "required": False, "label": "n", "desc": "N.", "lo": 1, "hi": 5,
                      "phrases": ["for {v}"]}]}
    pools = {"cities": ["Oslo", "Riga"]}
    assert _entity(doc, pools, {}, "x", rich=True).actions == ("create", "update")
    attrs = doc["attrs"]
    for bad, why in (({**doc, "attrs": attrs[:3]}, "at least 4"), ({**doc, "actions": ["search"]}, "offers only"),
                     ({**doc, "attrs": [*attrs[:3], {**attrs[3], "default": 2}]}, "no defaults")):
        with pytest.raises(ValueError, match=why):
            _entity(bad, pools, {}, "x", rich=True)


def test_rich_functions_are_new_names():
    rich = {f.name for f in rich_catalogue().functions}
    assert len(rich) >= 30 and not rich & set(function_names())
    assert set(function_names(rich=True)) == set(function_names()) | rich
    pytest.importorskip("bfcl_eval", reason="bfcl-eval (BFCL v4 data) is not installed")
    from toolzero.data.bfcl import CATEGORIES, load_bfcl

    bfcl_names = {tool.name for c in CATEGORIES for t in load_bfcl(c, "v4") for tool in t.tools}
    assert not rich & bfcl_names


def test_tasks_are_read_back_from_their_ids():
    """Task i of a seed and level does not depend on how many were generated: a run's ids give its tasks."""
    from toolzero.data.synthetic import tasks_by_id

    l2, l5 = generate(40, 3, level=2), generate(10, 0, level=5)
    got = tasks_by_id([l2[39].id, l2[7].id, l5[4].id, "bfcl_simple_1", "syn0_7", "syn0_L9_1"])
    assert set(got) == {l2[39].id, l2[7].id, l5[4].id}
    assert got[l2[7].id].to_json() == l2[7].to_json() and got[l5[4].id].to_json() == l5[4].to_json()
