"""`lca export olca`: the inventory databases as an openLCA JSON-LD zip (lca.exchange.olca)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
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
    path: Path  # the zip written
    processes: int
    product_flows: int
    elementary_flows: int
    parameters: int  # global plus process parameters
    unit_groups: int
    locations: int
    distributions_left_out: int  # openLCA cannot state them (truncated, negative lognormal): values only
    databases: tuple[str, ...]


def export_olca(request: OlcaExportRequest, where: Where | None = None, progress=None, notify=None) -> OlcaExportRun:
    """Check the output path, then open the project and write every inventory database to it."""
    from lca.exchange.olca import export_olca as write
    from lca.xlsx import check_output

    check_output(request.output, overwrite=request.overwrite, suffix=".zip")  # before any Brightway work
    with open_session(where, progress, notify) as session:
        done = write(session.bd, session.databases, request.output, overwrite=request.overwrite)
        return OlcaExportRun(path=done.path, processes=done.processes, product_flows=done.product_flows,
                             elementary_flows=done.elementary_flows, parameters=done.parameters,
                             unit_groups=done.unit_groups, locations=done.locations,
                             distributions_left_out=done.distributions_left_out, databases=session.databases)
