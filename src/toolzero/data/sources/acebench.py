"""ACEBench (ACEBench/ACEBench) "normal" categories as tasks (evaluation only).

Reads ``data_all/data_<lang>/data_normal_*.json`` with ``possible_answer/<same name>``
(JSON Lines; ``languages=`` picks ``en`` and/or ``zh``, both by default).  The normal
categories are the single-turn, atom (bool/enum/list/number/object), multi-turn
(user_adjust/user_switch), preference and similar-API sets; ``special_*`` and ``agent_*``
are other task types and are not read.

* Tools: the row's ``function`` list (JSON schemas; type spellings normalised).
* Messages: the ``question`` text is split at ``user:`` / ``system:`` line prefixes
  (``system`` is the assistant's side of ACEBench dialogues, so it becomes ``assistant``;
  earlier calls such as ``system: [f(x=1)]`` stay as text).  The row's ``time`` and, for
  preference rows, the user ``profile`` come first as system messages.
* Ground truth: ``{"func": {args}, "func_1": {args}, ...}`` (``func_1`` is a second call of
  ``func`` when no tool has that name) or a list of such
  alternatives; alternatives that call the same functions are merged argument by argument
  (accepted values are the union, ``""`` where an alternative omits the argument), which
  accepts every alternative; alternatives that call different functions are skipped
  (``unmergeable_alternatives``).  Values follow :mod:`toolzero.data.sources._values`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from toolzero.data.sources._files import read_records
from toolzero.data.sources._json import field
from toolzero.data.sources._loader import Context, SourceSpec
from toolzero.data.sources._schema import as_tools, unique_tools
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._tasks import assistant, system, task_from_gt, user
from toolzero.data.sources._values import ground_truth, merge_alternatives
from toolzero.schema import Task

log = logging.getLogger(__name__)

SOURCE = "acebench"
LANGUAGES = ("en", "zh")
_REPEAT = re.compile(r"_\d+$")
_TURN = re.compile(r"^(user|system)\s*[:：]\s?", re.M)


def parse_question(text: str) -> list[dict[str, str]]:
    """``user: ...\\nsystem: ...`` as user / assistant messages."""
    marks = list(_TURN.finditer(text))
    if not marks:
        return [user(text.strip())]
    msgs = []
    for j, m in enumerate(marks):
        body = text[m.end(): marks[j + 1].start() if j + 1 < len(marks) else len(text)].strip()
        if body:
            msgs.append(user(body) if m.group(1) == "user" else assistant(body))
    return msgs


def _calls(answer: Any, names: set[str]) -> list[tuple[str, Any]]:
    """Calls of one possible answer; ``f_1`` (ACEBench's key for a second call of ``f``) is ``f``."""
    if not isinstance(answer, dict) or not answer:
        raise Skip("bad_call", f"a possible answer must be a non-empty object, got {answer!r:.60}")
    out = []
    for key, args in answer.items():
        base = _REPEAT.sub("", key)
        out.append((key if key in names or base not in names else base, args))
    return out


def _build(rid: str, row: tuple[Any, Any], ctx: Context) -> Task:
    rec, answer = row
    tools = unique_tools(as_tools(field(rec, "function"), "function"))
    messages = []
    if rec.get("time"):
        messages.append(system(str(rec["time"])))
    if rec.get("profile"):
        messages.append(system(f"User profile: {rec['profile']}"))
    messages += parse_question(str(field(rec, "question")))
    alternatives = answer if isinstance(answer, list) else [answer]
    if not alternatives:
        raise Skip("bad_call", "empty ground truth")
    names = {t.name for t in tools}
    gts = [ground_truth(_calls(a, names), tools) for a in alternatives]
    gt = gts[0] if len(gts) == 1 else merge_alternatives(gts)
    return task_from_gt(rid, SOURCE, tools, messages, gt, ctx.category)


def _files(ctx: Context) -> list[Path]:
    """``data_<lang>/data_normal_*.json`` for each of ``options["languages"]``, in that order."""
    base = ctx.root / "data_all" if (ctx.root / "data_all").is_dir() else ctx.root
    files: list[Path] = []
    for lang in ctx.options["languages"]:
        folder = base / f"data_{lang}"
        if not folder.is_dir():
            log.info("acebench: %s not found, skipped", folder)
            continue
        files += sorted(folder.glob("data_normal_*.json"))
    return files


def _lang(f: Path) -> str:
    return f.parent.name.removeprefix("data_")


def _answers(ctx: Context) -> dict[str, Any] | None:
    """Question id -> ground truth, from ``possible_answer/<same name>``; None (counted) when that file is missing."""
    afile = ctx.file.parent / "possible_answer" / ctx.file.name
    if not afile.is_file():
        ctx.report.skip(f"{_lang(ctx.file)}/{ctx.file.name}", f"missing_field: no possible answers {afile}")
        return None
    return {str(a.get("id")): a.get("ground_truth") for _, a in read_records(afile, ctx.report) if isinstance(a, dict)}


def _with_answer(rid: str, rec: Any, ctx: Context) -> Iterator[tuple[str, Any]]:
    """The question ``<lang>/<its id>`` with its possible answer (counted when it has none)."""
    qid = str(rec.get("id", rid)) if isinstance(rec, dict) else rid
    tid = f"{_lang(ctx.file)}/{qid}"
    if qid not in ctx.data:
        ctx.report.skip(tid, "missing_field: no possible answer with this id")
        return
    yield tid, (rec, ctx.data[qid])


SPEC = SourceSpec(name=SOURCE, folder="acebench", build_row=_build, options={"languages": LANGUAGES}, files=_files,
                  per_file=_answers, prefix=lambda f: f"{_lang(f)}/{f.stem}",
                  category=lambda f: f"{_lang(f)}/{f.stem.removeprefix('data_')}", rows=_with_answer)
