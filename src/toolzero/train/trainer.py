"""Our GRPOTrainer: TRL's, with rollouts that end where evaluation ends, generated fast on a CPU.

A subclass at TRL's own seams (``_generate_single_turn``, ``_generate``,
``_generate_and_score_completions``); nothing of TRL's loop is copied:

* **Stop strings.** A rollout ends right after its output format's stop string (``</answer>``),
  as in eval and the probe; the completion keeps the stop string.  Without this a completion
  that has closed its answer runs on to EOS or the token limit: decode is wasted and the text
  after ``</answer>`` costs the format reward.  A rollout that stopped at a stop string counts
  as terminated, not clipped (TRL's ``completions/clipped_ratio`` and
  ``mask_truncated_completions`` know only EOS; both are corrected here).
* **Shared-prefix generation** (transformers backend): each distinct prompt is prefilled once
  and its KV cache expanded to its G rollouts (:func:`toolzero.eval.generate.generate_shared_prefix`);
  exact, same logits as prefilling every rollout.
* **Shared-prefix training pass**: the policy's per-token log-probs encode each distinct prompt
  once, with gradients, and run only the completions per rollout
  (:func:`toolzero.train.prefix.shared_prefix_logps`); exact (same log-probs and gradients).
* **bf16 generation** when the run trains in bf16 (``trainer.bf16``) on a CPU: rollouts are
  sampled from a bf16 copy of the policy, refreshed from the float32 weights before every
  generation (a copy of 135M weights takes ~50 ms; autocast would re-cast every weight at every
  decode step).  Log-probs for the loss come from the training pass, as with vLLM.

* **Thought cap** (``model.thought_cap``): a rollout that has not closed its thought within that many
  tokens is made to write ``</think>`` and the answer's open tag next
  (:class:`toolzero.eval.generate.ThoughtCap`), as the probe and eval do; transformers backend only.

* **Groups without spread counted exactly**: ``frac_reward_zero_std`` is the share of groups whose
  rewards are all equal (TRL's ``isclose(std, 0)`` misses equal non-round rewards: their float32 std
  is about 1e-7).

vLLM and TRL's continuous batching keep TRL's generation; the stop strings are applied to
their output.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import torch
from trl import GRPOTrainer

from toolzero.eval.generate import ThoughtCap, generate_shared_prefix

# How a rollout ended: at a stop string, at EOS, or at the token limit (clipped).
STOP, EOS, LENGTH = "stop", "eos", "length"
SPREAD_TOL = 1e-6  # rewards of a group closer than this count as equal (no advantage to learn from)


def cut_at_stop_ids(ids: Sequence[int], decode: Any, stops: Sequence[str]) -> int | None:
    """The number of tokens up to and including the first completed stop string, or None.

    ``decode`` turns token ids into text; the shortest prefix whose text contains a stop string wins.
    Containing a stop string is monotone in the prefix length (later tokens only append text), so
    the shortest such prefix is found by bisection: O(log n) decodes per row, not O(n).
    """
    def stopped(k: int) -> bool:
        text = decode(list(ids[:k]))
        return any(s in text for s in stops)

    if not stops or not stopped(len(ids)):
        return None
    lo, hi = 1, len(ids)  # stopped(hi) holds
    while lo < hi:
        mid = (lo + hi) // 2
        if stopped(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def end_rollout(ids: Sequence[int], eos_ids: Sequence[int], decode: Any, stops: Sequence[str]) -> tuple[list[int], str]:
    """A generated row cut where the rollout ended, and how it ended.

    The first of: a stop string (kept, nothing after it), EOS (kept, as TRL keeps it), the end of
    the row (clipped).  Padding after the end is dropped.
    """
    ids = list(ids)
    eos_at = next((i for i, t in enumerate(ids) if t in eos_ids), None)
    head = ids if eos_at is None else ids[:eos_at]
    k = cut_at_stop_ids(head, decode, stops)
    if k is not None:
        return head[:k], STOP
    if eos_at is not None:
        return ids[:eos_at + 1], EOS
    return ids, LENGTH


class ToolZeroGRPOTrainer(GRPOTrainer):
    """TRL's GRPOTrainer with stop strings, shared-prefix rollouts and bf16 generation on CPU.

    Args:
        stop_strings: where a rollout ends (the output format's; empty: EOS or the limit only).
        shared_prefix: prefill each distinct prompt once per generation batch (transformers backend).
        shared_prefix_train: encode each distinct prompt once in the training pass (text-only models).
        thought_cap: force the end of the thought after this many tokens (the style's ``generation["thought_cap"]``).
        *args, **kwargs: GRPOTrainer's.
    """

    def __init__(self, *args: Any, stop_strings: Sequence[str] = (), shared_prefix: bool = True,
                 shared_prefix_train: bool = True, thought_cap: ThoughtCap | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if thought_cap is not None and (self.use_vllm or self.use_transformers_continuous_batching):
            raise ValueError("a thought cap needs the transformers backend (use_vllm and continuous batching are off)")
        self.thought_cap = thought_cap
        self.stop_strings = tuple(stop_strings)
        self.shared_prefix = shared_prefix
        # The prefix pass calls the model's inner decoder directly: one process, no DeepSpeed / FSDP wrapper.
        single = self.accelerator.num_processes == 1 and not (self.is_deepspeed_enabled or self.is_fsdp_enabled)
        self.shared_prefix_train = shared_prefix_train and single
        self._ends: list[str] = []  # how each rollout of the last generation batch ended, in row order
        self._bf16_policy: Any = None  # the bf16 copy generation samples from (bf16 runs on a CPU)
        self._rewards_per_func: torch.Tensor | None = None  # the last batch's rewards, every process's rows

    # ------------------------------------------------------------------ the training pass
    def _get_per_token_logps_and_entropies(self, model, input_ids, attention_mask, logits_to_keep, batch_size=None,
                                           compute_entropy=False, compute_aux_loss=False, **multimodal):
        if not self.shared_prefix_train or compute_aux_loss or any(v is not None for v in multimodal.values()):
            return super()._get_per_token_logps_and_entropies(
                model, input_ids, attention_mask, logits_to_keep, batch_size, compute_entropy, compute_aux_loss,
                **multimodal)
        from toolzero.train.prefix import shared_prefix_logps

        with self.accelerator.autocast():
            logps, entropies = shared_prefix_logps(model, input_ids, attention_mask, logits_to_keep, compute_entropy,
                                                   batch_size)
        return logps, entropies, None

    # ------------------------------------------------------------------ generation
    def _decode(self, ids: list[int]) -> str:
        return self._tokenizer.decode(ids, skip_special_tokens=True)

    def _generate_single_turn(self, prompt_ids, images, multimodal_fields, num_generations, has_tool_images=False):
        plain = not (self.use_vllm or self.use_transformers_continuous_batching or images is not None
                     or multimodal_fields or has_tool_images)
        if plain:
            rows = self._generate_rows(prompt_ids)
            logprobs = None
        else:  # TRL's backends; the stop strings cut their output
            rows, logprobs = super()._generate_single_turn(prompt_ids, images, multimodal_fields, num_generations,
                                                           has_tool_images)
        completion_ids, ends = [], []
        for i, row in enumerate(rows):
            cut, how = end_rollout(row, self.eos_token_ids, self._decode, self.stop_strings)
            completion_ids.append(cut)
            ends.append(how)
            if logprobs is not None:
                logprobs[i] = logprobs[i][:len(cut)]
        self._ends = ends
        return completion_ids, logprobs

    def _generate_rows(self, prompt_ids: list[list[int]]) -> list[list[int]]:
        """Generate with transformers: shared-prefix or plain, stopping rows at the stop strings."""
        from trl.extras.profiling import profiling_context
        from trl.models import unwrap_model_for_generation
        from trl.trainer.utils import pad

        pad_id = self._tokenizer.pad_token_id
        config = self.generation_config
        if self.stop_strings:
            config = copy.deepcopy(config)
            config.stop_strings = list(self.stop_strings)
        kwargs: dict[str, Any] = {"generation_config": config, "tokenizer": self._tokenizer}
        if self.thought_cap is not None:
            kwargs["logits_processor"] = self.thought_cap.processors(self._tokenizer)
        with (
            profiling_context(self, "transformers.generate"),
            unwrap_model_for_generation(
                self.model_wrapped, self.accelerator, gather_deepspeed3_params=self.args.ds3_gather_for_generation,
                generation_kwargs=self.generation_kwargs,
                gradient_checkpointing_kwargs=self.args.gradient_checkpointing_kwargs,
            ) as model,
            torch.no_grad(),
            self._dist.summon_full_params(self.model_wrapped, recurse=False),
        ):
            model = self._generation_model(model)
            if self.shared_prefix:
                inputs, sequences = generate_shared_prefix(model, prompt_ids, pad_id, **kwargs)
            else:
                tensors = [torch.tensor(p) for p in prompt_ids]
                inputs = pad(tensors, padding_value=pad_id, padding_side="left").to(self.accelerator.device)
                mask = pad([torch.ones_like(t) for t in tensors], padding_value=0, padding_side="left")
                sequences = model.generate(input_ids=inputs, attention_mask=mask.to(inputs.device), **kwargs)
        return sequences[:, inputs.shape[1]:].cpu().tolist()

    def _generation_model(self, model: Any) -> Any:
        """The model to sample from: a bf16 copy of ``model`` (weights refreshed now) for bf16 runs on a CPU."""
        if not (self.args.bf16 and self.accelerator.device.type == "cpu") or next(model.parameters()).dtype != torch.float32:
            return model
        if self._bf16_policy is None:
            policy = copy.deepcopy(model).to(torch.bfloat16).eval()
            for module in policy.modules():  # forwards patched onto the instance (TRL's fused head, accelerate's
                module.__dict__.pop("forward", None)  # autocast) still call the float32 original: use the class's
            self._bf16_policy = policy
        for target, source in zip(self._bf16_policy.parameters(), model.parameters(), strict=True):
            target.data.copy_(source.data)
        return self._bf16_policy

    def _generate(self, prompts: list):
        out = super()._generate(prompts)
        if self._ends:  # TRL counts a rollout that ended at a stop string as clipped: correct its metric
            mode = "train" if self.model.training else "eval"
            ends = self._ends
            clipped = self._metrics[mode]["completions/clipped_ratio"]
            if clipped:
                clipped[-1] = self._gathered_mean([e == LENGTH for e in ends])
            self._metrics[mode]["completions/stop_ratio"].append(self._gathered_mean([e == STOP for e in ends]))
        return out

    def _gathered_mean(self, flags: list[bool]) -> float:
        t = torch.tensor(flags, dtype=torch.float32, device=self.accelerator.device)
        return self.accelerator.gather(t).mean().item()

    def _calculate_rewards(self, inputs, prompts, completions, completion_ids_list):
        rewards_per_func = super()._calculate_rewards(inputs, prompts, completions, completion_ids_list)
        self._rewards_per_func = rewards_per_func  # groups are whole here (gathered over processes)
        return rewards_per_func

    def _count_groups_without_spread(self) -> None:
        """Replace TRL's last ``frac_reward_zero_std`` by the share of groups whose rewards are all equal.

        TRL tests ``isclose(std, 0)`` (atol 1e-8), but the float32 std of 16 equal rewards such as 0.9675 is
        about 1e-7, so groups of equal *non-round* rewards (GG's r_general) were counted as having spread.
        Here a group has none when its rewards differ by at most ``SPREAD_TOL``.
        """
        rpf = self._rewards_per_func
        mode = "train" if self.model.training else "eval"
        logged = self._metrics[mode]["frac_reward_zero_std"]
        g = self.num_generations if mode == "train" else self.num_generations_eval
        if rpf is None or not logged or g < 2 or rpf.shape[0] % g:
            return
        rewards = (rpf * self.reward_weights.to(rpf.device).unsqueeze(0)).nansum(dim=1).view(-1, g)
        logged[-1] = ((rewards.amax(dim=1) - rewards.amin(dim=1)) <= SPREAD_TOL).float().mean().item()

    def _generate_and_score_completions(self, inputs):
        """TRL's, with ``mask_truncated_completions`` masking only rollouts cut by the token limit, and
        ``frac_reward_zero_std`` counting groups of equal rewards exactly (:meth:`_count_groups_without_spread`)."""
        masked = self.mask_truncated_completions
        self.mask_truncated_completions = False
        try:
            out = super()._generate_and_score_completions(inputs)
        finally:
            self.mask_truncated_completions = masked
        self._count_groups_without_spread()
        if masked and len(self._ends) == out["completion_mask"].shape[0]:
            keep = torch.tensor([e != LENGTH for e in self._ends], device=out["completion_mask"].device)
            out["completion_mask"] = out["completion_mask"] * keep.unsqueeze(1).to(out["completion_mask"].dtype)
        return out
