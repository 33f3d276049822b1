"""`lca export olca`: the inventory databases as an openLCA JSON-LD zip (lca.exchange.olca)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from lca.runs.session import Where, open_session

__all__ = ["OlcaExportRequest", "OlcaExportRun", "export_olca"]


@dataclass(frozen=True)
class OlcaExportRequest:
    output: str  # the zip to write (.zip)
    overwrite: bool = False


@dataclass(frozen=True)
class OlcaExportRun:
    kind: ClassVar[str] = "export-olca"
    written: object  # lca.exchange.olca.OlcaExport: the zip and its counts
    databases: tuple[str, ...]


def export_olca(request: OlcaExportRequest, where: Where | None = None, progress=None, notify=None) -> OlcaExportRun:
    """Check the output path, then open the project and write every inventory database to it."""
    from lca.exchange.olca import export_olca as write
    from lca.xlsx import check_output

    check_output(request.output, overwrite=request.overwrite, suffix=".zip")  # before any Brightway work
    with open_session(where, progress, notify) as session:
        from lca.brightway.foreign import linked_databases

        linked = linked_databases(session.bd, session.databases)
        if linked:
            from lca.errors import ExportRefused

            raise ExportRefused(
                f"The tool's databases link to {', '.join(linked)}, which the tool did not write (a background of "
                "yours, docs/background.md); the openLCA export holds the tool's databases only, and its links "
                "would point to nothing. Export on the shipped background (--background shipped, or without "
                "--background), and bring that database to openLCA from its own source. Nothing was written.")
        done = write(session.bd, session.databases, request.output, overwrite=request.overwrite)
        return OlcaExportRun(done, session.databases)
