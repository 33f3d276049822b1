"""The command layer: one function per command, without click. Each resolves the subject, the route
pair, the basis, the allocation and the parameter changes once, in one open project, and returns a
result for lca.output to render. The CLI parses options, calls one of these and renders.

Importing this package loads no Brightway, numpy or pandas: each run imports what it computes with
when it is called (a warm command served by lca.runs.result_cache never does)."""

from lca.rules import MAX_AMOUNT, brief
from lca.runs.analysis import SOURCES, SensitivityRun, StudyRequest, UncertaintyRun, sensitivity, uncertainty
from lca.runs.catalog import (
    InventoryCheck,
    InventoryInit,
    MethodList,
    ParamsList,
    ParamsRequest,
    ScenarioList,
    inventory_check,
    inventory_init,
    methods,
    params,
    scenarios,
)
from lca.runs.compare import CompareRequest, CompareRun, compare
from lca.runs.export_olca import OlcaExportRequest, OlcaExportRun, export_olca
from lca.runs.export_pact import PactExportRequest, PactExportRun, export_pact
from lca.runs.footprint import FootprintRequest, FootprintRun, ProductList, footprint, products
from lca.runs.ledger import (
    LedgerCheck,
    LedgerInit,
    LedgerTrace,
    StatementRequest,
    StatementRun,
    ledger_check,
    ledger_init,
    ledger_statement,
    ledger_trace,
)
from lca.runs.pathway import PathwayList, PathwayRequest, PathwayRun, pathway, pathways
from lca.runs.report import (
    ComparisonReportRequest,
    ReportWritten,
    TemplatesWritten,
    comparison_report,
    report_templates,
)
from lca.runs.report_pathway import PathwayReportRequest, pathway_report
from lca.runs.report_product import ProductReportRequest, product_report
from lca.runs.session import Changes, Session, Where, open_session

__all__ = [
    "Where", "Changes", "Session", "open_session", "parse_supply", "brief", "MAX_AMOUNT", "CHUNK",
    # compare, products, footprint
    "CompareRequest", "CompareRun", "compare",
    "FootprintRequest", "FootprintRun", "ProductList", "footprint", "products",
    # uncertainty, sensitivity
    "SOURCES", "StudyRequest", "UncertaintyRun", "SensitivityRun", "uncertainty", "sensitivity",
    # report
    "ComparisonReportRequest", "ProductReportRequest", "ReportWritten", "TemplatesWritten",
    "comparison_report", "product_report", "report_templates",
    # methods, inventory, params, scenarios
    "MethodList", "InventoryCheck", "InventoryInit", "ParamsRequest", "ParamsList", "ScenarioList", "methods",
    "inventory_check", "inventory_init", "params", "scenarios",
    # pathway
    "PathwayRequest", "PathwayRun", "PathwayList", "pathway", "pathways", "PathwayReportRequest", "pathway_report",
    # export
    "PactExportRequest", "PactExportRun", "export_pact", "OlcaExportRequest", "OlcaExportRun", "export_olca",
    # ledger
    "LedgerCheck", "LedgerTrace", "LedgerInit", "StatementRequest", "StatementRun", "ledger_init",
    "ledger_check", "ledger_trace", "ledger_statement",
]


_LAZY = {"CHUNK": ("lca.analysis.montecarlo", "CHUNK"), "parse_supply": ("lca.subjects.supply", "parse_choice")}


def __getattr__(name: str):
    """Names whose modules import numpy or Brightway, loaded on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module 'lca.runs' has no attribute {name!r}")
    import importlib

    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value
