"""GRPO rollouts: they end at the output format's stop strings (as eval does), shared-prefix generation
is exact, and bf16 autocast stays within a stated tolerance of float32 (tiny model, seconds)."""

from __future__ import annotations

import pytest
import torch

from toolzero.eval.generate import generate_shared_prefix, prompt_groups
from toolzero.models import resolve_model
from toolzero.prompt import PromptStyle
from toolzero.train.trainer import EOS, LENGTH, STOP, end_rollout

from conftest import TIME, make_task

pytest.importorskip("trl")

ANSWER = "<think>ok</think><answer>[]</answer>"
TAIL = " and then more text after the answer"


@pytest.fixture(scope="module")
def tiny():
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = resolve_model("tiny-random")
    return AutoModelForCausalLM.from_pretrained(path).eval(), AutoTokenizer.from_pretrained(path)


def _decode(tok):
    return lambda ids: tok.decode(ids, skip_special_tokens=True)


def test_end_rollout_cuts_right_after_the_stop_string_and_drops_the_padding(tiny):
    _, tok = tiny
    ids = tok(ANSWER + TAIL)["input_ids"]
    cut, how = end_rollout(ids + [tok.pad_token_id] * 3, [tok.eos_token_id], _decode(tok), ("</answer>",))
    assert how == STOP and tok.decode(cut) == ANSWER
    stopped = tok(ANSWER)["input_ids"] + [tok.pad_token_id, tok.pad_token_id]  # what generate leaves after stopping
    assert end_rollout(stopped, [tok.eos_token_id], _decode(tok), ("</answer>",)) == (stopped[:-2], STOP)
    plain = tok("no answer here")["input_ids"]
    assert end_rollout(plain + [tok.eos_token_id, 5], [tok.eos_token_id], _decode(tok), ("</answer>",)) == (
        plain + [tok.eos_token_id], EOS)  # EOS is kept, as TRL keeps it
    assert end_rollout(plain, [tok.eos_token_id], _decode(tok), ("</answer>",)) == (plain, LENGTH)
    assert end_rollout(ids, [tok.eos_token_id], _decode(tok), ())[1] == LENGTH  # no stop strings: as TRL


def test_shared_prefix_generation_equals_prefilling_every_row(tiny):
    """Greedy outputs identical and per-step logits equal to the plain path; left padding, prompts of
    two lengths, rows of a group not next to each other."""
    model, tok = tiny
    long, short = tok("Weather in Paris and in Rome, please?")["input_ids"], tok("Time in CET?")["input_ids"]
    rows = [long, short, long, short, short, long]
    assert prompt_groups(rows) == ([tuple(long), tuple(short)], [0, 1, 0, 1, 1, 0])
    pad = tok.pad_token_id
    width = max(map(len, rows))
    ids = torch.tensor([[pad] * (width - len(r)) + r for r in rows])
    mask = (ids != pad).long()
    kw = dict(max_new_tokens=10, do_sample=False, pad_token_id=pad, output_logits=True, return_dict_in_generate=True)
    with torch.no_grad():
        plain = model.generate(input_ids=ids, attention_mask=mask, **kw)
        inputs, shared = generate_shared_prefix(model, rows, pad, **kw)
    assert torch.equal(inputs, ids) and torch.equal(plain.sequences, shared.sequences)
    for a, b in zip(plain.logits, shared.logits):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)


def test_bf16_autocast_log_probs_and_loss_stay_near_float32(tiny):
    """bf16 autocast (float32 weights) vs float32: per-token log-probs within 0.1 nats, the mean
    log-prob (a GRPO loss with advantage 1) within 2%."""
    model, tok = tiny
    batch = tok(["<think>x</think><answer>[get_weather(city='Paris')]</answer>", "<answer>[]</answer>"],
                return_tensors="pt", padding=True)
    labels = batch["input_ids"][:, 1:]

    def logps(autocast: bool) -> torch.Tensor:
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            logits = model(**batch).logits[:, :-1].float()
        return torch.log_softmax(logits, -1).gather(-1, labels.unsqueeze(-1)).squeeze(-1)

    mask = batch["attention_mask"][:, 1:].bool()
    fp32, bf16 = logps(False)[mask], logps(True)[mask]
    assert (fp32 - bf16).abs().max() < 0.1
    assert abs(bf16.mean() / fp32.mean() - 1) < 0.02


STYLE = PromptStyle(mode="plain")
PROMPTS = [STYLE.render(make_task([], tools=(TIME,), query=q)) for q in ("Weather in Paris?", "Time in CET?")]


@pytest.fixture(scope="module")
def memorised(tmp_path_factory, tiny):
    """The tiny model taught to answer every prompt with ANSWER + TAIL (then EOS)."""
    model, tok = tiny
    import copy

    prompts, tmp_path = PROMPTS, tmp_path_factory.mktemp("memorised")

    student = copy.deepcopy(model).train()
    opt = torch.optim.Adam(student.parameters(), lr=1e-2)
    texts = [p + ANSWER + TAIL + tok.eos_token for p in prompts]
    enc = tok(texts, return_tensors="pt", padding=True)
    labels = enc["input_ids"].masked_fill(enc["attention_mask"] == 0, -100)
    for _ in range(80):
        loss = student(**enc, labels=labels).loss
        opt.zero_grad()
        loss.backward()
        opt.step()
    out = tmp_path / "memorised"
    student.save_pretrained(out)
    tok.save_pretrained(out)
    return out


@pytest.mark.parametrize("shared_prefix", [True, False])
def test_a_grpo_rollout_is_cut_right_after_the_answer(tmp_path, memorised, shared_prefix):
    """A model that would write past </answer> is stopped there in training, as in eval."""
    import json

    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig

    from toolzero.train.trainer import ToolZeroGRPOTrainer

    style, prompts, path = STYLE, PROMPTS, memorised
    seen: list[str] = []

    def record(prompts, completions, **kwargs):
        seen.extend(completions)
        return [0.0] * len(completions)

    args = GRPOConfig(output_dir=str(tmp_path / "run"), per_device_train_batch_size=4, num_generations=2,
                      max_completion_length=40, max_steps=1, temperature=0.01, use_cpu=True, report_to=[], bf16=False,
                      beta=0.0, logging_steps=1, save_strategy="no", seed=0, mask_truncated_completions=True)
    trainer = ToolZeroGRPOTrainer(model=AutoModelForCausalLM.from_pretrained(path), reward_funcs=[record], args=args,
                                  train_dataset=Dataset.from_list([{"prompt": p} for p in prompts] * 2),
                                  processing_class=AutoTokenizer.from_pretrained(path), stop_strings=style.stop_strings,
                                  shared_prefix=shared_prefix)
    trainer.train()
    assert seen and all(c == ANSWER for c in seen), seen
    logs = [h for h in trainer.state.log_history if "completions/stop_ratio" in h]
    assert logs and logs[0]["completions/stop_ratio"] == 1.0 and logs[0]["completions/clipped_ratio"] == 0.0
    json.dumps(logs)  # metrics stay plain numbers


def test_bf16_runs_sample_from_a_refreshed_bf16_copy_of_the_policy(tmp_path, memorised):
    """A bf16 run on a CPU generates from a bf16 copy whose weights follow the float32 policy, through the
    model's own forward (not the float32 original's, which TRL's fused-head patch would call)."""
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig

    from toolzero.train.trainer import ToolZeroGRPOTrainer

    args = GRPOConfig(output_dir=str(tmp_path / "run"), per_device_train_batch_size=2, num_generations=2,
                      max_completion_length=8, max_steps=1, use_cpu=True, report_to=[], bf16=True, beta=0.0,
                      save_strategy="no")
    trainer = ToolZeroGRPOTrainer(model=AutoModelForCausalLM.from_pretrained(memorised),
                                  reward_funcs=[lambda completions, **kw: [0.0] * len(completions)], args=args,
                                  train_dataset=Dataset.from_list([{"prompt": p} for p in PROMPTS]),
                                  processing_class=AutoTokenizer.from_pretrained(memorised))
    policy = trainer._generation_model(trainer.model)
    assert policy is not trainer.model and next(policy.parameters()).dtype == torch.bfloat16
    assert all("forward" not in vars(m) for m in policy.modules())
    with torch.no_grad():
        next(trainer.model.parameters()).add_(1.0)  # the policy moves: the copy follows at the next generation
    again = trainer._generation_model(trainer.model)
    assert again is policy
    for a, b in zip(again.parameters(), trainer.model.parameters()):
        assert torch.equal(a, b.to(torch.bfloat16))
    ids = torch.tensor([[1, 2, 3]])
    with torch.no_grad():
        assert again(input_ids=ids).logits.dtype == torch.bfloat16
    trainer.train()  # a bf16 step runs end to end


def test_a_bf16_generator_loads_bf16_weights_and_a_float32_one_keeps_float32():
    """--bf16 eval and toolzero signal sample from bf16 weights, as training's rollouts do (no per-token
    re-cast of float32 weights under autocast)."""
    from toolzero.eval.generate import HFGenerator

    path = resolve_model("tiny-random")
    bf16, fp32 = HFGenerator(path, max_new_tokens=4, bf16=True), HFGenerator(path, max_new_tokens=4)
    assert next(bf16.model.parameters()).dtype == torch.bfloat16
    assert next(fp32.model.parameters()).dtype == torch.float32
    assert len(bf16.sample_groups(["Hello there"], 2, temperature=1.0)[0]) == 2
    loaded = HFGenerator(fp32.model, max_new_tokens=4, tokenizer=fp32.tokenizer, bf16=True)  # a copy, in bf16
    assert next(loaded.model.parameters()).dtype == torch.bfloat16
    assert next(fp32.model.parameters()).dtype == torch.float32


def test_groups_of_equal_non_round_rewards_count_as_without_spread(tmp_path, memorised):
    """16 equal rewards of 0.9675 have a float32 std of about 1e-7, which TRL's isclose(std, 0) takes for spread;
    the logged frac_reward_zero_std counts that group as without spread, and the group with spread as with."""
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig

    from toolzero.train.trainer import ToolZeroGRPOTrainer

    std = torch.full((16,), 0.9675).std()
    assert not torch.isclose(std, torch.zeros_like(std))  # what TRL's own count would get wrong

    def reward(prompts, completions, **kwargs):
        return [0.9675 if "Paris" in p else 0.1 * (i % 3) for i, p in enumerate(prompts)]

    args = GRPOConfig(output_dir=str(tmp_path / "run"), per_device_train_batch_size=32, num_generations=16,
                      max_completion_length=6, max_steps=1, use_cpu=True, report_to=[], bf16=False, beta=0.0,
                      logging_steps=1, save_strategy="no", seed=0)
    trainer = ToolZeroGRPOTrainer(model=AutoModelForCausalLM.from_pretrained(memorised), reward_funcs=[reward],
                                  args=args, train_dataset=Dataset.from_list([{"prompt": p} for p in PROMPTS]),
                                  processing_class=AutoTokenizer.from_pretrained(memorised))
    trainer.train()
    logs = [h for h in trainer.state.log_history if "frac_reward_zero_std" in h]
    assert logs and logs[0]["frac_reward_zero_std"] == 0.5


def test_steps_per_generation_generates_once_for_several_steps(tmp_path, memorised):
    """TRL's steps_per_generation through the shared-prefix path: one generation of 2 steps' rollouts, 2 optimizer steps."""
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig

    from toolzero.train.trainer import ToolZeroGRPOTrainer

    seen: list[int] = []

    def record(prompts, completions, **kwargs):
        seen.append(len(completions))
        return [float(len(c) % 3) for c in completions]

    args = GRPOConfig(output_dir=str(tmp_path / "run"), per_device_train_batch_size=2, num_generations=2,
                      steps_per_generation=2, max_completion_length=8, max_steps=2, use_cpu=True, report_to=[],
                      bf16=False, beta=0.0, logging_steps=1, save_strategy="no", seed=0)
    trainer = ToolZeroGRPOTrainer(model=AutoModelForCausalLM.from_pretrained(memorised), reward_funcs=[record], args=args,
                                  train_dataset=Dataset.from_list([{"prompt": p} for p in PROMPTS] * 2),
                                  processing_class=AutoTokenizer.from_pretrained(memorised), shared_prefix=True)
    trainer.train()
    assert seen == [4] and trainer.state.global_step == 2  # 2 prompts x 2 rollouts, scored once, for both steps


def _thought_tokens(tok, text: str) -> int:
    return len(tok(text.split("</think>")[0], add_special_tokens=False)["input_ids"])


def test_a_thought_cap_forces_the_answer_at_the_cap_and_leaves_closed_thoughts_alone(memorised):
    """Greedy, memorised model (it writes ANSWER + TAIL): with a cap of 2 tokens the thought is cut there and
    '</think>\\n<answer>' comes next, token for token; a cap past its own '</think>' changes nothing; the
    shared-prefix path applies the cap as the plain path does."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from toolzero.eval.generate import HFGenerator, ThoughtCap

    model, tok = AutoModelForCausalLM.from_pretrained(memorised).eval(), AutoTokenizer.from_pretrained(memorised)
    style = STYLE.replace(thought_cap=2)
    cap = style.generation["thought_cap"]
    assert cap == ThoughtCap(2, "</think>\n<answer>")
    free = HFGenerator(model, max_new_tokens=24, tokenizer=tok, **STYLE.generation).generate(PROMPTS)
    assert all(c == ANSWER for c in free)
    capped = HFGenerator(model, max_new_tokens=24, tokenizer=tok, **style.generation).generate(PROMPTS)
    forced = tok(cap.close, add_special_tokens=False)["input_ids"]
    ids = tok(PROMPTS[0], add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        out = model.generate(torch.tensor([ids]), max_new_tokens=12, do_sample=False, pad_token_id=tok.pad_token_id,
                             logits_processor=cap.processors(tok))[0, len(ids):].tolist()
    assert out[2:2 + len(forced)] == forced and "</think>" not in tok.decode(out[:2])
    assert all("</think>\n<answer>" in c and _thought_tokens(tok, c) <= 2 for c in capped), capped
    late = _thought_tokens(tok, ANSWER) + 3  # the thought is closed before the cap: untouched
    assert HFGenerator(model, max_new_tokens=24, tokenizer=tok,
                       **STYLE.replace(thought_cap=late).generation).generate(PROMPTS) == free
    rows = [ids, ids, tok(PROMPTS[1], add_special_tokens=False)["input_ids"]]
    width = max(map(len, rows))
    padded = torch.tensor([[tok.pad_token_id] * (width - len(r)) + r for r in rows])
    kw = dict(max_new_tokens=10, do_sample=False, pad_token_id=tok.pad_token_id)
    with torch.no_grad():
        plain = model.generate(input_ids=padded, attention_mask=(padded != tok.pad_token_id).long(),
                               logits_processor=cap.processors(tok), **kw)
        _, shared = generate_shared_prefix(model, rows, tok.pad_token_id, logits_processor=cap.processors(tok), **kw)
    assert torch.equal(plain, shared)


def test_a_thought_cap_applies_to_grpo_rollouts(tmp_path, memorised):
    """The trainer's rollouts are capped as eval is: every completion has '</think>\\n<answer>' after 2 thought tokens."""
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig

    from toolzero.train.trainer import ToolZeroGRPOTrainer

    seen: list[str] = []

    def record(prompts, completions, **kwargs):
        seen.extend(completions)
        return [float(i % 2) for i in range(len(completions))]

    tok = AutoTokenizer.from_pretrained(memorised)
    style = STYLE.replace(thought_cap=2)
    args = GRPOConfig(output_dir=str(tmp_path / "run"), per_device_train_batch_size=4, num_generations=2,
                      max_completion_length=16, max_steps=1, temperature=0.01, use_cpu=True, report_to=[], bf16=False,
                      beta=0.0, logging_steps=1, save_strategy="no", seed=0)
    trainer = ToolZeroGRPOTrainer(model=AutoModelForCausalLM.from_pretrained(memorised), reward_funcs=[record], args=args,
                                  train_dataset=Dataset.from_list([{"prompt": p} for p in PROMPTS] * 2),
                                  processing_class=tok, stop_strings=style.stop_strings,
                                  thought_cap=style.generation["thought_cap"])
    trainer.train()
    assert len(seen) == 4 and all("</think>\n<answer>" in c and _thought_tokens(tok, c) <= 2 for c in seen), seen


def test_a_thought_cap_is_a_number_of_tokens_and_needs_the_hf_backend(tmp_path):
    from toolzero.eval.generate import ThoughtCap, VLLMGenerator

    style = PromptStyle(prefill="<think>", thought_cap=48)
    assert PromptStyle.from_json(style.to_json()) == style
    style.save(tmp_path)
    assert PromptStyle.load(tmp_path).thought_cap == 48
    assert PromptStyle().generation == {"stop_strings": ("</answer>",), "thought_cap": None}
    for bad in (-1, True, "48"):
        with pytest.raises(ValueError, match="thought_cap"):
            PromptStyle(thought_cap=bad)
    with pytest.raises(ValueError, match="thought_cap"):
        PromptStyle.from_json({"thought_cap": "48"})
    with pytest.raises(ValueError, match="at least 1"):
        ThoughtCap(0, "</think>")
    with pytest.raises(ValueError, match="hf backend"):
        VLLMGenerator("unused", thought_cap=ThoughtCap(8, "</think>\n<answer>"))
