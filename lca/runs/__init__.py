"""The command layer: one function per command, without click. Each resolves the subject, the route
pair, the basis, the allocation and the parameter changes once, in one open project, and returns a
result for lca.output to render. The CLI parses options, calls one of these and renders."""

from lca.analysis.montecarlo import CHUNK
from lca.rules import MAX_AMOUNT, brief
from lca.runs.analysis import SOURCES, SensitivityRun, StudyRequest, UncertaintyRun, sensitivity, uncertainty
from lca.runs.compare import CompareRequest, CompareRun, compare
from lca.runs.footprint import FootprintRequest, FootprintRun, ProductList, footprint, products
from lca.runs.report import (
    ComparisonReportRequest,
    ReportWritten,
    TemplatesWritten,
    comparison_report,
    report_templates,
)
from lca.runs.report_product import ProductReportRequest, product_report
from lca.runs.session import Changes, Session, Where, open_session
from lca.subjects.supply import parse_choice as parse_supply

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
]
