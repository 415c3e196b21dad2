"""The curriculum over synthetic levels: shares, order, the plan of steps, and a run that records it."""

import json

import pytest

from toolzero.data.curriculum import Curriculum
from toolzero.data.synthetic import generate, task_level
from toolzero.train.recipe import RecipeError, load_recipe


def _by_level(n: int = 40):
    return {lv: generate(n, 0, level=lv) for lv in (1, 2, 3)}


def test_counts_follow_the_shares_and_sum_to_n():
    c = Curriculum.of([1, 2, 3], [2, 1, 1])
    assert c.counts(40) == [20, 10, 10]
    assert sum(c.counts(7)) == 7 and Curriculum.of([1, 2, 3]).counts(7) in ([3, 2, 2], [2, 3, 2], [2, 2, 3])


def test_ordered_puts_the_levels_one_after_another_in_the_prompts_the_run_reads():
    c = Curriculum.of([1, 2, 3], order="ordered")
    tasks = c.arrange(_by_level(), consumed=30, seed=0)
    assert [task_level(t) for t in tasks[:30]] == [1] * 10 + [2] * 10 + [3] * 10
    assert len(tasks) == 120 and len({t.id for t in tasks}) == 120  # nothing lost
    assert c.plan(steps=15, prompts_per_step=2) == [
        {"level": 1, "steps": [1, 5], "prompts": 10},
        {"level": 2, "steps": [6, 10], "prompts": 10},
        {"level": 3, "steps": [11, 15], "prompts": 10},
    ]


def test_mixed_spreads_every_level_over_the_run():
    c = Curriculum.of([1, 3], order="mixed")
    tasks = c.arrange(_by_level(), consumed=20, seed=0)
    first = [task_level(t) for t in tasks[:20]]
    assert set(first) == {1, 3}
    assert c.arrange(_by_level(), consumed=20, seed=0) == tasks  # deterministic from the seed


def test_bad_curricula_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="unknown synthetic levels"):
        Curriculum.of([1, 9])
    with pytest.raises(ValueError, match="shares"):
        Curriculum.of([1, 2], [1.0])
    with pytest.raises(ValueError, match="order"):
        Curriculum.of([1], order="random")
    with pytest.raises(RecipeError, match="data.curriculum"):
        load_recipe(None, ["data.curriculum=[1, 9]"])
    with pytest.raises(RecipeError, match="sources"):
        load_recipe(None, ["data.curriculum=[1, 2]", "data.sources=[toolrl]"])


def test_a_grpo_run_reads_the_levels_in_order_and_records_the_plan(tmp_path):
    from toolzero.train import grpo

    recipe = load_recipe(None, [
        "model.name=tiny-random", "data.num_records=24", "data.decontaminate=false", "data.curriculum=[1, 2]",
        "trainer.max_steps=4", "trainer.per_device_train_batch_size=4", "trainer.num_generations=2",
        f"run.output_dir={tmp_path / 'run'}",
    ])
    run_dir = grpo.prepare_run(recipe, resume=False)
    args = grpo.grpo_config(recipe, run_dir)
    assert args.shuffle_dataset is False
    tasks = grpo.build_tasks(recipe, run_dir, args)
    assert [task_level(t) for t in tasks[:8]] == [1, 1, 1, 1, 2, 2, 2, 2]
    record = json.loads((run_dir / "curriculum.json").read_text())
    assert record["prompts_per_step"] == 2 and record["plan"][0] == {"level": 1, "steps": [1, 2], "prompts": 4}
    written = [json.loads(line)["id"] for line in (run_dir / "train_data.jsonl").read_text().splitlines()]
    assert written == [t.id for t in tasks]
