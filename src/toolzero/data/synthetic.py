"""The bundled default training set: synthetic tool-use tasks in BFCL's shapes (METHOD.md section 5).

    from toolzero.data.synthetic import generate
    tasks = generate(20_000, seed=0)      # deterministic from the seed

Tools are built compositionally: a *service* (an invented product name, so that no function
name can collide with an evaluation set's) holds *entities* (flight, invoice, server, ...),
and each entity offers *actions* (search, get, create, update, cancel/delete, estimate).
``service.action_entity`` gives about 400 distinct functions over 20 domains.  Each
parameter is a :class:`Slot` that knows its schema, how to sample a value, how to say it in
English and which values the ground truth accepts; every parameter type occurs (string,
integer, number, boolean, enum, arrays of strings and of numbers, nested objects, arrays of
objects, optional parameters with and without defaults).

Shapes (``Task.category``): ``simple`` (1 tool, 1 call), ``multiple`` (2-4 tools, 1 call),
``parallel`` (one function called 2-3 times), ``parallel_multiple`` (2-3 different
functions) and ``irrelevance`` (no tool applies: answer ``[]``).  The ground truth accepts
each value as written in the query (dates also in ISO form, times also as ``HH:MM``);
optional parameters that the query does not mention accept ``""`` (omitted) and their
default, if any.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from toolzero.data.transforms import normalize_query
from toolzero.schema import OPTIONAL, ExpectedCall, Task, Tool

log = logging.getLogger(__name__)

SOURCE = "synthetic"
SHAPES = ("simple", "multiple", "parallel", "parallel_multiple", "irrelevance")
SHAPE_WEIGHTS = (0.30, 0.25, 0.15, 0.15, 0.15)  # our choice: roughly BFCL's non-live mix, irrelevance included
MENTION_OPTIONAL_P = 0.45  # chance that the query sets a given optional parameter
HARD_IRRELEVANCE_P = 0.3  # irrelevance whose distractors are the same entity's other actions
MAX_RETRIES = 30  # resample a record whose query was already generated (queries are kept distinct)

# ----------------------------------------------------------------------------- value pools

CITIES = (
    "Lisbon", "Porto", "Madrid", "Valencia", "Lyon", "Marseille", "Bordeaux", "Geneva", "Zurich", "Munich", "Hamburg",
    "Cologne", "Vienna", "Prague", "Krakow", "Budapest", "Ljubljana", "Zagreb", "Copenhagen", "Oslo", "Helsinki",
    "Tallinn", "Riga", "Dublin", "Edinburgh", "Manchester", "Bristol", "Antwerp", "Rotterdam", "Montreal", "Calgary",
    "Vancouver", "Denver", "Austin", "Portland", "Nashville", "Tucson", "Raleigh", "Pittsburgh", "Minneapolis",
    "Kyoto", "Osaka", "Busan", "Taipei", "Hanoi", "Cebu", "Perth", "Adelaide", "Wellington", "Cape Town", "Nairobi",
    "Marrakesh", "Santiago", "Cordoba", "Medellin", "Cusco", "Monterrey", "Reykjavik",
)
FIRST_NAMES = (
    "Amara", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ines", "Jonas", "Keiko", "Luca", "Maren",
    "Nikhil", "Olga", "Pablo", "Quinn", "Rosa", "Soren", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zofia",
    "Aditi", "Bastien", "Cormac", "Delphine",
)
LAST_NAMES = (
    "Abernathy", "Bergstrom", "Castellanos", "Dumont", "Ekwueme", "Fontaine", "Gallagher", "Hoffmann", "Iwasaki",
    "Jovanovic", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintero", "Rasmussen",
    "Silveira", "Takahashi", "Underwood", "Varga", "Whitfield", "Yilmaz", "Zeller", "Ashworth", "Brennan",
)
COMPANIES = (
    "Bluefin Analytics", "Copperleaf Studio", "Dunmore Logistics", "Evergrain Foods", "Fernhill Labs", "Granite Peak Ltd",
    "Harborview Partners", "Ironbark Tools", "Juniper Works", "Kestrel Media", "Lumen Harvest", "Marlowe & Finch",
    "Northwind Ceramics", "Oakridge Dental", "Pinecrest Realty", "Quillstone Press",
)
RESTAURANTS = (
    "The Copper Pot", "Saffron Lane", "Little Lantern", "Casa Verde", "Blue Heron Bistro", "Umami Alley",
    "The Olive Press", "Maple & Ash Kitchen", "Golden Wok House", "Trattoria Sole", "Noodle Theory", "Harbor Grill",
)
DISHES = (
    "pad thai", "spring rolls", "green curry", "margherita pizza", "caesar salad", "miso ramen", "falafel wrap",
    "beef tacos", "mushroom risotto", "chicken tikka", "veggie burger", "lentil soup", "garlic naan", "poke bowl",
)
STREETS = (
    "Elm Street", "Harbor Road", "Maple Avenue", "Quarry Lane", "Birch Court", "Station Road", "Willow Way",
    "Kingsley Drive", "Orchard Row", "Mill Lane", "Cedar Boulevard", "Lakeview Terrace",
)
EMAIL_DOMAINS = ("example.com", "mailbox.test", "inbox.example.org", "corp.example.net")
REASONS = (
    "my plans changed", "I booked it by mistake", "the date no longer works", "I found a better option",
    "there is a schedule conflict", "it is no longer needed", "the budget was cut",
)
PRODUCTS = (
    "Ceramic Mug", "Desk Lamp", "Wool Blanket", "Travel Backpack", "Steel Water Bottle", "Bamboo Cutting Board",
    "Wireless Mouse", "Linen Tea Towel", "Cast Iron Skillet", "Yoga Mat", "Reading Glasses", "Scented Candle",
)
TITLES = (
    "Quarterly Planning Review", "Spring Product Launch", "Onboarding Kickoff", "Budget Check-in", "Design Critique",
    "Customer Advisory Board", "Team Offsite Prep", "Vendor Evaluation", "Roadmap Deep Dive", "Security Awareness Day",
)
JOB_TITLES = (
    "data analyst", "backend engineer", "product designer", "sales coordinator", "warehouse supervisor",
    "customer success manager", "technical writer", "payroll specialist", "site reliability engineer",
)
SUBJECTS = (
    "linear algebra", "organic chemistry", "Spanish conversation", "music theory", "creative writing",
    "statistics", "macroeconomics", "watercolor painting", "Python programming", "world history",
)
SERVICES_SW = ("billing-api", "auth-service", "search-indexer", "checkout-web", "notification-worker", "ledger-sync")
DATABASES = ("orders-db", "users-primary", "analytics-warehouse", "inventory-db", "sessions-cache")
DOMAIN_NAMES = ("shopfront.example", "brightpath.example", "tealbox.example", "northlake.example")
BOOKS = (
    "The Glass Orchard", "Rivers of Salt", "A Map of Quiet Places", "The Last Lighthouse Keeper", "Winter in Arles",
    "The Clockmaker's Daughter", "Songs for the Tideline", "An Atlas of Small Hours",
)
TEAMS = ("Riverside Rovers", "Harbor City Hawks", "Northgate United", "Pinewood Pilots", "Eastfield Eagles", "Oak Valley FC")
MOVIES = ("Echoes of Tomorrow", "The Paper Kingdom", "Midnight Orchard", "Starlight Ferry", "Ashes and Anchors")
OBSERVATORIES = ("Ridgecrest Observatory", "Pine Hollow Observatory", "Desert Sky Station", "Lakeside Dome")
SKY_TARGETS = ("the Andromeda Galaxy", "the Orion Nebula", "Saturn", "Jupiter", "the Pleiades", "the Ring Nebula")
PHARMACIES = ("Corner Care Pharmacy", "Greenway Chemists", "Main Street Drugstore", "Healthwise Pharmacy")
MEDICATIONS = ("amoxicillin", "lisinopril", "metformin", "atorvastatin", "levothyroxine", "sertraline", "omeprazole")
STATIONS = ("Voltline Station 14", "Greenplug Hub 3", "Riverside Charge Point", "Northgate Supercharger")
VENUES = ("Riverside Hall", "The Glasshouse", "Lantern Loft", "Harbor Pavilion", "Old Mill Gallery")
PETS = ("Biscuit", "Juniper", "Pepper", "Mochi", "Tango", "Clementine", "Rufus")
CROPS = ("tomatoes", "kale", "carrots", "zucchini", "basil", "beans", "lettuce", "peppers", "garlic", "strawberries")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def email(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES).lower()}.{rng.choice(LAST_NAMES).lower()}@{rng.choice(EMAIL_DOMAINS)}"


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


# ----------------------------------------------------------------------------- slots

TYPE_NAMES = {  # two schema dialects, one per service, so that both spellings are trained on
    "openai": {"string": "string", "integer": "integer", "float": "number", "boolean": "boolean",
               "array": "array", "dict": "object"},
    "bfcl": {"string": "string", "integer": "integer", "float": "float", "boolean": "boolean",
             "array": "array", "dict": "dict"},
}


_A_AN = re.compile(r"\ba ([aeioAEIO8])")  # "a electrical problem" -> "an electrical problem"
_ONE_PLURAL = re.compile(r"(?<!and )(?<!, )\b(1|one) ([a-z]+[^s'])s(?![\w-])")  # "for 1 nights" -> "for 1 night"
_ONE_PEOPLE = re.compile(r"(?<!and )(?<!, )\b(1|one) people\b")


def _singular(phrase: str) -> str:
    return _ONE_PLURAL.sub(r"\1 \2", _ONE_PEOPLE.sub(r"\1 person", phrase))


class Slot:
    """One parameter: schema, value sampler, English rendering and the accepted values."""

    type = "string"
    can_vary = True  # may take different values across the calls of a parallel query

    def __init__(self, name: str, label: str, desc: str, phrases: Sequence[str] = ("{v}",), default: Any = None):
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
        return _singular(_A_AN.sub(r"an \1", rng.choice(self.phrases).format(v=text)))

    def omitted(self) -> tuple[Any, ...]:
        return (OPTIONAL,) if self.default is None else (OPTIONAL, self.default)


class Text(Slot):
    def __init__(self, name: str, label: str, desc: str, pool: Sequence[str] | Callable[[random.Random], str],
                 phrases: Sequence[str] = ("{v}",), default: Any = None):
        super().__init__(name, label, desc, phrases, default)
        self.pool = pool

    def sample(self, rng: random.Random) -> str:
        return self.pool(rng) if callable(self.pool) else rng.choice(self.pool)


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

    def __init__(self, name: str, label: str, desc: str, lo: int, hi: int, phrases: Sequence[str], default: Any = None):
        super().__init__(name, label, desc, phrases, default)
        self.lo, self.hi = lo, hi

    def sample(self, rng: random.Random) -> int:
        return rng.randint(self.lo, self.hi)

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        if not plain and value < len(NUMBER_WORDS) and rng.random() < 0.35:
            return NUMBER_WORDS[value], (value,)
        return str(value), (value,)


class Num(Slot):
    """A float; ``money`` renders it as ``$12.50``."""

    type = "float"

    def __init__(self, name: str, label: str, desc: str, lo: float, hi: float, step: float, phrases: Sequence[str],
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

    def __init__(self, name: str, label: str, phrases: Sequence[str]):
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

    def __init__(self, name: str, label: str, phrases: Sequence[str]):
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
    """One of a fixed set of strings (a JSON-schema enum)."""

    def __init__(self, name: str, label: str, desc: str, values: Sequence[str], phrases: Sequence[str],
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
    type = "array"
    can_vary = False

    def __init__(self, name: str, label: str, desc: str, pool: Sequence[str], k: tuple[int, int], phrases: Sequence[str]):
        super().__init__(name, label, desc, phrases)
        self.pool, self.k = tuple(pool), k

    def extra_schema(self, style: str) -> dict[str, Any]:
        return {"items": {"type": "string"}}

    def sample(self, rng: random.Random) -> list[str]:
        return rng.sample(self.pool, rng.randint(*self.k))

    def render(self, value: Any, rng: random.Random, plain: bool = False) -> tuple[str, tuple[Any, ...]]:
        return join_words(value), (list(value),)


class NumList(Slot):
    """An array of floats; values always have a fraction, so that they read unambiguously as floats."""

    type = "array"
    can_vary = False

    def __init__(self, name: str, label: str, desc: str, lo: int, hi: int, k: tuple[int, int], phrases: Sequence[str]):
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
                 phrases: Sequence[str]):
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


# Shorthands for the slots most entities share.
def city(name: str = "city", phrases: Sequence[str] = ("in {v}",), label: str = "city") -> Text:
    return Text(name, label, f"The {label}.", CITIES, phrases)


def who(name: str, label: str, phrases: Sequence[str]) -> Text:
    return Text(name, label, f"Full name of the {label}.", person, phrases)


def money(name: str, label: str, lo: float, hi: float, phrases: Sequence[str], step: float = 0.5) -> Num:
    return Num(name, label, f"The {label}, in the account currency.", lo, hi, step, phrases, money=True)


ADDRESS = Obj("address", "address", "Postal address.", (
    (Text("street", "street", "Street and number.", lambda r: f"{r.randint(1, 240)} {r.choice(STREETS)}"), True),
    (city(), True),
    (Text("postal_code", "postal code", "Postal code.", lambda r: f"{r.randint(10000, 99999)}"), False),
), ("{street}, {city} {postal_code}", "{street} in {city}", "{street}, {city}"), ("to {v}",))
CONTACT = Obj("contact", "contact", "Who to contact.", (
    (who("name", "contact person", ()), True),
    (Text("email", "email", "Email address.", email), False),
), ("{name} ({email})", "{name}", "{name}, email {email}"), ("for {v}", "with contact {v}"))
LIMIT = Int("limit", "maximum number of results", "Maximum number of results to return.", 2, 25,
            ("showing at most {v} results", "limited to {v} results"), default=10)
SORT = Choice("sort_by", "sort order", "How to order the results.", ("relevance", "newest", "price", "rating"),
            ("sorted by {v}",), default="relevance")
HISTORY = Bool("include_history", "change history", "Whether to include the change history.",
               ("including the full change history", "with its history"), ("without the change history",), default=False)
REASON = Text("reason", "reason", "Why it is being cancelled.", REASONS, ("because {v}", "since {v}"))
NOTIFY = Bool("notify", "notification", "Whether to notify the people involved.",
              ("and notify everyone involved", "and send a notification"),
              ("without notifying anyone", "without sending a notification"), default=True)
CURRENCY = Choice("currency", "currency", "Currency of the estimate.", ("USD", "EUR", "GBP", "JPY", "CAD", "AUD"),
                ("in {v}",), default="USD")

# ----------------------------------------------------------------------------- entities and services


@dataclass(frozen=True, eq=False)
class Entity:
    """Something a service manages, and the verbs that go with it."""

    key: str  # in function names: ``book_<key>``
    noun: str
    plural: str
    ident: Slot
    attrs: tuple[tuple[Slot, bool], ...]  # (slot, required) for create / update / estimate
    filters: tuple[tuple[Slot, bool], ...] = ()  # for search; default: the first three attrs, the first required
    id_noun: str = ""  # "flight booking" when the record is not the thing itself
    create: tuple[str, ...] = ("create", "add")  # first: the verb in the function name
    remove: tuple[str, ...] = ("cancel", "call off")
    actions: tuple[str, ...] = ("search", "get", "create", "update", "remove")
    estimate: bool = False


@dataclass(frozen=True, eq=False)
class Service:
    name: str
    domain: str
    style: str  # "openai" or "bfcl" schema dialect
    entities: tuple[Entity, ...]


def E(key: str, noun: str, plural: str, ident: Slot, attrs: Sequence[tuple[Slot, bool]], **kw: Any) -> Entity:
    return Entity(key, noun, plural, ident, tuple(attrs), **{k: tuple(v) if isinstance(v, list) else v for k, v in kw.items()})


R, O = True, False  # noqa: E741 -- required / optional, short for the tables below
DELETE = ("delete", "remove")


def _services() -> tuple[Service, ...]:
    d = Date
    t = Time
    return (
        Service("tripnest", "travel", "openai", (
            E("flight", "flight", "flights", Ident("booking_id", "flight booking", "FL"), [
                (city("origin", ("from {v}",), "departure city"), R), (city("destination", ("to {v}",), "arrival city"), R),
                (d("departure_date", "departure date", ("on {v}", "departing {v}")), R),
                (Int("passengers", "number of passengers", "How many people fly.", 1, 6, ("for {v} passengers",)), O),
                (Choice("cabin_class", "cabin class", "Cabin class.", ("economy", "premium_economy", "business", "first"),
                      ("in {v} class",), default="economy"), O),
                (Bool("nonstop", "nonstop", "Only nonstop flights.", ("with no layovers", "nonstop only"),
                      ("with layovers allowed",), default=False), O)],
              id_noun="flight booking", create=["book", "reserve"], estimate=True),
            E("hotel_room", "hotel room", "hotel rooms", Ident("reservation_id", "hotel reservation", "HR"), [
                (city(), R), (d("check_in", "check-in date", ("checking in on {v}", "arriving {v}")), R),
                (Int("nights", "number of nights", "Length of stay.", 1, 14, ("for {v} nights",)), R),
                (Int("guests", "number of guests", "Guests in the room.", 1, 6, ("for {v} guests", "sleeping {v}")), O),
                (TextList("amenities", "amenities", "Required amenities.",
                          ("wifi", "breakfast", "parking", "pool", "gym", "airport shuttle"), (1, 3), ("with {v}",)), O),
                (Bool("refundable", "refundable", "Free cancellation.", ("with free cancellation",),
                      ("at a non-refundable rate",)), O)],
              id_noun="hotel reservation", create=["book", "reserve"], estimate=True),
            E("rental_car", "rental car", "rental cars", Ident("rental_id", "car rental", "RC"), [
                (city("pickup_city", ("picking up in {v}", "in {v}"), "pick-up city"), R),
                (d("pickup_date", "pick-up date", ("on {v}", "starting {v}")), R),
                (Int("days", "rental length in days", "Rental length.", 1, 21, ("for {v} days",)), R),
                (Choice("car_class", "car class", "Vehicle class.", ("economy", "compact", "suv", "minivan", "convertible"),
                      ("in the {v} class",), display={"suv": "SUV"}), O),
                (Obj("driver", "driver", "The main driver.", (
                    (who("name", "driver", ()), R),
                    (Int("age", "age", "Driver age in years.", 21, 79, ()), O)),
                    ("{name}, aged {age}", "{name}"), ("for driver {v}", "with {v} driving")), O),
                (Bool("child_seat", "child seat", "Add a child seat.", ("with a child seat",), ("without a child seat",)), O)],
              id_noun="car rental", create=["book", "reserve"], estimate=True),
            E("train_ticket", "train ticket", "train tickets", Ident("ticket_id", "train ticket", "TT"), [
                (city("origin", ("from {v}",), "departure station city"), R),
                (city("destination", ("to {v}",), "arrival station city"), R),
                (d("travel_date", "travel date", ("on {v}", "for {v}")), R),
                (t("departure_time", "departure time", ("leaving around {v}", "departing at {v}")), O),
                (Choice("seat", "seat preference", "Seat preference.", ("window", "aisle", "table"), ("with a {v} seat",)), O)],
              create=["buy", "book"]),
            E("guided_tour", "guided tour", "guided tours", Ident("tour_booking_id", "tour booking", "GT"), [
                (city(), R), (d("tour_date", "tour date", ("on {v}",)), R),
                (Int("group_size", "group size", "People in the group.", 1, 15, ("for a group of {v}",)), R),
                (Choice("language", "language", "Guide language.", ("english", "spanish", "french", "german", "japanese"),
                      ("in {v}",), default="english"), O),
                (TextList("interests", "interests", "Topics the tour should cover.",
                          ("history", "food", "architecture", "art", "nightlife", "nature"), (1, 3), ("focused on {v}",)), O)],
              id_noun="tour booking", create=["book", "reserve"]),
        )),
        Service("tablewise", "dining", "bfcl", (
            E("table", "table", "tables", Ident("reservation_id", "table reservation", "TR"), [
                (Text("restaurant", "restaurant", "Restaurant name.", RESTAURANTS, ("at {v}",)), R),
                (d("date", "date", ("on {v}", "for {v}")), R), (t("time", "time", ("at {v}",)), R),
                (Int("party_size", "party size", "Number of diners.", 1, 12, ("for {v} people", "for a party of {v}")), R),
                (Choice("seating", "seating area", "Where to sit.", ("indoor", "outdoor", "bar"), ("with {v} seating",)), O),
                (Text("occasion", "occasion", "Special occasion, if any.",
                      ("birthday", "anniversary", "business dinner", "graduation"), ("for our {v}",)), O)],
              id_noun="table reservation", create=["reserve", "book"], actions=["get", "create", "update", "remove"]),
            E("food_order", "food order", "food orders", Ident("order_id", "food order", integer=True), [
                (Text("restaurant", "restaurant", "Restaurant name.", RESTAURANTS, ("from {v}",)), R),
                (TextList("items", "dishes", "Dishes to order.", DISHES, (1, 4), ("with {v}",)), R),
                (ADDRESS, R),
                (money("tip", "tip", 1, 20, ("with a tip of {v}", "adding a {v} tip")), O),
                (Bool("contactless", "contactless delivery", "Leave at the door.", ("with contactless delivery",),
                      ("handed over in person",), default=False), O)],
              create=["place", "submit"], actions=["get", "create", "update", "remove"], estimate=True),
            E("recipe", "recipe", "recipes", Ident("recipe_id", "recipe", "RCP"), [
                (Text("title", "title", "Recipe title.", ("Lemon Garlic Pasta", "Smoky Bean Chili", "Honey Oat Bread",
                                                          "Coconut Lentil Curry", "Herb Roast Chicken"), ("called {v}",)), R),
                (TextList("ingredients", "ingredients", "Main ingredients.",
                          ("chicken", "rice", "lentils", "spinach", "tofu", "chickpeas", "mushrooms", "salmon"), (1, 3),
                          ("using {v}", "with {v}")), R),
                (Int("servings", "servings", "Number of servings.", 1, 10, ("serving {v}",)), O),
                (Choice("diet", "diet", "Dietary style.", ("vegan", "vegetarian", "gluten_free", "keto"), ("that is {v}",),
                      display={"gluten_free": "gluten-free"}), O)],
              filters=[], create=["save", "add"], remove=DELETE),
            E("grocery_list", "grocery list", "grocery lists", Ident("list_id", "grocery list", "GL"), [
                (Text("name", "name", "List name.", ("weekend shopping", "party supplies", "weekly staples", "camping trip"),
                      ("named {v}", "called {v}")), R),
                (TextList("items", "items", "Items to buy.", ("milk", "eggs", "apples", "coffee", "rice", "bread", "cheese",
                                                               "onions", "yogurt"), (2, 4), ("with {v}",)), R),
                (Text("store", "store", "Preferred store.", ("FreshMart", "Corner Grocer", "Valley Market"), ("for {v}",)), O),
                (Bool("shared", "shared", "Share with the household.", ("and share it with the household",),
                      ("and keep it private",), default=False), O)],
              remove=DELETE, actions=["get", "create", "update", "remove"]),
        )),
        Service("ledgerly", "finance", "openai", (
            E("invoice", "invoice", "invoices", Ident("invoice_id", "invoice", "INV"), [
                (Text("client", "client", "Client company.", COMPANIES, ("for {v}", "addressed to {v}")), R),
                (money("amount", "amount", 50, 9000, ("totaling {v}", "for {v}")), R),
                (d("due_date", "due date", ("due on {v}", "due {v}")), R),
                (Choice("currency", "currency", "Invoice currency.", ("USD", "EUR", "GBP", "CHF"), ("in {v}",),
                      default="USD"), O),
                (Bool("send_email", "send by email", "Email it to the client.", ("and email it to the client",),
                      ("without emailing it",), default=False), O)],
              remove=["void", "cancel"]),
            E("payment", "payment", "payments", Ident("payment_id", "payment", "PAY"), [
                (who("payee", "payee", ("to {v}",)), R), (money("amount", "amount", 5, 5000, ("of {v}", "for {v}")), R),
                (Choice("method", "payment method", "How to pay.", ("card", "bank_transfer", "paypal", "check"),
                      ("by {v}", "via {v}")), O),
                (d("scheduled_date", "scheduled date", ("on {v}", "scheduled for {v}")), O),
                (Text("memo", "memo", "Memo line.", ("rent", "design work", "shared dinner", "consulting", "deposit"),
                      ("with the memo {v}",)), O)],
              create=["send", "make"], estimate=False),
            E("budget", "budget", "budgets", Ident("budget_id", "budget", "BG"), [
                (Choice("category", "spending category", "Spending category.",
                      ("groceries", "dining", "travel", "utilities", "entertainment", "transport"), ("for {v}",)), R),
                (money("monthly_limit", "monthly limit", 50, 3000, ("with a monthly limit of {v}", "capped at {v} monthly"),
                       step=25), R),
                (Num("alert_percent", "alert threshold", "Alert when this percent is spent.", 50, 95, 5,
                     ("alerting me at {v} percent",)), O),
                (Bool("rollover", "rollover", "Carry unspent money over.", ("with rollover of unspent money",),
                      ("without rollover",), default=False), O)],
              create=["set up", "create"], remove=DELETE),
            E("expense", "expense", "expenses", Ident("expense_id", "expense", "EXP"), [
                (money("amount", "amount", 2, 900, ("of {v}", "for {v}")), R),
                (Text("merchant", "merchant", "Where the money was spent.",
                      ("Brightside Cafe", "Metro Taxi", "Office Depot", "Harbor Books", "Sunrise Bakery"), ("at {v}",)), R),
                (d("date", "date", ("on {v}", "from {v}")), R),
                (Choice("category", "category", "Expense category.", ("meals", "travel", "supplies", "software", "other"),
                      ("under {v}", "filed under {v}")), O),
                (TextList("tags", "tags", "Free-form tags.", ("client visit", "reimbursable", "q3", "team", "urgent"),
                          (1, 2), ("tagged {v}",)), O)],
              create=["log", "record"], remove=DELETE),
            E("price_alert", "price alert", "price alerts", Ident("alert_id", "price alert", "PA"), [
                (Text("ticker", "ticker", "Stock ticker symbol.", ("NVQX", "BRLT", "KMPA", "ZORN", "TELV", "QUAD"),
                      ("for {v}", "on {v}")), R),
                (money("target_price", "target price", 5, 800, ("at {v}", "with a target of {v}"), step=0.25), R),
                (Choice("direction", "direction", "Trigger above or below the target.", ("above", "below"),
                      ("when the price goes {v} it",)), O),
                (d("expires_on", "expiry date", ("expiring {v}", "that expires on {v}")), O)],
              remove=DELETE, actions=["search", "get", "create", "remove"]),
            E("savings_goal", "savings goal", "savings goals", Ident("goal_id", "savings goal", "SG"), [
                (Text("goal_name", "goal name", "Name of the goal.",
                      ("new bike", "emergency fund", "summer trip", "laptop upgrade", "wedding"), ("called {v}",)), R),
                (money("target_amount", "target amount", 200, 20000, ("of {v}", "targeting {v}"), step=50), R),
                (d("deadline", "deadline", ("by {v}",)), O),
                (money("monthly_contribution", "monthly contribution", 20, 900, ("contributing {v} monthly",), step=10), O)],
              create=["set up", "create"], remove=DELETE),
        )),
        Service("carepoint", "health", "bfcl", (
            E("appointment", "doctor's appointment", "doctor's appointments", Ident("appointment_id", "appointment", "APT"), [
                (Choice("specialty", "specialty", "Medical specialty.",
                      ("cardiology", "dermatology", "pediatrics", "orthopedics", "general_practice"), ("in {v}",)), R),
                (d("date", "date", ("on {v}",)), R),
                (Obj("patient", "patient", "The patient.", (
                    (who("name", "patient", ()), R), (d("birth_date", "birth date", ()), O)),
                    ("{name}, born {birth_date}", "{name}"), ("for patient {v}", "for {v}")), R),
                (t("time", "time", ("at {v}",)), O),
                (Bool("telehealth", "video visit", "Video instead of in person.", ("as a video visit",), ("in person",),
                      default=False), O)],
              id_noun="appointment", create=["schedule", "book"]),
            E("refill", "prescription refill", "prescription refills", Ident("refill_id", "refill request", "RX"), [
                (Text("medication", "medication", "Medication name.", MEDICATIONS, ("for {v}",)), R),
                (Int("dose_mg", "dose in mg", "Dose per tablet, mg.", 5, 500, ("at {v} mg",)), R),
                (Text("pharmacy", "pharmacy", "Pick-up pharmacy.", PHARMACIES, ("at {v}", "to pick up at {v}")), O),
                (Int("quantity", "quantity", "Number of tablets.", 10, 90, ("for {v} tablets",)), O)],
              id_noun="refill request", create=["request", "order"]),
            E("lab_test", "lab test", "lab tests", Ident("lab_order_id", "lab order", "LAB"), [
                (Choice("test_type", "test type", "Which test.", ("blood_panel", "cholesterol", "glucose", "thyroid",
                                                               "vitamin_d"), ("for a {v} test",)), R),
                (d("date", "date", ("on {v}",)), R),
                (city("location", ("in {v}", "at the {v} clinic"), "clinic city"), O),
                (Bool("fasting", "fasting", "Patient will be fasting.", ("with fasting",), ("without fasting",)), O)],
              id_noun="lab order", create=["order", "book"]),
            E("workout_plan", "workout plan", "workout plans", Ident("plan_id", "workout plan", "WP"), [
                (Choice("goal", "goal", "Training goal.", ("strength", "endurance", "weight_loss", "mobility"),
                      ("focused on {v}",)), R),
                (Int("sessions_per_week", "sessions per week", "Sessions per week.", 1, 7, ("with {v} weekly sessions",)), R),
                (Int("session_minutes", "minutes per session", "Length of each session.", 15, 90,
                     ("of {v} minutes each",)), O),
                (TextList("equipment", "equipment", "Available equipment.",
                          ("dumbbells", "kettlebell", "resistance bands", "pull-up bar", "treadmill"), (1, 3),
                          ("using {v}",)), O)],
              create=["build", "create"], remove=DELETE),
            E("vaccination", "vaccination appointment", "vaccination appointments",
              Ident("vaccination_id", "vaccination appointment", "VAX"), [
                (Choice("vaccine", "vaccine", "Vaccine.", ("flu", "tetanus", "hepatitis_b", "shingles"), ("for a {v} shot",)), R),
                (d("date", "date", ("on {v}",)), R), (city("clinic_city", ("in {v}",), "clinic city"), R),
                (Int("age", "patient age", "Patient age.", 1, 95, ("for a {v}-year-old",)), O)],
              create=["book", "schedule"]),
        )),
        Service("learnloop", "education", "openai", (
            E("course", "course", "courses", Ident("course_id", "course", "CRS"), [
                (Text("subject", "subject", "Course subject.", SUBJECTS, ("on {v}", "about {v}")), R),
                (Choice("level", "level", "Difficulty.", ("beginner", "intermediate", "advanced"), ("at the {v} level",)), O),
                (money("max_price", "maximum price", 0, 400, ("under {v}", "costing less than {v}"), step=5), O),
                (Bool("certificate", "certificate", "Offers a certificate.", ("that offer a certificate",),
                      ("without a certificate",)), O)],
              create=["create", "set up"], remove=DELETE, actions=["search", "get", "remove"]),
            E("enrollment", "enrollment", "enrollments", Ident("enrollment_id", "enrollment", "ENR"), [
                (who("student", "student", ("for {v}",)), R),
                (Text("course_code", "course code", "Course code.", lambda r: f"{r.choice(('BIO', 'HIS', 'MAT', 'ECO'))}-"
                      f"{r.randint(100, 499)}", ("in {v}",)), R),
                (Choice("term", "term", "Academic term.", ("fall", "spring", "summer"), ("for the {v} term",)), R),
                (Bool("audit", "audit", "Audit without credit.", ("as an auditor",), ("for credit",), default=False), O)],
              create=["create", "register"]),
            E("assignment", "assignment", "assignments", Ident("assignment_id", "assignment", "ASG"), [
                (Text("title", "title", "Assignment title.", ("Lab Report 2", "Essay on Migration", "Problem Set 5",
                                                              "Case Study Draft", "Reading Response"), ("called {v}",)), R),
                (Text("course_code", "course code", "Course code.", lambda r: f"CS-{r.randint(100, 499)}", ("for {v}",)), R),
                (d("due_date", "due date", ("due {v}", "due on {v}")), R),
                (Int("max_points", "maximum points", "Points available.", 10, 100, ("worth {v} points",)), O),
                (Bool("allow_late", "late submissions", "Accept late work.", ("accepting late submissions",),
                      ("with no late submissions",), default=False), O)],
              create=["post", "create"], remove=DELETE),
            E("exam", "exam", "exams", Ident("exam_id", "exam", "EXM"), [
                (Text("course_code", "course code", "Course code.", lambda r: f"PHY-{r.randint(100, 499)}", ("for {v}",)), R),
                (d("date", "date", ("on {v}",)), R),
                (Int("duration_minutes", "duration in minutes", "Exam length.", 30, 180, ("lasting {v} minutes",)), R),
                (Text("room", "room", "Exam room.", lambda r: f"{r.choice('ABCD')}{r.randint(101, 420)}", ("in room {v}",)), O),
                (Bool("proctored", "proctored", "Proctored exam.", ("with a proctor",), ("without a proctor",)), O)],
              create=["schedule", "set up"]),
            E("tutoring_session", "tutoring session", "tutoring sessions", Ident("session_id", "tutoring session", "TUT"), [
                (Text("subject", "subject", "Subject.", SUBJECTS, ("in {v}", "for {v}")), R),
                (d("date", "date", ("on {v}",)), R), (t("time", "time", ("at {v}",)), R),
                (who("tutor", "tutor", ("with {v}",)), O),
                (Int("minutes", "length in minutes", "Session length.", 30, 120, ("for {v} minutes",)), O)],
              create=["book", "schedule"], estimate=True),
        )),
        Service("shopcart", "retail", "bfcl", (
            E("order", "order", "orders", Ident("order_id", "order", integer=True), [
                (ObjList("line_items", "items", "Products and quantities.", (
                    (Text("product", "product", "Product name.", PRODUCTS, ()), R),
                    (Int("quantity", "quantity", "How many.", 1, 5, ()), R)),
                    ("{quantity} x {product}",), ("with {v}", "containing {v}")), R),
                (ADDRESS, R),
                (Bool("express", "express shipping", "Express shipping.", ("with express shipping",),
                      ("with standard shipping",), default=False), O),
                (Text("gift_message", "gift message", "Gift note.", ("Happy birthday!", "Congratulations", "Thank you"),
                      ('with the gift note "{v}"',)), O)],
              create=["place", "submit"], actions=["get", "create", "update", "remove"], estimate=True),
            E("product", "product", "products", Ident("product_id", "product", "SKU"), [
                (Text("name", "name", "Product name.", PRODUCTS, ("called {v}", "named {v}")), R),
                (money("price", "price", 3, 400, ("priced at {v}", "at {v}")), R),
                (Int("stock", "stock", "Units in stock.", 0, 500, ("with {v} units in stock",)), O),
                (TextList("tags", "tags", "Catalog tags.", ("kitchen", "office", "outdoor", "gift", "sale"), (1, 2),
                          ("tagged {v}",)), O)],
              filters=[(Text("keyword", "keyword", "Search words.", ("mug", "lamp", "blanket", "backpack", "bottle", "candle"),
                             ("matching {v}", "for {v}")), R),
                       (money("max_price", "maximum price", 5, 300, ("under {v}",), step=5), O),
                       (Num("min_rating", "minimum rating", "Minimum star rating.", 3, 4.5, 0.5,
                            ("rated at least {v} stars",)), O),
                       (Bool("in_stock", "in stock", "Only in-stock items.", ("that are in stock",),
                             ("including out-of-stock ones",), default=True), O)],
              remove=DELETE),
            E("return_request", "return request", "return requests", Ident("return_id", "return request", "RET"), [
                (Int("order_number", "order number", "Order the item came from.", 100000, 999999, ("for order {v}",)), R),
                (Choice("reason", "reason", "Why it is returned.", ("damaged", "wrong_item", "too_small", "too_large",
                                                                   "changed_mind"), ("because it was {v}",),
                      display={"wrong_item": "the wrong item", "changed_mind": "changed mind"}), R),
                (Choice("refund_method", "refund method", "How to refund.", ("original_payment", "store_credit"),
                      ("refunded as {v}",)), O),
                (Bool("pickup", "courier pickup", "Courier picks it up.", ("with a courier pickup",), ("dropped off by me",),
                      default=False), O)],
              create=["open", "file"]),
            E("gift_card", "gift card", "gift cards", Ident("card_id", "gift card", "GC"), [
                (money("amount", "amount", 10, 500, ("worth {v}", "for {v}"), step=5), R),
                (Text("recipient_email", "recipient email", "Where to send it.", email, ("for {v}", "sent to {v}")), R),
                (d("delivery_date", "delivery date", ("delivered on {v}",)), O),
                (Text("message", "message", "Card message.", ("Enjoy!", "Happy holidays", "With love"), ('saying "{v}"',)), O)],
              create=["buy", "send"], actions=["get", "create", "remove"]),
            E("wishlist", "wishlist", "wishlists", Ident("wishlist_id", "wishlist", "WL"), [
                (Text("name", "name", "Wishlist name.", ("birthday ideas", "home office", "kitchen upgrade"),
                      ("called {v}",)), R),
                (TextList("product_ids", "products", "Product SKUs.", ("SKU-1042", "SKU-2231", "SKU-3308", "SKU-4410",
                                                                        "SKU-5127"), (1, 3), ("with {v}",)), R),
                (Bool("public", "public", "Visible to others.", ("and make it public",), ("and keep it private",)), O)],
              remove=DELETE),
        )),
        Service("parcelpath", "logistics", "openai", (
            E("shipment", "shipment", "shipments", Ident("tracking_number", "shipment", "PP"), [
                (Text("origin_zip", "origin postal code", "Origin postal code.", lambda r: str(r.randint(10000, 99999)),
                      ("from {v}", "from postal code {v}")), R),
                (Text("destination_zip", "destination postal code", "Destination postal code.",
                      lambda r: str(r.randint(10000, 99999)), ("to {v}", "to postal code {v}")), R),
                (Num("weight_kg", "weight in kg", "Weight in kilograms.", 0.5, 40, 0.5, ("weighing {v} kg",)), R),
                (Obj("dimensions", "dimensions", "Box size in cm.", (
                    (Int("length_cm", "length", "Length in cm.", 10, 120, ()), R),
                    (Int("width_cm", "width", "Width in cm.", 10, 80, ()), R),
                    (Int("height_cm", "height", "Height in cm.", 5, 80, ()), R)),
                    ("{length_cm} x {width_cm} x {height_cm} cm",), ("measuring {v}",)), O),
                (Choice("service", "service level", "Speed.", ("ground", "two_day", "overnight"), ("via {v} shipping",),
                      display={"two_day": "two-day"}, default="ground"), O),
                (Bool("insured", "insurance", "Insure it.", ("with insurance",), ("uninsured",), default=False), O)],
              create=["create", "send"], estimate=True),
            E("pickup", "courier pickup", "courier pickups", Ident("pickup_id", "pickup", "PU"), [
                (Obj("address", "pickup address", "Where to collect.", ADDRESS.fields, ADDRESS.templates, ("from {v}",)), R),
                (d("date", "date", ("on {v}",)), R),
                (Choice("window", "time window", "Part of the day.", ("morning", "afternoon", "evening"), ("in the {v}",)), R),
                (Int("packages", "number of packages", "How many packages.", 1, 12, ("for {v} packages",)), O)],
              create=["schedule", "book"]),
            E("storage_slot", "storage slot", "storage slots", Ident("slot_id", "storage slot", "WS"), [
                (Text("warehouse", "warehouse", "Warehouse.", ("Dock 4 Newark", "Bay 12 Rotterdam", "Hall C Leipzig",
                                                                "Unit 7 Savannah"), ("at {v}",)), R),
                (d("start_date", "start date", ("from {v}", "starting {v}")), R),
                (Int("weeks", "weeks", "Rental length in weeks.", 1, 26, ("for {v} weeks",)), R),
                (Int("pallets", "pallets", "Pallet positions.", 1, 40, ("for {v} pallets",)), O),
                (Bool("climate_controlled", "climate control", "Climate controlled.", ("with climate control",),
                      ("without climate control",), default=False), O)],
              create=["reserve", "book"], estimate=True),
        )),
        Service("homestead", "real_estate", "bfcl", (
            E("listing", "property listing", "property listings", Ident("listing_id", "listing", "LST"), [
                (ADDRESS, R), (money("price", "asking price", 80000, 2000000, ("priced at {v}", "asking {v}"), step=5000), R),
                (Int("bedrooms", "bedrooms", "Bedrooms.", 1, 6, ("with {v} bedrooms",)), R),
                (Choice("property_type", "property type", "Kind of property.", ("apartment", "house", "condo", "townhouse"),
                      ("as a {v}",)), O),
                (TextList("features", "features", "Notable features.", ("garage", "balcony", "garden", "fireplace", "pool"),
                          (1, 3), ("featuring {v}",)), O)],
              filters=[(city(), R), (money("max_price", "maximum price", 100000, 1500000, ("under {v}",), step=10000), O),
                       (Int("min_bedrooms", "minimum bedrooms", "At least this many bedrooms.", 1, 5,
                            ("with at least {v} bedrooms",)), O),
                       (Bool("pet_friendly", "pet friendly", "Pets allowed.", ("that allow pets",), ("with no pets",)), O)],
              create=["publish", "create"], remove=DELETE),
            E("viewing", "viewing", "viewings", Ident("viewing_id", "viewing", "VW"), [
                (Text("listing_ref", "listing", "Listing reference.", lambda r: f"LST-{r.randint(1000, 9999)}",
                      ("for listing {v}", "of {v}")), R),
                (d("date", "date", ("on {v}",)), R), (t("time", "time", ("at {v}",)), R),
                (Int("attendees", "attendees", "People attending.", 1, 5, ("for {v} people",)), O),
                (Bool("virtual", "virtual", "Video tour.", ("as a video tour",), ("in person",), default=False), O)],
              create=["schedule", "book"]),
            E("lease", "lease", "leases", Ident("lease_id", "lease", "LSE"), [
                (who("tenant", "tenant", ("for {v}", "with tenant {v}")), R),
                (Text("unit", "unit", "Unit.", lambda r: f"Unit {r.randint(1, 30)}{r.choice('ABCD')}", ("for {v}",)), R),
                (d("start_date", "start date", ("starting {v}",)), R),
                (Int("months", "months", "Lease length.", 3, 36, ("for {v} months",)), R),
                (money("monthly_rent", "monthly rent", 400, 6000, ("at {v} monthly",), step=25), O)],
              create=["draft", "create"], remove=["terminate", "end"]),
            E("repair_request", "repair request", "repair requests", Ident("request_id", "repair request", "MR"), [
                (Text("unit", "unit", "Unit.", lambda r: f"Apartment {r.randint(1, 30)}{r.choice('ABCD')}", ("in {v}",)), R),
                (Choice("issue", "issue", "Kind of problem.", ("plumbing", "electrical", "heating", "appliance", "pests"),
                      ("for a {v} problem",)), R),
                (Choice("urgency", "urgency", "How urgent.", ("low", "medium", "high"), ("with {v} urgency",),
                      default="medium"), O),
                (Bool("entry_allowed", "entry permission", "Staff may enter when out.", ("and allow entry when I'm out",),
                      ("and only enter when I'm home",)), O)],
              create=["file", "submit"]),
        )),
        Service("staffhub", "hr", "openai", (
            E("job_posting", "job posting", "job postings", Ident("posting_id", "job posting", "JOB"), [
                (Text("title", "job title", "Job title.", JOB_TITLES, ("for a {v}",)), R),
                (Choice("department", "department", "Department.", ("engineering", "sales", "finance", "operations",
                                                                  "marketing"), ("in {v}",)), R),
                (city("location", ("based in {v}",), "office city"), O),
                (money("salary_min", "minimum salary", 30000, 180000, ("paying at least {v}",), step=1000), O),
                (Bool("remote", "remote", "Fully remote.", ("as a fully remote role",), ("as an on-site role",)), O),
                (TextList("skills", "skills", "Required skills.", ("SQL", "Excel", "Go", "negotiation", "Figma", "Kubernetes"),
                          (1, 3), ("requiring {v}",)), O)],
              create=["post", "publish"], remove=["close", "withdraw"]),
            E("leave_request", "leave request", "leave requests", Ident("leave_id", "leave request", "LV"), [
                (who("employee", "employee", ("for {v}",)), R), (d("start_date", "start date", ("from {v}",)), R),
                (d("end_date", "end date", ("until {v}", "to {v}")), R),
                (Choice("leave_type", "leave type", "Kind of leave.", ("vacation", "sick", "parental", "unpaid"),
                      ("as {v} leave",), default="vacation"), O)],
              create=["submit", "file"], remove=["withdraw", "cancel"]),
            E("review", "performance review", "performance reviews", Ident("review_id", "performance review", "PR"), [
                (who("employee", "employee", ("for {v}", "of {v}")), R),
                (Choice("period", "review period", "Period covered.", ("q1", "q2", "q3", "q4", "annual"), ("for {v}",),
                      display={"q1": "Q1", "q2": "Q2", "q3": "Q3", "q4": "Q4"}), R),
                (who("reviewer", "reviewer", ("with {v} as reviewer", "reviewed by {v}")), O),
                (NumList("scores", "scores", "Scores per competency.", 1, 5, (2, 4), ("with the scores {v}",)), O)],
              create=["start", "create"], remove=DELETE),
            E("shift", "shift", "shifts", Ident("shift_id", "shift", "SH"), [
                (who("employee", "employee", ("for {v}",)), R), (d("date", "date", ("on {v}",)), R),
                (t("start_time", "start time", ("starting at {v}", "from {v}")), R),
                (Int("hours", "hours", "Shift length.", 2, 12, ("for {v} hours",)), R),
                (Choice("role", "role", "Role on the shift.", ("cashier", "cook", "host", "stocker"), ("as {v}",)), O)],
              create=["schedule", "add"], remove=DELETE),
        )),
        Service("opsdeck", "devops", "bfcl", (
            E("server", "server", "servers", Ident("server_id", "server", "SRV"), [
                (Choice("region", "region", "Cloud region.", ("us_east", "us_west", "eu_central", "ap_south"), ("in {v}",),
                      display={"us_east": "us-east", "us_west": "us-west", "eu_central": "eu-central",
                               "ap_south": "ap-south"}), R),
                (Choice("size", "instance size", "Instance size.", ("small", "medium", "large", "xlarge"), ("of size {v}",)), R),
                (Int("disk_gb", "disk size in GB", "Disk size.", 20, 2000, ("with {v} GB of disk",)), R),
                (TextList("tags", "tags", "Tags.", ("web", "batch", "staging", "gpu", "internal"), (1, 2), ("tagged {v}",)), O),
                (Bool("backups", "backups", "Automatic backups.", ("with automatic backups",), ("without backups",),
                      default=True), O)],
              create=["provision", "spin up"], remove=["decommission", "delete"], estimate=True),
            E("deployment", "deployment", "deployments", Ident("deployment_id", "deployment", "DEP"), [
                (Text("service", "service", "Service to deploy.", SERVICES_SW, ("of {v}",)), R),
                (Text("version", "version", "Version tag.", lambda r: f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}",
                      ("at version {v}",)), R),
                (Choice("environment", "environment", "Target environment.", ("dev", "staging", "production"), ("to {v}",)), R),
                (Int("canary_percent", "canary percent", "Traffic share for the canary.", 1, 50,
                     ("with a {v} percent canary",)), O),
                (Bool("auto_rollback", "automatic rollback", "Roll back on errors.", ("with automatic rollback",),
                      ("without automatic rollback",), default=True), O)],
              create=["trigger", "start"], remove=["abort", "cancel"]),
            E("incident", "incident", "incidents", Ident("incident_id", "incident", "INC"), [
                (Text("title", "title", "Short summary.", ("Checkout latency spike", "Login errors", "Queue backlog",
                                                          "Disk almost full", "Payment timeouts"), ("titled {v}",)), R),
                (Choice("severity", "severity", "Severity.", ("sev1", "sev2", "sev3", "sev4"), ("at {v}",),
                      display={"sev1": "SEV1", "sev2": "SEV2", "sev3": "SEV3", "sev4": "SEV4"}), R),
                (Text("service", "affected service", "Affected service.", SERVICES_SW, ("affecting {v}",)), R),
                (who("assignee", "assignee", ("assigned to {v}",)), O),
                (Bool("page_oncall", "page on-call", "Page the on-call engineer.", ("and page on-call",),
                      ("without paging on-call",), default=False), O)],
              create=["open", "declare"], remove=["close", "resolve"]),
            E("backup_job", "backup job", "backup jobs", Ident("job_id", "backup job", "BK"), [
                (Text("database", "database", "Database to back up.", DATABASES, ("for {v}", "of {v}")), R),
                (Choice("frequency", "frequency", "How often.", ("hourly", "daily", "weekly"), ("running {v}",)), R),
                (Int("retention_days", "retention in days", "How long to keep backups.", 1, 365,
                     ("keeping copies for {v} days",)), O),
                (Bool("encrypted", "encryption", "Encrypt backups.", ("with encryption",), ("unencrypted",),
                      default=True), O)],
              create=["schedule", "create"], remove=DELETE),
            E("dns_record", "DNS record", "DNS records", Ident("record_id", "DNS record", "DNS"), [
                (Text("domain", "domain", "Domain name.", DOMAIN_NAMES, ("for {v}",)), R),
                (Choice("record_type", "record type", "Record type.", ("A", "AAAA", "CNAME", "MX", "TXT"), ("of type {v}",)), R),
                (Text("value", "value", "Record value.", lambda r: f"203.0.113.{r.randint(1, 254)}", ("pointing to {v}",)), R),
                (Int("ttl", "TTL in seconds", "Time to live.", 60, 86400, ("with a TTL of {v} seconds",), default=3600), O)],
              remove=DELETE),
        )),
        Service("gatherly", "events", "openai", (
            E("event", "event", "events", Ident("event_id", "event", "EVT"), [
                (Text("title", "title", "Event title.", TITLES, ("called {v}", "named {v}")), R),
                (d("date", "date", ("on {v}",)), R),
                (Text("venue", "venue", "Venue.", VENUES, ("at {v}",)), O),
                (Int("capacity", "capacity", "Maximum attendees.", 10, 500, ("for up to {v} attendees",)), O),
                (Bool("public", "public", "Listed publicly.", ("open to the public",), ("invite-only",), default=False), O)],
              filters=[(city(), R), (d("date", "date", ("on {v}",)), O),
                       (TextList("categories", "categories", "Event categories.", ("music", "tech", "food", "sports", "art"),
                                 (1, 2), ("about {v}",)), O)],
              create=["create", "organize"]),
            E("ticket", "event ticket", "event tickets", Ident("ticket_id", "ticket order", "TKT"), [
                (Text("event_ref", "event", "Event reference.", lambda r: f"EVT-{r.randint(1000, 9999)}", ("for event {v}",)), R),
                (Int("quantity", "number of tickets", "Tickets.", 1, 8, ("for {v} people", "for {v} seats")), R),
                (Choice("tier", "tier", "Ticket tier.", ("general", "vip", "student"), ("in the {v} tier",),
                      display={"vip": "VIP"}, default="general"), O),
                (CONTACT, O)],
              id_noun="ticket order", create=["buy", "order"], estimate=True),
            E("venue", "venue", "venues", Ident("booking_id", "venue booking", "VB"), [
                (Text("venue", "venue", "Venue.", VENUES, ("at {v}", "for {v}")), R),
                (d("date", "date", ("on {v}",)), R), (Int("hours", "hours", "Hours needed.", 2, 12, ("for {v} hours",)), R),
                (Int("guests", "guests", "Expected guests.", 10, 300, ("for {v} guests",)), O),
                (Bool("catering", "catering", "Include catering.", ("with catering",), ("without catering",)), O)],
              id_noun="venue booking", create=["book", "reserve"], estimate=True),
            E("rsvp", "RSVP", "RSVPs", Ident("rsvp_id", "RSVP", "RSVP"), [
                (Text("event_ref", "event", "Event reference.", lambda r: f"EVT-{r.randint(1000, 9999)}", ("for event {v}",)), R),
                (who("guest", "guest", ("for {v}", "on behalf of {v}")), R),
                (Int("plus_ones", "plus-ones", "Extra guests.", 0, 4, ("with {v} plus-ones",)), O),
                (TextList("dietary_needs", "dietary needs", "Dietary needs.", ("vegan", "nut allergy", "halal",
                                                                               "gluten-free"), (1, 2), ("noting {v}",)), O)],
              create=["submit", "send"], actions=["get", "create", "update", "remove"]),
        )),
        Service("tunebox", "media", "bfcl", (
            E("playlist", "playlist", "playlists", Ident("playlist_id", "playlist", "PL"), [
                (Text("name", "name", "Playlist name.", ("Road Trip", "Focus Mode", "Sunday Morning", "Gym Hour",
                                                         "Late Night Jazz"), ("called {v}",)), R),
                (TextList("genres", "genres", "Genres.", ("rock", "indie", "jazz", "hip hop", "folk", "electronic"), (1, 3),
                          ("mixing {v}", "with {v}")), R),
                (Int("minutes", "length in minutes", "Target length.", 20, 240, ("lasting about {v} minutes",)), O),
                (Bool("collaborative", "collaborative", "Others can edit.", ("that friends can edit",),
                      ("that only I can edit",), default=False), O)],
              remove=DELETE),
            E("podcast_episode", "podcast episode", "podcast episodes", Ident("episode_id", "episode", "EP"), [
                (Text("title", "title", "Episode title.", ("Cities After Dark", "The Soil Beneath", "Tiny Machines",
                                                          "Saltwater Stories"), ("titled {v}",)), R),
                (Text("show", "show", "Show name.", ("Field Notes", "The Long Hour", "Signal Boost"), ("for {v}", "on {v}")), R),
                (Int("minutes", "length in minutes", "Length.", 10, 120, ("running {v} minutes",)), O),
                (Bool("explicit", "explicit", "Explicit content.", ("marked explicit",), ("marked clean",),
                      default=False), O)],
              filters=[(Text("topic", "topic", "Topic.", ("space", "cooking", "true crime", "startups", "ecology"),
                             ("about {v}",)), R),
                       (Int("max_minutes", "maximum length", "Maximum length in minutes.", 10, 90, ("under {v} minutes",)), O)],
              id_noun="episode", create=["publish", "upload"], remove=DELETE),
            E("showtime", "movie showtime", "movie showtimes", Ident("showtime_id", "showtime", "SHW"), [
                (city(), R), (d("date", "date", ("on {v}",)), R),
                (Text("movie", "movie", "Movie title.", MOVIES, ("for {v}",)), O),
                (Choice("screen_format", "format", "Screen format.", ("standard", "imax", "3d"), ("in {v}",),
                      display={"imax": "IMAX", "3d": "3D"}), O)],
              actions=["search", "get"]),
            E("movie_seat", "movie seat", "movie seats", Ident("seat_booking_id", "seat booking", "MS"), [
                (Text("showtime_ref", "showtime", "Showtime reference.", lambda r: f"SHW-{r.randint(1000, 9999)}",
                      ("for showtime {v}",)), R),
                (Int("seats", "seats", "Number of seats.", 1, 8, ("for {v} people",)), R),
                (Choice("row_preference", "row preference", "Where to sit.", ("front", "middle", "back"),
                      ("in the {v} rows",)), O)],
              id_noun="seat booking", create=["book", "reserve"], actions=["get", "create", "remove"]),
        )),
        Service("nestiq", "smart_home", "openai", (
            E("thermostat_schedule", "thermostat schedule", "thermostat schedules",
              Ident("schedule_id", "thermostat schedule", "TH"), [
                (Choice("room", "room", "Room.", ("living_room", "bedroom", "office", "kitchen"), ("for the {v}",)), R),
                (Num("temperature_c", "temperature", "Target temperature, Celsius.", 16, 26, 0.5, ("at {v} degrees",)), R),
                (t("start_time", "start time", ("starting at {v}", "from {v}")), R),
                (TextList("days", "days", "Days of the week.", WEEKDAYS, (1, 3), ("on {v}",)), O),
                (Bool("eco_mode", "eco mode", "Energy saving.", ("in eco mode",), ("with eco mode off",), default=False), O)],
              remove=DELETE),
            E("light_scene", "lighting scene", "lighting scenes", Ident("scene_id", "lighting scene", "LS"), [
                (Text("name", "name", "Scene name.", ("Movie Night", "Reading", "Dinner Party", "Wake Up"), ("called {v}",)), R),
                (TextList("rooms", "rooms", "Rooms.", ("living room", "kitchen", "hallway", "bedroom", "porch"), (1, 3),
                          ("for the {v}",)), R),
                (Int("brightness", "brightness percent", "Brightness, percent.", 5, 100, ("at {v} percent brightness",)), R),
                (Choice("color", "color", "Light color.", ("warm_white", "cool_white", "amber", "blue"), ("in {v}",)), O)],
              remove=DELETE),
            E("alarm_schedule", "alarm schedule", "alarm schedules", Ident("alarm_id", "alarm schedule", "AL"), [
                (Choice("zone", "zone", "Alarm zone.", ("perimeter", "interior", "garage", "all_zones"), ("for the {v}",),
                      display={"all_zones": "all zones"}), R),
                (t("arm_time", "arming time", ("arming at {v}",)), R),
                (t("disarm_time", "disarming time", ("disarming at {v}",)), R),
                (Bool("notify_phone", "phone alerts", "Alert my phone.", ("with phone alerts",), ("without phone alerts",),
                      default=True), O)],
              create=["set up", "create"], remove=DELETE),
        )),
        Service("skyline", "weather", "bfcl", (
            E("weather_alert", "weather alert", "weather alerts", Ident("alert_id", "weather alert", "WA"), [
                (city("city", ("for {v}",)), R),
                (Choice("hazard", "hazard", "Kind of weather.", ("rain", "snow", "heat", "wind", "frost"), ("about {v}",)), R),
                (Int("lead_hours", "lead time in hours", "Warn this many hours ahead.", 1, 48, ("{v} hours ahead",)), O),
                (TextList("channels", "channels", "How to notify.", ("email", "sms", "push"), (1, 2), ("via {v}",)), O)],
              create=["set up", "create"], remove=DELETE),
            E("air_quality_report", "air quality report", "air quality reports", Ident("report_id", "air quality report", "AQ"), [
                (city(), R), (d("date", "date", ("for {v}",)), O),
                (TextList("pollutants", "pollutants", "Pollutants to cover.", ("pm2.5", "pm10", "ozone", "no2"), (1, 3),
                          ("covering {v}",)), O),
                (Bool("hourly", "hourly breakdown", "Hour-by-hour values.", ("with an hourly breakdown",),
                      ("as a daily summary",), default=False), O)],
              create=["generate", "request"], actions=["search", "get", "create"]),
            E("forecast_subscription", "forecast subscription", "forecast subscriptions",
              Ident("subscription_id", "forecast subscription", "FS"), [
                (city("city", ("for {v}",)), R),
                (Int("days", "days ahead", "Forecast horizon.", 1, 14, ("covering {v} days",)), R),
                (Choice("units", "units", "Unit system.", ("metric", "imperial"), ("in {v} units",), default="metric"), O),
                (t("send_time", "delivery time", ("delivered at {v}",)), O)],
              create=["start", "create"]),
        )),
        Service("fieldday", "sports", "openai", (
            E("match", "match", "matches", Ident("match_id", "match", "MT"), [
                (Text("home_team", "home team", "Home team.", TEAMS, ("with {v} at home", "hosted by {v}")), R),
                (Text("away_team", "away team", "Away team.", TEAMS, ("against {v}", "versus {v}")), R),
                (d("date", "date", ("on {v}",)), R), (Text("venue", "venue", "Ground.", VENUES, ("at {v}",)), O)],
              filters=[(Text("team", "team", "Team.", TEAMS, ("involving {v}", "with {v}")), R),
                       (d("date", "date", ("on {v}",)), O)],
              create=["schedule", "arrange"]),
            E("player_registration", "player registration", "player registrations",
              Ident("registration_id", "registration", "REG"), [
                (who("player", "player", ("for {v}",)), R), (Text("team", "team", "Team.", TEAMS, ("with {v}", "on {v}")), R),
                (Int("jersey_number", "jersey number", "Shirt number.", 1, 99, ("wearing number {v}",)), O),
                (Choice("position", "position", "Playing position.", ("goalkeeper", "defender", "midfielder", "forward"),
                      ("as a {v}",)), O)],
              create=["submit", "file"]),
            E("court", "court", "courts", Ident("court_booking_id", "court booking", "CB"), [
                (Choice("sport", "sport", "Sport.", ("tennis", "squash", "badminton", "basketball"), ("for {v}",)), R),
                (d("date", "date", ("on {v}",)), R), (t("time", "time", ("at {v}",)), R),
                (Int("minutes", "minutes", "Length.", 30, 120, ("for {v} minutes",)), O),
                (Int("players", "players", "Players.", 2, 10, ("for {v} players",)), O)],
              id_noun="court booking", create=["book", "reserve"], estimate=True),
        )),
        Service("motorly", "automotive", "bfcl", (
            E("service_visit", "car service visit", "car service visits", Ident("visit_id", "service visit", "SV"), [
                (Obj("vehicle", "vehicle", "The car.", (
                    (Text("make", "make", "Maker.", ("Toyota", "Volvo", "Skoda", "Mazda", "Ford", "Kia"), ()), R),
                    (Text("model", "model", "Model.", ("Corolla", "XC40", "Octavia", "CX-5", "Focus", "Niro"), ()), R),
                    (Int("year", "year", "Model year.", 2008, 2025, ()), O)),
                    ("{year} {make} {model}", "{make} {model}"), ("for my {v}",)), R),
                (d("date", "date", ("on {v}",)), R),
                (TextList("services", "services", "Work to do.", ("oil change", "tire rotation", "brake inspection",
                                                                  "battery check", "wheel alignment"), (1, 3), ("for {v}",)), R),
                (Bool("loaner", "loaner car", "Need a loaner.", ("with a loaner car",), ("without a loaner",),
                      default=False), O)],
              id_noun="service visit", create=["book", "schedule"], estimate=True),
            E("parking_spot", "parking spot", "parking spots", Ident("parking_id", "parking reservation", "PK"), [
                (city(), R), (d("date", "date", ("on {v}",)), R),
                (Int("hours", "hours", "Hours needed.", 1, 24, ("for {v} hours",)), R),
                (Bool("ev_charging", "EV charging", "Needs a charger.", ("with EV charging",), ("without a charger",)), O),
                (money("max_price", "maximum price", 3, 60, ("under {v}",)), O)],
              id_noun="parking reservation", create=["reserve", "book"]),
            E("charging_session", "charging session", "charging sessions", Ident("session_id", "charging session", "CS"), [
                (Text("station", "station", "Charging station.", STATIONS, ("at {v}",)), R),
                (t("start_time", "start time", ("starting at {v}", "at {v}")), R),
                (Num("kwh", "energy in kWh", "Energy to deliver.", 5, 90, 2.5, ("for {v} kWh",)), O),
                (Choice("connector", "connector", "Plug type.", ("ccs", "chademo", "type_2"), ("with a {v} connector",),
                      display={"ccs": "CCS", "chademo": "CHAdeMO", "type_2": "Type 2"}), O)],
              create=["reserve", "start"], estimate=True),
        )),
        Service("docuvault", "documents", "openai", (
            E("contract", "contract", "contracts", Ident("contract_id", "contract", "CT"), [
                (Text("counterparty", "counterparty", "Other party.", COMPANIES, ("with {v}",)), R),
                (Choice("contract_type", "contract type", "Kind of contract.", ("nda", "msa", "sow", "license"),
                      ("of type {v}",), display={"nda": "NDA", "msa": "MSA", "sow": "SOW"}), R),
                (d("effective_date", "effective date", ("effective {v}", "starting {v}")), R),
                (Int("term_months", "term in months", "Length.", 1, 60, ("for {v} months",)), O),
                (Bool("auto_renew", "auto-renewal", "Renews automatically.", ("with auto-renewal",),
                      ("without auto-renewal",), default=False), O)],
              create=["draft", "create"], remove=["terminate", "void"]),
            E("signature_request", "signature request", "signature requests", Ident("request_id", "signature request", "SIG"), [
                (Text("document_ref", "document", "Document reference.", lambda r: f"DOC-{r.randint(1000, 9999)}",
                      ("for document {v}", "for {v}")), R),
                (TextList("signers", "signers", "Signer emails.",
                          tuple(f"{f.lower()}@{EMAIL_DOMAINS[0]}" for f in FIRST_NAMES[:8]), (1, 3), ("signed by {v}",)), R),
                (d("deadline", "deadline", ("by {v}",)), O),
                (Int("reminder_days", "reminder interval in days", "Remind every N days.", 1, 7,
                     ("with reminders every {v} days",)), O)],
              create=["send", "create"]),
            E("document", "document", "documents", Ident("document_id", "document", "DOC"), [
                (Text("title", "title", "Document title.", ("Supplier Terms", "Q3 Board Memo", "Safety Handbook",
                                                            "Pricing Sheet"), ("titled {v}", "called {v}")), R),
                (Choice("file_type", "file type", "Format.", ("pdf", "docx", "xlsx"), ("as a {v} file",),
                      display={"pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX"}), R),
                (TextList("tags", "tags", "Tags.", ("legal", "finance", "draft", "final", "hr"), (1, 2), ("tagged {v}",)), O)],
              filters=[(Text("keyword", "keyword", "Search words.", ("warranty", "renewal", "pricing", "onboarding", "audit"),
                             ("mentioning {v}", "about {v}")), R),
                       (who("owner", "owner", ("owned by {v}",)), O),
                       (d("modified_after", "modified after", ("modified after {v}",)), O)],
              create=["upload", "add"], remove=DELETE),
        )),
        Service("pawsome", "pets", "bfcl", (
            E("vet_visit", "vet visit", "vet visits", Ident("visit_id", "vet visit", "VET"), [
                (Obj("pet", "pet", "The pet.", (
                    (Text("name", "pet name", "Pet's name.", PETS, ()), R),
                    (Choice("species", "species", "Species.", ("dog", "cat", "rabbit", "parrot"), ()), R),
                    (Int("age", "age", "Age in years.", 1, 15, ()), O)),
                    ("my {age}-year-old {species} {name}", "my {species} {name}"), ("for {v}",)), R),
                (d("date", "date", ("on {v}",)), R), (t("time", "time", ("at {v}",)), O),
                (Text("reason", "reason", "Reason for the visit.", ("a checkup", "vaccinations", "a limp", "dental cleaning"),
                      ("for {v}",)), O)],
              create=["book", "schedule"]),
            E("grooming", "grooming session", "grooming sessions", Ident("grooming_id", "grooming session", "GR"), [
                (Text("pet_name", "pet name", "Pet's name.", PETS, ("for {v}",)), R), (d("date", "date", ("on {v}",)), R),
                (Choice("package", "package", "Grooming package.", ("bath", "haircut", "nail_trim", "full_groom"),
                      ("with the {v} package",)), R),
                (Bool("pickup", "pickup", "Collect the pet from home.", ("with home pickup",), ("with drop-off by me",),
                      default=False), O)],
              create=["book", "schedule"], estimate=True),
            E("pet_sitter", "pet sitter", "pet sitters", Ident("sitting_id", "pet-sitting booking", "PS"), [
                (city(), R), (d("start_date", "start date", ("from {v}", "starting {v}")), R),
                (Int("nights", "nights", "Nights.", 1, 21, ("for {v} nights",)), R),
                (Int("pets", "number of pets", "Pets to look after.", 1, 4, ("for {v} pets",)), O),
                (Int("walks_per_day", "walks per day", "Walks per day.", 0, 4, ("with {v} daily walks",)), O)],
              id_noun="pet-sitting booking", create=["hire", "book"], estimate=True),
        )),
        Service("greenrow", "gardening", "openai", (
            E("planting_plan", "planting plan", "planting plans", Ident("plan_id", "planting plan", "PLN"), [
                (TextList("crops", "crops", "What to grow.", CROPS, (1, 4), ("with {v}", "for {v}")), R),
                (Num("bed_area_m2", "bed area", "Bed area in square meters.", 1, 40, 0.5, ("for {v} square meters",)), R),
                (d("start_date", "start date", ("starting {v}",)), O),
                (Bool("organic", "organic", "Organic methods only.", ("using organic methods",), ("with any fertilizer",),
                      default=False), O)],
              create=["draft", "create"], remove=DELETE),
            E("irrigation_schedule", "irrigation schedule", "irrigation schedules", Ident("schedule_id", "irrigation schedule",
                                                                                            "IRR"), [
                (Text("zone", "zone", "Garden zone.", ("front lawn", "vegetable beds", "orchard", "greenhouse"),
                      ("for the {v}",)), R),
                (Int("minutes", "minutes", "Watering length.", 5, 90, ("watering for {v} minutes",)), R),
                (t("start_time", "start time", ("at {v}", "starting at {v}")), R),
                (TextList("days", "days", "Days.", WEEKDAYS, (1, 4), ("on {v}",)), O)],
              create=["set up", "create"], remove=DELETE),
            E("soil_test", "soil test", "soil tests", Ident("test_id", "soil test", "SOIL"), [
                (Text("plot", "plot", "Plot name.", ("north field", "raised bed 3", "back garden", "plot 12"),
                      ("for the {v}",)), R),
                (TextList("measurements", "measurements", "What to measure.",
                          ("ph", "nitrogen", "phosphorus", "potassium", "organic matter"), (1, 3), ("checking {v}",)), R),
                (Int("depth_cm", "depth in cm", "Sampling depth.", 5, 60, ("at {v} cm deep",)), O)],
              create=["order", "request"]),
        )),
        Service("stargaze", "astronomy", "bfcl", (
            E("telescope_session", "telescope session", "telescope sessions",
              Ident("session_id", "telescope session", "TS"), [
                (Text("observatory", "observatory", "Observatory.", OBSERVATORIES, ("at {v}",)), R),
                (d("date", "date", ("on {v}", "for the night of {v}")), R),
                (t("start_time", "start time", ("starting at {v}",)), R),
                (Int("hours", "hours", "Hours.", 1, 8, ("for {v} hours",)), O),
                (Text("target", "target", "What to observe.", SKY_TARGETS, ("to observe {v}",)), O)],
              create=["book", "reserve"], estimate=True),
            E("observation_log", "observation log entry", "observation log entries", Ident("entry_id", "log entry", "OBS"), [
                (Text("target", "target", "Object observed.", SKY_TARGETS, ("for {v}", "of {v}")), R),
                (d("date", "date", ("on {v}",)), R),
                (Num("magnitude", "magnitude", "Apparent magnitude.", -3, 12, 0.1, ("at magnitude {v}",)), O),
                (Choice("seeing", "seeing", "Seeing conditions.", ("poor", "fair", "good", "excellent"),
                      ("with {v} seeing",)), O)],
              id_noun="log entry", create=["log", "record"], remove=DELETE),
        )),
        Service("pingpost", "messaging", "openai", (
            E("email_campaign", "email campaign", "email campaigns", Ident("campaign_id", "email campaign", "EC"), [
                (Text("name", "name", "Campaign name.", ("Spring Sale", "Product Update", "Welcome Series", "Webinar Invite"),
                      ("called {v}",)), R),
                (Choice("audience", "audience", "Audience segment.", ("all_subscribers", "new_customers", "vip", "inactive"),
                      ("for {v}",), display={"vip": "VIP customers", "inactive": "inactive users"}), R),
                (d("send_date", "send date", ("going out on {v}", "for {v}")), R),
                (Text("subject_line", "subject line", "Subject line.", ("Don't miss this", "Your monthly digest",
                                                                        "A little thank-you"), ('with the subject "{v}"',)), O),
                (Bool("ab_test", "A/B test", "Run an A/B test.", ("with an A/B test",), ("without A/B testing",),
                      default=False), O)],
              create=["create", "launch"]),
            E("meeting", "meeting", "meetings", Ident("meeting_id", "meeting", "MTG"), [
                (Text("title", "title", "Meeting title.", TITLES, ("called {v}", "titled {v}")), R),
                (d("date", "date", ("on {v}",)), R), (t("start_time", "start time", ("at {v}",)), R),
                (Int("minutes", "length in minutes", "Length.", 15, 120, ("for {v} minutes",)), O),
                (TextList("attendees", "attendees", "Attendee emails.", tuple(f"{f.lower()}@{EMAIL_DOMAINS[1]}"
                                                                               for f in FIRST_NAMES[8:16]), (1, 3),
                          ("inviting {v}",)), O),
                (Bool("video_link", "video link", "Add a video link.", ("with a video link",), ("without a video link",),
                      default=True), O)],
              create=["schedule", "set up"]),
            E("sms_reminder", "text reminder", "text reminders", Ident("reminder_id", "reminder", "SMS"), [
                (Text("phone", "phone number", "Recipient phone.", lambda r: f"+1 555 01{r.randint(10, 99)}", ("to {v}",)), R),
                (Text("message", "message", "Text to send.", ("Your table is ready", "Pickup at 5", "Don't forget the keys",
                                                              "Call me back"), ('saying "{v}"',)), R),
                (t("send_at", "send time", ("at {v}",)), R), (d("date", "date", ("on {v}",)), O)],
              id_noun="reminder", create=["schedule", "set up"], remove=DELETE),
        )),
        Service("shelfie", "library", "bfcl", (
            E("book_loan", "book loan", "book loans", Ident("loan_id", "loan", "LN"), [
                (Text("title", "title", "Book title.", BOOKS, ("for {v}", "of {v}")), R),
                (Text("member_id", "member ID", "Library card number.", lambda r: f"MEM-{r.randint(10000, 99999)}",
                      ("for member {v}", "on card {v}")), R),
                (Int("weeks", "weeks", "Loan length.", 1, 6, ("for {v} weeks",)), O)],
              id_noun="loan", create=["start", "open"], remove=["end", "close"],
              actions=["get", "create", "update", "remove"]),
            E("book_hold", "book hold", "book holds", Ident("hold_id", "hold", "HLD"), [
                (Text("title", "title", "Book title.", BOOKS, ("for {v}", "on {v}")), R),
                (Text("branch", "branch", "Pick-up branch.", ("Riverside", "Old Town", "Westgate", "Harbor"),
                      ("at the {v} branch",)), R),
                (Choice("notify_by", "notification", "How to notify.", ("email", "sms"), ("notifying me by {v}",),
                      display={"sms": "SMS"}), O)],
              id_noun="hold", create=["place", "put"]),
            E("study_room", "study room", "study rooms", Ident("room_booking_id", "study room booking", "SR"), [
                (Text("branch", "branch", "Branch.", ("Riverside", "Old Town", "Westgate", "Harbor"), ("at the {v} branch",)), R),
                (d("date", "date", ("on {v}",)), R), (t("start_time", "start time", ("from {v}",)), R),
                (Int("hours", "hours", "Hours.", 1, 4, ("for {v} hours",)), R),
                (Int("people", "people", "Group size.", 1, 8, ("for {v} people",)), O)],
              id_noun="study room booking", create=["book", "reserve"]),
        )),
    )


# ----------------------------------------------------------------------------- functions


SEARCH_VERBS = ("find", "search for", "look up", "list", "browse")
GET_VERBS = ("get the details of", "look up", "pull up", "retrieve", "fetch")
UPDATE_VERBS = ("update", "change", "modify", "edit")
ESTIMATE_VERBS = ("estimate the cost of", "get a price quote for", "calculate the price of")


@dataclass(frozen=True, eq=False)
class Function:
    """One generated tool, with what the query builder needs to talk about it."""

    name: str
    service: Service
    entity: Entity
    action: str  # search | get | create | update | remove | estimate
    params: tuple[tuple[Slot, bool], ...]
    tool: Tool


def _params(e: Entity, action: str) -> tuple[tuple[Slot, bool], ...]:
    if action == "search":
        filters = e.filters or tuple((s, i == 0) for i, (s, _) in enumerate(e.attrs[:3]))
        return (*filters, (LIMIT, False), *(((SORT, False),) if len(e.key) % 2 else ()))
    if action == "get":
        return ((e.ident, True), (HISTORY, False))
    if action == "create":
        return e.attrs
    if action == "update":
        return ((e.ident, True), *((s, False) for s, _ in e.attrs if not isinstance(s, Bool)))
    if action == "remove":
        return ((e.ident, True), (REASON, False), (NOTIFY, False))
    return (*((s, r) for s, r in e.attrs if not isinstance(s, Obj)), (CURRENCY, False))  # estimate


def _function_name(s: Service, e: Entity, action: str) -> str:
    verb = {"search": "search", "get": "get", "create": e.create[0], "update": "update", "remove": e.remove[0],
            "estimate": "estimate"}[action].replace(" ", "_")
    obj = e.plural.replace(" ", "_").replace("'", "").lower() if action == "search" else e.key
    return f"{s.name}.{verb}_{obj}" + ("_cost" if action == "estimate" else "")


def _description(e: Entity, action: str, params: Sequence[tuple[Slot, bool]]) -> str:
    idn = e.id_noun or e.noun
    labels = join_words([s.label for s, _ in params if s not in (LIMIT, SORT)])
    return {
        "search": f"Search {e.plural} by {labels}.",
        "get": f"Get the details of {article(idn)} {idn} by its identifier.",
        "create": f"{e.create[0].capitalize()} {article(e.noun)} {e.noun}; returns the new {e.ident.label} identifier.",
        "update": f"Update an existing {idn}; only the fields given are changed.",
        "remove": f"{e.remove[0].capitalize()} an existing {idn}.",
        "estimate": f"Estimate the price of {article(e.noun)} {e.noun} without booking or buying anything.",
    }[action]


@dataclass(frozen=True, eq=False)
class Catalogue:
    functions: tuple[Function, ...]
    parallel: tuple[Function, ...]  # those with a required parameter that can differ between parallel calls
    by_name: dict[str, Function]
    by_service: dict[str, tuple[Function, ...]]
    by_entity: dict[str, tuple[Function, ...]]


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """Every generated function (built once; the same for every seed)."""
    fns = []
    for s in _services():
        for e in s.entities:
            actions = (*e.actions, *(("estimate",) if e.estimate else ()))
            for action in actions:
                params = _params(e, action)
                name = _function_name(s, e, action)
                schema = {
                    "name": name, "description": _description(e, action, params),
                    "parameters": {"type": TYPE_NAMES[s.style]["dict"],
                                   "properties": {p.name: p.schema(s.style) for p, _ in params},
                                   "required": [p.name for p, req in params if req]},
                }
                fns.append(Function(name, s, e, action, params, Tool.from_json(schema, f"synthetic {name}")))
    by_name = {f.name: f for f in fns}
    if len(by_name) != len(fns):
        raise ValueError("synthetic catalogue has duplicate function names")

    def group(key: Callable[[Function], str]) -> dict[str, tuple[Function, ...]]:
        out: dict[str, list[Function]] = {}
        for f in fns:
            out.setdefault(key(f), []).append(f)
        return {k: tuple(v) for k, v in out.items()}

    parallel = tuple(f for f in fns if any(req and s.can_vary for s, req in f.params))
    return Catalogue(tuple(fns), parallel, by_name, group(lambda f: f.service.name),
                     group(lambda f: f"{f.service.name}/{f.entity.key}"))


def function_names() -> tuple[str, ...]:
    """Names of every function the generator can use."""
    return tuple(f.name for f in catalogue().functions)


# ----------------------------------------------------------------------------- queries

SINGLE = ("{C}.", "{C}, please.", "Please {c}.", "Can you {c}?", "Could you {c} for me?", "I need you to {c}.",
          "I'd like to {c}.", "Help me {c}.", "Would you {c}?", "Quick request: {c}.", "I want to {c}.",
          "Go ahead and {c}.", "Hi! Can you {c}?", "Hey, could you please {c}?")
DOUBLE = ("{C1}, and {c2}.", "{C1}. Also, {c2}.", "First {c1}, then {c2}.", "Can you {c1} and also {c2}?",
          "I need two things: {c1}, and {c2}.", "Please {c1}; after that, {c2}.")
TRIPLE = ("{C1}, {c2}, and {c3}.", "First {c1}, then {c2}, and finally {c3}.", "I need three things: {c1}; {c2}; and {c3}.",
          "Can you {c1}, {c2}, and also {c3}?")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _sentence(clauses: Sequence[str], rng: random.Random) -> str:
    if len(clauses) == 1:
        return rng.choice(SINGLE).format(c=clauses[0], C=_cap(clauses[0]))
    pool = DOUBLE if len(clauses) == 2 else TRIPLE
    return rng.choice(pool).format(**{f"c{i + 1}": c for i, c in enumerate(clauses)},
                                   **{f"C{i + 1}": _cap(c) for i, c in enumerate(clauses)})


def _clause(fn: Function, texts: dict[str, str], rng: random.Random, plural: bool) -> str:
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


def _update_clause(fn: Function, values: dict[str, str], ident_text: str, rng: random.Random, plural: bool) -> str:
    e = fn.entity
    idn = plural_of(e.id_noun or e.noun) if plural else (e.id_noun or e.noun)
    labels = {s.name: s.label for s, _ in fn.params}
    sets = join_words([f"the {labels[name]} to {text}" for name, text in values.items()])
    return f"{rng.choice(UPDATE_VERBS)} the {idn} {e.ident.phrase(ident_text, rng)}, setting {sets}"


def _sample_distinct(slot: Slot, rng: random.Random, k: int) -> list[Any]:
    values: list[Any] = []
    for _ in range(50 * k):
        v = slot.sample(rng)
        if v not in values:
            values.append(v)
            if len(values) == k:
                return values
    raise ValueError(f"slot {slot.name} cannot give {k} distinct values")


def _calls(fn: Function, rng: random.Random, k: int = 1) -> tuple[str, list[ExpectedCall]]:
    """A clause and ``k`` expected calls of ``fn``; with k > 1 the calls differ in one required value."""
    vary = None
    if k > 1:
        vary = rng.choice([s for s, req in fn.params if req and s.can_vary])
    texts: dict[str, str] = {}
    shared: dict[str, tuple[Any, ...]] = {}
    varied: list[dict[str, tuple[Any, ...]]] = [{} for _ in range(k)]
    optional = [s for s, req in fn.params if not req]
    mention = {s.name for s in optional if rng.random() < MENTION_OPTIONAL_P}
    if fn.action == "update" and not mention:  # an update must change something
        mention.add(rng.choice(optional).name)
    for slot, req in fn.params:
        if slot is vary:
            rendered = [slot.render(v, rng, plain=True) for v in _sample_distinct(slot, rng, k)]
            texts[slot.name] = join_words([t for t, _ in rendered])
            for i, (_, acc) in enumerate(rendered):
                varied[i][slot.name] = acc
        elif req or slot.name in mention:
            texts[slot.name], shared[slot.name] = slot.render(slot.sample(rng), rng)
        else:
            shared[slot.name] = slot.omitted()
    order = [s.name for s, _ in fn.params]
    calls = [ExpectedCall(fn.name, {n: (v[n] if n in v else shared[n]) for n in order}) for v in varied]
    if fn.action == "update":
        ident = fn.entity.ident.name
        values = {n: t for n, t in texts.items() if n != ident}
        return _update_clause(fn, values, texts[ident], rng, k > 1), calls
    return _clause(fn, texts, rng, k > 1), calls


# ----------------------------------------------------------------------------- shapes

Built = tuple[str, list[Function], list[ExpectedCall]]  # query, tools, expected calls


def _distractors(cat: Catalogue, target: Function, k: int, rng: random.Random) -> list[Function]:
    """Up to ``k`` other functions: half from the same service (harder), the rest from anywhere."""
    same = [f for f in cat.by_service[target.service.name] if f is not target]
    out: list[Function] = []
    while len(out) < k:
        pool = same if same and rng.random() < 0.5 else cat.functions
        f = rng.choice(pool)
        if f is not target and f not in out:
            out.append(f)
    return out


def _simple(cat: Catalogue, rng: random.Random) -> Built:
    fn = rng.choice(cat.functions)
    clause, calls = _calls(fn, rng)
    return _sentence([clause], rng), [fn], calls


def _multiple(cat: Catalogue, rng: random.Random) -> Built:
    fn = rng.choice(cat.functions)
    clause, calls = _calls(fn, rng)
    tools = [fn, *_distractors(cat, fn, rng.randint(1, 3), rng)]
    rng.shuffle(tools)
    return _sentence([clause], rng), tools, calls


def _parallel(cat: Catalogue, rng: random.Random) -> Built:
    fn = rng.choice(cat.parallel)
    clause, calls = _calls(fn, rng, k=rng.choice((2, 2, 3)))
    return _sentence([clause], rng), [fn], calls


def _parallel_multiple(cat: Catalogue, rng: random.Random) -> Built:
    first = rng.choice(cat.functions)
    fns = [first, *_distractors(cat, first, rng.randint(1, 2), rng)]
    clauses, calls = [], []
    for fn in fns:
        clause, c = _calls(fn, rng)
        clauses.append(clause)
        calls.extend(c)
    tools = list(fns)
    if rng.random() < 0.3:
        tools.extend(_distractors(cat, first, 1, rng)[0:1])
        tools = list(dict.fromkeys(tools))
    rng.shuffle(tools)
    return _sentence(clauses, rng), tools, calls


def _irrelevance(cat: Catalogue, rng: random.Random) -> Built:
    fn = rng.choice(cat.functions)
    clause, _ = _calls(fn, rng)
    siblings = [f for f in cat.by_entity[f"{fn.service.name}/{fn.entity.key}"] if f.action != fn.action]
    if siblings and rng.random() < HARD_IRRELEVANCE_P:  # same entity, other actions: none can do this one
        tools = rng.sample(siblings, min(len(siblings), rng.randint(1, 3)))
    else:  # other domains only, so that nothing nearby could serve
        tools, want = [], rng.randint(1, 3)
        while len(tools) < want:
            f = rng.choice(cat.functions)
            if f.service.domain != fn.service.domain and f not in tools:
                tools.append(f)
    return _sentence([clause], rng), tools, []


BUILDERS: dict[str, Callable[[Catalogue, random.Random], Built]] = {
    "simple": _simple, "multiple": _multiple, "parallel": _parallel,
    "parallel_multiple": _parallel_multiple, "irrelevance": _irrelevance,
}


def generate(n: int, seed: int = 0) -> list[Task]:
    """``n`` synthetic tasks, deterministic from ``seed``; queries are distinct.

    Args:
        n: how many tasks.
        seed: random seed; the same seed gives the same tasks.

    Returns:
        Tasks with ``source="synthetic"``, ``category`` one of :data:`SHAPES`, ids ``syn<seed>_<i>``.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    cat = catalogue()
    rng = random.Random(seed)
    seen: set[str] = set()
    tasks = []
    for i in range(n):
        shape = rng.choices(SHAPES, SHAPE_WEIGHTS)[0]
        for _ in range(MAX_RETRIES):
            query, fns, calls = BUILDERS[shape](cat, rng)
            key = normalize_query(query)
            if key not in seen:
                break
        else:
            raise RuntimeError(f"could not generate a new {shape} query after {MAX_RETRIES} tries")
        seen.add(key)
        tasks.append(Task(id=f"syn{seed}_{i}", source=SOURCE, tools=tuple(f.tool for f in fns),
                          messages=({"role": "user", "content": query},), ground_truth=tuple(calls), category=shape))
    log.info("generated %d synthetic tasks (seed %d)", n, seed)
    return tasks
