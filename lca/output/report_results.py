"""Renderers of the report commands' summaries,
registered on the table, JSON and CSV renderers by result kind."""

from __future__ import annotations

from lca.output.to_csv import RENDER as CSV  # noqa: F401
from lca.output.to_json import RENDER as JSON  # noqa: F401
from lca.output.to_table import RENDER as TABLE


@TABLE.kind("report")
def report_written(result) -> str:
    """The confirmation of `lca report`: the workbook written (lca.runs.report.ReportWritten)."""
    return f"wrote {result.path}\n"


@TABLE.kind("report-templates")
def templates_written(result) -> str:
    """The files `lca report templates` copied, and how to use them (lca.runs.report.TemplatesWritten)."""
    lines = [f"wrote {path}" for path in result.paths]
    lines.append(f"Edit them, then run: lca report copper -o report.xlsx --templates {result.directory}")
    return "\n".join(lines) + "\n"
