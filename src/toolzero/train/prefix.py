"""Shared-prefix policy forward for GRPO: encode each prompt once per group, not once per rollout.

In GRPO every prompt has G rollouts, and TRL's ``GRPOTrainer._get_per_token_logps_and_entropies``
runs the whole prompt + completion for every row.  Here the rows that share a prompt (same prompt
ids *and* mask, wherever they sit in the batch) are grouped; each distinct prompt is encoded once,
with gradients, into a KV cache; the cache is expanded to the rows (``Cache.batch_select_indices``
with the inverse index of ``torch.unique``: an index op, so gradients flow back through it); and
only ``[last prompt token] + completion`` is run per row, attending to the cached prompt
keys/values (Prefix Grouper, arXiv 2506.05433).  Attention is causal, so the prompt's keys/values do
not depend on the completion, and the result is the same computation as the plain path, regrouped.

The completion pass goes through the model's own TRL-patched forward
(``trl.trainer.utils.add_fused_lm_head``: ``fused_lm_head=True``), so temperature, logit scaling and
soft-capping are TRL's own.  Position ids are the model's default (``arange`` over the padded row,
continuing after the cache), exactly what TRL's plain path uses; sliding-window layers (Gemma-3)
get their masks from the cache classes as in generation.

Gradient checkpointing: a checkpointed HF decoder layer drops ``past_key_values`` in training, so
this function switches checkpointing off on the model's layers for its own forward (and back on
afterwards).  The call is then exact, but its activations are kept, not recomputed; see
``benchmarks/bench_prefix.py`` for the memory this costs.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import torch
from torch import nn


def shared_prefix_logps(
    model: nn.Module,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    logits_to_keep: int,
    compute_entropy: bool = False,
    batch_size: int | None = None,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Per-token log-probs (and entropies) of the completion tokens, as TRL's text-only path computes them.

    ``model`` is a causal LM (or a peft model around one) whose forward TRL patched with
    ``add_fused_lm_head(..., outputs=("log_probs", "entropy"))``.  ``input_ids``/``attention_mask``
    are ``[rows, prompt + completion]``: a left-padded prompt, then ``logits_to_keep`` completion
    tokens (right-padded).  Rows are processed in chunks of ``batch_size`` (all at once when None);
    prompts are shared within a chunk.  Returns ``[rows, logits_to_keep]`` log-probs, and entropies
    when ``compute_entropy`` (else None); masked completion tokens get 0, as in TRL.  Autocast is
    the caller's (TRL wraps its call in ``accelerator.autocast()``).
    """
    batch_size = batch_size or input_ids.size(0)
    logps, entropies = [], []
    with _checkpointing_off(model):
        for start in range(0, input_ids.size(0), batch_size):
            rows = slice(start, start + batch_size)
            lp, ent = _chunk_logps(model, input_ids[rows], attention_mask[rows], logits_to_keep, compute_entropy)
            logps.append(lp)
            entropies.append(ent)
    return torch.cat(logps), (torch.cat(entropies) if compute_entropy else None)


def _chunk_logps(
    model: nn.Module, input_ids: torch.Tensor, attention_mask: torch.Tensor, logits_to_keep: int, compute_entropy: bool
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """One chunk of rows: group by prompt, encode each prompt once, then score every row's completion."""
    prompt_len = input_ids.size(1) - logits_to_keep
    if prompt_len < 2:  # no prefix to share: the plain call
        labels = input_ids.masked_fill(attention_mask == 0, -100)
        labels[:, :-logits_to_keep] = -100
        out = model(input_ids=input_ids, attention_mask=attention_mask, labels=labels, fused_lm_head=True)
        return out.log_probs[:, -logits_to_keep:], (out.entropy[:, -logits_to_keep:] if compute_entropy else None)

    # 1. The distinct prompts (ids and mask together), and for each row the index of its prompt.
    prefix = prompt_len - 1  # all prompt tokens but the last; the last one predicts the first completion token
    keys = torch.cat([input_ids[:, :prefix], attention_mask[:, :prefix]], dim=1)
    unique, row_to_prompt = torch.unique(keys, dim=0, return_inverse=True)
    prompt_ids, prompt_mask = unique[:, :prefix], unique[:, prefix:]

    # 2. Encode each distinct prompt once, with gradients, into a KV cache of the model's own kind
    #    (full or sliding-window per layer), then expand it to the rows.
    cache = _decoder(model)(input_ids=prompt_ids, attention_mask=prompt_mask, use_cache=True).past_key_values
    cache.batch_select_indices(row_to_prompt)

    # 3. Each row's [last prompt token] + completion against the cache.  The mask is the whole row's
    #    (cache + new tokens); position ids continue from the cache length, as in the plain path.
    #    Labels are the tokens themselves, padding ignored: the fused head shifts them, so position 0
    #    (the last prompt token) scores completion token 1, ..., giving [rows, logits_to_keep].
    tail_ids = input_ids[:, prefix:]
    labels = tail_ids.masked_fill(attention_mask[:, prefix:] == 0, -100)
    out = model(input_ids=tail_ids, attention_mask=attention_mask, past_key_values=cache, labels=labels,
                fused_lm_head=True)
    return out.log_probs, (out.entropy if compute_entropy else None)


def _decoder(model: nn.Module) -> nn.Module:
    """The transformer stack under the LM head (through a peft wrapper), the module TRL's fused head calls."""
    causal_lm = model.get_base_model() if hasattr(model, "get_base_model") else model
    return causal_lm.base_model


@contextmanager
def _checkpointing_off(model: nn.Module) -> Iterator[None]:
    """Turn gradient checkpointing off on every module that has it on, and restore it afterwards.

    A checkpointed layer sets ``past_key_values=None`` in training mode, which would silently cut the
    completions off from their prompt.
    """
    switched = [m for m in model.modules() if getattr(m, "gradient_checkpointing", False) is True]
    if switched and model.training:
        warnings.warn("shared_prefix_logps runs without gradient checkpointing (a checkpointed layer drops the KV "
                      "cache); set gradient_checkpointing=False to make that explicit", stacklevel=4)
    for m in switched:
        m.gradient_checkpointing = False
    try:
        yield
    finally:
        for m in switched:
            m.gradient_checkpointing = True
