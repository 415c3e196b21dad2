"""The English of the synthetic queries: word helpers, sentence templates and one clause per action."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolzero.data.synthetic.services import Function

SEARCH_VERBS = ("find", "search for", "look up", "list", "browse")
GET_VERBS = ("get the details of", "look up", "pull up", "retrieve", "fetch")
UPDATE_VERBS = ("update", "change", "modify", "edit")
ESTIMATE_VERBS = ("estimate the cost of", "get a price quote for", "calculate the price of")

SINGLE = ("{C}.", "{C}, please.", "Please {c}.", "Can you {c}?", "Could you {c} for me?", "I need you to {c}.",
          "I'd like to {c}.", "Help me {c}.", "Would you {c}?", "Quick request: {c}.", "I want to {c}.",
          "Go ahead and {c}.", "Hi! Can you {c}?", "Hey, could you please {c}?")
DOUBLE = ("{C1}, and {c2}.", "{C1}. Also, {c2}.", "First {c1}, then {c2}.", "Can you {c1} and also {c2}?",
          "I need two things: {c1}, and {c2}.", "Please {c1}; after that, {c2}.")
TRIPLE = ("{C1}, {c2}, and {c3}.", "First {c1}, then {c2}, and finally {c3}.", "I need three things: {c1}; {c2}; and {c3}.",
          "Can you {c1}, {c2}, and also {c3}?")

_A_AN = re.compile(r"\ba ([aeioAEIO8])")  # "a electrical problem" -> "an electrical problem"
_ONE_PLURAL = re.compile(r"(?<!and )(?<!, )\b(1|one) ([a-z]+[^s'])s(?![\w-])")  # "for 1 nights" -> "for 1 night"
_ONE_PEOPLE = re.compile(r"(?<!and )(?<!, )\b(1|one) people\b")


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


def plural_of(noun: str) -> str:
    """``log entry`` -> ``log entries``, ``match`` -> ``matches``, ``RSVP`` -> ``RSVPs``."""
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def fix_grammar(phrase: str) -> str:
    """``a`` before a vowel becomes ``an``; a plural after ``1`` / ``one`` becomes singular."""
    phrase = _A_AN.sub(r"an \1", phrase)
    return _ONE_PLURAL.sub(r"\1 \2", _ONE_PEOPLE.sub(r"\1 person", phrase))


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def sentence(clauses: Sequence[str], rng: random.Random) -> str:
    """One request made of one to three clauses."""
    if len(clauses) == 1:
        return rng.choice(SINGLE).format(c=clauses[0], C=cap(clauses[0]))
    pool = DOUBLE if len(clauses) == 2 else TRIPLE
    return rng.choice(pool).format(**{f"c{i + 1}": c for i, c in enumerate(clauses)},
                                   **{f"C{i + 1}": cap(c) for i, c in enumerate(clauses)})


def clause(fn: Function, texts: dict[str, str], rng: random.Random, plural: bool) -> str:
    """The imperative clause for one call (or several calls that differ in one value)."""
    e, slots = fn.entity, dict(fn.params)
    idn = e.id_noun or e.noun
    phrases = [next(s for s in slots if s.name == name).phrase(text, rng) for name, text in texts.items()
               if name != e.ident.name]
    rest = (" " + " ".join(phrases)) if phrases else ""
    ident = ""
    if e.ident.name in texts:
        ident = " " + e.ident.phrase(texts[e.ident.name], rng)
    the_id = f"the {plural_of(idn) if plural else idn}{ident}"
    if fn.action == "search":
        return f"{rng.choice(SEARCH_VERBS)} {e.plural}{rest}"
    if fn.action == "get":
        return f"{rng.choice(GET_VERBS)} {the_id}{rest}"
    if fn.action == "remove":
        return f"{rng.choice(e.remove)} {the_id}{rest}"
    noun = e.plural if plural else f"{article(e.noun)} {e.noun}"
    if fn.action == "create":
        return f"{rng.choice(e.create)} {noun}{rest}"
    if fn.action == "estimate":
        return f"{rng.choice(ESTIMATE_VERBS)} {noun}{rest}"
    raise ValueError(f"no clause for action {fn.action!r}")


def update_clause(fn: Function, values: dict[str, str], ident_text: str, rng: random.Random, plural: bool) -> str:
    """The clause of an update: which record, and the new value of each field."""
    e = fn.entity
    idn = plural_of(e.id_noun or e.noun) if plural else (e.id_noun or e.noun)
    labels = {s.name: s.label for s, _ in fn.params}
    sets = join_words([f"the {labels[name]} to {text}" for name, text in values.items()])
    return f"{rng.choice(UPDATE_VERBS)} the {idn} {e.ident.phrase(ident_text, rng)}, setting {sets}"
