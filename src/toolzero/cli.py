"""Command line: ``toolzero train ...``, ``toolzero eval bfcl ...`` and ``toolzero demo``.

    toolzero train grpo --recipe recipes/cpu-smoke.yaml trainer.max_steps=4

    toolzero demo                                   # bundled model on 16 BFCL simple_python items
    toolzero eval bfcl --model smollm2 --categories simple_python multiple --limit 50 --official
    toolzero eval bfcl --model ./my-hf-model --categories irrelevance --out runs/eval-irr
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from toolzero.calls.formats import OUTPUT_FORMATS
from toolzero.data.bfcl import CATEGORIES
from toolzero.models import BUNDLED, DEFAULT_MODEL
from toolzero.prompt import PROMPT_MODES, STYLE_FILE, TOOL_RENDERINGS, PromptStyle
from toolzero.worked_examples import WORKED_EXAMPLES

log = logging.getLogger("toolzero")


STYLE_FLAGS = {"prompt": "mode", "prefill": "prefill", "format": "output_format", "tools": "tools",
               "examples": "examples", "thought_cap": "thought_cap"}


def prompt_style(args: argparse.Namespace, defaults: PromptStyle | None = None) -> PromptStyle:
    """The eval's prompt style: explicit flags, over --style-from RUN, over the style recorded in the
    model folder (a trained model's final/), over ``defaults``."""
    base = defaults or PromptStyle()
    source = getattr(args, "style_from", None)
    if source:
        recorded = PromptStyle.load(source)
        if recorded is None:
            raise FileNotFoundError(f"--style-from {source}: no {STYLE_FILE} in it or in its final/")
        base = recorded
    elif Path(str(args.model)).is_dir() and (recorded := PromptStyle.load(args.model)) is not None:
        base = recorded
    changes = {field: getattr(args, flag) for flag, field in STYLE_FLAGS.items() if getattr(args, flag, None) is not None}
    return base.replace(**changes)


def _generator(args: argparse.Namespace, style: PromptStyle, model: str | Path | None = None):
    """The eval backend the flags ask for: vLLM, HF in this process, or HF on ``--workers`` processes."""
    from toolzero.eval.generate import HFGenerator, VLLMGenerator
    from toolzero.models import resolve_model

    path = resolve_model(args.model) if model is None else model
    kwargs = {"max_new_tokens": args.max_new_tokens, "batch_size": args.batch_size, **style.generation}
    workers = getattr(args, "workers", 1)
    if args.backend == "vllm":
        if workers > 1:
            raise SystemExit("error: --workers is for the hf backend (vLLM batches on the GPU itself)")
        return VLLMGenerator(path, **kwargs)
    if workers > 1:
        from toolzero.eval.parallel import ParallelGenerator

        return ParallelGenerator(path, workers=workers, bf16=args.bf16, **kwargs)
    return HFGenerator(path, bf16=args.bf16, **kwargs)


def _close(gen: object) -> None:
    """Stop a generator's worker processes, if it has any."""
    close = getattr(gen, "close", None)
    if callable(close):
        close()


def _eval_bfcl(args: argparse.Namespace) -> int:
    from toolzero.eval.bfcl_run import run_bfcl

    unknown = [c for c in args.categories if c not in CATEGORIES]
    if unknown:
        print(f"error: unknown BFCL categories {unknown}; known: {', '.join(CATEGORIES)}", file=sys.stderr)
        return 2
    out = Path(args.out or f"runs/eval-{Path(str(args.model)).name}-{time.strftime('%Y%m%d-%H%M%S')}")
    style = prompt_style(args)
    print(f"model: {args.model}  ->  run folder: {out}\nprompt style: {json.dumps(style.to_json())}")
    gen = _generator(args, style)
    try:
        scores = run_bfcl(gen, args.categories, out, version=args.version, data_dir=args.data_dir, limit=args.limit,
                          official=args.official, style=style, rescore=args.rescore)
    finally:
        _close(gen)
    _record(out, args, style)
    print((out / "scores.md").read_text())
    g = scores["generation"]
    print(f"generated {g['new_tokens']} tokens for {g['items']} items in {g['seconds']} s ({g['tokens_per_s']} tok/s)")
    return 0


def _record(out: Path, args: argparse.Namespace, style: PromptStyle) -> None:
    """config.json (the command's arguments) and prompt_style.json in an eval run folder."""
    (out / "config.json").write_text(json.dumps(vars(args), indent=2, default=str))
    style.save(out)


# The demo: a short GG-GRPO run on the bundled model, evaluated before and after, then a report.
# Its levers against the cold start (issue 13, measured with toolzero signal and a 12-step run): two
# worked examples in the prompt, compact tools, verbatim single-call tasks (synthetic level 1), G = 16
# rollouts at temperature 0.5, learning rate 2e-5.  In the 12-step run of recipes/cold-start/smollm2-gg.yaml
# on level 1 (docs/results.md) the format rate went 0% -> 34% at step 5 and 91% at step 9.
DEMO_STYLE = PromptStyle(prefill="<think>", tools="compact", examples="two")
DEMO_OVERRIDES = (
    "data.num_records=64", "data.curriculum=[1]", "reward.gg_midpoint=0.5", "reward.gg_midpoint_unit=fraction",
    "trainer.max_steps=6", "trainer.per_device_train_batch_size=32", "trainer.num_generations=16",
    "trainer.max_completion_length=96", "trainer.learning_rate=2.0e-5", "trainer.lr_scheduler_type=constant",
    "trainer.temperature=0.5", "trainer.save_steps=6", "trainer.logging_steps=1", "trainer.seed=0",
    "run.probe_every=6", "run.probe_size=8", "run.probe_level=2", "run.probe_max_new_tokens=96", "run.signal_tasks=2",
)


def _demo(args: argparse.Namespace) -> int:
    """Evaluate the start model, train a few GG-GRPO steps, evaluate again, write a report."""
    from trl import GRPOConfig

    from toolzero.eval.bfcl_run import run_bfcl
    from toolzero.report import build_report
    from toolzero.train import grpo
    from toolzero.train.recipe import load_recipe

    root = Path(args.out or f"runs/demo-{time.strftime('%Y%m%d-%H%M%S')}")
    style = prompt_style(args, DEMO_STYLE)
    print(f"[1/4] evaluating the start model {args.model} on {args.limit} items of {args.categories} -> {root}/eval-start")
    start = _generator(args, style)
    try:
        run_bfcl(start, args.categories, root / "eval-start", limit=args.limit, official=args.official, style=style)
    finally:
        _close(start)
    steps = next(o for o in DEMO_OVERRIDES if o.startswith("trainer.max_steps=")).split("=")[1]
    print(f"[2/4] GG-GRPO: {steps} steps on synthetic data -> {root}/grpo (a line per step: the reward, the share of "
          "rollouts in the answer format, exact matches, ...)")
    style_keys = [f"model.prompt={style.mode}", f"model.prefill={json.dumps(style.prefill)}", f"model.tools={style.tools}",
                  f"model.examples={style.examples}"]
    recipe = load_recipe(None, [f"model.name={args.model}", f"run.output_dir={root / 'grpo'}", *style_keys,
                                *DEMO_OVERRIDES], GRPOConfig)
    code = grpo.main(recipe, resume=(root / "grpo").is_dir())  # resume only a demo folder that was started before
    if code:
        return code
    print(f"[3/4] evaluating the trained model (in the style it trained with) -> {root}/grpo/eval")
    trained_style = PromptStyle.load(root / "grpo" / "final") or style
    trained = _generator(args, trained_style, root / "grpo" / "final")
    try:
        run_bfcl(trained, args.categories, root / "grpo" / "eval", limit=args.limit, official=args.official,
                 style=trained_style)
    finally:
        _close(trained)
    print(f"[4/4] report -> {root}/report/report.md")
    report = build_report([root / "grpo", root / "eval-start"], root / "report")
    print(report.read_text())
    return 0


def _eval_multi_turn(args: argparse.Namespace) -> int:
    from toolzero.eval.multi_turn import run_multi_turn

    out = Path(args.out or f"runs/multi-turn-{Path(str(args.model)).name}-{time.strftime('%Y%m%d-%H%M%S')}")
    style = prompt_style(args)
    gen = _generator(args, style)
    try:
        run_multi_turn(gen, args.categories, out, limit=args.limit, style=style)
    finally:
        _close(gen)
    _record(out, args, style)
    print((out / "scores.md").read_text())
    return 0


def _eval_cross(args: argparse.Namespace) -> int:
    from toolzero.eval.cross import run_cross

    out = Path(args.out or f"runs/cross-{Path(str(args.model)).name}-{time.strftime('%Y%m%d-%H%M%S')}")
    style = prompt_style(args)
    gen = _generator(args, style)
    try:
        run_cross(gen, args.benchmarks, out, limit=args.limit, style=style)
    finally:
        _close(gen)
    _record(out, args, style)
    print((out / "scores.md").read_text())
    return 0


def _signal(args: argparse.Namespace) -> int:
    """Sample G rollouts per task from a model and report whether GRPO would get a gradient."""
    from toolzero.data.build import load_named_source
    from toolzero.data.curriculum import Curriculum
    from toolzero.data.report import LoadReport
    from toolzero.eval.generate import HFGenerator
    from toolzero.eval.signal import measure_signal
    from toolzero.models import resolve_model
    from toolzero.rewards import RewardConfig

    style = prompt_style(args)
    if args.level is not None and args.data != "synthetic":
        print("error: --level is a level of the synthetic set (--data synthetic)", file=sys.stderr)
        return 2
    curriculum = Curriculum.of([args.level]) if args.level is not None else None
    tasks = load_named_source(args.data, args.tasks, args.seed, LoadReport(), curriculum)[: args.tasks]
    if not tasks:
        print(f"error: no tasks in {args.data}", file=sys.stderr)
        return 2
    gen = HFGenerator(resolve_model(args.model), max_new_tokens=args.max_new_tokens,
                      batch_size=max(args.batch_size, args.rollouts), bf16=args.bf16, **style.generation)
    config = RewardConfig(kind=args.reward, gg_midpoint=args.midpoint, gg_midpoint_unit="steps")
    print(f"model: {args.model}; {len(tasks)} tasks x {args.rollouts} rollouts at temperature {args.temperature}; "
          f"prompt style: {json.dumps(style.to_json())}")
    report = measure_signal(gen, tasks, style, args.rollouts, args.temperature, config, step=args.step)
    print(report.markdown())
    if args.out:
        setup = {"model": str(args.model), "style": style.to_json(), "data": args.data, "level": args.level,
                 "tasks": len(tasks), "rollouts": args.rollouts, "temperature": args.temperature, "seed": args.seed,
                 "max_new_tokens": args.max_new_tokens, "reward": args.reward, "step": args.step, "bf16": args.bf16}
        report.save(args.out, setup)
        print(f"wrote {args.out}")
    g = gen.stats
    print(f"generated {g.new_tokens} tokens for {g.items} rollouts in {g.seconds:.1f} s ({g.tokens_per_s:.0f} tok/s)")
    return 0


def _parse_fractions(items: list[str]) -> dict[str, float]:
    out = {}
    for item in items:
        name, _, frac = item.partition("=")
        try:
            out[name] = float(frac) if frac else 0.1
        except ValueError:
            raise ValueError(f"--augment {item!r}: expected name=fraction, e.g. mask=0.2") from None
    return out


def _data_build(args: argparse.Namespace) -> int:
    from toolzero.calls.render import reference_calls, render_calls
    from toolzero.data.build import build_dataset, stats_table
    from toolzero.prompt import render_plain

    tasks, stats = build_dataset(args.sources, args.num_records, args.seed, args.mix, _parse_fractions(args.augment),
                                 decontaminate=not args.no_decontaminate)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for t in tasks:
            f.write(json.dumps(t.to_json(), ensure_ascii=False) + "\n")
    if args.tokenizer:
        from transformers import AutoTokenizer

        from toolzero.models import resolve_model

        tok = AutoTokenizer.from_pretrained(resolve_model(args.tokenizer))
        count = lambda t: len(tok(render_plain(t) + render_calls(reference_calls(t.ground_truth)))["input_ids"])
    else:  # about 4 characters per token for English text and code
        count = lambda t: (len(render_plain(t)) + len(render_calls(reference_calls(t.ground_truth)))) // 4
    print(stats_table(tasks, stats, count))
    hits = stats.decontamination_hits
    if args.no_decontaminate:
        print("decontamination: skipped (--no-decontaminate)")
    else:
        print(f"decontamination: {len(hits)} records removed" + (f", e.g. {hits[0]}" if hits else ""))
    print(f"wrote {len(tasks)} records to {out}")
    return 0


def _data_show(args: argparse.Namespace) -> int:
    from toolzero.calls.render import reference_calls, render_calls
    from toolzero.data.build import load_named_source
    from toolzero.data.report import LoadReport
    from toolzero.prompt import render_plain

    report = LoadReport()
    tasks = load_named_source(args.source, max(args.n, 10), args.seed, report)
    if args.id:
        tasks = [t for t in tasks if t.id == args.id]
        if not tasks:
            print(f"error: no record with id {args.id!r} in {args.source}", file=sys.stderr)
            return 2
    for t in tasks[: args.n]:
        print(f"=== {t.id}  source={t.source}  category={t.category or '-'}")
        print(render_plain(t) if args.prompt else "\n".join(f"{m['role']}: {m['content']}" for m in t.messages))
        print(f"--- reference: {render_calls(reference_calls(t.ground_truth))}")
        print(f"--- ground truth: {json.dumps(t.to_json()['ground_truth'], ensure_ascii=False)}\n")
    print(f"{len(tasks)} records; loaded {report.kept}, skipped {dict(report.skipped)}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from toolzero.eval.compare import compare

    print(compare(args.runs, args.out, official=args.official))
    print(f"chart: {args.out}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from toolzero.report import build_report

    path = build_report(args.runs, args.out, args.summary)
    print(path.read_text())
    print(f"report: {path}; figures as JSON: {args.summary or path.parent / 'summary.json'}")
    return 0


def _train(args: argparse.Namespace) -> int:
    from toolzero.train.recipe import RecipeError, load_recipe

    try:
        from trl import GRPOConfig, SFTConfig

        from toolzero.train import grpo, sft

        if args.method == "grpo":
            return grpo.main(load_recipe(args.recipe, args.overrides, GRPOConfig), resume=args.resume)
        if args.method == "sft":
            return sft.main(load_recipe(args.recipe, args.overrides, sft_cls=SFTConfig), resume=args.resume)
        recipe = load_recipe(args.recipe, args.overrides, GRPOConfig, SFTConfig)
        return sft.main_sft_grpo(recipe, resume=args.resume)
    except RecipeError as e:
        print(f"error: recipe: {e}", file=sys.stderr)
        return 2


def _add_eval_args(p: argparse.ArgumentParser, demo: bool = False) -> None:
    p.add_argument("--model", default=DEFAULT_MODEL, help=f"bundled key {sorted(BUNDLED)}, a local HF folder or hub id")
    p.add_argument("--categories", nargs="+", default=["simple_python"], help=f"BFCL categories: {', '.join(CATEGORIES)}")
    p.add_argument("--limit", type=int, default=16 if demo else None, help="first N items per category")
    p.add_argument("--version", default="v4", choices=["v3", "v4"])
    p.add_argument("--data-dir", default=None, help="folder with BFCL_<version>_*.json (default: bfcl-eval's data)")
    p.add_argument("--out", default=None, help="run folder (default: runs/eval-<model>-<time>); resumes if it exists")
    p.add_argument("--official", action=argparse.BooleanOptionalAction, default=demo,
                   help="also score with bfcl-eval's checker")
    p.add_argument("--batch-size", type=int, default=8, help="prompts decoded together (per worker with --workers)")
    p.add_argument("--workers", type=int, default=1,
                   help="hf backend: eval on N processes, each with its own model copy on (CPUs / N) threads "
                        "(benchmarks/bench_eval.py measures the gain on your machine)")
    p.add_argument("--backend", choices=["hf", "vllm"], default="hf",
                   help="hf: batched transformers generate (CPU or GPU); vllm: vLLM, when installed on a GPU machine")
    p.add_argument("--max-new-tokens", type=int, default=192 if demo else 256)
    p.add_argument("--bf16", action="store_true",
                   help="generate with bf16 weights (hf backend; default float32: bf16 changes about half of greedy outputs)")
    style = p.add_argument_group("prompt style (default: the style recorded in --model's folder, else the first choice;"
                                 " the demo's: '<think>' prefill, compact tools, two worked examples)")
    style.add_argument("--style-from", default=None, metavar="RUN",
                       help="use the prompt style recorded in a run folder (RUN/prompt_style.json or RUN/final/)")
    style.add_argument("--prompt", choices=PROMPT_MODES, default=None,
                       help="chat template (auto: when the tokenizer has one) or plain text for base models")
    style.add_argument("--prefill", default=None,
                       help="text the answer starts with, e.g. '<think>' (use what the model was trained with)")
    style.add_argument("--format", choices=list(OUTPUT_FORMATS), default=None,
                       help="output format asked for and parsed: gg <answer>[f(a=1)]</answer>, or the ToolRL / Tool-N1 JSON")
    style.add_argument("--tools", choices=list(TOOL_RENDERINGS), default=None, help="how the tools are shown")
    style.add_argument("--examples", choices=["", *WORKED_EXAMPLES], default=None,
                       help="worked examples shown before each task ('' for none)")
    style.add_argument("--thought-cap", type=int, default=None, metavar="N",
                       help="at most N generated tokens before the answer: then '</think>' and the answer's open tag"
                            " are forced (0: no cap; hf backend)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="toolzero", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("eval", help="evaluate a model").add_subparsers(dest="bench", required=True)
    bfcl = ev.add_parser("bfcl", help="BFCL single-turn categories")
    _add_eval_args(bfcl)
    bfcl.add_argument("--rescore", action="store_true",
                      help="score the completions already in --out again with the current scorer (no generation)")
    bfcl.set_defaults(func=_eval_bfcl)
    train = sub.add_parser("train", help="train a model (GRPO with the GG reward, or a baseline)")
    train.add_argument("method", choices=["grpo", "sft", "sft-grpo"],
                       help="grpo: GG-GRPO (reward.kind=strict/toolrl/n1 for the peers); sft; sft-grpo: SFT then GG-GRPO")
    train.add_argument("--recipe", required=True, help="YAML recipe (see recipes/)")
    train.add_argument("--resume", action="store_true", help="continue from the last checkpoint in run.output_dir")
    train.add_argument("overrides", nargs="*", help="section.key=value, e.g. trainer.max_steps=10 reward.kind=strict")
    train.set_defaults(func=_train)
    mt = ev.add_parser("multi-turn", help="BFCL multi-turn, run against bfcl-eval's executable backends")
    _add_eval_args(mt)
    mt.set_defaults(func=_eval_multi_turn, categories=["multi_turn_base"])
    cross = ev.add_parser("cross", help="cross-benchmarks (Hammer protocol): tool-name F1 and parameter F1")
    _add_eval_args(cross)
    cross.add_argument("--benchmarks", nargs="+", default=["api_bank_l1", "api_bank_l2", "toolalpaca", "seal_tools", "nexus"])
    cross.set_defaults(func=_eval_cross)
    cmp_ = ev.add_parser("compare", help="runs side by side: a table and a bar chart per category, and a paired (McNemar) table")
    cmp_.add_argument("runs", nargs="+", help="eval run folders (each with scores.json)")
    cmp_.add_argument("--out", default="runs/compare.png", help="PNG to write (a .md table is written beside it)")
    cmp_.add_argument("--official", action="store_true", help="compare bfcl-eval's scores instead of ours")
    cmp_.set_defaults(func=_compare)
    data = sub.add_parser("data", help="build and inspect training data").add_subparsers(dest="data_cmd", required=True)
    build = data.add_parser("build", help="assemble a training set from sources and transforms (writes JSONL)")
    build.add_argument("--sources", nargs="+", default=["synthetic"],
                       help="synthetic, a source name (toolrl, seal_tools, api_bank, hammer, ...) or a .jsonl file")
    build.add_argument("--mix", nargs="+", type=float, default=None, help="weight per source (default: equal)")
    build.add_argument("--num-records", type=int, default=2000)
    build.add_argument("--seed", type=int, default=0)
    build.add_argument("--augment", nargs="*", default=[],
                       help="name=fraction: mask, irrelevance, concat, drop_tool, mask_param, correction")
    build.add_argument("--no-decontaminate", action="store_true", help="skip decontamination against the eval sets")
    build.add_argument("--tokenizer", default=None, help="count tokens with this model's tokenizer (default: chars/4)")
    build.add_argument("--out", default="runs/data/train.jsonl")
    build.set_defaults(func=_data_build)
    show = data.add_parser("show", help="print records of a source or .jsonl file")
    show.add_argument("source", help="synthetic, a source name, or a .jsonl file")
    show.add_argument("-n", type=int, default=3)
    show.add_argument("--id", default=None)
    show.add_argument("--seed", type=int, default=0)
    show.add_argument("--prompt", action="store_true", help="print the full prompt the model sees")
    show.set_defaults(func=_data_show)
    rep = sub.add_parser("report", help="a report over training and eval run folders (markdown + PNG)")
    rep.add_argument("runs", nargs="+", help="run folders")
    rep.add_argument("--out", default="runs/report", help="folder for report.md and the plots")
    rep.add_argument("--summary", default=None,
                     help="where to write the figures as JSON (default: OUT/summary.json): per run, training "
                          "steps/rollouts/wall-clock, BFCL n and accuracy per category (ours, official), the mean of "
                          "the five AST categories, cross-benchmark F1s, and the paired McNemar rows")
    rep.set_defaults(func=_report)
    sig = sub.add_parser("signal", help="will GRPO get a gradient? sample G rollouts per task and look at the "
                                        "reward spread (format rate, strict pass@1/pass@G, r_general)")
    _add_eval_args(sig)
    sig.add_argument("--data", default="synthetic", help="synthetic, a source name or a .jsonl file of tasks")
    sig.add_argument("--tasks", type=int, default=12)
    sig.add_argument("--level", type=int, default=None,
                     help="difficulty level of the synthetic tasks (1 verbatim .. 4 rich; default: the full mix)")
    sig.add_argument("--rollouts", type=int, default=8, help="G: samples per task")
    sig.add_argument("--temperature", type=float, default=0.8)
    sig.add_argument("--seed", type=int, default=0)
    sig.add_argument("--reward", default="gg", help="the reward kind training would use")
    sig.add_argument("--step", type=float, default=0, help="the training step the GG reward is evaluated at")
    sig.add_argument("--midpoint", type=float, default=25.0, help="GG sigmoid midpoint, in steps")
    sig.set_defaults(func=_signal, max_new_tokens=96)
    demo = sub.add_parser("demo", help="a short GG-GRPO run on the bundled model, evaluated before and after, "
                                       "and a report (minutes on a CPU)")
    _add_eval_args(demo, demo=True)
    demo.set_defaults(func=_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # overrides may come after options: `train grpo --recipe R trainer.max_steps=2`
        if args.command != "train" or any(x.startswith("-") or "=" not in x for x in extra):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        args.overrides = [*args.overrides, *extra]
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
