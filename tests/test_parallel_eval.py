"""Eval on several processes (toolzero.eval.parallel): the same completions and records as one process."""

import json

import pytest

from toolzero.cli import main
from toolzero.eval.bfcl_run import run_bfcl
from toolzero.eval.generate import HFGenerator
from toolzero.eval.parallel import ParallelGenerator
from toolzero.models.tiny import build_tiny_model
from toolzero.prompt import PromptStyle

PROMPTS = ["a", "a b c d e f g h", "a b", "a b c d", "b c", "c d e"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


def test_two_workers_give_one_process_completions_in_prompt_order(tiny):
    alone = HFGenerator(tiny, max_new_tokens=6, batch_size=1)
    expected = alone.generate(PROMPTS)
    with ParallelGenerator(tiny, workers=2, max_new_tokens=6, batch_size=1) as gen:
        assert gen.batch_size == 2 and gen.threads >= 1
        assert gen.generate(PROMPTS) == expected
        assert gen.generate(PROMPTS[:1]) == expected[:1]  # fewer prompts than workers
        assert gen.stats.items == len(PROMPTS) + 1
        alone.generate(PROMPTS[:1])
        assert gen.stats.new_tokens == alone.stats.new_tokens > 0  # the workers' token counts are added up


def test_bfcl_records_match_one_process(tiny, tmp_path):
    """The eval loop with 2 workers writes the same records (completions and verdicts) as with one process."""
    style = PromptStyle(tools="compact")
    one = run_bfcl(HFGenerator(tiny, max_new_tokens=8, batch_size=2, stop_strings=style.stop_strings),
                   ["simple_python"], tmp_path / "one", limit=6, style=style)
    with ParallelGenerator(tiny, workers=2, max_new_tokens=8, batch_size=2, stop_strings=style.stop_strings) as gen:
        two = run_bfcl(gen, ["simple_python"], tmp_path / "two", limit=6, style=style)

    def records(folder):
        return {r["id"]: r for r in map(json.loads, (folder / "results.jsonl").read_text().splitlines())}

    assert records(tmp_path / "one") == records(tmp_path / "two")
    assert one["categories"] == two["categories"]
    assert two["generation"]["items"] == 6


def test_a_dead_worker_fails_its_batches_and_the_run_goes_on(tiny, tmp_path):
    """A worker killed mid-run (e.g. out of memory): later items are recorded as generation_failed, with its exit code."""
    with ParallelGenerator(tiny, workers=2, max_new_tokens=4, batch_size=1) as gen:
        gen._procs[1].kill()
        gen._procs[1].join()
        with pytest.raises(RuntimeError, match="worker 1 died"):
            gen.generate(PROMPTS[:2])
        run_bfcl(gen, ["simple_python"], tmp_path, limit=3)
    recs = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert len(recs) == 3 and all(r["error"].startswith("generation_failed") and "died" in r["error"] for r in recs)
    assert all(not r["valid"] for r in recs)


def test_workers_must_be_positive(tiny):
    with pytest.raises(ValueError, match="at least 1"):
        ParallelGenerator(tiny, workers=0)


def test_cli_eval_with_workers(tiny, tmp_path, capsys):
    """--workers 2 with a thought cap of 2 tokens: the workers apply the cap, the run records it."""
    out = tmp_path / "eval"
    assert main(["eval", "bfcl", "--model", str(tiny), "--categories", "simple_python", "--limit", "4",
                 "--workers", "2", "--batch-size", "2", "--max-new-tokens", "12", "--thought-cap", "2",
                 "--out", str(out)]) == 0
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(records) == 4 and all("</think>" in r["completion"] for r in records), records
    assert json.loads((out / "config.json").read_text())["workers"] == 2
    assert json.loads((out / "prompt_style.json").read_text())["thought_cap"] == 2
