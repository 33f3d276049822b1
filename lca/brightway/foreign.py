"""Databases of the tool's project that no workbook defines: a background the user brought.

A user imports ecoinvent (bw2io, ecoinvent_interface), a national database, or copies one in from
another Brightway project (docs/background.md) into the tool's project. The tool never writes,
changes or deletes such a database; workbook exchanges and background mappings
(:mod:`lca.inventory.background_map`) may link to its activities. Its identity (name, when
bw2data last modified and processed it, its size) is part of the project's fingerprint, so that a
re-imported background (new node ids, new data) rebuilds the tool's databases before any result.
"""

from __future__ import annotations

import hashlib
import json

from lca.inventory.linking import ExternalActivity

__all__ = ["external_reader", "foreign_identity", "foreign_databases", "run_fingerprint", "mapping_note",
           "project_reader", "biosphere_databases", "reached_databases", "linked_databases", "characterise_biospheres",
           "characterise_linked_biospheres"]


def foreign_databases(bd, owned) -> tuple[str, ...]:
    """The project's databases the tool did not write (``owned``: the ones it did, and biosphere3)."""
    return tuple(sorted(name for name in bd.databases if name not in set(owned) | {"biosphere3"}))


def external_reader(bd, owned):
    """database name -> [ExternalActivity] (None if the project holds no such database outside ``owned``),
    read from bw2data's activity table on first use."""
    from bw2data.backends import ActivityDataset

    foreign = set(foreign_databases(bd, owned))
    cache: dict[str, list[ExternalActivity] | None] = {}

    def read(database: str):
        if database not in cache:
            if database not in foreign:
                cache[database] = None
            else:
                query = (ActivityDataset.select(ActivityDataset.code, ActivityDataset.name, ActivityDataset.location,
                                                ActivityDataset.product, ActivityDataset.type, ActivityDataset.data)
                         .where(ActivityDataset.database == database))
                cache[database] = [
                    ExternalActivity(database, row.code, row.name or "", row.location or "",
                                     str(row.data.get("unit", "")), row.product or row.data.get("reference product")
                                     or row.name or "")
                    for row in query if row.type in (None, "process", "processwithreferenceproduct", "product")]
        return cache[database]

    return read


def foreign_identity(bd, owned) -> str:
    """SHA-256 over each foreign database's name and bw2data's record of it (modified, processed, size)."""
    digest = hashlib.sha256(b"lca-cfp foreign databases\n")
    for name in foreign_databases(bd, owned):
        meta = bd.databases[name]
        record = {"name": name, "modified": meta.get("modified"), "processed": meta.get("processed"),
                  "number": meta.get("number"), "depends": sorted(meta.get("depends", ()))}
        digest.update(json.dumps(record, sort_keys=True, default=str).encode() + b"\n")
    return digest.hexdigest()


def run_fingerprint(workbooks: str, mapping_sha: str | None, foreign: str) -> str:
    """The fingerprint results carry: the workbooks', the background mapping's bytes (None: the shipped
    background) and the identity of the project's other databases (lca.brightway.foreign)."""
    if mapping_sha is None and foreign == _NO_FOREIGN:
        return workbooks  # a project with the shipped background only: as before
    return hashlib.sha256(f"{workbooks}|{mapping_sha or 'shipped'}|{foreign}".encode()).hexdigest()


_NO_FOREIGN = hashlib.sha256(b"lca-cfp foreign databases\n").hexdigest()


def mapping_note(mapping) -> str:
    counts: dict[str, int] = {}
    for row in mapping.rows:
        counts[row.provider[0]] = counts.get(row.provider[0], 0) + 1
    into = ", ".join(f"{n} to {db}" for db, n in sorted(counts.items()))
    kept = (f"; {len(mapping.unmapped)} left as shipped ({', '.join(mapping.unmapped[:3])}"
            f"{', ...' if len(mapping.unmapped) > 3 else ''})") if mapping.unmapped else ""
    return f"background {mapping.name}: {len(mapping.rows)} activities mapped ({into}){kept}"


def project_reader(data_dir=None, inventories=None):
    """A reader as :func:`external_reader` for the existing project of an inventory folder, opened only when a
    workbook or mapping names a database no workbook defines (``lca inventory check`` builds nothing); it
    answers None for every name when that folder has no project yet."""
    state = {}

    def read(database: str):
        if "read" not in state:
            state["read"] = _open_reader(data_dir, inventories)
        return state["read"](database)

    return read


def _open_reader(data_dir, inventories):
    from lca.brightway.names import _project_dir, _project_name
    from lca.brightway.repair import open_registry, owned_databases
    from lca.brightway.session import quiet, read_state
    from lca.paths import resolve_data_dir, resolve_inventories

    data_dir, folder = resolve_data_dir(data_dir), resolve_inventories(inventories)
    name = _project_name(folder)
    if not (data_dir / "projects.db").exists():
        return lambda database: None
    bd = open_registry(data_dir)
    if name not in bd.projects:
        return lambda database: None
    with quiet():
        bd.projects.set_current(name)
    state = read_state(_project_dir(data_dir, name))
    return external_reader(bd, owned_databases(bd, state, name))


def linked_databases(bd, own) -> tuple[str, ...]:
    """The databases the tool did not write that its databases (``own``) link to, biosphere databases left out."""
    own = set(own)
    linked = sorted({d for name in own for d in bd.databases[name].get("depends", ()) if d not in own} - {"biosphere3"})
    biospheres = set(biosphere_databases(bd, linked))
    return tuple(d for d in linked if d not in biospheres)


def reached_databases(bd, names) -> set[str]:
    """``names`` and every database they depend on, through bw2data's ``depends``."""
    seen, stack = set(), list(names)
    while stack:
        name = stack.pop()
        if name in seen or name not in bd.databases:
            continue
        seen.add(name)
        stack.extend(bd.databases[name].get("depends", ()))
    return seen


def biosphere_databases(bd, linked) -> tuple[str, ...]:
    """The biosphere databases other than biosphere3 that the ``linked`` databases reach (bw2data's ``depends``,
    followed through): ecoinvent_interface names its own (``ecoinvent-3.10-biosphere``)."""
    from bw2data import labels
    from bw2data.backends import ActivityDataset

    seen = reached_databases(bd, linked)
    # bw2data's elementary-flow node types (bw2io writes these for biosphere3 and ecoinvent's biosphere)
    kinds = {labels.biosphere_node_default, "emission", "natural resource", "inventory indicator", "economic",
             "social"}
    found = []
    for name in sorted(seen - {"biosphere3"}):
        types = {row.type for row in ActivityDataset.select(ActivityDataset.type).where(
            ActivityDataset.database == name).distinct()}
        if types & kinds:
            found.append(name)
    return tuple(found)


def characterise_biospheres(bd, biospheres, methods) -> dict[str, int]:
    """Give each of the tool's ``methods`` the factor of every biosphere3 flow for the flow of the same code
    (ecoinvent's elementary-flow UUID, which biosphere3 uses as its code) in each of ``biospheres``; the count
    of characterised flows found in each."""
    from bw2data.backends import ActivityDataset

    codes = {name: {row.code for row in ActivityDataset.select(ActivityDataset.code)
                    .where(ActivityDataset.database == name)} for name in biospheres}
    found = {name: 0 for name in biospheres}
    for method in methods:
        stored = bd.Method(method.name)
        loaded = [(key, amount) for key, amount, *_ in stored.load()]  # bw2data 4: node ids
        ids = [key for key, _ in loaded if isinstance(key, int)]
        keys = {row.id: (row.database, row.code) for row in
                ActivityDataset.select(ActivityDataset.id, ActivityDataset.database, ActivityDataset.code)
                .where(ActivityDataset.id << ids)}
        factors = [(keys.get(key) if isinstance(key, int) else tuple(key), amount) for key, amount in loaded]
        factors = [(key, amount) for key, amount in factors if key is not None and key[0] == "biosphere3"]
        extra = []
        for name in biospheres:
            matched = [((name, code), amount) for (_, code), amount in factors if code in codes[name]]
            found[name] = max(found[name], len(matched))
            extra += matched
        stored.write(factors + extra)
    return found


def characterise_linked_biospheres(bd, inventory, state: dict, progress) -> list[str]:
    """The tool's methods characterise the elementary flows of every biosphere database the linked project
    databases reach (by code: ecoinvent's UUIDs, as in biosphere3); rewritten from bw2io's file when that set
    changes, so that no factor names a database that is gone."""
    from lca.brightway.methods import METHODS, install_methods
    from lca.brightway.session import quiet

    biospheres = list(biosphere_databases(bd, sorted({a.database for a in inventory.external})))
    if biospheres == state.get("biospheres", []):
        return biospheres
    with quiet():
        install_methods()
        found = characterise_biospheres(bd, biospheres, METHODS) if biospheres else {}
    for name, count in found.items():
        progress(f"  the methods characterise {count} flows of {name} (by code, as their biosphere3 flows)")
    return biospheres

