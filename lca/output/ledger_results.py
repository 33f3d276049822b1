"""Renderers of the ledger's check and trace (lca.runs.ledger),
registered on the table, JSON and CSV renderers by result kind."""

from __future__ import annotations

import json

from lca.output.results import rows_csv
from lca.output.to_csv import RENDER as CSV
from lca.output.to_json import RENDER as JSON
from lca.output.to_table import RENDER as TABLE

__all__ = ["balance_rows", "trace_rows"]


def _dumps(data) -> str:
    return json.dumps(data, indent=2, default=str) + "\n"


def _unread(run) -> str:
    """The JSON of a ledger whose Settings cannot be used: its problems, no periods."""
    return _dumps({"ledger": run.file, "ok": False, "periods": [], "problems": [p.as_dict() for p in run.problems]})


def balance_rows(run) -> list[dict]:
    """One record per period (and site) of a ledger check."""
    return [{
        "period": p.period, "site": p.site, "conversion_factor": p.conversion_factor, "receipts": p.receipts,
        "scrap_metal_t": p.scrap_metal_t, "ineligible_metal_t": p.ineligible_metal_t,
        "carried_in_t": p.opening_t, "credits_in_t": p.credits_in_t, "used_t": p.used_t, "claims": p.claims,
        "claims_out_t": p.claims_out_t, "expired_t": p.expired_t, "closing_t": p.closing_t,
        "output_t": p.output_t, "delivered_t": p.delivered_t, "recycled_share": p.recycled_share,
        "window_share": p.window_share,
    } for p in run.balance.periods]


def trace_rows(run) -> list[dict]:
    """One record per trace line (a claim's tonnes from one lot) of a ledger trace."""
    return [{"delivery": line.delivery, "lot": line.lot, "receipt_row": line.receipt_row,
             "received": line.receipt_date.isoformat(), "site": line.site, "category": line.category,
             "tonnes": line.tonnes} for line in run.lines]


@JSON.kind("ledger-check")
def _check_json(run) -> str:
    if run.unread is not None:
        return _unread(run)
    book, settings, result = run.book, run.book.settings, run.balance
    return _dumps({"ledger": str(book.path), "sha256": book.fingerprint, "sites": list(settings.sites),
                   "multi_site_boundary": settings.multi_site, "metal": settings.metal,
                   "product": settings.product, "eligible_categories": list(settings.eligible),
                   "input": settings.input_kind, "method": result.method, "ok": run.ok,
                   "complete": not book.problems, "periods": balance_rows(run),
                   "problems": [p.as_dict() for p in run.problems]})


@CSV.kind("ledger-check")
def _check_csv(run) -> str:
    return rows_csv(balance_rows(run), fields=("period", "site"))


@TABLE.kind("ledger-check")
def _check_table(run) -> str:
    book, settings, result = run.book, run.book.settings, run.balance
    lines = [f"Ledger {book.path.name}: {settings.site}, {settings.metal} in {settings.product}, "
             f"{result.method} method, {settings.period}ly periods (t of {settings.metal})"
             + (" - without the rows with problems (see below)" if book.problems else ""),
             f"Credit only for {settings.claim_wording}"
             + (f"; recorded without credit: {', '.join(settings.other)}" if settings.other else "")]
    many = len(settings.pools) > 1
    numbers = [(p.scrap_metal_t, p.opening_t, p.credits_in_t, p.used_t, p.claims_out_t, p.expired_t,
                p.closing_t, p.output_t) for p in result.periods]
    headers = ("scrap " + settings.metal[:8], "carried in", "credits in", "used", "claimed", "expired",
               "closing", "output")
    w = max([len(f"{v:,.3f}") for row in numbers for v in row] + [len(h) for h in headers]) + 2
    site_w = max(len(p) for p in settings.pools) + 2 if many else 0
    lines.append(f"{'period':<9}" + (f"{'site':<{site_w}}" if many else "") + f"{'factor':>7}"
                 + "".join(f"{h:>{w}}" for h in headers))
    for p, row in zip(result.periods, numbers, strict=True):
        lines.append(f"{p.period:<9}" + (f"{p.site:<{site_w}}" if many else "") + f"{p.conversion_factor:>7.3f}"
                     + "".join(f"{v:>{w},.3f}" for v in row)
                     + (f"   share {p.recycled_share:.2%} (window {p.window_share:.2%})"
                        if p.recycled_share is not None else ""))
    return "\n".join(lines) + "\n"


def _cut(value: str, width: int) -> str:
    return value if len(value) <= width else value[:width - 1] + "~"


@JSON.kind("ledger-trace")
def _trace_json(run) -> str:
    if run.unread is not None:
        return _unread(run)
    covers = [{"delivery": c.delivery, "period": c.period, "claimed_t": c.claimed_t, "accepted": c.accepted}
              for c in run.covers]
    return _dumps({"ledger": str(run.book.path), "sha256": run.book.fingerprint, "ok": run.ok,
                   "claims": covers, "trace": trace_rows(run), "problems": [p.as_dict() for p in run.problems]})


@CSV.kind("ledger-trace")
def _trace_csv(run) -> str:
    return rows_csv(trace_rows(run), fields=("delivery", "lot"))


@TABLE.kind("ledger-trace")
def _trace_table(run) -> str:
    lines = [f"{'delivery':<14}{'lot':<14}{'row':>8}  {'received':<11}{'category':<18}{'t':>12}"]
    for line in run.lines:
        lines.append(f"{_cut(line.delivery, 13):<14}{_cut(line.lot, 13):<14}{line.receipt_row:>8}  "
                     f"{line.receipt_date.isoformat():<11}{_cut(line.category, 17):<18}{line.tonnes:>12,.3f}")
    for cover in run.covers:
        if not cover.accepted:
            lines.append(f"{_cut(cover.delivery, 13):<14}refused: traces to no lot")
    return "\n".join(lines) + "\n"
