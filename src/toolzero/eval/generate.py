"""Batched greedy generation with transformers on CPU (left padding, KV cache, stop at the format's stop strings)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolzero.calls.formats import get_format

log = logging.getLogger(__name__)

# Where a completion is over unless told otherwise: the GG format's stop strings.  Callers pass
# their prompt style's (``PromptStyle.stop_strings``, from the output format).
STOP_STRINGS = get_format("gg").stop_strings


@dataclass
class GenerationStats:
    """Running totals, for the progress bar and the run's scores.json."""

    items: int = 0
    new_tokens: int = 0
    seconds: float = 0.0

    @property
    def tokens_per_s(self) -> float:
        return self.new_tokens / self.seconds if self.seconds else 0.0

    @property
    def items_per_s(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0


class HFGenerator:
    """Greedy generation from a local Hugging Face model folder (or hub id)."""

    def __init__(self, model: str | Path | Any, max_new_tokens: int = 256, batch_size: int = 8, dtype: str = "float32",
                 tokenizer: Any = None, stop_strings: tuple[str, ...] = STOP_STRINGS):
        """Load ``model`` from a folder, or wrap an already loaded model and its ``tokenizer``."""
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.torch = torch
        if isinstance(model, (str, Path)):
            tokenizer = AutoTokenizer.from_pretrained(model)
            model = AutoModelForCausalLM.from_pretrained(model, dtype=getattr(torch, dtype))
            model.eval()
        elif tokenizer is None:
            raise ValueError("a loaded model needs its tokenizer")
        self.tokenizer = tokenizer
        self.tokenizer.padding_side = "left"  # decoder-only models continue on the right
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.model = model
        self.max_new_tokens = max_new_tokens
        self.batch_size = batch_size
        self.stop_strings = tuple(stop_strings)
        self.stats = GenerationStats()

    def generate(self, prompts: Sequence[str]) -> list[str]:
        """Complete each prompt greedily; text stops after a stop string or the end of sequence.

        Prompts are batched by token length (longest first), so that a batch holds little
        padding; the completions come back in the order of ``prompts``.
        """
        if len(prompts) <= self.batch_size:  # one batch (the run loop already groups by length): no sort
            return self._batch(list(prompts))
        lengths = [len(ids) for ids in self.tokenizer(list(prompts), add_special_tokens=False)["input_ids"]]
        order = sorted(range(len(prompts)), key=lambda i: -lengths[i])
        out: list[str] = [""] * len(prompts)
        for i in range(0, len(order), self.batch_size):
            chunk = order[i:i + self.batch_size]
            for j, text in zip(chunk, self._batch([prompts[j] for j in chunk])):
                out[j] = text
        return out

    def _batch(self, prompts: list[str]) -> list[str]:
        t0 = time.perf_counter()
        enc = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
        with self.torch.inference_mode():
            seqs = self.model.generate(
                **enc, max_new_tokens=self.max_new_tokens, do_sample=False, use_cache=True,
                stop_strings=list(self.stop_strings), tokenizer=self.tokenizer,
                pad_token_id=self.tokenizer.pad_token_id,
            )
        new = seqs[:, enc["input_ids"].shape[1]:]
        texts = []
        for row in new:
            keep = row[row != self.tokenizer.pad_token_id]
            self.stats.new_tokens += int(keep.numel())
            texts.append(cut_at_stop(self.tokenizer.decode(keep, skip_special_tokens=True), self.stop_strings))
        self.stats.items += len(prompts)
        self.stats.seconds += time.perf_counter() - t0
        return texts


def cut_at_stop(text: str, stops: tuple[str, ...] = STOP_STRINGS) -> str:
    """Drop anything generated after the first stop string (batch members run on)."""
    ends = [k + len(stop) for stop in stops if (k := text.find(stop)) >= 0]
    return text[: min(ends)] if ends else text


class ReplayGenerator:
    """A test backend: the completion for each prompt comes from a function (no model)."""

    def __init__(self, fn: Callable[[str], str]):
        self.fn = fn
        self.stats = GenerationStats()
        self.tokenizer = None

    def generate(self, prompts: Sequence[str]) -> list[str]:
        self.stats.items += len(prompts)
        return [self.fn(p) for p in prompts]


class VLLMGenerator:
    """Greedy generation with vLLM, for GPU machines where it is installed (``pip install vllm``).

    Same protocol as :class:`HFGenerator`: ``generate(prompts)``, ``tokenizer`` and ``stats``.
    """

    def __init__(self, model: str | Path, max_new_tokens: int = 256, batch_size: int = 256,
                 stop_strings: tuple[str, ...] = STOP_STRINGS, **llm_kwargs: Any):
        try:
            from vllm import LLM, SamplingParams
        except ImportError as e:
            raise ImportError(f"--backend vllm needs vLLM on a GPU machine: pip install vllm ({e})") from e
        self.llm = LLM(model=str(model), **llm_kwargs)
        self.tokenizer = self.llm.get_tokenizer()
        self.params = SamplingParams(temperature=0.0, max_tokens=max_new_tokens, stop=list(stop_strings),
                                     include_stop_str_in_output=True)
        self.batch_size = batch_size
        self.stats = GenerationStats()

    def generate(self, prompts: Sequence[str]) -> list[str]:
        t0 = time.perf_counter()
        outputs = self.llm.generate(list(prompts), self.params, use_tqdm=False)
        texts = [o.outputs[0].text for o in outputs]
        self.stats.items += len(prompts)
        self.stats.new_tokens += sum(len(o.outputs[0].token_ids) for o in outputs)
        self.stats.seconds += time.perf_counter() - t0
        return texts
