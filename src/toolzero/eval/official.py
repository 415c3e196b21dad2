"""The official BFCL scorer (``bfcl-eval``), called the way BFCL's own runner calls it.

Imported lazily: ``bfcl-eval`` is an optional dependency (``pip install 'toolzero[bfcl]'``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from toolzero.schema import Task, ground_truth_to_json

# A model whose BFCL config keeps dots in function names (no underscore_to_dot renaming).
BFCL_MODEL_NAME = "gorilla-openfunctions-v2"


@cache
def _bfcl() -> Any:
    try:
        from bfcl_eval.constants.enums import Language, ReturnFormat
        from bfcl_eval.eval_checker.ast_eval.ast_checker import ast_checker
        from bfcl_eval.model_handler.utils import default_decode_ast_prompting
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"the official scorer needs bfcl-eval: pip install 'toolzero[bfcl]' ({e})") from e
    return ast_checker, default_decode_ast_prompting, Language.PYTHON, ReturnFormat.PYTHON


def official_decode(answer: str) -> list[dict] | None:
    """BFCL's decoder for prompting models; ``None`` where it fails."""
    _, decode, _, fmt = _bfcl()
    try:
        return decode(answer, fmt)
    except Exception:  # BFCL's decoder raises anything from SyntaxError to AssertionError
        return None


def official_check(task: Task, decoded: list[dict], category: str | None = None) -> dict:
    """BFCL's ``ast_checker`` on decoded calls: ``{"valid": bool, "error_type": str, ...}``."""
    checker, _, language, _ = _bfcl()
    functions = [t.to_json() for t in task.tools]
    return checker(functions, decoded, ground_truth_to_json(task.ground_truth), language,
                   category or task.category, BFCL_MODEL_NAME)


def official_verdict(task: Task, answer: str, category: str | None = None) -> tuple[bool, str]:
    """Decode then check an answer text as BFCL's AST runner does; returns (valid, error_type)."""
    decoded = official_decode(answer)
    if decoded is None:
        return False, "ast_decoder:decoder_failed"
    res = official_check(task, decoded, category)
    return bool(res["valid"]), res.get("error_type", "")
