"""Rendering of the command layer's results (lca.runs): one renderer per output format.

``render(result, fmt)`` hands ``result`` to the renderer of ``fmt``: :mod:`lca.output.to_table`
(the human-readable text), :mod:`lca.output.to_json` (stable keys, for scripts) and
:mod:`lca.output.to_csv` (one row per record). A renderer holds one function per kind of result
(``result.kind``: "compare", "footprint", ...; output sits below the command layer, so it knows
results by kind, not by class). A format a kind does not offer is refused.
"""

from __future__ import annotations

from lca.choices import OutputFormat
from lca.errors import OutputError
from lca.output.renderer import Renderer

__all__ = ["render", "formats_of", "result_kinds", "Renderer"]


# modules that register the renderers' functions for more kinds of result, by topic
_TOPICS = ("lca.output.analysis_results", "lca.output.catalog_results", "lca.output.ledger_results",
           "lca.output.report_results", "lca.output.pathway_results", "lca.output.export_results")


def _renderers() -> dict[OutputFormat, Renderer]:
    import importlib

    from lca.output import to_csv, to_json, to_table

    for topic in _TOPICS:
        importlib.import_module(topic)
    return {OutputFormat.TABLE: to_table.RENDER, OutputFormat.JSON: to_json.RENDER, OutputFormat.CSV: to_csv.RENDER}


def render(result, fmt: str | OutputFormat = OutputFormat.TABLE) -> str:
    """The text of ``result`` (a lca.runs result) in format ``fmt`` (table, json or csv)."""
    renderer = _renderers()[OutputFormat(fmt)]
    if result.kind not in renderer.functions:
        raise OutputError(f"a {result.kind} result has no {renderer.fmt.value} output; use one of: "
                          f"{', '.join(formats_of(result.kind))}")
    return renderer(result)


def formats_of(kind: str) -> tuple[str, ...]:
    """The formats that offer results of ``kind``."""
    return tuple(fmt.value for fmt, renderer in _renderers().items() if kind in renderer.functions)


def result_kinds() -> tuple[str, ...]:
    """The kinds of computed result, rendered under the output contract (lca.output.envelope) in every format."""
    return tuple(sorted(set().union(*(renderer.results for renderer in _renderers().values()))))
