"""The official BFCL scorer (``bfcl-eval``), called the way BFCL's own runner calls it.

Imported lazily: ``bfcl-eval`` is an optional dependency (``pip install 'toolzero[bfcl]'``).
The language follows the category as in BFCL's ``ast_file_runner``: simple_java is decoded and
checked as Java, simple_javascript as JavaScript, everything else as Python.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from toolzero.schema import Task, ground_truth_to_json, language_of

# A model whose BFCL config keeps dots in function names (no underscore_to_dot renaming).
BFCL_MODEL_NAME = "gorilla-openfunctions-v2"


@cache
def _bfcl() -> Any:
    try:
        from bfcl_eval.constants.enums import Language, ReturnFormat
        from bfcl_eval.eval_checker.ast_eval.ast_checker import ast_checker
        from bfcl_eval.model_handler.utils import default_decode_ast_prompting
        from bfcl_eval.utils import is_function_calling_format_output
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"the official scorer needs bfcl-eval: pip install 'toolzero[bfcl]' ({e})") from e
    return ast_checker, default_decode_ast_prompting, Language, ReturnFormat, is_function_calling_format_output


def official_decode(answer: str, language: str = "python") -> list[dict] | None:
    """BFCL's decoder for prompting models in ``language`` ("python", "java", "javascript"); ``None`` where it fails."""
    _, decode, _, fmt, _ = _bfcl()
    try:
        return decode(answer, fmt(language))
    except Exception:  # BFCL's decoder raises anything from SyntaxError to AssertionError
        return None


def official_check(task: Task, decoded: list[dict], category: str | None = None) -> dict:
    """BFCL's ``ast_checker`` on decoded calls: ``{"valid": bool, "error_type": str, ...}``."""
    checker, _, lang, _, _ = _bfcl()
    category = category or task.category
    functions = [t.to_json() for t in task.tools]
    return checker(functions, decoded, ground_truth_to_json(task.ground_truth), lang(language_of(category)),
                   category, BFCL_MODEL_NAME)


def official_verdict(task: Task, answer: str, category: str | None = None) -> tuple[bool, str]:
    """Decode then check an answer text as BFCL's AST runner does; returns (valid, error_type)."""
    category = category or task.category
    decoded = official_decode(answer, language_of(category))
    if decoded is None:
        return False, "ast_decoder:decoder_failed"
    if not _bfcl()[4](decoded):  # e.g. the Java / JavaScript decoders find no call
        return False, "ast_decoder:decoder_wrong_output_format"
    res = official_check(task, decoded, category)
    return bool(res["valid"]), res.get("error_type", "")
