"""Eval on several processes: one :class:`~toolzero.eval.generate.HFGenerator` per process, the prompts dealt out.

On a small CPU, HF's batched decode leaves part of a second core unused: two 1-thread evals side
by side ran about as fast each as one 2-thread eval alone, over full BFCL runs (``docs/results.md``;
``benchmarks/bench_eval.py`` measures it).  :class:`ParallelGenerator` therefore starts ``workers``
processes (``spawn``), each loading its own copy of the model on ``cpus // workers`` threads, and
deals the batches of every call out to them: the eval loop hands over ``workers`` batches at a time,
sorted by length, and each worker decodes the very batches one process would (the same padding).
It offers the :class:`~toolzero.eval.runner.Generator` protocol, so the eval loop, its results file
and its resume are unchanged.

Each worker generates greedily with the same settings as one process would; a worker that raises
makes that batch fail (the runner records its items as ``generation_failed``), a worker that dies
makes every later batch fail with its exit code in the error.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolzero.eval.generate import STOP_STRINGS, GenerationStats, ThoughtCap

log = logging.getLogger(__name__)


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _serve(conn: Any, threads: int, kwargs: dict[str, Any]) -> None:
    """A worker: load the model on ``threads`` threads, then answer ``batches -> completions`` until told to stop.

    Each batch it is sent is decoded as one batch (it is at most the generator's ``batch_size``)."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    import torch

    torch.set_num_threads(threads)
    from toolzero.eval.generate import HFGenerator

    try:
        gen = HFGenerator(**kwargs)
    except Exception as e:
        conn.send(("error", f"loading {kwargs.get('model')}: {type(e).__name__}: {e}"))
        return
    try:
        conn.send(("ready", None))
        while (batches := conn.recv()) is not None:
            before = gen.stats.new_tokens
            try:
                answer = ("ok", ([gen.generate(b) for b in batches], gen.stats.new_tokens - before))
            except Exception as e:  # reported to the parent; this worker keeps serving
                answer = ("error", f"{type(e).__name__}: {e}")
            conn.send(answer)
    except (EOFError, OSError):  # the parent has gone: nothing left to serve
        return


class ParallelGenerator:
    """Greedy generation on ``workers`` processes of ``threads`` threads each (default: the CPUs shared out).

    ``batch_size`` is per worker; the eval loop sees ``workers * batch_size``, so each worker
    decodes a batch of ``batch_size`` at a time.  Takes :class:`~toolzero.eval.generate.HFGenerator`'s
    arguments (a model folder, not a loaded model).  Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, model: str | Path, workers: int = 2, threads: int | None = None, max_new_tokens: int = 256,
                 batch_size: int = 8, stop_strings: tuple[str, ...] = STOP_STRINGS, bf16: bool = False,
                 dtype: str = "float32", thought_cap: ThoughtCap | None = None):
        from transformers import AutoTokenizer

        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers
        self.threads = threads or max(1, available_cpus() // workers)
        self.tokenizer = AutoTokenizer.from_pretrained(model)  # the eval loop renders prompts with it
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.batch_size = batch_size * workers
        self.stats = GenerationStats()
        kwargs = {"model": str(model), "max_new_tokens": max_new_tokens, "batch_size": batch_size,
                  "stop_strings": tuple(stop_strings), "bf16": bf16, "dtype": dtype,
                  "thought_cap": thought_cap}
        ctx = mp.get_context("spawn")  # a fresh interpreter: no forked torch thread pools
        self._conns, self._procs, self._dead = [], [], {}
        for k in range(workers):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(child, self.threads, kwargs), daemon=True, name=f"toolzero-eval-{k}")
            proc.start()
            child.close()
            self._conns.append(parent)
            self._procs.append(proc)
        try:
            for k in range(workers):
                status, detail = self._receive(k)
                if status != "ready":
                    raise RuntimeError(f"eval worker {k} did not start: {detail}")
        except BaseException:
            self.close()
            raise
        log.info("eval on %d processes x %d threads (batch %d each)", workers, self.threads, batch_size)

    def _receive(self, k: int) -> tuple[str, Any]:
        try:
            return self._conns[k].recv()
        except (EOFError, OSError):
            self._procs[k].join(timeout=5)
            self._dead[k] = f"eval worker {k} died (exit code {self._procs[k].exitcode})"
            return "error", self._dead[k]

    def generate(self, prompts: Sequence[str]) -> list[str]:
        """Complete each prompt; completions come back in order.

        The prompts are cut, in the order given, into batches of the per-worker ``batch_size``, and
        batch ``j`` goes to worker ``j % workers``: every batch is one that a single
        :class:`~toolzero.eval.generate.HFGenerator` with that batch size would decode for the eval
        loop (which hands over prompts sorted by length), so padding, and with it the completions,
        do not depend on the number of workers.
        """
        if self._dead:
            raise RuntimeError("; ".join(self._dead.values()))
        t0 = time.perf_counter()
        per = self.batch_size // self.workers
        starts = list(range(0, len(prompts), per))
        mine = [starts[k::self.workers] for k in range(self.workers)]  # the batch starts each worker decodes
        errors, sent = [], []
        for k in (k for k, own in enumerate(mine) if own):
            try:
                self._conns[k].send([list(prompts[i:i + per]) for i in mine[k]])
                sent.append(k)
            except OSError:  # a broken pipe: the worker has died
                errors.append(f"worker {k}: {self._receive(k)[1]}")
        out: list[str] = [""] * len(prompts)
        for k in sent:  # collect every answer, failed or not, so that the pipes stay in step
            status, detail = self._receive(k)
            if status != "ok":
                errors.append(f"worker {k}: {detail}")
                continue
            batches, new_tokens = detail
            for i, texts in zip(mine[k], batches):
                out[i:i + len(texts)] = texts
            self.stats.new_tokens += new_tokens
        if errors:
            raise RuntimeError("; ".join(errors))
        self.stats.items += len(prompts)
        self.stats.seconds += time.perf_counter() - t0
        return out

    def close(self) -> None:
        """Stop the workers (idempotent)."""
        for k, conn in enumerate(self._conns):
            if k not in self._dead:
                try:
                    conn.send(None)
                except (BrokenPipeError, OSError):
                    pass
            conn.close()
        for proc in self._procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
        self._conns, self._procs = [], []

    def __enter__(self) -> ParallelGenerator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_procs", None):
            try:
                self.close()
            except Exception:  # at interpreter shutdown: the daemon workers end with the process anyway
                pass
