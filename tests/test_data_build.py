"""toolzero data build / show: mixing, augmentation, decontamination and the stats table."""

import json
import logging

import pytest

from toolzero.cli import main
from toolzero.data import bfcl
from toolzero.data.bfcl import load_bfcl
from toolzero.data.build import build_dataset, decontamination_index, load_jsonl_tasks
from toolzero.data.report import LoadReport
from toolzero.train.recipe import RecipeError, load_recipe

from conftest import make_task


@pytest.fixture
def own_file(tmp_path):
    """A user's .jsonl: two good records, one planted BFCL query, one broken line."""
    bfcl = load_bfcl("simple_python")[0]
    good = make_task([{"get_time": {"tz": ["CET"]}}], query="What time is it in Lagos right now?")
    planted = make_task([{"get_time": {"tz": ["CET"]}}], query=bfcl.messages[0]["content"])
    lines = [json.dumps(dict(good.to_json(), id="mine-1")), json.dumps(dict(planted.to_json(), id="mine-2")),
             '{"id": "mine-3", "tools": [',
             json.dumps(dict(make_task([], query="Paint my fence blue.").to_json(), id="mine-4"))]
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_build_mixes_augments_and_decontaminates(own_file):
    tasks, stats = build_dataset(["synthetic", str(own_file)], num_records=40, seed=0, mix=[0.5, 0.5],
                                 augmentations={"irrelevance": 0.5})
    ids = {t.id for t in tasks}
    assert "mine-1" in ids and "mine-2" not in ids  # the BFCL query was removed
    assert [h.train_id for h in stats.decontamination_hits] == ["mine-2"]
    assert stats.per_source[str(own_file)].skipped["bad_json"] == 1
    assert stats.augmented["irrelevance"] > 0
    assert sum(t.source == "synthetic" for t in tasks) >= 15


def test_a_line_that_is_not_an_object_is_a_schema_error(tmp_path):
    good = make_task([{"get_time": {"tz": ["CET"]}}], query="What time is it in Lagos right now?")
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join([json.dumps(dict(good.to_json(), id="ok-1")), "[1, 2, 3]", '"x"', "3", "null",
                               json.dumps(dict(good.to_json(), id="ok-2"))]) + "\n")
    report = LoadReport()
    assert [t.id for t in load_jsonl_tasks(path, report)] == ["ok-1", "ok-2"]
    assert report.kept == 2 and report.skipped == {"schema_error": 4}
    assert report.examples == [f"mine.jsonl:{n}: schema_error: expected a JSON object, got {kind}"
                               for n, kind in [(2, "list"), (3, "str"), (4, "int"), (5, "NoneType")]]


def test_the_decontamination_index_is_built_once_per_process(own_file, monkeypatch, caplog):
    calls = []
    real = bfcl.load_bfcl
    monkeypatch.setattr(bfcl, "load_bfcl", lambda *a, **k: calls.append(a) or real(*a, **k))
    decontamination_index.cache_clear()
    with caplog.at_level(logging.INFO, logger="toolzero.data.sources"):
        for _ in range(2):
            _, stats = build_dataset([str(own_file)], num_records=4, seed=0)
            assert [h.train_id for h in stats.decontamination_hits] == ["mine-2"]
    assert len(calls) == len(bfcl.CATEGORIES)  # every category once, for both builds
    assert sum(r.getMessage().startswith("hammer: kept") for r in caplog.records) <= 1  # one hammer load, not four
    decontamination_index.cache_clear()  # the next user builds it from the real loader


def test_cli_build_prints_the_stats_table(own_file, tmp_path, capsys):
    out = tmp_path / "train.jsonl"
    assert main(["data", "build", "--sources", "synthetic", str(own_file), "--num-records", "30",
                 "--augment", "mask=0.2", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "| synthetic | simple |" in text and "bad_json: 1" in text and "contaminated: 1" in text
    assert "tokens per record" in text and "augmentations added: mask:" in text
    assert len(out.read_text().splitlines()) >= 15  # 15 synthetic + 2 of mine + masked copies


def test_cli_show_and_errors(own_file, capsys):
    assert main(["data", "show", str(own_file), "-n", "1"]) == 0
    assert "=== mine-1" in capsys.readouterr().out
    assert main(["data", "build", "--sources", "/nope/x.jsonl"]) == 2
    assert "/nope/x.jsonl" in capsys.readouterr().err
    assert main(["data", "build", "--sources", "nosuchsource"]) == 2
    assert "known sources" in capsys.readouterr().err


def test_recipe_augment_is_validated():
    with pytest.raises(RecipeError, match="unknown augmentation 'paraphrase'"):
        load_recipe(None, ["data.augment={paraphrase: 0.1}"])
    assert load_recipe(None, ["data.augment={mask: 0.25}"]).data.augment == {"mask": 0.25}


def test_no_decontaminate_says_it_was_skipped(tmp_path, capsys):
    from toolzero.cli import main

    out = tmp_path / "train.jsonl"
    assert main(["data", "build", "--sources", "synthetic", "--num-records", "8", "--no-decontaminate", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "decontamination: skipped (--no-decontaminate)" in printed and "records removed" not in printed
