"""`lca report pathway PATHWAY`: the customer's report of a pathway (lca.runs.pathway)."""

from __future__ import annotations

from dataclasses import dataclass

from lca.runs.pathway import PathwayRequest, pathway_in
from lca.runs.report import ReportRequest, ReportWritten, command_line, labelled, options_record, prepare, shown_path
from lca.runs.session import Where, open_session

__all__ = ["PathwayReportRequest", "pathway_report"]


@dataclass(frozen=True, kw_only=True)
class PathwayReportRequest(ReportRequest):
    pathway: str
    sources: str = "all"


def pathway_report(request: PathwayReportRequest, where: Where | None = None, progress=None,
                   notify=None) -> ReportWritten:
    from lca import __version__
    from lca.report.pathway import PathwayContext, build_pathway_report
    from lca.xlsx import save_atomically

    if request.changes:
        from lca.errors import PathwayError

        raise PathwayError("a pathway report takes its parameter values from the pathway file; put --set and "
                           "--scenario values in its baseline or a lever instead.")
    prepared = prepare(request)
    with open_session(where, progress, notify) as session:
        run = pathway_in(session, PathwayRequest(pathway=request.pathway, method=request.method,
                                                 allocation=request.allocation, iterations=request.iterations or 0,
                                                 seed=request.seed, sources=request.sources))
        model = session.parametric
        ids = {pid for state in (run.baseline, run.final) for pid, _, _ in state.settings}
        workbook_values = {pid: (model.by_id[pid].amount, model.by_id[pid].unit) for pid in ids}
        templates = labelled(prepared.templates, session)
    options = options_record([("-o", shown_path(request.output)), ("--customer", request.customer),
                              ("--preparer", request.preparer),
                              ("--method", run.method.id), ("--lang", request.lang),
                              ("--date", prepared.date.isoformat()), ("--allocation", request.allocation),
                              ("-n", request.iterations), ("--seed", request.seed if request.iterations else None),
                              ("--inventories", shown_path(where.inventories) if where else None),
                              ("--templates", shown_path(request.templates))])
    from pathlib import Path

    shown = request.pathway if not Path(request.pathway).is_file() else Path(request.pathway).name
    context = PathwayContext(date=prepared.date, customer=request.customer,
                             command=command_line(["lca", "report", "pathway", shown], options),
                             tool=f"lca-cfp {__version__}", workbook_values=workbook_values, options=options,
                             preparer=prepared.preparer)
    book = build_pathway_report(run, templates, context)
    setup = templates.print_setup(book.sheetnames, preparer=prepared.preparer,
                                  title=templates.text("pathway.title", pathway=run.name))
    return ReportWritten(save_atomically(book, request.output, overwrite=request.overwrite, print_setup=setup))
