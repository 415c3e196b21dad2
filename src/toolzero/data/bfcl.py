"""BFCL single-turn questions and possible answers as tasks (evaluation only).

v4 is read from the installed ``bfcl-eval`` package (``bfcl_eval/data``); v3, or any other
copy, from a folder holding ``BFCL_v3_<category>.json`` and ``possible_answer/``.  Files are
JSON Lines.  Records that do not convert are skipped and counted, with their id and reason.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from toolzero.data.report import LoadReport
from toolzero.schema import SchemaError, Task, Tool, language_of, parse_ground_truth

log = logging.getLogger(__name__)

# Single-turn categories scored by the AST checker, with the v3 file stem where it differs.
AST_CATEGORIES = {
    "simple_python": "simple", "simple_java": "java", "simple_javascript": "javascript",
    "multiple": "multiple", "parallel": "parallel", "parallel_multiple": "parallel_multiple",
    "live_simple": "live_simple", "live_multiple": "live_multiple", "live_parallel": "live_parallel",
    "live_parallel_multiple": "live_parallel_multiple",
}
# Categories whose pass criterion is "no call" (ground truth []).
IRRELEVANCE_CATEGORIES = ("irrelevance", "live_irrelevance")
# Categories whose pass criterion is "some call" (no possible answer; the task's ground truth is empty
# and unused).
RELEVANCE_CATEGORIES = ("live_relevance",)
# The AST categories by language (BFCL's is_java / is_js): Java and JavaScript answers are read with
# their own decoder and type conversions (toolzero.calls.langs); everything else is Python.
PYTHON_AST_CATEGORIES = tuple(c for c in AST_CATEGORIES if language_of(c) == "python")
JAVA_JS_AST_CATEGORIES = tuple(c for c in AST_CATEGORIES if language_of(c) != "python")
CATEGORIES = (*AST_CATEGORIES, *IRRELEVANCE_CATEGORIES, *RELEVANCE_CATEGORIES)


def packaged_data_dir() -> Path:
    """``bfcl_eval/data`` inside the installed package (BFCL v4), without importing it."""
    from importlib.util import find_spec

    spec = find_spec("bfcl_eval")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("bfcl-eval is not installed; pip install 'toolzero[bfcl]' or pass a data folder")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def category_file(data_dir: Path, version: str, category: str) -> Path:
    if category not in CATEGORIES:
        raise ValueError(f"unknown BFCL category {category!r}; known: {', '.join(CATEGORIES)}")
    stem = AST_CATEGORIES.get(category, category) if version == "v3" else category
    return data_dir / f"BFCL_{version}_{stem}.json"


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_bfcl(
    category: str, version: str = "v4", data_dir: str | Path | None = None, report: LoadReport | None = None
) -> list[Task]:
    """Load one BFCL category as tasks.

    Args:
        category: e.g. ``simple_python``, ``parallel_multiple``, ``irrelevance``, ``simple_java``
            (Java and JavaScript tools keep BFCL's type names, see :attr:`Task.language`).
        version: ``v4`` or ``v3`` (file naming differs).
        data_dir: folder with the question files; default: the installed bfcl-eval data (v4).
    """
    if version not in ("v3", "v4"):
        raise ValueError(f"BFCL version must be 'v3' or 'v4', got {version!r}")
    root = Path(data_dir) if data_dir is not None else packaged_data_dir()
    qfile = category_file(root, version, category)
    if not qfile.is_file():
        have = sorted(p.name for p in root.glob("BFCL_*.json")) if root.is_dir() else []
        raise FileNotFoundError(f"{qfile} does not exist; {root} holds {have or 'no BFCL files'}")
    answers: dict[str, list] = {}
    if category not in (*IRRELEVANCE_CATEGORIES, *RELEVANCE_CATEGORIES):
        afile = root / "possible_answer" / qfile.name
        if not afile.is_file():
            raise FileNotFoundError(f"possible answers {afile} do not exist")
        answers = {a["id"]: a["ground_truth"] for a in _read_jsonl(afile)}
    report = report if report is not None else LoadReport()
    language = language_of(category)
    tasks = []
    for rec in _read_jsonl(qfile):
        rid = str(rec.get("id"))
        try:
            gt = parse_ground_truth(answers[rid] if answers else [], f"{rid}.ground_truth")
            tools = tuple(Tool.from_json(t, f"{rid}.function[{i}]", language) for i, t in enumerate(rec["function"]))
            messages = tuple(m for turn in rec["question"] for m in turn)
            tasks.append(Task(id=rid, source=f"bfcl_{version}", tools=tools, messages=messages,
                              ground_truth=gt, category=category))
            report.kept += 1
        except KeyError as e:
            report.skip(rid, f"missing_field: {e}")
        except SchemaError as e:
            report.skip(rid, f"schema_error: {e}")
    return tasks
