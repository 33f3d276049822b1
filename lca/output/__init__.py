"""Rendering of the command layer's results (lca.runs): one renderer per output format.

``render(result, fmt)`` hands ``result`` to the renderer of ``fmt``: :mod:`lca.output.to_table`
(the human-readable text), :mod:`lca.output.to_json` (stable keys, for scripts) and
:mod:`lca.output.to_csv` (one row per record). A renderer holds one function per kind of result
(``result.kind``: "compare", "footprint", ...; output sits below the command layer, so it knows
results by kind, not by class). A format a kind does not offer is refused.
"""

from __future__ import annotations

from collections.abc import Callable

from lca.choices import OutputFormat
from lca.errors import OutputError

__all__ = ["render", "formats_of", "Renderer"]


class Renderer:
    """The functions of one output format, by result kind."""

    def __init__(self, fmt: OutputFormat):
        self.fmt = fmt
        self.functions: dict[str, Callable] = {}

    def kind(self, kind: str):
        def register(function):
            self.functions[kind] = function
            return function
        return register

    def __call__(self, result) -> str:
        function = self.functions.get(result.kind)
        if function is None:
            raise OutputError(f"a {result.kind} result has no {self.fmt.value} output; use one of: "
                              f"{', '.join(formats_of(result.kind))}")
        return function(result)


# modules that register the renderers' functions for more kinds of result, by topic
_TOPICS = ("lca.output.analysis_results", "lca.output.catalog_results", "lca.output.ledger_results",
           "lca.output.report_results")


def _renderers() -> dict[OutputFormat, Renderer]:
    import importlib

    from lca.output import to_csv, to_json, to_table

    for topic in _TOPICS:
        importlib.import_module(topic)
    return {OutputFormat.TABLE: to_table.RENDER, OutputFormat.JSON: to_json.RENDER, OutputFormat.CSV: to_csv.RENDER}


def render(result, fmt: str | OutputFormat = OutputFormat.TABLE) -> str:
    """The text of ``result`` (a lca.runs result) in format ``fmt`` (table, json or csv)."""
    return _renderers()[OutputFormat(fmt)](result)


def formats_of(kind: str) -> tuple[str, ...]:
    """The formats that offer results of ``kind``."""
    return tuple(fmt.value for fmt, renderer in _renderers().items() if kind in renderer.functions)
