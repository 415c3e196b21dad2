"""Worked examples (PromptStyle.examples): rendered in the style's own tools rendering and output
format, parsed back to their calls, and from a domain in no evaluation set and no training source."""

import json
from pathlib import Path

import pytest

from toolzero.calls.formats import OUTPUT_FORMATS, get_format
from toolzero.data.synthetic import catalogue
from toolzero.prompt import TOOL_RENDERINGS, PromptStyle, examples_text, render_plain
from toolzero.train.recipe import RecipeError, load_recipe
from toolzero.worked_examples import WORKED_EXAMPLES, get_examples

from conftest import WEATHER, make_task

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
EXAMPLES = [ex for exs in WORKED_EXAMPLES.values() for ex in exs]


def _task():
    return make_task([], (WEATHER,))


def test_no_examples_by_default_and_the_prompt_is_unchanged():
    task = _task()
    plain = render_plain(task, PromptStyle())
    assert "Example" not in plain and PromptStyle().examples == ""
    assert plain.index("Here is the list of functions") < plain.index("Reply in exactly this format")


@pytest.mark.parametrize("fmt", list(OUTPUT_FORMATS))
@pytest.mark.parametrize("tools", list(TOOL_RENDERINGS))
@pytest.mark.parametrize("name", ["three", "mixed"])
def test_examples_use_the_styles_rendering_and_format_and_parse_back(fmt, tools, name):
    style = PromptStyle(mode="plain", prefill="<think>", output_format=fmt, tools=tools, examples=name)
    text = examples_text(style)
    for ex in WORKED_EXAMPLES[name]:
        assert TOOL_RENDERINGS[tools].render(ex.task) in text
        answer = get_format(fmt).render(ex.calls, ex.thought)
        assert answer in text
        parsed = get_format(fmt).parse(answer)
        assert parsed.format_ok and [(c.name, c.args) for c in parsed.calls] == [(c.name, c.args) for c in ex.calls]


def test_the_tasks_own_tools_stand_after_the_examples_right_above_the_question():
    task = _task()
    prompt = render_plain(task, PromptStyle(mode="plain", examples="one"))
    assert prompt.count("Example 1") == 1 and "Example 2" not in prompt
    own = prompt.index("Here is the list of functions")
    assert prompt.index("Example 1") < own < prompt.index("User: What is the weather in Paris?")
    assert prompt.index("Reply in exactly this format") < prompt.index("Example 1")


def test_unknown_sets_are_refused_naming_the_known_ones():
    with pytest.raises(ValueError, match="one, two, three, mixed"):
        PromptStyle(examples="five")
    with pytest.raises(ValueError, match="five"):
        get_examples("five")
    with pytest.raises(RecipeError, match="model.examples"):
        load_recipe(None, ["model.examples=five"])


def test_the_style_records_its_examples_and_old_style_files_still_load(tmp_path):
    style = PromptStyle(prefill="<think>", examples="three")
    style.save(tmp_path)
    assert PromptStyle.load(tmp_path) == style
    (tmp_path / "prompt_style.json").write_text(json.dumps({"mode": "auto", "prefill": "", "output_format": "gg",
                                                            "tools": "json"}))
    assert PromptStyle.load(tmp_path).examples == ""


def test_a_recipe_carries_its_examples_into_the_style():
    recipe = load_recipe(None, ["model.examples=one", "model.prompt=plain"])
    assert PromptStyle.from_recipe(recipe).examples == "one"


def test_the_examples_domain_is_in_no_synthetic_catalogue_entry():
    names = {ex_tool.name for ex in EXAMPLES for ex_tool in ex.task.tools}
    cat = catalogue()
    assert not names & {f.name for f in cat.functions}
    blob = json.dumps([f.tool.to_json() for f in cat.functions]).lower()
    assert "kiln" not in blob and "emberline" not in blob


def test_no_example_query_is_caught_by_decontamination():
    pytest.importorskip("bfcl_eval")
    from toolzero.data.build import decontamination_index

    index = decontamination_index()
    for ex in EXAMPLES:
        for m in ex.task.messages:
            assert index.match(m["content"]) is None, m["content"]


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is absent")
def test_no_training_source_or_benchmark_mentions_the_domain():
    words = {"kiln", "emberline"} | {t.name for ex in EXAMPLES for t in ex.task.tools}
    for path in SHARED_DATA.rglob("*"):
        if path.is_file() and path.stat().st_size < 200_000_000:
            text = path.read_bytes().lower()
            for w in words:
                assert w.encode() not in text, f"{w} in {path}"


def test_mixed_shows_a_dotted_and_a_plain_name_copied_verbatim_into_thought_and_call():
    names = [c.name for ex in WORKED_EXAMPLES["mixed"] for c in ex.calls]
    assert names == ["emberline.book_firing", "get_kiln_temperature", "get_kiln_temperature"]
    for ex in WORKED_EXAMPLES["mixed"]:
        assert {c.name for c in ex.calls} <= {t.name for t in ex.task.tools}
        assert all(c.name in ex.thought for c in ex.calls)
