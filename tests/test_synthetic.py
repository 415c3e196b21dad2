"""The bundled synthetic training set: shapes, schemas, round trip, speed, and no overlap with BFCL."""

import time
from collections import Counter

import pytest

from toolzero.calls.match import match_calls
from toolzero.calls.render import reference_calls
from toolzero.data.report import LoadReport
from toolzero.data.synthetic import SHAPES, catalogue, function_names, generate
from toolzero.data.transforms import QueryIndex, decontaminate, dedupe, normalize_query, parse_filter
from toolzero.schema import OPTIONAL

from conftest import SUMMARY

N_FULL = 20_000


@pytest.fixture(scope="module")
def full():
    t0 = time.perf_counter()
    tasks = generate(N_FULL, seed=0)
    return tasks, time.perf_counter() - t0


def test_generate_is_deterministic_from_the_seed():
    a, b, c = generate(60, 3), generate(60, 3), generate(60, 4)
    assert [t.to_json() for t in a] == [t.to_json() for t in b]
    assert [t.to_json() for t in a] != [t.to_json() for t in c]
    assert generate(0, 1) == []


def test_catalogue_is_large_and_covers_every_parameter_type():
    names = function_names()
    assert len(names) >= 300 and len(set(names)) == len(names)
    cat = catalogue()
    assert len({f.service.domain for f in cat.functions}) >= 15
    kinds = Counter()
    for f in cat.functions:
        params = f.tool.parameters
        for name, p in params.properties.items():
            kinds[p.type] += 1
            kinds["enum"] += p.enum is not None
            kinds["optional"] += name not in params.required
            if p.type == "array":
                kinds[f"array[{p.items.type}]"] += 1
            if p.type == "dict" or (p.type == "array" and p.items.type == "dict"):
                kinds["nested"] += 1
    for kind in ("string", "integer", "float", "boolean", "enum", "array[string]", "array[float]", "array[dict]", "dict",
                 "nested", "optional"):
        assert kinds[kind] > 0, kind
    raw_types = {f.tool.raw["parameters"]["type"] for f in cat.functions}
    assert raw_types == {"dict", "object"}  # both schema dialects


def test_every_shape_has_its_form(full):
    tasks, _ = full
    by_shape = Counter(t.category for t in tasks)
    assert set(by_shape) == set(SHAPES) and min(by_shape.values()) > N_FULL // 20
    for t in tasks[:3000]:
        names = [c.name for c in t.ground_truth]
        assert t.source == "synthetic" and len(t.messages) == 1 and t.messages[0]["role"] == "user"
        if t.category == "simple":
            assert len(t.tools) == 1 and len(names) == 1
        elif t.category == "multiple":
            assert 2 <= len(t.tools) <= 4 and len(names) == 1
        elif t.category == "parallel":
            assert len(t.tools) == 1 and 2 <= len(names) <= 3 and len(set(names)) == 1
        elif t.category == "parallel_multiple":
            assert 2 <= len(names) <= 3 and len(set(names)) == len(names)
        else:
            assert t.category == "irrelevance" and names == [] and t.tools


def test_ground_truth_accepts_the_values_written_in_the_query(full):
    """Every stated string or number is in the query as written; unstated optionals may be omitted."""
    tasks, _ = full
    for t in tasks[:3000]:
        query = normalize_query(t.messages[0]["content"])
        for call in t.ground_truth:
            required = t.tool(call.name).parameters.required
            for arg, accepted in call.args.items():
                if OPTIONAL in accepted:
                    assert arg not in required
                    continue
                if all(type(a) is str for a in accepted):
                    assert any(normalize_query(a) in query for a in accepted), (t.id, arg, accepted)


def test_round_trip_filter_and_dedupe_at_full_size(full):
    """Each record's own answer matches it; all records survive parse_filter and dedupe."""
    tasks, seconds = full
    bad = [t.id for t in tasks
           if not match_calls(reference_calls(t.ground_truth, keep_optional=True), t.ground_truth, t.tools).valid]
    assert bad == []
    report = LoadReport()
    assert len(parse_filter([t.to_json() for t in tasks[:2000]], report)) == 2000 and not report.skipped
    assert len(dedupe(tasks)) == N_FULL
    assert len({normalize_query(t.messages[0]["content"]) for t in tasks}) == N_FULL
    # the speed goal (20k records in under a minute) is measured by benchmarks/bench_data.py, not asserted here
    SUMMARY.append(f"synthetic: {N_FULL} records in {seconds:.2f} s ({N_FULL / seconds:,.0f}/s), "
                   f"{len(function_names())} functions, all answers round-trip")


def test_no_overlap_with_bfcl(full):
    """Zero function-name collisions and zero decontamination hits against every BFCL v4 single-turn category."""
    pytest.importorskip("bfcl_eval", reason="bfcl-eval (BFCL v4 data) is not installed")
    from toolzero.data.bfcl import CATEGORIES, load_bfcl

    tasks, _ = full
    evals = {c: load_bfcl(c, "v4") for c in CATEGORIES}
    bfcl_names = {tool.name for ts in evals.values() for t in ts for tool in t.tools}
    assert not set(function_names()) & bfcl_names
    t0 = time.perf_counter()
    index = QueryIndex(evals)
    kept, hits = decontaminate(tasks, index)
    seconds = time.perf_counter() - t0
    assert hits == [] and len(kept) == N_FULL
    n_items = sum(len(v) for v in evals.values())
    SUMMARY.append(f"synthetic vs BFCL v4 ({len(CATEGORIES)} single-turn categories, {n_items} items, {len(index)} distinct "
                   f"queries, {len(bfcl_names)} function names): 0 name collisions, 0 decontamination hits "
                   f"({N_FULL} records checked in {seconds:.2f} s)")
