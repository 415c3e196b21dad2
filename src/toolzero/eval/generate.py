"""Batched greedy generation with transformers on CPU (left padding, KV cache, stop at the format's stop strings)."""

from __future__ import annotations

import copy
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


@dataclass(frozen=True)
class ThoughtCap:
    """At most ``tokens`` generated tokens before the answer (``PromptStyle.thought_cap``).

    A row that has not closed its thought (``end_tag``) within its first ``tokens`` generated tokens is
    made to write ``close`` next (``</think>`` and the answer's open tag, token by token), then goes on
    as it would.  In training the forced tokens are part of the rollout like any other (as budget
    forcing does); rows that closed their thought in time are untouched.
    """

    tokens: int
    close: str
    end_tag: str = "</think>"

    def __post_init__(self) -> None:
        if self.tokens < 1:
            raise ValueError(f"a thought cap is at least 1 token, got {self.tokens}")

    def processors(self, tokenizer: Any) -> Any:
        """A fresh ``LogitsProcessorList`` for one ``generate`` call (the processor keeps per-call state)."""
        from transformers import LogitsProcessorList

        return LogitsProcessorList([ThoughtCapProcessor(self, tokenizer)])


class ThoughtCapProcessor:
    """The logits processor of a :class:`ThoughtCap`, for one ``generate`` call.

    It learns where the prompt ends from its first call; at the ``tokens``-th generated token it
    decodes each row once to see whether the thought is closed, then forces ``close`` on the rows
    that have not closed it.
    """

    def __init__(self, cap: ThoughtCap, tokenizer: Any):
        self.cap = cap
        self.decode = lambda ids: tokenizer.decode(ids, skip_special_tokens=True)
        self.forced = tokenizer(cap.close, add_special_tokens=False)["input_ids"]
        self.start: int | None = None
        self.rows: list[int] = []

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        if self.start is None:
            self.start = input_ids.shape[1]
        n = input_ids.shape[1] - self.start  # tokens generated so far
        if n == self.cap.tokens:
            self.rows = [i for i, row in enumerate(input_ids[:, self.start:].tolist())
                         if self.cap.end_tag not in self.decode(row)]
        k = n - self.cap.tokens
        if self.rows and 0 <= k < len(self.forced):
            scores[self.rows] = float("-inf")
            scores[self.rows, self.forced[k]] = 0.0
        return scores


class HFGenerator:
    """Greedy generation from a local Hugging Face model folder (or hub id)."""

    def __init__(self, model: str | Path | Any, max_new_tokens: int = 256, batch_size: int = 8, dtype: str = "float32",
                 tokenizer: Any = None, stop_strings: tuple[str, ...] = STOP_STRINGS, bf16: bool = False,
                 thought_cap: ThoughtCap | None = None):
        """Load ``model`` from a folder, or wrap an already loaded model and its ``tokenizer``.

        ``stop_strings`` and ``thought_cap`` come from the prompt style (``**style.generation``).

        ``bf16``: generate with bf16 weights, as training's rollouts sample from a bf16 copy of the
        policy (autocast would re-cast every weight at every decoded token): a model loaded from a
        folder is loaded in bf16, an already loaded float32 model is copied to bf16 (it stays as it
        is).  Off by default: bf16 changes about half the greedy completions
        (``benchmarks/bench_eval.py``), so eval stays float32 and comparable with recorded runs.
        """
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.torch = torch
        if isinstance(model, (str, Path)):
            tokenizer = AutoTokenizer.from_pretrained(model)
            model = AutoModelForCausalLM.from_pretrained(model, dtype=torch.bfloat16 if bf16 else getattr(torch, dtype))
            model.eval()
        elif tokenizer is None:
            raise ValueError("a loaded model needs its tokenizer")
        elif bf16 and next(model.parameters()).dtype == torch.float32:
            model = copy.deepcopy(model).to(torch.bfloat16).eval()
        self.tokenizer = tokenizer
        self.tokenizer.padding_side = "left"  # decoder-only models continue on the right
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.model = model
        self.max_new_tokens = max_new_tokens
        self.batch_size = batch_size
        self.stop_strings = tuple(stop_strings)
        self.thought_cap = thought_cap
        self.stats = GenerationStats()

    def _extra(self) -> dict[str, Any]:
        """generate() keywords of the thought cap, if there is one."""
        return {"logits_processor": self.thought_cap.processors(self.tokenizer)} if self.thought_cap else {}

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

    def sample_groups(self, prompts: Sequence[str], n: int, temperature: float = 1.0) -> list[list[str]]:
        """``n`` sampled completions per prompt (GRPO's rollouts), each prompt prefilled once.

        ``batch_size`` rows are decoded together (whole groups); texts are cut after a stop string.
        """
        per_call = max(1, self.batch_size // n)
        out: list[list[str]] = []
        for i in range(0, len(prompts), per_call):
            chunk = list(prompts[i:i + per_call])
            t0 = time.perf_counter()
            ids = [self.tokenizer(p, add_special_tokens=False)["input_ids"] for p in chunk for _ in range(n)]
            with self.torch.inference_mode():
                inputs, seqs = generate_shared_prefix(
                    self.model, ids, self.tokenizer.pad_token_id, max_new_tokens=self.max_new_tokens, do_sample=True,
                    temperature=temperature, top_p=1.0, top_k=0, stop_strings=list(self.stop_strings),
                    tokenizer=self.tokenizer, pad_token_id=self.tokenizer.pad_token_id, **self._extra())
            texts = self._texts(seqs[:, inputs.shape[1]:])
            out.extend(texts[j * n:(j + 1) * n] for j in range(len(chunk)))
            self.stats.items += len(ids)
            self.stats.seconds += time.perf_counter() - t0
            log.info("sampled %d/%d prompts x %d (%.0f tok/s)", len(out), len(prompts), n, self.stats.tokens_per_s)
        return out

    def _texts(self, new: Any) -> list[str]:
        """Generated rows -> texts without padding, cut after a stop string; counts the tokens."""
        texts = []
        for row in new:
            keep = row[row != self.tokenizer.pad_token_id]
            self.stats.new_tokens += int(keep.numel())
            texts.append(cut_at_stop(self.tokenizer.decode(keep, skip_special_tokens=True), self.stop_strings))
        return texts

    def _batch(self, prompts: list[str]) -> list[str]:
        t0 = time.perf_counter()
        enc = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
        with self.torch.inference_mode():
            seqs = self.model.generate(
                **enc, max_new_tokens=self.max_new_tokens, do_sample=False, use_cache=True,
                stop_strings=list(self.stop_strings), tokenizer=self.tokenizer,
                pad_token_id=self.tokenizer.pad_token_id, **self._extra(),
            )
        texts = self._texts(seqs[:, enc["input_ids"].shape[1]:])
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
                 stop_strings: tuple[str, ...] = STOP_STRINGS, thought_cap: ThoughtCap | None = None,
                 **llm_kwargs: Any):
        if thought_cap is not None:
            raise ValueError("a thought cap needs the hf backend (it is a transformers logits processor)")
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


def prompt_groups(prompt_ids: Sequence[Sequence[int]]) -> tuple[list[tuple[int, ...]], list[int]]:
    """The distinct prompts (in first-seen order) and, per row, the index of its prompt."""
    index: dict[tuple[int, ...], int] = {}
    inverse = [index.setdefault(tuple(p), len(index)) for p in prompt_ids]
    return list(index), inverse


def generate_shared_prefix(model: Any, prompt_ids: Sequence[Sequence[int]], pad_id: int, **generate_kwargs: Any):
    """``model.generate`` for rows that share prompts (GRPO's G rollouts), prefilling each distinct prompt once.

    The distinct prompts are left-padded and encoded once (all tokens but the last, with the
    position ids ``generate`` itself would use); their KV cache is expanded to the rows, and
    ``generate`` continues from it, decoding every row together.  Exact: the same logits as
    generating each row from scratch, so greedy outputs are the same and sampled ones follow the
    same distribution.  Returns ``(input_ids, sequences)``: the left-padded prompts of the rows and
    what ``generate`` returned for them (prompt then completion).
    """
    import torch
    from transformers import DynamicCache

    unique, inverse = prompt_groups(prompt_ids)
    width = max(len(p) for p in unique)
    ids = torch.full((len(unique), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(unique), width), dtype=torch.long)
    for i, p in enumerate(unique):
        ids[i, width - len(p):] = torch.tensor(p, dtype=torch.long)
        mask[i, width - len(p):] = 1
    device = next(model.parameters()).device
    ids, mask = ids.to(device), mask.to(device)
    rows = torch.tensor(inverse, dtype=torch.long, device=device)
    cache = DynamicCache(config=model.config)
    if width > 1:
        head, head_mask = ids[:, :-1], mask[:, :-1]
        position_ids = (head_mask.cumsum(-1) - 1).masked_fill(head_mask == 0, 0)
        with torch.no_grad():
            model(input_ids=head, attention_mask=head_mask, position_ids=position_ids, past_key_values=cache,
                  use_cache=True, logits_to_keep=1)
        cache.reorder_cache(rows)  # one copy of each prompt's keys and values per row
    full_ids, full_mask = ids[rows], mask[rows]
    sequences = model.generate(input_ids=full_ids, attention_mask=full_mask, past_key_values=cache, **generate_kwargs)
    return full_ids, sequences
