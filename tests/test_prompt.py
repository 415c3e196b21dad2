"""Prompt: deterministic, shows the tools as JSON, spells out the output format."""

import json

from toolzero.prompt import PromptStyle, render_chat, render_plain, render_prompt

from conftest import HYPOT, TIME, WEATHER, make_task


def test_plain_prompt_shows_tools_format_and_query():
    task = make_task([], query="Weather in Paris?")
    text = render_plain(task)
    for tool in (WEATHER, TIME, HYPOT):
        assert json.dumps(tool) in text
    assert "<think>" in text and "<answer>[func_name1(param1=value1" in text and "<answer>[]</answer>" in text
    assert text.endswith("User: Weather in Paris?\nAssistant:")
    assert render_plain(task) == text  # deterministic


def test_chat_prompt_puts_instructions_in_the_system_message():
    task = make_task([], query="Weather in Paris?")
    msgs = render_chat(task)
    assert msgs[0]["role"] == "system" and json.dumps(WEATHER) in msgs[0]["content"]
    assert msgs[1:] == [{"role": "user", "content": "Weather in Paris?"}]


def test_task_system_message_is_kept_once():
    from toolzero.schema import Task

    t = make_task([])
    t2 = Task(id="s", source="x", tools=t.tools, ground_truth=(),
              messages=({"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}))
    assert render_chat(t2)[0]["content"].endswith("Be brief.")
    assert render_plain(t2).count("Be brief.") == 1


class FakeTokenizer:
    chat_template = "{{ messages }}"

    def apply_chat_template(self, messages, tokenize, add_generation_prompt):
        assert not tokenize and add_generation_prompt
        return "CHAT:" + "|".join(m["role"] for m in messages)


def test_render_prompt_uses_the_chat_template_when_there_is_one():
    task = make_task([])
    assert render_prompt(task, FakeTokenizer()) == "CHAT:system|user"
    assert render_prompt(task, FakeTokenizer(), PromptStyle(mode="plain")) == render_plain(task)
    assert render_prompt(task, None) == render_plain(task)


def test_render_prompt_adds_the_prefill_and_the_style_reads_it_back():
    task = make_task([])
    style = PromptStyle(prefill="<think>")
    assert render_prompt(task, FakeTokenizer(), style) == "CHAT:system|user<think>"
    assert style.render(task) == render_plain(task) + "<think>"
    assert style.completion(" x</think>") == "<think> x</think>"
    assert style.stop_strings == ("</answer>",)


def test_prompt_style_round_trips_through_a_run_folder(tmp_path):
    import pytest

    style = PromptStyle(mode="plain", prefill="<think>", output_format="n1")
    assert PromptStyle.load(tmp_path) is None
    style.save(tmp_path)
    assert PromptStyle.load(tmp_path) == style
    (tmp_path / "final").mkdir()
    style.replace(prefill="").save(tmp_path / "final")
    (tmp_path / "prompt_style.json").unlink()
    assert PromptStyle.load(tmp_path) == style.replace(prefill="")  # read from final/
    for bad, match in (({"mode": "chatty"}, "mode"), ({"output_format": "xml"}, "known"), ({"colour": "red"}, "unknown"),
                       ({"prefill": 3}, "strings"), ([1], "object")):
        with pytest.raises(ValueError, match=match):
            PromptStyle.from_json(bad)


def test_output_formats_differ_only_in_the_format_block():
    task = make_task([])
    gg, toolrl, n1 = (render_plain(task, PromptStyle(output_format=f)) for f in ("gg", "toolrl", "n1"))
    assert "<answer>[]</answer>" in gg and '"parameters"' in toolrl and "<response>" in toolrl and '"arguments"' in n1
    assert gg.split("Reply in exactly")[0] == toolrl.split("Reply in exactly")[0] == n1.split("Reply in exactly")[0]
    import pytest

    with pytest.raises(ValueError, match="known"):
        render_plain(task, PromptStyle(output_format="xml"))


def test_compact_tools_rendering_keeps_every_fact_in_fewer_characters():
    from conftest import HYPOT, WEATHER

    task = make_task([], tools=(WEATHER, HYPOT))
    compact, full = render_plain(task, PromptStyle(tools="compact")), render_plain(task)
    assert len(compact) < len(full) and "one block per function" in compact and "JSON schemas" not in compact
    assert "get_weather: Current weather for a city." in compact
    assert '  city (string; required): City name.' in compact
    assert '  unit (string; one of "celsius", "fahrenheit")' in compact
    assert "  coords (array of integer)" in compact and "    precise (boolean)" in compact  # nested, indented
    assert compact.split("one block per function")[0] == full.split("as JSON schemas")[0]
    assert compact.split("Reply in exactly")[1] == full.split("Reply in exactly")[1]  # format and conversation
