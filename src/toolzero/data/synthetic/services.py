"""The synthetic catalogue: services, their entities, and the functions they offer.

The catalogue is data, in ``catalogue/`` next to this module:

* ``common.json``: ``domains`` (the order in which the domain files are read; the order fixes
  the generated tasks, so new domains go last), ``pools`` (value pools shared by several
  domains) and ``slots`` (shared slots: ``address`` and ``contact``, and those that actions
  add: ``limit``, ``sort_by``, ``include_history``, ``reason``, ``notify`` and ``currency``);
* ``<domain>.json``, one per domain: ``service`` (the invented product name that prefixes every
  function name), ``style`` (``openai`` or ``bfcl``, the schema dialect), ``pools`` (its own
  value pools, optional), ``entities`` and optionally ``rich``: the rich level's entities
  (:func:`rich_catalogue`), kept apart so that adding them changes nothing of the other levels.

An entity has ``key`` (in function names), ``noun``, ``plural``, ``ident`` (an ``ident`` slot
without ``kind``), ``attrs`` (the slots of create / update / estimate, each with ``required``)
and optionally ``filters`` (of search; default: the first three attrs, the first required),
``id_noun`` (``flight booking`` when the record is not the thing itself), ``create`` and
``remove`` (verbs, the first in the function name), ``actions`` (of :data:`ACTIONS` but
estimate) and ``estimate`` (true: it also has an estimate function).  A rich entity offers only
``create`` and ``update`` (its default ``actions``); it has at least four attrs, at most six of
them required and at least three that are not booleans (so that every call can set 4-6
arguments), and no defaults (an unmentioned optional must be left out).  Slots: see
:mod:`toolzero.data.synthetic.slots`.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from typing import Any

from toolzero.data.synthetic.phrasing import article, join_words
from toolzero.data.synthetic.slots import (
    TYPE_NAMES,
    Bool,
    Ident,
    Int,
    Obj,
    Pools,
    Slot,
    Text,
    slot_from_json,
    slots_from_json,
)
from toolzero.schema import Tool

ACTIONS = ("search", "get", "create", "update", "remove", "estimate")
RICH_ACTIONS = ("create", "update")
RICH_ARGS = (4, 6)  # how many arguments a rich call sets (the rich level's mention policy keeps to it)
EASY_SLOTS = (Text, Ident, Int)  # the verbatim level's: values written in the query exactly as the call has them


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
    rich: tuple[Entity, ...] = ()  # the rich level's entities (rich_catalogue)


@dataclass(frozen=True, eq=False)
class ActionSlots:
    """The parameters that actions add to an entity's own (``common.json``'s ``slots``)."""

    limit: Slot
    sort_by: Slot
    include_history: Slot
    reason: Slot
    notify: Slot
    currency: Slot


def _read(name: str) -> Any:
    return json.loads((resources.files("toolzero.data.synthetic") / "catalogue" / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_catalogue() -> tuple[tuple[Service, ...], ActionSlots]:
    """Every service of the catalogue files, in ``common.json``'s order of domains, and the action slots."""
    common = _read("common.json")
    domains, pools, shared = common["domains"], common["pools"], common["slots"]
    found = sorted(p.name for p in (resources.files("toolzero.data.synthetic") / "catalogue").iterdir()
                   if p.name.endswith(".json"))
    if found != sorted(["common.json", *(f"{d}.json" for d in domains)]):
        raise ValueError(f"catalogue files {found} are not common.json and one per domain of {domains}")
    services = tuple(_service(d, _read(f"{d}.json"), pools, shared) for d in domains)
    actions = ActionSlots(**{f.name: slot_from_json(shared[f.name], pools, shared, f"common.json slots.{f.name}")
                             for f in fields(ActionSlots)})
    return services, actions


def _service(domain: str, doc: dict[str, Any], common_pools: Pools, shared: Mapping[str, Any]) -> Service:
    where = f"{domain}.json"
    if set(doc) - {"pools", "rich"} != {"service", "style", "entities"}:
        raise ValueError(f"{where}: keys must be service, style, entities and optionally pools and rich, got {sorted(doc)}")
    if doc["style"] not in TYPE_NAMES:
        raise ValueError(f"{where}: style must be one of {sorted(TYPE_NAMES)}, got {doc['style']!r}")
    pools = {**common_pools, **doc.get("pools", {})}
    entities = tuple(_entity(e, pools, shared, f"{where} entities[{i}]") for i, e in enumerate(doc["entities"]))
    rich = tuple(_entity(e, pools, shared, f"{where} rich[{i}]", rich=True) for i, e in enumerate(doc.get("rich", ())))
    return Service(doc["service"], domain, doc["style"], entities, rich)


def _entity(doc: dict[str, Any], pools: Pools, shared: Mapping[str, Any], where: str, rich: bool = False) -> Entity:
    kw = {k: tuple(v) if isinstance(v, list) else v for k, v in doc.items()}
    if rich:
        kw.setdefault("actions", RICH_ACTIONS)
    if "ident" in doc:
        kw["ident"] = slot_from_json({"kind": "ident", **doc["ident"]}, pools, shared, f"{where}.ident")
    for part in ("attrs", "filters"):
        if part in doc:
            kw[part] = slots_from_json(doc[part], pools, shared, f"{where}.{part}")
            silent = [s.name for s, _ in kw[part] if not s.phrases and not isinstance(s, Bool)]
            if silent:
                raise ValueError(f"{where}.{part}: {silent} have no phrases, so no query could say them")
    unknown = set(kw.get("actions", ())) - set(ACTIONS[:-1])
    if unknown:
        raise ValueError(f"{where}: unknown actions {sorted(unknown)} (estimate is its own flag)")
    try:
        inspect.signature(Entity).bind(**kw)
    except TypeError as e:
        raise ValueError(f"{where}: {e}") from None
    if rich:
        _check_rich(kw, where)
    return Entity(**kw)


def _defaults(params: Sequence[tuple[Slot, bool]]) -> list[str]:
    out = []
    for s, _ in params:
        if s.default is not None:
            out.append(s.name)
        if isinstance(s, Obj):
            out += [f"{s.name}.{n}" for n in _defaults(s.fields)]
    return out


def _check_rich(kw: Mapping[str, Any], where: str) -> None:
    """A rich entity: create / update only, no defaults (an unsaid optional must be left out), 4-6 arguments."""
    if set(kw["actions"]) - set(RICH_ACTIONS) or kw.get("estimate") or "filters" in kw:
        raise ValueError(f"{where}: a rich entity offers only {RICH_ACTIONS}")
    attrs = kw.get("attrs", ())
    if _defaults(attrs):
        raise ValueError(f"{where}: rich parameters have no defaults, got {_defaults(attrs)}")
    lo, hi = RICH_ARGS
    n_req = sum(req for _, req in attrs)
    if "create" in kw["actions"] and not (n_req <= hi and len(attrs) >= lo):
        raise ValueError(f"{where}: create needs at most {hi} required and at least {lo} parameters")
    if "update" in kw["actions"] and sum(not isinstance(s, Bool) for s, _ in attrs) < lo - 1:
        raise ValueError(f"{where}: update needs at least {lo - 1} attributes that are not booleans")


# ----------------------------------------------------------------------------- functions


@dataclass(frozen=True, eq=False)
class Function:
    """One generated tool, with what the query builder needs to talk about it."""

    name: str
    service: Service
    entity: Entity
    action: str  # one of ACTIONS
    params: tuple[tuple[Slot, bool], ...]
    tool: Tool


def _params(e: Entity, action: str, a: ActionSlots) -> tuple[tuple[Slot, bool], ...]:
    if action == "search":
        filters = e.filters or tuple((s, i == 0) for i, (s, _) in enumerate(e.attrs[:3]))
        return (*filters, (a.limit, False), *(((a.sort_by, False),) if len(e.key) % 2 else ()))
    if action == "get":
        return ((e.ident, True), (a.include_history, False))
    if action == "create":
        return e.attrs
    if action == "update":
        return ((e.ident, True), *((s, False) for s, _ in e.attrs if not isinstance(s, Bool)))
    if action == "remove":
        return ((e.ident, True), (a.reason, False), (a.notify, False))
    return (*((s, r) for s, r in e.attrs if not isinstance(s, Obj)), (a.currency, False))  # estimate


def _function_name(s: Service, e: Entity, action: str) -> str:
    verb = {"search": "search", "get": "get", "create": e.create[0], "update": "update", "remove": e.remove[0],
            "estimate": "estimate"}[action].replace(" ", "_")
    obj = e.plural.replace(" ", "_").replace("'", "").lower() if action == "search" else e.key
    return f"{s.name}.{verb}_{obj}" + ("_cost" if action == "estimate" else "")


def _description(e: Entity, action: str, params: Sequence[tuple[Slot, bool]], a: ActionSlots) -> str:
    idn = e.id_noun or e.noun
    labels = join_words([s.label for s, _ in params if s not in (a.limit, a.sort_by)])
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


def _function(s: Service, e: Entity, action: str, params: tuple[tuple[Slot, bool], ...], a: ActionSlots) -> Function:
    name = _function_name(s, e, action)
    schema = {
        "name": name, "description": _description(e, action, params, a),
        "parameters": {"type": TYPE_NAMES[s.style]["dict"],
                       "properties": {p.name: p.schema(s.style) for p, _ in params},
                       "required": [p.name for p, req in params if req]},
    }
    return Function(name, s, e, action, params, Tool.from_json(schema, f"synthetic {name}"))


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """Every generated function (built once from the catalogue files; the same for every seed)."""
    services, a = load_catalogue()
    fns = [_function(s, e, action, _params(e, action, a), a)
           for s in services for e in s.entities for action in (*e.actions, *(("estimate",) if e.estimate else ()))]
    return _index(fns, "synthetic catalogue")


def _index(fns: Sequence[Function], what: str) -> Catalogue:
    by_name = {f.name: f for f in fns}
    if len(by_name) != len(fns):
        raise ValueError(f"{what} has duplicate function names")

    def group(key: Callable[[Function], str]) -> dict[str, tuple[Function, ...]]:
        out: dict[str, list[Function]] = {}
        for f in fns:
            out.setdefault(key(f), []).append(f)
        return {k: tuple(v) for k, v in out.items()}

    parallel = tuple(f for f in fns if any(req and s.can_vary for s, req in f.params))
    return Catalogue(tuple(fns), parallel, by_name, group(lambda f: f.service.name),
                     group(lambda f: f"{f.service.name}/{f.entity.key}"))


@lru_cache(maxsize=1)
def verbatim_catalogue() -> Catalogue:
    """The verbatim level's functions: catalogue functions cut down to one or two parameters, all
    required, whose values the query writes exactly as the call has them (:data:`EASY_SLOTS`).

    A function qualifies when its required parameters are one or two easy slots (updates never:
    they need an optional to change); a lone required parameter is joined by the first easy
    optional without a default, made required (``cancel_flight(booking_id, reason)``), if any.
    The names are the catalogue's; the schemas keep only those parameters.
    """
    _, a = load_catalogue()
    fns = []
    for f in catalogue().functions:
        required = [s for s, req in f.params if req]
        if f.action == "update" or not 1 <= len(required) <= 2 or not all(type(s) in EASY_SLOTS for s in required):
            continue
        if len(required) == 1:
            extra = [s for s, req in f.params if not req and type(s) in EASY_SLOTS and s.default is None]
            required += extra[:1]
        params = tuple((s, True) for s, _ in f.params if s in required)
        fns.append(_function(f.service, f.entity, f.action, params, a))
    return _index(fns, "verbatim catalogue")


@lru_cache(maxsize=1)
def rich_catalogue() -> Catalogue:
    """The rich level's functions: create and update of each service's ``rich`` entities."""
    services, a = load_catalogue()
    fns = [_function(s, e, action, _params(e, action, a), a) for s in services for e in s.rich for action in e.actions]
    clash = sorted({f.name for f in fns} & set(catalogue().by_name))
    if clash:
        raise ValueError(f"rich functions {clash} have the names of catalogue functions")
    return _index(fns, "rich catalogue")


def function_names(rich: bool = False) -> tuple[str, ...]:
    """Names of every function the generator can use (``rich``: the rich level's too)."""
    names = tuple(f.name for f in catalogue().functions)
    return (*names, *(f.name for f in rich_catalogue().functions)) if rich else names
