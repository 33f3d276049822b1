"""Balance a ledger per period: the credit method and the rolling-average percentage method.

Credit method (ISO 22095-2). A receipt's copper, times its period's conversion factor (the
cathode yield), becomes a credit in tonnes of cathode. Claims draw on the credits available on
their date, oldest credits first. At the end of a period unused credits are carried over for
at most ``carry-over periods`` periods, then expire; without carry-over they expire at once.
A claim larger than the credit available when it is made is rejected (and reported); it draws
nothing, so later claims are judged on what is really left.
Per period: opening (carried in) + credits in = claims out + expired + closing (carried out).

Rolling-average method. A period's recycled share is the credits of the last ``rolling window
periods`` periods (this one included) over their cathode output; the claims of a period may
not exceed that share of the period's output.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .errors import CellRef, Problem
from .ledger import Ledger, period_of

__all__ = ["PeriodBalance", "ClaimCover", "Balance", "balance"]


@dataclass(frozen=True)
class PeriodBalance:
    period: str
    conversion_factor: float
    scrap_copper_t: float  # copper in the period's scrap receipts
    opening_t: float  # credits carried in
    credits_in_t: float  # scrap copper x conversion factor
    claims_out_t: float
    expired_t: float
    closing_t: float  # carried out
    receipts: int
    claims: int
    recycled_share: float | None = None  # rolling-average method
    allowance_t: float | None = None  # rolling-average method


@dataclass(frozen=True)
class ClaimCover:
    """How a claim was covered: what was available just before it, and what was left."""

    delivery: str
    period: str
    tonnes: float
    available_before_t: float
    available_after_t: float
    accepted: bool


@dataclass(frozen=True)
class Balance:
    method: str
    periods: tuple[PeriodBalance, ...]
    covers: dict  # delivery id -> ClaimCover
    problems: tuple[Problem, ...]

    def period(self, label: str) -> PeriodBalance:
        return next(p for p in self.periods if p.period == label)


_EPS = 1e-9


def balance(ledger: Ledger) -> Balance:
    if ledger.settings.method == "credit":
        return _credit(ledger)
    return _rolling(ledger)


def _events_by_period(ledger: Ledger):
    kind = ledger.settings.period
    receipts = {p: [] for p in ledger.periods}
    claims = {p: [] for p in ledger.periods}
    for receipt in ledger.receipts:
        receipts[period_of(receipt.date, kind)].append(receipt)
    for claim in ledger.claims:
        claims[period_of(claim.date, kind)].append(claim)
    for label in ledger.periods:  # a fixed order, so sums do not depend on the order of rows
        receipts[label].sort(key=lambda r: (r.date, r.lot))
        claims[label].sort(key=lambda c: (c.date, c.delivery))
    return receipts, claims


def _claim_problem(ledger, claim, message, hint):
    return Problem(CellRef(ledger.path.name, "Claims", claim.row, "D"), message, hint)


def _credit(ledger: Ledger) -> Balance:
    settings = ledger.settings
    receipts, claims = _events_by_period(ledger)
    lots: deque[list] = deque()  # [origin period index, tonnes], oldest first
    periods, covers, problems = [], {}, []
    for index, label in enumerate(ledger.periods):
        factor = ledger.conversions[label].factor
        opening = sum(lot[1] for lot in lots)
        # one timeline per period: by date, a day's receipts before its claims
        events = [(r.date, 0, r.lot, r) for r in receipts[label]] + \
            [(c.date, 1, c.delivery, c) for c in claims[label]]
        events.sort(key=lambda event: event[:3])  # date, receipts first, then by id: row order is irrelevant
        credits_in = claims_out = 0.0
        for _, kind, _, item in events:
            if kind == 0:
                credit = item.copper_t * factor
                credits_in += credit
                if lots and lots[-1][0] == index:
                    lots[-1][1] += credit
                else:
                    lots.append([index, credit])
                continue
            available = sum(lot[1] for lot in lots)
            accepted = item.tonnes <= available + _EPS
            if accepted:
                need = item.tonnes
                while need > _EPS and lots:
                    take = min(need, lots[0][1])
                    lots[0][1] -= take
                    need -= take
                    if lots[0][1] <= _EPS:
                        lots.popleft()
                claims_out += item.tonnes
            else:
                problems.append(_claim_problem(
                    ledger, item, f"claim {item.delivery!r} of {item.tonnes:,.3f} t on {item.date} exceeds the "
                    f"{available:,.3f} t of credit available then (period {label})",
                    "reduce the claim, or record the scrap receipts that cover it before the claim date"))
            covers[item.delivery] = ClaimCover(item.delivery, label, item.tonnes, available,
                                               available - (item.tonnes if accepted else 0.0), accepted)
        expired = 0.0
        keep = settings.carry_periods if settings.carry_over else 0
        while lots and lots[0][0] + keep <= index:
            expired += lots.popleft()[1]
        closing = sum(lot[1] for lot in lots)
        periods.append(PeriodBalance(label, factor, sum(r.copper_t for r in receipts[label]), opening, credits_in,
                                     claims_out, expired, closing, len(receipts[label]), len(claims[label])))
    return Balance("credit", tuple(periods), covers, tuple(problems))


def _rolling(ledger: Ledger) -> Balance:
    window = ledger.settings.window
    receipts, claims = _events_by_period(ledger)
    credits = {p: sum(r.copper_t for r in receipts[p]) * ledger.conversions[p].factor for p in ledger.periods}
    periods, covers, problems = [], {}, []
    for index, label in enumerate(ledger.periods):
        span = ledger.periods[max(0, index - window + 1): index + 1]
        output = ledger.conversions[label].output_t
        share = min(1.0, sum(credits[p] for p in span) / sum(ledger.conversions[p].output_t for p in span))
        allowance = share * output
        used = 0.0
        for claim in sorted(claims[label], key=lambda c: (c.date, c.delivery)):
            available = allowance - used
            accepted = claim.tonnes <= available + _EPS
            if accepted:
                used += claim.tonnes
            else:
                problems.append(_claim_problem(
                    ledger, claim, f"claim {claim.delivery!r} of {claim.tonnes:,.3f} t exceeds what is left of period "
                    f"{label}'s allowance: recycled share {share:.2%} x {output:,.3f} t output = {allowance:,.3f} t, "
                    f"{available:,.3f} t left", "reduce the claim, or claim it in a period with a larger allowance"))
            covers[claim.delivery] = ClaimCover(claim.delivery, label, claim.tonnes, available,
                                                available - (claim.tonnes if accepted else 0.0), accepted)
        periods.append(PeriodBalance(label, ledger.conversions[label].factor, sum(r.copper_t for r in receipts[label]),
                                     0.0, credits[label], used, 0.0, 0.0, len(receipts[label]), len(claims[label]),
                                     recycled_share=share, allowance_t=allowance))
    return Balance("rolling-average", tuple(periods), covers, tuple(problems))
