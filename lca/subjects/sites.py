"""Sites are data: an activity with a ``site`` row is a site, its ``site regions`` row says which
parameter values put it in each region (the rows and their checks: :mod:`lca.inventory.site_rows`).

:func:`list_sites` reads them back from the Brightway project; :func:`site_changes` turns a choice of
region per site into parameter changes (:class:`lca.subjects.changes.Change`, ids ``database.name``),
which a run applies like any ``--set``.
"""

from __future__ import annotations

from dataclasses import dataclass

from lca.errors import SiteError
from lca.inventory.route_rows import text as _text
from lca.inventory.site_rows import REGIONS_ROW, SITE_ROW, parse_regions
from lca.rules import unknown_name
from lca.subjects.changes import Change

__all__ = ["Site", "list_sites", "site_changes"]


@dataclass(frozen=True)
class Site:
    """A site: its name, its activity, and the parameter values of each region."""

    name: str
    node_id: int
    database: str
    regions: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]  # ((code, ((parameter id, value), ...)), ...)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.regions)

    def values(self, code: str) -> tuple[tuple[str, float], ...]:
        """The (parameter id, value) pairs of region ``code`` (SiteError naming the regions if it has none)."""
        found = dict(self.regions)
        if code not in found:
            raise SiteError(f"{unknown_name('region', code, found, of=f'of site {self.name!r}')} The regions are the "
                            f"'{REGIONS_ROW}' row of its activity.", site=self.name)
        return found[code]


def list_sites(bd, databases, graph=None) -> dict[str, Site]:
    """All sites of the project's inventory databases, by name, in workbook order (``graph``: a
    lca.subjects.routes.ProjectGraph already read). The rows were checked when the workbooks were imported."""
    from lca.subjects.routes import ProjectGraph

    graph = graph or ProjectGraph(bd, databases)
    found = []
    for key, node in graph.nodes.items():
        name = _text(node.get(SITE_ROW))
        if not name:
            continue
        regions = tuple((code, tuple((f"{key[0]}.{parameter}", value) for parameter, value in values))
                        for code, values in parse_regions(node.get(REGIONS_ROW)))
        found.append(((key[0], node.get("source row") or 0), Site(name=name, node_id=node.id, database=key[0],
                                                                   regions=regions)))
    return {site.name: site for _, site in sorted(found, key=lambda item: item[0])}


def site_changes(sites: dict, chosen: dict, origin: str) -> tuple[Change, ...]:
    """The parameter changes that put each site of ``chosen`` (site name -> region code) in its region,
    each with ``origin`` (e.g. the option that chose it); SiteError for a site or region not offered."""
    changes = []
    for name, code in chosen.items():
        site = sites.get(name)
        if site is None:
            raise SiteError(f"{unknown_name('site', name, sites)} A site is an activity with a '{SITE_ROW}' row.",
                            site=str(name))
        changes.extend(Change(pid, value, origin) for pid, value in site.values(code))
    return tuple(changes)
