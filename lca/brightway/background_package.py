"""A background the user brought, solved once: the cumulative inventory of each activity the tool links to.

The tool's databases draw on a few activities of a database it did not write (ecoinvent: about 20,000
activities with loops), and that database never draws on the tool's. Every result is linear in what the
tool's activities take from it, so the background enters each calculation only through the
cumulative elementary flows per unit of each linked activity, ``g_j = B A^-1 e_j``. These are
computed when the project is built (one factorisation of the background, one solve per linked
activity) and kept beside the project as a bw_processing datapackage (``FILE_NAME``): for each linked
activity a production of 1 and its cumulative flows. A calculation then loads the tool's databases
and this package in place of the background's own matrices (:func:`inputs_for`), so each run
factorises a system of the tool's size, and Monte Carlo draws it as such (the background fixed).

This is exact (the same linear algebra, up to the solver's round-off); a test compares it with plain
bw2calc on the whole project. The package is rebuilt whenever the project is: the project's
fingerprint covers the identity of every database the tool did not write (lca.brightway.foreign).
Without the package (another caller, a missing file), the whole matrices are loaded: the same
numbers, only slower.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import numpy as np

__all__ = ["FILE_NAME", "build_package", "remove_package", "using", "inputs_for"]

FILE_NAME = "lca-cfp-background.zip"
_META = "lca-cfp-background.json"  # beside it: the databases it stands for
_CURRENT: ContextVar[Path | None] = ContextVar("lca_cfp_background_package", default=None)


def remove_package(project_dir: Path) -> None:
    for name in (FILE_NAME, _META):
        (Path(project_dir) / name).unlink(missing_ok=True)


def build_package(bd, inventory, project_dir: Path, progress) -> Path | None:
    """Solve the linked background once and write the package; None (and no file) when nothing is linked."""
    import bw_processing as bwp
    from bw2data.backends import ActivityDataset
    from fsspec.implementations.zip import ZipFileSystem

    from lca.brightway.foreign import biosphere_databases, reached_databases
    from lca.brightway.session import quiet

    with quiet():  # bw2calc's advice on pypardiso
        import bw2calc as bc

    project_dir = Path(project_dir)
    keys = sorted({a.key for a in inventory.external})
    if not keys:
        remove_package(project_dir)
        return None
    linked = sorted({database for database, _ in keys})
    own = {db.name for db in inventory.databases}
    loop = sorted(reached_databases(bd, linked) & own)
    if loop:
        from lca.errors import ProjectError

        raise ProjectError(
            f"The project's database(s) {', '.join(linked)}, which the workbooks or the background mapping link to, "
            f"draw on the tool's own database(s) {', '.join(loop)}: a background must not consume the foreground "
            "(its results would depend on the routes themselves). Link to a database that does not use the tool's "
            "databases, or remove those links from it. Nothing of yours was changed.")
    ids = {(row.database, row.code): row.id for row in
           ActivityDataset.select(ActivityDataset.id, ActivityDataset.database, ActivityDataset.code)
           .where(ActivityDataset.database << linked)}
    nodes = [ids[key] for key in keys]
    progress(f"  solving the linked background once ({', '.join(linked)}: {len(nodes)} activities linked)")
    fu, data_objs, _ = bd.prepare_lca_inputs(demand={node: 1 for node in nodes}, remapping=False)
    lca = bc.LCA(demand=fu, data_objs=data_objs)
    lca.load_lci_data()
    lca.decompose_technosphere()
    flows_of_row = np.empty(len(lca.dicts.biosphere), dtype=np.int64)
    for flow, row in lca.dicts.biosphere.items():
        flows_of_row[row] = flow
    rows, columns, values = [], [], []
    for node in nodes:
        demand = np.zeros(len(lca.dicts.product))
        demand[lca.dicts.product[node]] = 1.0
        inventory_of = lca.biosphere_matrix @ lca.solver(demand)
        present = np.flatnonzero(inventory_of)
        rows.extend(flows_of_row[present].tolist())
        columns.extend([node] * len(present))
        values.extend(inventory_of[present].tolist())
    closure = reached_databases(bd, linked)
    biospheres = set(biosphere_databases(bd, linked)) | {"biosphere3"}
    replaced = sorted(name for name in closure if name not in biospheres)
    path = project_dir / FILE_NAME
    temporary = project_dir / (FILE_NAME + ".tmp")
    temporary.unlink(missing_ok=True)
    package = bwp.create_datapackage(fs=ZipFileSystem(str(temporary), mode="w"), name="lca-cfp-background",
                                     sum_intra_duplicates=True, sum_inter_duplicates=False)
    package.add_persistent_vector(
        matrix="technosphere_matrix", name="linked-background-production",
        indices_array=np.array([(n, n) for n in nodes], dtype=bwp.INDICES_DTYPE),
        data_array=np.ones(len(nodes)), flip_array=np.zeros(len(nodes), dtype=bool))
    package.add_persistent_vector(
        matrix="biosphere_matrix", name="linked-background-cumulative-flows",
        indices_array=np.array(list(zip(rows, columns, strict=True)), dtype=bwp.INDICES_DTYPE),
        data_array=np.array(values, dtype=float))
    package.finalize_serialization()
    os.replace(temporary, path)
    meta = {"replaced": replaced, "biospheres": sorted(biospheres), "nodes": len(nodes),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    (project_dir / _META).write_text(json.dumps(meta, indent=2))
    return path


@contextmanager
def using(project_dir: Path | None) -> Iterator[None]:
    """Calculations inside the block use the package of ``project_dir`` (if it has a sound one)."""
    path = Path(project_dir) / FILE_NAME if project_dir is not None else None
    token = _CURRENT.set(path if path is not None and path.is_file() else None)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def inputs_for(bd, demand_ids, method_name):
    """(demand, data_objs) for a bw2calc LCA with the package in place of the background's matrices; None
    when no package is in use (then bw2data's prepare_lca_inputs gives the whole matrices)."""
    path = _CURRENT.get()
    if path is None:
        return None
    try:
        meta = json.loads((path.parent / _META).read_text())
        import bw_processing as bwp
        from fsspec.implementations.zip import ZipFileSystem

        package = bwp.load_datapackage(ZipFileSystem(str(path)))
    except (OSError, ValueError, KeyError):
        return None  # the whole matrices: the same numbers
    demand_dbs = {node["database"] for node in (bd.get_node(id=i) for i in demand_ids)}
    names = set().union(*(bd.Database(name).find_graph_dependents() for name in demand_dbs))
    replaced = set(meta["replaced"])
    names = sorted(n for n in names if n not in replaced) + [n for n in meta["biospheres"]
                                                             if n in bd.databases and n not in names]
    data_objs = [bd.Database(name).datapackage() for name in sorted(set(names))] + [package]
    data_objs.append(bd.Method(method_name).datapackage())
    return {i: 1 for i in demand_ids}, data_objs
