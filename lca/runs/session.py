"""The open project of one command: what it compares, read once, and the run's parameter changes.

A command opens one :class:`Session` (``with open_session(where, progress, notify) as s``). The
session answers what the CLI used to reach through ``bd`` and ``(bd, project.databases)``: the
comparisons, products and sites (the supply graph is read once per run, on first use), a node's unit, a
method's unit, the parametric model, and the run's parameter changes (``--set``, ``--scenario``,
the by-product switch). Notes for the user (a value outside its uncertainty range, a supply share
lowered to what a closed loop supplies) go to ``notify``; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

__all__ = ["Where", "Changes", "Session", "open_session", "Notify", "parameter_changes"]

Notify = Callable[[str], None]


@dataclass(frozen=True)
class Where:
    """Which Brightway data folder and which inventory folder (None: the defaults)."""

    data_dir: str | None = None
    inventories: str | None = None
    background: str | None = None  # a background mapping's name or file (None: the shipped background)


@dataclass(frozen=True)
class Changes:
    """Parameter changes asked for a run: ``--set NAME=VALUE``, scenario files, the by-product switch."""

    sets: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()
    byproducts: str | None = None
    fixed: tuple = ()  # lca.subjects.changes.Change values fixed by the command itself (a ledger's)

    def __bool__(self) -> bool:
        return bool(self.sets or self.scenarios or self.byproducts is not None or self.fixed)


@dataclass
class Session:
    """One command's open project (valid inside ``open_session``)."""

    project: object  # lca.brightway.project.OpenProject
    bd: object  # bw2data, pointed at the project
    notify: Notify = field(default=lambda message: None)

    @property
    def databases(self) -> tuple[str, ...]:
        return self.project.databases

    @property
    def fingerprint(self) -> str:
        return self.project.fingerprint

    @cached_property
    def graph(self):
        from lca.subjects.routes import ProjectGraph

        return ProjectGraph(self.bd, self.databases)

    @cached_property
    def comparisons(self) -> dict:
        from lca.subjects.routes import list_comparisons

        return list_comparisons(self.bd, self.databases, self.graph)

    @cached_property
    def products(self) -> dict:
        from lca.subjects.products import list_products

        return list_products(self.bd, self.databases, self.graph)

    @cached_property
    def sites(self) -> dict:
        from lca.subjects.sites import list_sites

        return list_sites(self.bd, self.databases, self.graph)

    @cached_property
    def parametric(self):
        return self.project.parametric_model()

    def comparison(self, comparison: str):
        from lca.subjects.routes import comparison_in

        return comparison_in(self.comparisons, comparison)

    def find_products(self, ids) -> list:
        from lca.subjects.products import missing_products

        found = self.products
        missing_products(found, ids)
        return [found[i] for i in ids]

    @cached_property
    def provenance(self):
        """Where this run's results come from (lca.output.envelope.Provenance): fingerprint and folders."""
        from lca.output.envelope import Provenance, shown_folder
        from lca.paths import shipped_inventories

        inventories = Path(self.project.inventories)
        shipped = inventories.resolve() == shipped_inventories().resolve()
        return Provenance(self.fingerprint, shown_folder(self.project.data_dir),
                          "shipped" if shipped else shown_folder(inventories))

    def byproduct_approach(self, changes) -> str | None:
        """The by-product allocation approach in force under ``changes`` (MatrixChanges or None)."""
        from lca.subjects.byproducts import approach_of

        given = changes is not None and changes.values
        values = dict(changes.values) if given else dict(self.parametric.evaluate().values)
        approach = approach_of(values)
        return approach.value if approach is not None else None

    def about(self, *, kind: str, id: str, name: str, method, functional_unit: str, allocation: str, changes,
              byproducts=None, settings: tuple | None = None):
        """What a result of this session is of (lca.output.envelope.About), for its JSON envelope and CSV columns;
        ``byproducts``, a ByproductStatement already made, saves working the approach out again; ``settings``
        ((id, value, origin), ...) stand for the changes' own (a pathway's baseline)."""
        from lca.output.envelope import About

        approach = (byproducts.approach.value if byproducts.approach is not None else None) if byproducts is not None \
            else self.byproduct_approach(changes)
        return About(kind=kind, id=id, name=name, method=method, impact_unit=self.method_unit(method),
                     functional_unit=functional_unit, allocation=str(allocation), byproducts=approach,
                     settings=settings if settings is not None else changes.settings if changes else (),
                     provenance=self.provenance)

    def node(self, node_id: int):
        return self.bd.get_node(id=node_id)

    def method_unit(self, method) -> str:
        return self.bd.Method(method.name).metadata.get("unit", "")

    def changes(self, asked: Changes | None):
        """The matrix changes (lca.brightway.matrices.MatrixChanges) for ``asked``; None when nothing is asked."""
        if not asked:
            return None
        return parameter_changes(self.project, asked.sets, asked.scenarios, asked.fixed, asked.byproducts,
                                 notify=self.notify, model=self.parametric)


def parameter_changes(project, sets=(), scenarios=(), fixed=(), byproducts=None, *, notify: Notify | None = None,
                      model=None):
    """The matrix changes for ``fixed`` values (lca.subjects.changes.Change), the by-product switch and
    --set/--scenario in an open project (None when none are given); notes on values outside their
    uncertainty range go to ``notify``."""
    if not sets and not scenarios and not fixed and byproducts is None:
        return None
    from lca.brightway.parameter_rules import outside_uncertainty
    from lca.subjects.byproducts import switch_changes
    from lca.subjects.changes import matrix_changes, resolve_changes

    model = model or project.parametric_model()
    fixed = tuple(fixed)
    if byproducts is not None:
        fixed += switch_changes(model, byproducts)
    resolved = resolve_changes(model, tuple(sets), tuple(scenarios), project.inventories, fixed)
    for note in outside_uncertainty(model, resolved.values, resolved.origins):
        (notify or (lambda message: None))(note)
    return matrix_changes(model, resolved)


@contextmanager
def open_session(where: Where | None = None, progress=None, notify: Notify | None = None) -> Iterator[Session]:
    """Open (building or repairing as needed) the project of ``where`` for one command."""
    from lca.brightway.project import open_project

    where = where or Where()
    notify = notify or (lambda message: None)
    with open_project(data_dir=where.data_dir, inventories=where.inventories, progress=progress,
                      background=where.background) as project:
        import bw2data as bd

        from lca.brightway.background_package import using
        from lca.runs import result_cache

        result_cache.opened(project.data_dir, project.inventories, project.directory)
        if project.background_note:
            notify(project.background_note)
        with using(project.directory):  # a background the user brought: solved once, at the build
            yield Session(project, bd, notify)
