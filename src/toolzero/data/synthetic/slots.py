"""Parameter slots of the synthetic tools, and how the catalogue files describe them.

A :class:`Slot` is one parameter: it knows its schema, how to sample a value, how to say it in
English and which values the ground truth accepts.  :func:`slot_from_json` builds one from a
catalogue entry, a JSON object with ``kind`` and the keyword arguments of that kind's class:

* ``text`` (:class:`Text`), ``ident``, ``int``, ``num``, ``date``, ``time``, ``choice``,
  ``bool``, ``text_list``, ``num_list``, ``obj`` and ``obj_list``;
* the rich level's (:mod:`.levels`), whose ground truth accepts only a normalised value:
  ``quantity`` (a number in the schema's unit, said perhaps in another: ``1.5 hours`` ->
  ``90`` minutes), ``iso_date`` (said in words, accepted only as ``YYYY-MM-DD``) and
  ``coded`` (an enum of codes said in words: ``business class`` -> ``BUSINESS``);
* shorthands: ``city`` (a city, ``label`` "city" and ``phrases`` ``["in {v}"]`` by default),
  ``person`` (a full name) and ``money`` (a :class:`Num` in the account currency, ``step`` 0.5
  by default), whose description is made from the label;
* ``{"use": "<shared slot>", ...}``: a slot of ``common.json``'s ``slots``, the other keys
  replacing its own.

``values`` of a ``text`` or ``text_list`` may name a value pool instead of listing the values;
``pattern`` (for ``text``) builds a value, see :func:`compile_pattern`.  An ``obj``'s
``fields`` are entries with ``required``.  ``phrases`` (how the query says the value, ``{v}``
standing for it) may be left out only where the query never says the slot on its own (the
fields of an object).
"""

from __future__ import annotations

import datetime as dt
import inspect
import random
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from toolzero.calls.match import normalize_string
from toolzero.data.synthetic.phrasing import fix_grammar, join_words
from toolzero.schema import OPTIONAL

Pools = Mapping[str, Sequence[str]]

TYPE_NAMES = {  # two schema dialects, one per service, so that both spellings are trained on
    "openai": {"string": "string", "integer": "integer", "float": "number", "boolean": "boolean",
               "array": "array", "dict": "object"},
    "bfcl": {"string": "string", "integer": "integer", "float": "float", "boolean": "boolean",
             "array": "array", "dict": "dict"},
}
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


class Slot:
    """One parameter: schema, value sampler, English rendering and the accepted values."""

    type = "string"
    can_vary = True  # may take different values across the calls of a parallel query

    def __init__(self, name: str, label: str, desc: str, phrases: Sequence[str] = (), default: Any = None):
        self.name, self.label, self.desc, self.phrases, self.default = name, label, desc, tuple(phrases), default

    def schema(self, style: str) -> dict[str, Any]:
        out: dict[str, Any] = {"type": TYPE_NAMES[style][self.type], "description": self.desc}
        out.update(self.extra_schema(style))
        if self.default is not None:
            out["default"] = self.default
        return out

    def extra_schema(self, style: str) -> dict[str, Any]:
        return {}

    def sample(self, rng: random.Random) -> Any:
        raise NotImplementedError

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        """The value as written in the query, and the values the ground truth accepts."""
        return str(value), (value,)

    def phrase(self, text: str, rng: random.Random) -> str:
        return fix_grammar(rng.choice(self.phrases).format(v=text))

    def omitted(self) -> tuple[Any, ...]:
        return (OPTIONAL,) if self.default is None else (OPTIONAL, self.default)


class Text(Slot):
    """A string drawn from ``values``, a pool or a function of the generator."""

    def __init__(self, name: str, label: str, desc: str, values: Sequence[str] | Callable[[random.Random], str],
                 phrases: Sequence[str] = (), default: Any = None):
        super().__init__(name, label, desc, phrases, default)
        self.values = values

    def sample(self, rng: random.Random) -> str:
        return self.values(rng) if callable(self.values) else rng.choice(self.values)


class Ident(Slot):
    """A record identifier: ``FL-48213`` (string) or ``48213`` (integer)."""

    def __init__(self, name: str, label: str, prefix: str = "", integer: bool = False):
        phrases = ("number {v}", "#{v}", "{v}") if integer else ("{v}", "with ID {v}")
        super().__init__(name, label, f"Identifier of the {label}.", phrases)
        self.prefix, self.type = prefix, "integer" if integer else "string"

    def sample(self, rng: random.Random) -> Any:
        return rng.randint(100000, 999999) if self.type == "integer" else f"{self.prefix}-{rng.randint(10000, 99999)}"


class Int(Slot):
    type = "integer"

    def __init__(self, name: str, label: str, desc: str, lo: int, hi: int, phrases: Sequence[str] = (), default: Any = None):
        super().__init__(name, label, desc, phrases, default)
        self.lo, self.hi = lo, hi

    def sample(self, rng: random.Random) -> int:
        return rng.randint(self.lo, self.hi)

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        if not plain and value < len(NUMBER_WORDS) and rng.random() < 0.35:
            return NUMBER_WORDS[value], (value,)
        return str(value), (value,)


class Num(Slot):
    """A float on a grid of ``step`` from ``lo`` to ``hi``; ``money`` renders it as ``$12.50``."""

    type = "float"

    def __init__(self, name: str, label: str, desc: str, lo: float, hi: float, step: float, phrases: Sequence[str] = (),
                 money: bool = False, default: Any = None):
        super().__init__(name, label, desc, phrases, default)
        self.lo, self.step, self.n, self.money = lo, step, int(round((hi - lo) / step)), money

    def sample(self, rng: random.Random) -> float:
        return round(self.lo + self.step * rng.randint(0, self.n), 2)

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        if self.money:
            text = f"${value:.2f}" if value != int(value) else f"${int(value)}"
        else:
            text = f"{value:g}"
        return text, (float(value),)


class Date(Slot):
    """An ISO date; the query writes it as ``March 4, 2026``, ``4 March 2026`` or ISO."""

    def __init__(self, name: str, label: str, phrases: Sequence[str] = ()):
        super().__init__(name, label, f"The {label}, in YYYY-MM-DD format.", phrases)

    def sample(self, rng: random.Random) -> str:
        return (dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 729))).isoformat()

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        d = dt.date.fromisoformat(value)
        form = 2 if plain else rng.randrange(3)
        text = (f"{MONTHS[d.month - 1]} {d.day}, {d.year}", f"{d.day} {MONTHS[d.month - 1]} {d.year}", value)[form]
        return text, (value,) if text == value else (value, text)


class Time(Slot):
    """A 24-hour ``HH:MM`` time; the query may write ``3:30 PM``."""

    def __init__(self, name: str, label: str, phrases: Sequence[str] = ()):
        super().__init__(name, label, f"The {label}, 24-hour HH:MM.", phrases)

    def sample(self, rng: random.Random) -> str:
        return f"{rng.randint(7, 21):02d}:{rng.choice((0, 15, 30, 45)):02d}"

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        if plain or rng.random() < 0.4:
            return value, (value,)
        h, m = int(value[:2]), value[3:]
        text = f"{(h - 1) % 12 + 1}:{m} {'AM' if h < 12 else 'PM'}"
        return text, (value, text)


class Choice(Slot):
    """One of a fixed set of strings (a JSON-schema enum); ``display`` says some of them differently."""

    def __init__(self, name: str, label: str, desc: str, values: Sequence[str], phrases: Sequence[str] = (),
                 default: Any = None, display: dict[str, str] | None = None):
        super().__init__(name, label, desc, phrases, default)
        self.values, self.display = tuple(values), display or {}
        self.can_vary = len(self.values) >= 3

    def extra_schema(self, style: str) -> dict[str, Any]:
        return {"enum": list(self.values)}

    def sample(self, rng: random.Random) -> str:
        return rng.choice(self.values)

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        return self.display.get(value, value.replace("_", " ")), (value,)


class Bool(Slot):
    """A boolean said as a phrase (``with free cancellation`` / ``at a non-refundable rate``)."""

    type = "boolean"
    can_vary = False

    def __init__(self, name: str, label: str, desc: str, yes: Sequence[str], no: Sequence[str], default: Any = None):
        super().__init__(name, label, desc, (), default)
        self.yes, self.no = tuple(yes), tuple(no)

    def sample(self, rng: random.Random) -> bool:
        return rng.random() < 0.5

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        return rng.choice(self.yes if value else self.no), (value,)

    def phrase(self, text: str, rng: random.Random) -> str:
        return text


class TextList(Slot):
    """An array of ``k = (fewest, most)`` distinct strings drawn from ``values``."""

    type = "array"
    can_vary = False

    def __init__(self, name: str, label: str, desc: str, values: Sequence[str], k: tuple[int, int],
                 phrases: Sequence[str] = ()):
        super().__init__(name, label, desc, phrases)
        self.values, self.k = tuple(values), k

    def extra_schema(self, style: str) -> dict[str, Any]:
        return {"items": {"type": "string"}}

    def sample(self, rng: random.Random) -> list[str]:
        return rng.sample(self.values, rng.randint(*self.k))

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        return join_words(value), (list(value),)


class NumList(Slot):
    """An array of floats; values always have a fraction, so that they read unambiguously as floats."""

    type = "array"
    can_vary = False

    def __init__(self, name: str, label: str, desc: str, lo: int, hi: int, k: tuple[int, int], phrases: Sequence[str] = ()):
        super().__init__(name, label, desc, phrases)
        self.lo, self.hi, self.k = lo, hi, k

    def extra_schema(self, style: str) -> dict[str, Any]:
        return {"items": {"type": TYPE_NAMES[style]["float"]}}

    def sample(self, rng: random.Random) -> list[float]:
        return [rng.randint(self.lo, self.hi - 1) + rng.choice((0.25, 0.5, 0.75)) for _ in range(rng.randint(*self.k))]

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        return join_words([f"{x:g}" for x in value]), (list(value),)


class Obj(Slot):
    """A nested object; ``templates`` say which fields the query mentions (the others must be optional)."""

    type = "dict"
    can_vary = False

    def __init__(self, name: str, label: str, desc: str, fields: Sequence[tuple[Slot, bool]], templates: Sequence[str],
                 phrases: Sequence[str] = ()):
        super().__init__(name, label, desc, phrases)
        self.fields, self.templates = tuple(fields), tuple(templates)
        self.used = [set(re.findall(r"{(\w+)}", t)) for t in self.templates]
        for used in self.used:  # a template that leaves out a required field would make a wrong ground truth
            missing = [f.name for f, req in self.fields if req and f.name not in used]
            if missing:
                raise ValueError(f"{name}: template leaves out required fields {missing}")

    def extra_schema(self, style: str) -> dict[str, Any]:
        return {"properties": {f.name: f.schema(style) for f, _ in self.fields},
                "required": [f.name for f, req in self.fields if req]}

    def sample(self, rng: random.Random) -> dict[str, Any]:
        return {f.name: f.sample(rng) for f, _ in self.fields}

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        i = rng.randrange(len(self.templates))
        texts, accepted = {}, {}
        for f, _ in self.fields:
            if f.name in self.used[i]:
                texts[f.name], acc = f.render(value[f.name], rng, plain=True)
                accepted[f.name] = list(acc)
            else:
                accepted[f.name] = list(f.omitted())
        return self.templates[i].format(**texts), (accepted,)


class ObjList(Obj):
    """An array of objects (``2 x Desk Lamp and 1 x Yoga Mat``); every field is mentioned."""

    type = "array"

    def extra_schema(self, style: str) -> dict[str, Any]:
        return {"items": {"type": TYPE_NAMES[style]["dict"], **super().extra_schema(style)}}

    def sample(self, rng: random.Random) -> list[dict[str, Any]]:
        return [super(ObjList, self).sample(rng) for _ in range(rng.randint(1, 3))]

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        texts, items = [], []
        for v in value:
            text, (acc,) = super().render(v, rng)
            texts.append(text)
            items.append(acc)
        return join_words(texts), (items,)


# ----------------------------------------------------------------------------- normalised values (the rich level)

MONTH_ABBR = {m: m[:3] for m in MONTHS}


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``22nd``.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '31st']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class Quantity(Slot):
    """A number in the unit that the schema names (``duration_minutes``); the query says it in that
    unit (``90 minutes``) or, where the value converts to a round number, another (``1.5 hours``).
    The ground truth accepts only the value in the schema's unit.

    ``units`` are ``[plural, singular, factor]``, the schema's unit first (factor 1); ``factor`` is
    how many schema units one of that unit is (``["hours", "hour", 60]`` for minutes).
    """

    def __init__(self, name: str, label: str, desc: str, units: Sequence[Sequence[Any]], lo: float, hi: float,
                 step: float, phrases: Sequence[str] = (), integer: bool = False, default: Any = None):
        super().__init__(name, label, desc, phrases, default)
        self.units = tuple((str(p), str(s), float(f)) for p, s, f in units)
        if not self.units or self.units[0][2] != 1:
            raise ValueError(f"{name}: the first unit is the schema's own, with factor 1")
        if not any(u.lower() in desc.lower() for u in self.units[0][:2]):
            raise ValueError(f"{name}: the description must name the unit {self.units[0][0]!r}")
        self.type, self.integer = ("integer" if integer else "float"), integer
        self.lo, self.step, self.n = lo, step, int(round((hi - lo) / step))

    def sample(self, rng: random.Random) -> int | float:
        v = round(self.lo + self.step * rng.randint(0, self.n), 2)
        return int(v) if self.integer else float(v)

    def say(self, value: float, unit: tuple[str, str, float]) -> str:
        """``value`` (in the schema's unit) said in ``unit``: ``1.5 hours``, ``1 hour``, ``2500 m``."""
        x = round(value / unit[2], 6)
        return f"{x:g} {unit[1] if x == 1 else unit[0]}"

    def sayable(self, value: float) -> list[tuple[str, str, float]]:
        """The other units in which ``value`` is a round number (a multiple of 0.5, at least 0.5)."""
        out = []
        for u in self.units[1:]:
            x = round(value / u[2], 6)
            if x >= 0.5 and abs(2 * x - round(2 * x)) < 1e-9:
                out.append(u)
        return out

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        others = self.sayable(value)
        unit = rng.choice(others) if others and rng.random() < 0.5 else self.units[0]
        return self.say(value, unit), (value,)


class IsoDate(Date):
    """A date that the query says in words (``March 3, 2026``, ``the 3rd of March 2026``); the ground
    truth accepts only the ISO form.  ``start`` and ``days``: the range sampled (a birth date is older)."""

    def __init__(self, name: str, label: str, phrases: Sequence[str] = (), start: str = "2025-01-01", days: int = 730):
        super().__init__(name, label, phrases)
        self.desc = f"The {label}, in ISO format YYYY-MM-DD."
        self.start, self.days = dt.date.fromisoformat(start), days

    def sample(self, rng: random.Random) -> str:
        return (self.start + dt.timedelta(days=rng.randint(0, self.days - 1))).isoformat()

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        d = dt.date.fromisoformat(value)
        month = MONTHS[d.month - 1]
        text = rng.choice((f"{month} {d.day}, {d.year}", f"{d.day} {month} {d.year}",
                           f"{MONTH_ABBR[month]} {d.day}, {d.year}", f"the {ordinal(d.day)} of {month} {d.year}"))
        return text, (value,)


class Coded(Slot):
    """An enum of codes (``BUSINESS``) that the query says in words (``business class``); only the
    code is accepted.  ``codes`` maps each code to the ways of saying it."""

    def __init__(self, name: str, label: str, desc: str, codes: Mapping[str, Sequence[str]], phrases: Sequence[str] = (),
                 default: Any = None):
        super().__init__(name, label, desc, phrases, default)
        self.codes = {code: tuple(forms) for code, forms in codes.items()}
        self.values = tuple(self.codes)
        self.can_vary = len(self.values) >= 3
        said = [f for forms in self.codes.values() for f in forms]
        if len(set(said)) != len(said) or any(not forms for forms in self.codes.values()):
            raise ValueError(f"{name}: every code needs its own ways of saying it")
        verbatim = [f for code, forms in self.codes.items() for f in forms
                    if code in f or normalize_string(f) == normalize_string(code)]
        if verbatim:  # the matcher's string normalisation would take these words for the code
            raise ValueError(f"{name}: {verbatim} say the code itself, so nothing is left to normalise")

    def extra_schema(self, style: str) -> dict[str, Any]:
        return {"enum": list(self.values)}

    def sample(self, rng: random.Random) -> str:
        return rng.choice(self.values)

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        return rng.choice(self.codes[value]), (value,)

# ----------------------------------------------------------------------------- value patterns

_TOKEN = re.compile(r"\{([^{}]*)\}")
_RANGE = re.compile(r"(\d+)-(\d+)")


def compile_pattern(pattern: str, pools: Pools) -> Callable[[random.Random], str]:
    """A sampler for a value pattern, read left to right.

    ``{lo-hi}`` is an integer from ``lo`` to ``hi``, ``{a|b|c}`` one of the alternatives,
    ``{pool}`` a value of a named pool (``{pool:lower}`` lower-cased); the rest is literal.

    >>> compile_pattern("LST-{1000-9999}/{A|B}", {})(random.Random(0))
    'LST-7311/B'
    """
    parts: list[str | Callable[[random.Random], str]] = []
    pos = 0
    for m in _TOKEN.finditer(pattern):
        parts += [pattern[pos:m.start()], _token(m.group(1), pools, pattern)]
        pos = m.end()
    parts = [p for p in (*parts, pattern[pos:]) if p != ""]
    return lambda rng: "".join(p if type(p) is str else p(rng) for p in parts)


def _token(token: str, pools: Pools, pattern: str) -> Callable[[random.Random], str]:
    m = _RANGE.fullmatch(token)
    if m:
        lo, hi = int(m[1]), int(m[2])
        return lambda rng: str(rng.randint(lo, hi))
    if "|" in token:
        options = tuple(token.split("|"))
        return lambda rng: rng.choice(options)
    name, _, how = token.partition(":")
    if name not in pools or how not in ("", "lower"):
        raise ValueError(f"pattern {pattern!r}: {{{token}}} is no range, alternatives or pool (known: {sorted(pools)})")
    pool = pools[name]
    return (lambda rng: rng.choice(pool).lower()) if how else (lambda rng: rng.choice(pool))


# ----------------------------------------------------------------------------- catalogue entries

PERSON = "{first_names} {last_names}"
_CLASSES: dict[str, type[Slot]] = {
    "text": Text, "ident": Ident, "int": Int, "num": Num, "date": Date, "time": Time, "choice": Choice, "bool": Bool,
    "text_list": TextList, "num_list": NumList, "obj": Obj, "obj_list": ObjList,
    "quantity": Quantity, "iso_date": IsoDate, "coded": Coded,
}
_SHORTHANDS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "city": lambda s: {"label": "city", "phrases": ["in {v}"], **s, "kind": "text", "values": "cities",
                       "desc": f"The {s.get('label', 'city')}."},
    "person": lambda s: {**s, "kind": "text", "pattern": PERSON, "desc": f"Full name of the {s.get('label')}."},
    "money": lambda s: {"step": 0.5, **s, "kind": "num", "money": True,
                        "desc": f"The {s.get('label')}, in the account currency."},
}


def slot_from_json(spec: Mapping[str, Any], pools: Pools, shared: Mapping[str, Mapping[str, Any]], where: str) -> Slot:
    """Build one slot from its catalogue entry (see the module notes); errors name ``where``."""
    spec = dict(spec)
    if "use" in spec:
        name = spec.pop("use")
        if name not in shared:
            raise ValueError(f"{where}: no shared slot {name!r}; known: {sorted(shared)}")
        spec = {**shared[name], **spec}
    kind = spec.get("kind")
    if kind in _SHORTHANDS:
        spec = _SHORTHANDS[kind](spec)
    cls = _CLASSES.get(spec.pop("kind", None))
    if cls is None:
        raise ValueError(f"{where}: unknown slot kind {kind!r}; known: {sorted([*_CLASSES, *_SHORTHANDS])}")
    if "pattern" in spec:
        try:
            spec["values"] = compile_pattern(spec.pop("pattern"), pools)
        except ValueError as e:
            raise ValueError(f"{where}: {e}") from None
    elif isinstance(spec.get("values"), str):
        if spec["values"] not in pools:
            raise ValueError(f"{where}: no value pool {spec['values']!r}; known: {sorted(pools)}")
        spec["values"] = pools[spec["values"]]
    if "fields" in spec:
        spec["fields"] = slots_from_json(spec["fields"], pools, shared, f"{where}.fields")
    if "k" in spec:
        spec["k"] = tuple(spec["k"])
    try:
        inspect.signature(cls).bind(**spec)
        return cls(**spec)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{where}: {kind} slot: {e}") from None


def slots_from_json(specs: Sequence[Mapping[str, Any]], pools: Pools, shared: Mapping[str, Mapping[str, Any]],
                    where: str) -> tuple[tuple[Slot, bool], ...]:
    """``(slot, required)`` for each entry of a list (each has ``required``: true or false)."""
    out = []
    for i, spec in enumerate(specs):
        spec = dict(spec)
        required = spec.pop("required", None)
        if type(required) is not bool:
            raise ValueError(f"{where}[{i}]: 'required' must be true or false, got {required!r}")
        out.append((slot_from_json(spec, pools, shared, f"{where}[{i}]"), required))
    return tuple(out)
