"""BFCL runs: perfect outputs score 100% (ours and official), bad outputs are wrong not fatal, runs resume."""

import json

import pytest

from test_bfcl_agreement import UNPASSABLE_V4
from toolzero.calls.render import reference_calls, render_calls
from toolzero.cli import main
from toolzero.data.bfcl import IRRELEVANCE_CATEGORIES, PYTHON_AST_CATEGORIES, load_bfcl
from toolzero.eval.bfcl_run import run_bfcl, score_item
from toolzero.eval.generate import ReplayGenerator, cut_at_stop
from toolzero.prompt import PromptStyle, render_prompt

pytest.importorskip("bfcl_eval")


def perfect_generator(categories):
    """A backend that answers every prompt with its ground truth."""
    table = {}
    for cat in categories:
        for task in load_bfcl(cat):
            answer = render_calls(reference_calls(task.ground_truth, keep_optional=True))
            table[render_prompt(task)] = f"<think>gold</think><answer>{answer}</answer>"
    return ReplayGenerator(lambda prompt: table[prompt])


@pytest.mark.parametrize("cat", [*PYTHON_AST_CATEGORIES, *IRRELEVANCE_CATEGORIES])
def test_perfect_outputs_score_100_on_every_python_category(cat, tmp_path):
    """Ground truth rendered as the answer: 100% under ours and bfcl-eval, but for BFCL's own data bugs."""
    # one category per run: the same prompt can appear in two categories with different answers
    scores = run_bfcl(perfect_generator([cat]), [cat], tmp_path, official=True)
    e = scores["categories"][cat]
    unpassable = sum(t.id in UNPASSABLE_V4 for t in load_bfcl(cat))
    expected = (e["n"] - unpassable) / e["n"]
    assert e["accuracy"] == pytest.approx(expected)
    assert e["official_accuracy"] == pytest.approx(expected)
    assert e["agreement"] == 1.0
    lines = (tmp_path / "results.jsonl").read_text().splitlines()
    assert len(lines) == e["n"] == len(load_bfcl(cat))
    if cat == "simple_python":
        assert "| simple_python | 400 | 100.00 | 100.00 |" in (tmp_path / "scores.md").read_text()


@pytest.mark.parametrize("completion", ["", "garbage", "<answer>[f(</answer>", "<think>" * 1000, "\x00\x01"])
def test_garbage_is_wrong_with_a_reason(completion):
    task = load_bfcl("simple_python")[0]
    item = score_item(task, completion, official=True)
    assert not item.valid and item.error and item.official_valid is False


def test_irrelevance_passes_without_a_call():
    task = load_bfcl("irrelevance")[0]
    assert score_item(task, "I cannot help with that.", official=True).valid
    assert score_item(task, "<think>x</think><answer>[]</answer>", official=True).official_valid
    made = score_item(task, f"<think>x</think><answer>[{task.tools[0].name}(a=1)]</answer>", official=True)
    assert not made.valid and not made.official_valid


def test_a_crashing_backend_scores_items_wrong_and_the_run_resumes(tmp_path):
    calls = {"n": 0}

    def flaky(prompt):
        calls["n"] += 1
        if calls["n"] <= 3:
            raise RuntimeError("backend died")
        return "<think>x</think><answer>[]</answer>"

    scores = run_bfcl(ReplayGenerator(flaky), ["simple_python"], tmp_path, limit=20)
    assert scores["categories"]["simple_python"]["n"] == 20
    # resuming does not redo finished items
    again = ReplayGenerator(lambda p: pytest.fail("should not generate"))
    scores2 = run_bfcl(again, ["simple_python"], tmp_path, limit=20)
    assert scores2["categories"]["simple_python"]["n"] == 20
    with (tmp_path / "results.jsonl").open("a") as f:
        f.write('{"broken json\n')  # a kill -9 mid-write
    assert run_bfcl(again, ["simple_python"], tmp_path, limit=20)["categories"]["simple_python"]["n"] == 20


def test_generation_totals_survive_resume_and_rescore(tmp_path):
    """scores.json's generation figures count every item generated into the folder, not only the last call's."""
    answer = ReplayGenerator(lambda p: "<think>x</think><answer>[]</answer>")
    assert run_bfcl(answer, ["simple_python"], tmp_path, limit=3)["generation"]["items"] == 3
    assert run_bfcl(answer, ["simple_python"], tmp_path, limit=5)["generation"]["items"] == 5  # 2 new items
    rescored = run_bfcl(ReplayGenerator(lambda p: pytest.fail("no generation")), ["simple_python"], tmp_path, limit=5,
                        rescore=True)
    assert rescored["generation"]["items"] == 5
    assert json.loads((tmp_path / "scores.json").read_text())["generation"]["items"] == 5


def test_unknown_category_is_one_clear_error(capsys):
    assert main(["eval", "bfcl", "--categories", "simple_cobol"]) == 2
    assert "simple_cobol" in capsys.readouterr().err
    with pytest.raises(ValueError, match="known"):
        load_bfcl("simple_cobol")


def test_missing_data_folder_lists_what_exists(tmp_path):
    with pytest.raises(FileNotFoundError, match="no BFCL files"):
        load_bfcl("simple_python", "v3", tmp_path)


def test_cut_at_stop():
    assert cut_at_stop("<answer>[]</answer> and more") == "<answer>[]</answer>"
    assert cut_at_stop("no stop") == "no stop"


def test_results_record_everything(tmp_path):
    gen = ReplayGenerator(lambda p: "<think>x</think><answer>[calculate_triangle_area(base=10, height=5)]</answer>")
    run_bfcl(gen, ["simple_python"], tmp_path, limit=2, official=True)
    rec = json.loads((tmp_path / "results.jsonl").read_text().splitlines()[0])
    assert rec["valid"] and rec["official_valid"]
    assert set(rec) >= {"id", "category", "completion", "answer", "calls", "valid", "error", "official_error"}


def test_compare_writes_a_table_and_a_chart(tmp_path, capsys):
    good = ReplayGenerator(lambda p: "<think>x</think><answer>[calculate_triangle_area(base=10, height=5)]</answer>")
    bad = ReplayGenerator(lambda p: "no idea")
    run_bfcl(good, ["simple_python", "irrelevance"], tmp_path / "a", limit=3)
    run_bfcl(bad, ["simple_python", "irrelevance"], tmp_path / "b", limit=3)
    out = tmp_path / "cmp.png"
    assert main(["eval", "compare", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "| simple_python | 33.33 (n=3) | 0.00 (n=3) |" in text and "| irrelevance | 0.00 (n=3) | 100.00 (n=3) |" in text
    assert out.read_bytes()[:4] == b"\x89PNG" and out.with_suffix(".md").is_file()
    assert main(["eval", "compare", str(tmp_path / "a"), str(tmp_path / "nope")]) == 2
    assert "scores.json does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["toolrl", "n1"])
def test_peer_output_formats_are_asked_for_and_scored(tmp_path, fmt):
    """The ablation formats: the prompt asks for them and perfect answers in them score 100% (ours and BFCL)."""
    from toolzero.calls.render import render_n1, render_toolrl

    tasks = load_bfcl("parallel")[:10]
    table = {}
    for t in tasks:
        calls = reference_calls(t.ground_truth, keep_optional=True)
        body = render_toolrl(calls) if fmt == "toolrl" else render_n1(calls)
        table[render_prompt(t, style=PromptStyle(output_format=fmt))] = f"<think>x</think><tool_call>\n{body}\n</tool_call>"
    assert all("<tool_call>" in p and "<answer>" not in p for p in table)
    scores = run_bfcl(ReplayGenerator(table.__getitem__), ["parallel"], tmp_path, limit=10, official=True,
                      style=PromptStyle(output_format=fmt))
    e = scores["categories"]["parallel"]
    assert e["accuracy"] == 1.0 and e["official_accuracy"] == 1.0


def test_vllm_backend_is_optional():
    """vLLM is only for GPU machines: without it the backend says how to get it."""
    from toolzero.eval.generate import VLLMGenerator

    try:
        import vllm  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install vllm"):
            VLLMGenerator("some/model")
    else:  # pragma: no cover - only on a GPU machine with vLLM
        pytest.skip("vLLM is installed: exercised on GPU machines")


def test_live_relevance_passes_with_some_call():
    task = load_bfcl("live_relevance")[0]
    call = f"<think>x</think><answer>[{task.tools[0].name}()]</answer>"
    made = score_item(task, call, official=True)
    assert made.valid and made.official_valid
    none = score_item(task, "<think>x</think><answer>[]</answer>", official=True)
    assert not none.valid and not none.official_valid


def test_batches_hold_prompts_of_about_one_length(tmp_path):
    """The run loop batches the longest prompts first (little padding); results stay keyed by id."""
    batches: list[list[int]] = []

    class Recording(ReplayGenerator):
        batch_size = 4

        def generate(self, prompts):
            batches.append([len(p) for p in prompts])
            return super().generate(prompts)

    tasks = load_bfcl("simple_python")[:12]
    run_bfcl(Recording(lambda p: "<answer>[]</answer>"), ["simple_python"], tmp_path, limit=12)
    flat = [n for b in batches for n in b]
    assert len(batches) == 3 and flat == sorted(flat, reverse=True)
    ids = [json.loads(line)["id"] for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert sorted(ids) == sorted(t.id for t in tasks)


def test_hf_generator_returns_completions_in_prompt_order(tmp_path):
    """Prompts are grouped by token length inside generate(); outputs come back in the caller's order."""
    from toolzero.eval.generate import HFGenerator
    from toolzero.models.tiny import build_tiny_model

    tiny_model_dir = build_tiny_model(tmp_path / "tiny")

    gen = HFGenerator(tiny_model_dir, max_new_tokens=4, batch_size=2)
    prompts = ["a", "a b c d e f g h", "a b", "a b c d"]
    together = gen.generate(prompts)
    alone = [HFGenerator(tiny_model_dir, max_new_tokens=4, batch_size=1).generate([p])[0] for p in prompts]
    assert together == alone


def test_an_item_whose_prompt_fails_is_wrong_and_the_rest_run(tmp_path):
    """A prompt that cannot be rendered (e.g. a chat template that raises) costs that item only."""
    tasks = load_bfcl("simple_python")[:5]
    bad = tasks[2].messages[-1]["content"]

    class Template:
        chat_template = "x"

        def apply_chat_template(self, msgs, tokenize=False, add_generation_prompt=True):
            if msgs[-1]["content"] == bad:
                raise ValueError("template cannot render this conversation")
            return "PROMPT " + msgs[-1]["content"]

    gen = ReplayGenerator(lambda p: "<answer>[]</answer>")
    gen.tokenizer = Template()
    scores = run_bfcl(gen, ["simple_python"], tmp_path, limit=5)
    recs = {r["id"]: r for r in map(json.loads, (tmp_path / "results.jsonl").read_text().splitlines())}
    assert len(recs) == 5 and scores["categories"]["simple_python"]["n"] == 5
    assert recs[tasks[2].id]["error"].startswith("prompt_failed: ValueError: template cannot")
    assert all(recs[t.id]["completion"] == "<answer>[]</answer>" for t in tasks if t is not tasks[2])
    assert gen.stats.items == 4


def test_official_verdicts_are_added_to_a_finished_run_without_generating(tmp_path):
    """--official on a folder scored without it re-scores the stored completions; nothing is generated."""
    run_bfcl(perfect_generator(["parallel"]), ["parallel"], tmp_path, limit=6)
    assert "official_accuracy" not in json.loads((tmp_path / "scores.json").read_text())["categories"]["parallel"]
    gen = ReplayGenerator(lambda p: pytest.fail("nothing should be generated"))
    scores = run_bfcl(gen, ["parallel"], tmp_path, limit=6, official=True)
    e = scores["categories"]["parallel"]
    assert e["n"] == 6 and e["official_accuracy"] == 1.0 and e["agreement"] == 1.0
    assert len((tmp_path / "results.jsonl").read_text().splitlines()) == 6


# Answers on which a strict reader and BFCL's lenient decoder could part ways.
RELEVANCE_CORNERS = [
    "[divide(10, 2)]", "[math.sum(x**2, 3)]", "[f('Los Angeles', 'Berlin'), g(1)]", "f(a=1)", "[f(a=1)", "f(a=1)]",
    "'[f(a=1)]'", "`f(a=1)`", "[f(a=x)]", "[f(a=x.y)]", "[f(a=-x)]", "[f(a=-1)]", "[f(a=-'s')]", "[f(a=not True)]",
    "[f(a=1+2*3)]", "[f(a=x+1)]", "[f(a=2**3)]", "[f(a=1/0)]", "[f(a='a'+'b')]", "[f(a=[1]*3)]", "[f(a=None+1)]",
    "[f(a=lambda: 1)]", "[f(a=1 if x else 2)]", "[f(a=x == 1)]", "[f(a=x and y)]", "[f(a={1, 2})]", "[f(a=f'x')]",
    "[f(a=g(b=1))]", "[f(a=g(1))]", "[f(a=g(b=lambda: 1))]", "[f(a=x[0])]", "[f(a={'k': [1, {'j': 2}]})]",
    "[f(a={[1]: 2})]", "[f(a={**d})]", "[f(a=(1, 2))]", "[f(a=...)]", "[f(**kw)]", "[f(*args)]", "[f()]", "[]",
    "[[]]", "[1, f()]", "[f(), 1]", "(f(), g())", "f(), g()", "{f(), g()}", "[f() for x in y]", "[x.f(a=1)]",
    "[a.b.c(d=1)]", "[f()()]", "[f(a=1)(b=2)]", "I cannot help", "", "   ", "[f(a='unterminated)]", "[f(a=1,)]",
    "[f(a=1, a=2)]", "[f(a=[x for x in y])]", "[f(a=-(1))]", "[f(a=--1)]", "[f(a=+1)]", "[f(a=~1)]", "[f(a=1e400)]",
]


def _bfcl_made_call(answer: str) -> bool:
    from bfcl_eval.utils import is_empty_output

    from toolzero.eval.official import official_decode

    decoded = official_decode(answer)
    return decoded is not None and not is_empty_output(decoded)


def test_made_a_call_as_bfcl_decides_it():
    """Irrelevance / relevance: "a call was made" agrees with bfcl-eval's decoder on corner cases
    and on the gold answers and perturbations of every simple_python and parallel item."""
    from toolzero.calls.perturb import rendered_perturbations
    from toolzero.calls.relevance import makes_call

    answers = list(RELEVANCE_CORNERS)
    for cat in ("simple_python", "parallel"):
        for task in load_bfcl(cat):
            answers.extend(text for _, text in rendered_perturbations(task))
    disagree = [a for a in answers if makes_call(a) != _bfcl_made_call(a)]
    assert not disagree, disagree[:10]
    assert len(answers) > 2000


def test_positional_calls_on_an_irrelevant_question_are_calls():
    """Our reward parser rejects f(1, 2), but BFCL reads it as a call: irrelevance must fail, as in BFCL."""
    task = load_bfcl("irrelevance")[31]
    item = score_item(task, "<think>x</think><answer>[cell.divide(10, 2)]</answer>", official=True)
    assert not item.valid and not item.official_valid
    assert item.error == "irrelevance: made a call"


def test_rescore_applies_the_current_scorer_to_stored_completions(tmp_path):
    """--rescore: stored verdicts are recomputed from the completions; failed generations stay wrong."""
    run_bfcl(ReplayGenerator(lambda p: "<think>x</think><answer>[f(1, 2)]</answer>"), ["irrelevance"], tmp_path, limit=4)
    path = tmp_path / "results.jsonl"
    recs = [json.loads(line) for line in path.read_text().splitlines()]
    recs[0].update(valid=True, error="")  # as an older scorer wrote it
    recs[1].update(valid=False, error="generation_failed: RuntimeError: boom", completion="")
    path.write_text("".join(json.dumps(r) + "\n" for r in recs))
    gen = ReplayGenerator(lambda p: pytest.fail("nothing should be generated"))
    scores = run_bfcl(gen, ["irrelevance"], tmp_path, limit=4, rescore=True, official=True)
    assert scores["categories"]["irrelevance"]["accuracy"] == 0.0
    assert scores["categories"]["irrelevance"]["official_accuracy"] == 0.0
    again = {r["id"]: r for r in map(json.loads, path.read_text().splitlines())}
    assert again[recs[0]["id"]]["error"] == "irrelevance: made a call"
    assert again[recs[1]["id"]]["error"].startswith("generation_failed")
