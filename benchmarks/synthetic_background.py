"""A synthetic background database of ecoinvent's size, its mapping workbook, and a copy of a foreground
linked to it: the material of benchmarks/bench_background.py (and of tests/test_synthetic_background.py).

    write_synthetic_background(name, activities=20000, flows=2000, per_activity=10, seed=1, units=None)

writes, in the *current* bw2data project, ``activities`` activities (codes a00000.., location GLO, unit
kilogram unless ``units`` says otherwise, reference product = name), each making 1 and taking about
``per_activity`` inputs of 0.001 to 0.05 from other activities of the same database, and a few
biosphere exchanges to ``flows`` distinct flows of biosphere3 (every flow IPCC 2021 GWP100 characterises,
filled up with others): one warming flow giving 0.1 to 2 kg CO2-eq directly, the others small amounts
of any selected flow (1e-4 to 1e-2 of its unit, or at most 0.01 kg CO2-eq). The column sums of the
inputs stay below 0.5, so the system is solvable. The scores are not meant to resemble the shipped
background's: every synthetic activity has 0.25 to 2.6 kg CO2-eq per unit (median 1.4), whatever its unit.

Where the inputs come from is random but not uniform, because a uniformly random sparse graph has no
sparse LU: its fill-in is nearly dense (5,000 such activities already take 13 s and 14 million factor
entries with SuperLU; 20,000 would take GBs). ecoinvent's own graph is not like that: most inputs are
local (a supply chain) or from a few hubs (electricity, transport, heat markets) that draw on everything.
So, as there: the first 0.1 % of the activities (at least 5) are hubs taking their inputs from anywhere;
every other activity takes 30 % of its inputs from the hubs, 60 % from the 100 activities before it and
10 % from the 10 after it. The result is one strongly connected group of nearly all activities (the
hubs close every loop: 19,976 of 20,000 with the defaults) whose LU with SuperLU's default ordering stays
sparse: 0.4 s and 2.5 million factor entries at 20,000 activities (bw2calc's lci 0.45 s, 2 cores).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["Written", "write_synthetic_background", "mapped_codes", "background_activities", "write_mapping",
           "relinked_copy", "GWP100", "MAPPING_SOURCE"]

GWP100 = ("IPCC 2021", "climate change", "global warming potential (GWP100)")  # lca.brightway.methods
MAPPING_SOURCE = "synthetic benchmark mapping"
MAPPING_HEADER = ("activity", "location", "unit", "provider database", "provider code", "source")
_UNCERTAINTY = ("uncertainty type", "loc", "scale", "shape", "minimum", "maximum", "negative")


@dataclass(frozen=True)
class Written:
    name: str
    activities: int
    technosphere: int  # input exchanges (production exchanges not counted)
    biosphere: int
    flows: int  # distinct biosphere flows used
    characterised: int  # of them, flows the method characterises
    seconds: float  # Database.write, processing included


def code_of(index: int, activities: int) -> str:
    return f"a{index:0{max(5, len(str(activities - 1)))}d}"


def _hubs(activities: int) -> int:
    return min(activities, max(5, activities // 1000))


def mapped_codes(count: int, activities: int) -> list[str]:
    """``count`` distinct codes of ordinary (not hub) activities, spread evenly over the database."""
    hubs = _hubs(activities)
    if count > activities - hubs:
        raise ValueError(f"{count} mapped activities do not fit in {activities} synthetic activities")
    return [code_of(hubs + (k * (activities - hubs)) // count, activities) for k in range(count)]


def _flows(bd, flows: int, rng, method=GWP100) -> tuple[list[tuple], list[tuple], dict]:
    """(selected flow keys, those of them the method characterises, {characterised key: factor}): ``flows``
    distinct keys of biosphere3."""
    nodes = {node.id: node.key for node in bd.Database("biosphere3")}
    factors = {}
    for flow, factor in bd.Method(method).load():
        key = nodes.get(flow) if isinstance(flow, int) else tuple(flow)
        if key is not None:
            factors.setdefault(key, float(factor))
    characterised = sorted(factors)
    chosen = set(characterised)
    others = sorted(key for key in nodes.values() if key not in chosen)
    if flows <= len(characterised):
        picked = [characterised[k] for k in sorted(rng.choice(len(characterised), flows, replace=False))]
        return picked, picked, factors
    if flows > len(characterised) + len(others):
        raise ValueError(f"biosphere3 has {len(characterised) + len(others)} flows, fewer than {flows}")
    fill = [others[k] for k in sorted(rng.choice(len(others), flows - len(characterised), replace=False))]
    return characterised + fill, characterised, factors


def _inputs(index: int, activities: int, per_activity: int, rng) -> np.ndarray:
    """Indices of the providers of activity ``index`` (see the module's docstring)."""
    hubs = _hubs(activities)
    if index < hubs:
        chosen = rng.integers(0, activities, per_activity)
    else:
        from_hubs = max(1, round(0.3 * per_activity))
        ahead = max(1, round(0.1 * per_activity))
        behind = max(0, per_activity - from_hubs - ahead)
        chosen = np.concatenate([rng.integers(0, hubs, from_hubs),
                                 rng.integers(max(hubs, index - 100), index, behind) if index > hubs else [],
                                 rng.integers(index + 1, min(activities, index + 11), ahead)
                                 if index + 1 < activities else []]).astype(np.int64)
    return np.unique(chosen[chosen != index])


def write_synthetic_background(name: str = "synthetic_bg", activities: int = 20000, flows: int = 2000,
                               per_activity: int = 10, seed: int = 1, units: dict | None = None,
                               method=GWP100) -> Written:
    """Write the database ``name`` in the current bw2data project (replacing one of that name) and process it;
    ``units``: {code: unit} of the activities that are not in kilogram (those a mapping points to)."""
    import bw2data as bd

    rng = np.random.default_rng(seed)
    selected, characterised, factors = _flows(bd, flows, rng, method)
    warming = [key for key in characterised if factors[key] > 0] or characterised
    units = dict(units or {})
    # one warming flow, the others from the whole selection, enough that every selected flow is used
    others = max(1, per_activity // 3 - 1, -(-flows // activities))
    data, technosphere, biosphere, used = {}, 0, 0, set()
    for index in range(activities):
        code = code_of(index, activities)
        exchanges = [{"input": (name, code), "amount": 1.0, "type": "production"}]
        providers = _inputs(index, activities, per_activity, rng)
        amounts = rng.uniform(0.001, 0.05, len(providers))
        exchanges += [{"input": (name, code_of(int(i), activities)), "amount": float(a), "type": "technosphere"}
                      for i, a in zip(providers, amounts, strict=True)]
        main = warming[index % len(warming)]  # 0.1 to 2 kg CO2-eq of one warming flow, whatever its factor
        flows_here = {main: float(rng.uniform(0.1, 2.0)) / abs(factors[main])}
        for t in range(others):
            key = selected[(index * others + t) % len(selected)]
            flows_here.setdefault(key, float(rng.uniform(1e-4, 1e-2)) / max(1.0, abs(factors.get(key, 1.0))))
        exchanges += [{"input": key, "amount": amount, "type": "biosphere"} for key, amount in flows_here.items()]
        used.update(flows_here)
        technosphere += len(providers)
        biosphere += len(flows_here)
        label = f"synthetic activity {index}"
        data[(name, code)] = {"name": label, "reference product": label, "unit": units.get(code, "kilogram"),
                              "location": "GLO", "type": "process", "exchanges": exchanges}
    start = time.perf_counter()
    if name in bd.databases:
        del bd.databases[name]
    bd.Database(name).write(data, searchable=False, check_typos=False)
    seconds = time.perf_counter() - start
    return Written(name, activities, technosphere, biosphere, len(used), len(used & set(characterised)), seconds)


def background_activities(inventories: Path, database: str = "cfp_background") -> list[tuple[str, str, str, str]]:
    """(name, location, unit, code) of every activity of the shipped background database, read through the tool."""
    from lca.inventory.load import load_inventory

    inventory = load_inventory(Path(inventories), check_solvable=False)
    found = [db for db in inventory.databases if db.name == database]
    if not found:
        names = ", ".join(d.name for d in inventory.databases)
        raise ValueError(f"no database {database!r} in {inventories} ({names})")
    return [(a.name, a.location, a.unit, a.code) for a in found[0].activities]


def write_mapping(path: Path, rows, provider_database: str) -> None:
    """The mapping workbook: one sheet 'Mapping', header in row 1, one row per (name, location, unit, code)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Mapping"
    sheet.append(MAPPING_HEADER)
    for name, location, unit, code in rows:
        sheet.append((name, location, unit, provider_database, code, MAPPING_SOURCE))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def relinked_copy(roots, providers: dict, name: str = "bench_relinked", background: str = "cfp_background") -> dict:
    """Copy everything ``roots`` (activity nodes) reach outside ``background`` into the database ``name``,
    inputs from ``background`` replaced by ``providers`` ({background code: provider key}), amounts and
    uncertainty fields as stored; returns {(database, code) of a copied activity: its copy's key}."""
    import bw2data as bd

    copied, stack = {}, list(roots)
    while stack:
        node = stack.pop()
        if node.key in copied:
            continue
        copied[node.key] = (name, f"{node['database']}|{node['code']}")
        for exchange in node.exchanges():
            if exchange["type"] in ("production", "biosphere"):
                continue
            provider = exchange.input
            if provider["database"] != background and provider.key not in copied:
                stack.append(provider)
    data = {}
    for key, new in copied.items():
        node = bd.get_node(database=key[0], code=key[1])
        exchanges = []
        for exchange in node.exchanges():
            record = {"amount": exchange["amount"], "type": exchange["type"]}
            record.update({k: exchange[k] for k in _UNCERTAINTY if k in exchange})
            source = exchange.input.key
            if source == key:
                record["input"] = new
            elif source[0] == background:
                if source[1] not in providers:
                    raise ValueError(f"{node['name']!r} draws on {source}, which the mapping does not cover")
                record["input"] = providers[source[1]]
            else:
                record["input"] = copied.get(source, source)
            exchanges.append(record)
        data[new] = {k: node[k] for k in ("name", "unit", "location", "reference product") if k in node}
        data[new].update(type="process", exchanges=exchanges)
    if name in bd.databases:
        del bd.databases[name]
    bd.Database(name).write(data, searchable=False, check_typos=False)
    return copied
