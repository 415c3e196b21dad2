"""Data transforms (METHOD.md section 5): small worked examples per transform, plus properties."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolzero.calls.match import match_calls
from toolzero.calls.parse import parse_call_list
from toolzero.calls.render import reference_calls
from toolzero.data.report import LoadReport
from toolzero.data.synthetic import generate
from toolzero.data.transforms import (
    NEAR_JACCARD,
    AugCategory,
    QueryIndex,
    assistant_turn,
    concat_dialogues,
    decontaminate,
    dedupe,
    drop_and_reintroduce,
    make_irrelevant,
    mask_names,
    mask_parameter,
    normalize_query,
    parse_filter,
    perturb_previous_call,
    rename_calls,
    unmask_names,
)
from toolzero.data.transforms.duplicates import _grams
from toolzero.schema import Task, Tool, ToolCall, parse_ground_truth

from conftest import HYPOT, TIME, WEATHER, make_task

WEATHER_GT = [{"get_weather": {"city": ["Paris"], "unit": ["", "celsius"], "days": [""]}}]


def record(**over):
    rec = {"id": "r1", "source": "test", "tools": [WEATHER, TIME], "messages": [{"role": "user", "content": "Weather?"}],
           "ground_truth": WEATHER_GT}
    rec.update(over)
    return rec


# ---------------------------------------------------------------------------- parse_filter


def test_parse_filter_keeps_good_records_and_counts_each_reason():
    """Dicts and tasks in; broken ones dropped with their reason."""
    bad_tool = {"name": "f", "parameters": {"type": "dict", "properties": {"a": {"type": "complex"}}}}
    records = [
        record(),
        make_task(WEATHER_GT),
        record(id="bad_tools", tools=[bad_tool]),
        record(id="bad_gt", ground_truth="{not json"),
        record(id="bad_msgs", messages="hello"),
        record(id="unknown_tool", ground_truth=[{"book_flight": {}}]),
        record(id="unknown_param", ground_truth=[{"get_weather": {"city": ["Paris"], "country": ["FR"]}}]),
        record(id="type", ground_truth=[{"get_weather": {"city": ["Paris"], "days": ["three"]}}]),
        record(id="missing_req", ground_truth=[{"get_weather": {"unit": ["celsius"]}}]),
        "not a record",
    ]
    report = LoadReport()
    kept = parse_filter(records, report)
    assert [t.id for t in kept] == ["r1", "t1"]
    assert all(isinstance(t, Task) for t in kept)
    assert report.kept == 2
    assert report.skipped == {"bad_tools": 1, "bad_ground_truth": 1, "bad_messages": 1, "unknown_tool": 1,
                              "unknown_param": 1, "type_mismatch": 1, "missing_required": 1, "bad_record": 1}
    assert any(e.startswith("type: type_mismatch: get_weather.days") for e in report.examples)


def test_parse_filter_type_rules():
    """int fits float, bool does not fit int, nested dict values and array items are checked."""
    ok = [{"math.hypot": {"x": [3], "y": [4.0], "coords": [[1, 2]], "opts": [{"precise": [True]}]}}]
    bad_nested = [{"math.hypot": {"x": [3], "y": [4.0], "opts": [{"precise": ["yes"]}]}}]
    bad_items = [{"math.hypot": {"x": [3], "y": [4.0], "coords": [[1, "2"]]}}]
    bad_bool = [{"get_weather": {"city": ["Paris"], "days": [True]}}]
    tasks = [make_task(ok), make_task(bad_nested), make_task(bad_items), make_task(bad_bool)]
    report = LoadReport()
    assert len(parse_filter(tasks, report)) == 1
    assert report.skipped == {"type_mismatch": 3}


# ---------------------------------------------------------------------------- mask_names

ORDER = {
    "name": "shop.place_order",
    "description": "Place an order; see also get_weather.",
    "parameters": {"type": "object", "properties": {
        "items": {"type": "array", "items": {"type": "object", "properties": {
            "sku": {"type": "string"}, "qty": {"type": "integer"}}, "required": ["sku"]}},
        "note": {"type": "string"}}, "required": ["items"]},
}


def test_mask_names_renames_tools_ground_truth_and_messages_consistently():
    gt = [{"get_weather": {"city": ["Paris"], "unit": ["", "celsius"]}},
          {"math.hypot": {"x": [3.0], "y": [4.0], "opts": [{"precise": [True]}]}}]
    task = make_task(gt, query="Use get_weather for the city of Paris, then math.hypot.")
    masked, mapping = mask_names(task, 7)
    assert sorted(mapping.functions.values()) == ["func_1", "func_2", "func_3"]
    w, h = mapping.functions["get_weather"], mapping.functions["math.hypot"]
    city = mapping.params["get_weather"]["city"][0]
    opts, opts_tree = mapping.params["math.hypot"]["opts"]
    precise = opts_tree["precise"][0]
    assert sorted(n for n, _ in mapping.params["get_weather"].values()) == ["param_1", "param_2", "param_3"]
    assert precise == "param_1"  # the nested object is numbered on its own
    mw = masked.tool(w)
    assert mw.parameters.required == (city,)
    assert masked.tool(h).parameters.properties[opts].properties[precise].type == "boolean"
    assert masked.ground_truth[0].name == w and masked.ground_truth[0].args[city] == ("Paris",)
    assert masked.ground_truth[1].args[opts] == ({precise: [True]},)
    assert masked.messages[0]["content"] == f"Use {w} for the city of Paris, then {h}."  # "city" stays: free text
    assert match_calls(reference_calls(masked.ground_truth, keep_optional=True), masked.ground_truth, masked.tools).valid
    back = unmask_names(masked, mapping)
    assert back == task and back.to_json() == task.to_json()


def test_mask_names_arrays_of_objects_and_earlier_answers():
    """Properties of array items and calls inside earlier <answer> blocks are renamed too."""
    gt = [{"shop.place_order": {"items": [[{"sku": ["A1"], "qty": [2]}]], "note": [""]}}]
    earlier = assistant_turn([ToolCall("shop.place_order", {"items": [{"sku": "B7", "qty": 1}]})])
    task = Task("o1", "test", (Tool.from_json(ORDER), Tool.from_json(WEATHER)),
                ({"role": "user", "content": "Order B7"}, earlier, {"role": "user", "content": "And 2 of A1"}),
                parse_ground_truth(gt))
    masked, mapping = mask_names(task, 1)
    items, tree = mapping.params["shop.place_order"]["items"]
    sku, qty = tree["sku"][0], tree["qty"][0]
    f = mapping.functions["shop.place_order"]
    item_schema = masked.tool(f).parameters.properties[items].items
    assert set(item_schema.properties) == {sku, qty} and item_schema.required == (sku,)
    assert masked.tool(f).description == f"Place an order; see also {mapping.functions['get_weather']}."
    assert masked.ground_truth[0].args[items] == ([{sku: ["A1"], qty: [2]}],)
    answer = masked.messages[1]["content"].split("<answer>")[1].split("</answer>")[0]
    assert parse_call_list(answer) == (ToolCall(f, {items: [{sku: "B7", qty: 1}]}),)
    assert match_calls(reference_calls(masked.ground_truth, keep_optional=True), masked.ground_truth, masked.tools).valid
    assert unmask_names(masked, mapping).to_json() == task.to_json()
    # a model's answer on the masked task maps back to the original names
    assert rename_calls(reference_calls(masked.ground_truth, keep_optional=True), mapping.inverse()) == list(
        reference_calls(task.ground_truth, keep_optional=True))


def test_mask_names_is_deterministic_per_seed():
    task = make_task(WEATHER_GT)
    assert mask_names(task, 3)[1] == mask_names(task, 3)[1]
    mappings = {tuple(sorted(mask_names(task, s)[1].functions.items())) for s in range(20)}
    assert len(mappings) > 1


# ---------------------------------------------------------------------------- make_irrelevant


def test_make_irrelevant_removes_the_called_tools():
    task = make_task(WEATHER_GT)
    irr = make_irrelevant(task)
    assert [t.name for t in irr.tools] == ["get_time", "math.hypot"]
    assert irr.ground_truth == () and irr.category == "irrelevance" and irr.id == "t1::irrelevant"
    assert irr.messages == task.messages
    assert task.ground_truth  # the original is untouched
    assert make_irrelevant(irr) is None  # already no call
    assert make_irrelevant(make_task(WEATHER_GT, tools=(WEATHER,))) is None  # no tool would remain


# ---------------------------------------------------------------------------- multi-turn augmentation


def _task(tid: str, query: str, gt: list, tools: tuple = (WEATHER, TIME), source: str = "s") -> Task:
    return Task(tid, source, tuple(Tool.from_json(t) for t in tools), ({"role": "user", "content": query},),
                parse_ground_truth(gt))


def test_concat_dialogues_joins_related_tasks_with_calls_and_results():
    a = _task("a", "Weather in Oslo?", [{"get_weather": {"city": ["Oslo"]}}], tools=(WEATHER,))
    b = _task("b", "Time in CET?", [{"get_time": {"tz": ["CET"]}}])
    other_source = _task("c", "Weather in Rome?", [{"get_weather": {"city": ["Rome"]}}], source="other")
    lone = _task("d", "Hypot of 3 and 4?", [{"math.hypot": {"x": [3.0], "y": [4.0]}}], tools=(HYPOT,))
    out = {t.id.split("::")[0]: t for t in concat_dialogues([a, b, other_source, lone], seed=0)}
    assert set(out) == {"a", "b"}  # c has no partner from its source, d shares no tool
    ab = out["b"]
    assert ab.id == "b::concat[a]" and ab.category == AugCategory.CONCAT.value
    assert [m["role"] for m in ab.messages] == ["user", "assistant", "tool", "user"]
    assert ab.messages[0]["content"] == "Weather in Oslo?" and ab.messages[3]["content"] == "Time in CET?"
    assert "<answer>[get_weather(city='Oslo')]</answer>" in ab.messages[1]["content"]
    assert '"function": "get_weather"' in ab.messages[2]["content"]
    assert [t.name for t in ab.tools] == ["get_weather", "get_time"]
    assert ab.ground_truth == b.ground_truth
    assert concat_dialogues([a, b, other_source, lone], seed=0) == concat_dialogues([a, b, other_source, lone], seed=0)


def test_drop_and_reintroduce_gives_a_no_call_turn_then_the_call():
    task = _task("w", "Weather in Oslo?", [{"get_weather": {"city": ["Oslo"]}}])
    first, later = drop_and_reintroduce(task, seed=1)
    assert first.id == "w::miss_func" and first.category == AugCategory.MISS_FUNC.value
    assert [t.name for t in first.tools] == ["get_time"] and first.ground_truth == ()
    assert later.category == AugCategory.MISS_FUNC_READDED.value
    assert [t.name for t in later.tools] == ["get_weather", "get_time"] and later.ground_truth == task.ground_truth
    assert [m["role"] for m in later.messages] == ["user", "assistant", "user"]
    assert later.messages[1]["content"].endswith("<answer>[]</answer>")
    assert "`get_weather`" in later.messages[2]["content"]
    only = drop_and_reintroduce(_task("x", "Weather?", [{"get_weather": {"city": ["Oslo"]}}], tools=(WEATHER,)))
    assert [t.category for t in only] == [AugCategory.MISS_FUNC_READDED.value]  # no tool would remain for turn 1
    assert drop_and_reintroduce(make_irrelevant(task)) == []


def test_mask_parameter_cuts_the_value_and_asks_for_it():
    task = _task("m", "What's the weather in Paris for 3 days?",
                 [{"get_weather": {"city": ["Paris"], "days": [3], "unit": [""]}}])
    ask, answered = mask_parameter(task, seed=0)  # city is the only required parameter
    assert ask.messages[0]["content"] == "What's the weather for 3 days?"
    assert ask.ground_truth == () and ask.category == AugCategory.MISS_PARAM.value
    assert answered.messages[0] == ask.messages[0]
    assert "city" in answered.messages[1]["content"] and answered.messages[1]["content"].endswith("<answer>[]</answer>")
    assert answered.messages[2]["role"] == "user" and "Paris" in answered.messages[2]["content"]
    assert answered.ground_truth == task.ground_truth and answered.category == AugCategory.MISS_PARAM_ANSWERED.value
    # numbers: the unit word goes too; values not in the text cannot be masked
    money = {"name": "pay", "parameters": {"type": "dict", "properties": {"amount": {"type": "float"},
                                                                             "to": {"type": "string"}},
                                           "required": ["amount"]}}
    pay = _task("p", "Pay $12.50 dollars to Ann now.", [{"pay": {"amount": [12.5], "to": ["Ann"]}}], tools=(money,))
    assert mask_parameter(pay)[0].messages[0]["content"] == "Pay to Ann now."
    assert mask_parameter(_task("n", "Weather please", [{"get_weather": {"city": ["Paris"]}}])) == []


def test_perturb_previous_call_asks_for_the_corrected_call():
    task = _task("c", "Weather in Paris in celsius?", [{"get_weather": {"city": ["Paris"], "unit": ["celsius"]}}])
    fixed = perturb_previous_call(task, seed=2)
    assert fixed.id == "c::correction" and fixed.category == AugCategory.CORRECTION.value
    assert [m["role"] for m in fixed.messages] == ["user", "assistant", "tool", "user"]
    shown = parse_call_list(fixed.messages[1]["content"].split("<answer>")[1].split("</answer>")[0])
    assert not match_calls(shown, task.ground_truth, task.tools).valid  # the earlier call is wrong
    assert fixed.ground_truth == task.ground_truth
    assert match_calls(reference_calls(task.ground_truth, keep_optional=True), fixed.ground_truth, fixed.tools).valid
    assert perturb_previous_call(make_irrelevant(task)) is None


def test_perturb_previous_call_expects_only_the_wrong_call_of_several():
    gt = [{"get_time": {"tz": ["CET"]}}, {"get_time": {"tz": ["PST"]}}]
    fixed = perturb_previous_call(_task("p2", "Time in CET and PST?", gt), seed=0)
    assert len(fixed.ground_truth) == 1
    shown = parse_call_list(fixed.messages[1]["content"].split("<answer>")[1].split("</answer>")[0])
    assert len(shown) == 2 and fixed.ground_truth[0] in _task("p2", "", gt).ground_truth


# ---------------------------------------------------------------------------- dedupe and decontaminate


def test_dedupe_by_normalised_query_tools_and_ground_truth():
    gt2 = [{"get_time": {"tz": ["CET"]}}, {"get_time": {"tz": ["PST"]}}]
    a = _task("a", "Time in CET and PST?", gt2)
    b = _task("b", "  time in cet, and PST ", list(reversed(gt2)))  # same after normalisation, calls reordered
    c = _task("c", "Time in CET and PST?", gt2[:1])  # other answer
    d = _task("d", "Time in CET and PST?", gt2, tools=(TIME,))  # other tools
    report = LoadReport()
    assert [t.id for t in dedupe([a, b, c, d], report)] == ["a", "c", "d"]
    assert report.skipped == {"duplicate": 1} and report.examples == ["b: duplicate: of a"]


EVAL = [
    _task("e1", "Find the area of a triangle with a base of 10 units and height of 5 units.", []),
    _task("e2", "What is the capital city of the country that hosted the 1992 summer olympics?", []),
    _task("e3", "Book a table for two at Luigi's tonight", []),
]


def test_normalize_query():
    assert normalize_query("  Hello,   WORLD!! It's\tme. ") == "hello world it s me"


def test_decontaminate_exact_near_token_set_and_non_match():
    train = [
        _task("exact", "find the AREA of a triangle, with a base of 10 units and height of 5 units", []),
        _task("near", "What is the capital city of the country that hosted the 1992 summer olympic?", []),
        _task("tokens", "tonight book a table at Luigi's for two", []),
        _task("other", "Find the area of a circle with a radius of 3 units.", []),
        _task("weather", "What's the weather in Paris?", []),
    ]
    report = LoadReport()
    kept, hits = decontaminate(train, {"bfcl": EVAL}, report)
    assert [t.id for t in kept] == ["other", "weather"]
    assert [(h.train_id, h.eval_set, h.eval_id, h.kind) for h in hits] == [
        ("exact", "bfcl", "e1", "exact"), ("near", "bfcl", "e2", "near"), ("tokens", "bfcl", "e3", "token_set")]
    assert NEAR_JACCARD <= hits[1].similarity < 1
    assert report.kept == 2 and report.skipped == {"contaminated": 3}
    assert report.examples[0] == "exact: contaminated: exact match of bfcl/e1"


def test_decontaminate_checks_every_user_turn():
    multi = Task("mt", "s", (), ({"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"},
                               {"role": "user", "content": EVAL[0].messages[0]["content"]}), ())
    _, hits = decontaminate([multi], QueryIndex(EVAL))
    assert [(h.train_id, h.eval_id) for h in hits] == [("mt", "e1")]


def _jaccard(a: str, b: str) -> float:
    ga, gb = _grams(a), _grams(b)
    return len(ga & gb) / len(ga | gb)


words = st.lists(st.sampled_from("the a of to in find book weather paris city table area two 10 units".split()),
                 min_size=1, max_size=14).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(words, min_size=1, max_size=12), words, st.integers(0, 3))
def test_near_index_agrees_with_brute_force(evals, base, edits):
    """Prefix filtering finds exactly the pairs that brute-force Jaccard finds."""
    rng = random.Random(edits)
    query = base
    for _ in range(edits):
        i = rng.randrange(len(query) + 1)
        query = query[:i] + rng.choice("xyz ") + query[i:]
    tasks = [_task(f"e{i}", q, []) for i, q in enumerate([*evals, base])]
    index = QueryIndex(tasks)
    norm = normalize_query(query)
    if not norm:
        return
    brute = max(_jaccard(norm, normalize_query(q)) for q in [*evals, base] if normalize_query(q))
    found = index._near(norm)
    if brute >= NEAR_JACCARD:
        assert found is not None and abs(found[1] - brute) < 1e-9
    else:
        assert found is None


# ---------------------------------------------------------------------------- properties on generated tasks


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_mask_then_unmask_is_the_identity(seed, mask_seed):
    for task in generate(6, seed):
        masked, mapping = mask_names(task, mask_seed)
        assert all(t.name.startswith("func_") for t in masked.tools)
        assert match_calls(reference_calls(masked.ground_truth, keep_optional=True), masked.ground_truth, masked.tools).valid
        assert unmask_names(masked, mapping).to_json() == task.to_json()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_transforms_never_raise_and_keep_answers_valid(seed, aug_seed):
    """Every output is a valid task whose expected calls can be met (or that expects none)."""
    tasks = generate(8, seed)
    out = [make_irrelevant(t) for t in tasks] + [perturb_previous_call(t, aug_seed) for t in tasks]
    for t in tasks:
        out += drop_and_reintroduce(t, aug_seed) + mask_parameter(t, aug_seed)
    out += concat_dialogues(tasks + [mask_names(t, aug_seed)[0] for t in tasks], aug_seed)
    for t in (x for x in out if x is not None):
        assert isinstance(t, Task)
        assert match_calls(reference_calls(t.ground_truth, keep_optional=True), t.ground_truth, t.tools).valid
    assert parse_filter([t.to_json() for t in out if t is not None]) == [t for t in out if t is not None]
