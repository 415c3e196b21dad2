"""Prompts: BFCL's rewriting of a Java / JavaScript function description (bfcl_eval.utils)."""

from __future__ import annotations

import copy
import json
from typing import Any

from toolzero.calls.langs.convert import JAVA, JAVASCRIPT, PYTHON

LANGUAGE_HINTS = {
    JAVA: " Note that the provided function is in Java 8 SDK syntax.",
    JAVASCRIPT: " Note that the provided function is in JavaScript syntax.",
    PYTHON: " Note that the provided function is in Python 3 syntax.",
}


def language_hint(language: str) -> str:
    """``_get_language_specific_hint``: the sentence BFCL appends to each function's description."""
    return LANGUAGE_HINTS[language]


def function_doc(doc: dict[str, Any], language: str) -> dict[str, Any]:
    """``_func_doc_language_specific_pre_processing`` for one Java / JavaScript function (a copy).

    The description gets :func:`language_hint`; every parameter becomes ``"type": "string"`` with
    its BFCL type in words ("This is Java HashMap type parameter in string representation."), array
    items and JavaScript dict properties described in words instead of in the schema.
    """
    doc = copy.deepcopy(doc)
    if language not in (JAVA, JAVASCRIPT):
        raise ValueError(f"function_doc is for Java and JavaScript, not {language!r}")
    name = "Java" if language == JAVA else "JavaScript"
    doc["description"] = doc.get("description", "") + language_hint(language)
    for value in doc.get("parameters", {}).get("properties", {}).values():
        if value["type"] == "any":
            value["description"] = value.get("description", "") + \
                f" This parameter can be of any type of {name} object in string representation."
        else:
            value["description"] = value.get("description", "") + \
                f" This is {name} {value['type']} type parameter in string representation."
        if value["type"] in (("ArrayList", "Array") if language == JAVA else ("array",)):
            value["description"] += (f" The list elements are of type {value['items']['type']}; "
                                     "they are not in string representation.")
            del value["items"]
        if language == JAVASCRIPT and value["type"] == "dict" and "properties" in value:
            value["description"] += (" The dictionary entries have the following schema; they are not in string "
                                     f"representation. {json.dumps(value['properties'])}")
            del value["properties"]
        value["type"] = "string"
    return doc
