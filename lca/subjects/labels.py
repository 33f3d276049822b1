"""The names the workbooks give in the report's languages (lca.inventory.labels), read back
from the project: route, product, basis, stage and quantity labels from the activities'
``... (ja)`` rows, and parameter descriptions from the parameter tables' ``label`` columns."""

from __future__ import annotations

from dataclasses import dataclass

from lca.inventory.labels import LABEL_LANGUAGES, localised

__all__ = ["Labels", "workbook_labels"]


@dataclass(frozen=True)
class Labels:
    """(kind, key, language) -> label. Kinds: ``route`` (key 'comparison.route'), ``route_short``,
    ``product`` (product id), ``functional_unit`` (the English functional unit or basis label),
    ``stage`` (the English stage name), ``quantity`` (a 'product quantity' id) and ``parameter``
    (a parameter id, in English too)."""

    entries: tuple[tuple[tuple[str, str, str], str], ...] = ()

    def get(self, kind: str, key: str, language: str, default: str = "") -> str:
        return dict(self.entries).get((kind, key, language), default)


def _text(value) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def workbook_labels(graph, parametric=None) -> Labels:
    """The labels of ``graph`` (lca.subjects.routes.ProjectGraph) and ``parametric`` (its parameters)."""
    found: dict = {}

    def add(kind, key, node, row, language):
        text = _text(node.get(localised(row, language)))
        if key and text:
            found.setdefault((kind, key, language), text)

    for node in graph.nodes.values():
        unit, product = node.get("unit", ""), node.get("reference product") or node.get("name")
        comparison, route = _text(node.get("comparison")), _text(node.get("route"))
        for language in LABEL_LANGUAGES:
            if comparison and route:
                add("route", f"{comparison}.{route}", node, "route label", language)
                add("route_short", f"{comparison}.{route}", node, "route short label", language)
                add("functional_unit", f"1 {unit} of {product}", node, "functional unit", language)
            add("product", _text(node.get("product")), node, "product label", language)
            add("functional_unit", _text(node.get("basis label")), node, "basis label", language)
            add("stage", _text(node.get("stage")), node, "stage", language)
            add("quantity", _text(node.get("product quantity")), node, "product quantity label", language)
        if comparison and route and _text(node.get("route short label")):
            found.setdefault(("route_short", f"{comparison}.{route}", "en"), _text(node.get("route short label")))
    for p in getattr(parametric, "parameters", ()):
        for language, text in p.labels:
            found.setdefault(("parameter", p.id, language), text)
    return Labels(tuple(sorted(found.items())))
