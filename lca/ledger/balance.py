"""Balance a ledger, per site (or multi-site boundary) and period, by either method.

Credits. An eligible receipt's metal times its period's conversion factor (the yield to the
product) is a credit in tonnes of metal in the product; a receipt of another category is
recorded and earns nothing. Credits are kept lot by lot, oldest first (by date, then lot id),
and whatever draws on them takes the oldest first. At the end of a period unused credits are
carried for at most ``carry-over periods`` periods, then expire; without carry-over they
expire at once. Per period: carried in + credits in = used + expired + carried out.

Credit method (ISO 22095-2 mass balance with a credit account). A claim draws its claimed
tonnes from the credits held on its date (a day's receipts come before its claims).

Rolling-average percentage method. The period's recycled share is the credits of the last
``rolling window periods`` periods (this one included) over their output, but never more than
the credits still held over the period's output: the share applies to the whole output, so
share x output is used up whether it is claimed or not, and credits can never be used twice by
overlapping windows. A claim may count at most that share of its delivery as recycled.

Both methods: the deliveries claimed in a period may not exceed the period's output, and a
claim may not claim more than it delivers. A refused claim draws nothing, so later claims are
judged on what is really left. Every accepted claim's tonnes are traced to the lots whose
credits they used (:class:`TraceLine`).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict, deque
from dataclasses import dataclass
from operator import attrgetter

from lca.errors import Problem
from lca.ledger.records import Ledger, period_of
from lca.rules import brief

__all__ = ["PeriodBalance", "ClaimCover", "TraceLine", "Balance", "balance"]

_EPS = 1e-9


@dataclass(frozen=True)
class PeriodBalance:
    period: str
    site: str  # a site, or the sites of a multi-site boundary joined by ' + '
    conversion_factor: float  # one site: its factor; several: credits in over eligible metal (metal-weighted)
    scrap_metal_t: float  # metal in the period's eligible receipts
    ineligible_metal_t: float  # metal in receipts of categories that earn no credit
    opening_t: float  # credits carried in
    credits_in_t: float  # eligible metal x conversion factor
    used_t: float  # credits used: the claims (credit method) or share x output (rolling average)
    claims_out_t: float  # tonnes claimed as recycled by the accepted claims
    expired_t: float
    closing_t: float  # carried out
    output_t: float
    delivered_t: float  # metal in the accepted claims' deliveries
    receipts: int
    claims: int
    recycled_share: float | None = None  # rolling-average method: the share applied to the output
    window_share: float | None = None  # rolling-average method: the window's credits over its output


@dataclass(frozen=True)
class ClaimCover:
    """How a claim was judged: what was available just before it, and what was left."""

    delivery: str
    period: str
    site: str  # the balance it drew on
    delivered_t: float
    claimed_t: float
    available_before_t: float  # credit (credit method) or share x delivered (rolling average)
    available_after_t: float
    output_left_t: float  # the period's output not yet claimed, before this claim
    accepted: bool
    reason: str = ""  # why refused: 'credit', 'share' or 'output'


@dataclass(frozen=True)
class TraceLine:
    """Tonnes of one lot's credit used by one claim."""

    delivery: str
    lot: str
    receipt_row: int
    receipt_date: object
    site: str
    category: str
    tonnes: float


@dataclass(frozen=True)
class Balance:
    method: str
    periods: tuple[PeriodBalance, ...]
    covers: dict  # delivery id -> ClaimCover
    problems: tuple[Problem, ...]
    trace: tuple[TraceLine, ...] = ()

    def period(self, label: str, site: str | None = None) -> PeriodBalance:
        return next(p for p in self.periods if p.period == label and (site is None or p.site == site))

    def traced(self, delivery: str) -> tuple[TraceLine, ...]:
        return tuple(line for line in self.trace if line.delivery == delivery)


def balance(ledger: Ledger) -> Balance:
    settings = ledger.settings
    periods, covers, problems, trace = [], {}, [], []
    for pool in settings.pools:
        _Pool(ledger, pool).run(periods, covers, problems, trace)
    order = {label: i for i, label in enumerate(ledger.periods)}
    periods.sort(key=lambda p: (order[p.period], settings.pools.index(p.site)))
    return Balance(settings.method, tuple(periods), covers, tuple(problems), tuple(trace))


class _Pool:
    """The lots of one balance (a site, or a multi-site boundary), drawn oldest first."""

    def __init__(self, ledger: Ledger, pool: str):
        self.ledger, self.pool = ledger, pool
        settings = ledger.settings
        sites = set(settings.sites_of(pool))
        kind, label_of = settings.period, {}
        index = {label: i for i, label in enumerate(ledger.periods)}

        def period_index(day):
            label = label_of.get(day)
            if label is None:
                label = label_of[day] = index[period_of(day, kind)]
            return label

        receipts = sorted((r for r in ledger.receipts if r.site in sites), key=attrgetter("date", "lot"))
        self.ineligible = defaultdict(float)
        self.counts = defaultdict(int)
        self.lots, self.credit, self.lot_period, self.metal = [], [], [], defaultdict(float)
        factors = {(i, s): ledger.conversion(label, s).factor for i, label in enumerate(ledger.periods)
                   for s in sites}
        lots, credit, lot_period, counts = self.lots, self.credit, self.lot_period, self.counts
        day_of = None
        for r in receipts:  # a million receipts: no call per receipt but the dictionary look-ups
            if r.date != day_of:
                day_of, p = r.date, period_index(r.date)
            counts[p] += 1
            metal = r.gross_t * r.assay_pct / 100.0
            if not r.eligible:
                self.ineligible[p] += metal
                continue
            lots.append(r)
            credit.append(metal * factors[(p, r.site)])
            lot_period.append(p)
            self.metal[p] += metal
        self.remaining = list(self.credit)
        self.claims = defaultdict(list)
        for c in sorted((c for c in ledger.claims if c.site in sites), key=attrgetter("date", "delivery")):
            self.claims[period_index(c.date)].append(c)
        self.head = self.tail = 0  # lots[head:tail] have arrived and hold credit
        self.held = 0.0

    def arrive(self, until: int, day=None) -> float:
        """Add the lots up to index ``until`` (dated at most ``day``); return their credit."""
        start = self.tail
        if day is not None:
            until = min(until, bisect_right(self.lots, day, lo=start, hi=until, key=attrgetter("date")))
        added = math.fsum(self.credit[start:until])
        self.tail = until
        self.held += added
        return added

    def draw(self, tonnes: float) -> list:
        """Take ``tonnes`` of credit, oldest lots first; return [(lot index, tonnes)]."""
        parts, need = [], tonnes
        while need > 0 and self.head < self.tail:
            take = min(need, self.remaining[self.head])
            if take > 0:
                parts.append((self.head, take))
            self.remaining[self.head] -= take
            need -= take
            if self.remaining[self.head] <= 0:
                self.head += 1
        self.held = max(0.0, self.held - tonnes)
        return parts

    def expire(self, index: int) -> float:
        settings = self.ledger.settings
        keep = settings.carry_periods if settings.carry_over else 0
        expired = []
        while self.head < self.tail and self.lot_period[self.head] + keep <= index:
            expired.append(self.remaining[self.head])
            self.remaining[self.head] = 0.0
            self.head += 1
        total = math.fsum(expired)
        self.held = math.fsum(self.remaining[self.head:self.tail]) if self.head < self.tail else 0.0
        return total

    def line(self, delivery: str, part) -> object:
        lot = self.lots[part[0]]
        return TraceLine(delivery, lot.lot, lot.row, lot.date, lot.site, lot.category, part[1])

    def problem(self, claim, label: str, message: str, hint: str) -> Problem:
        return Problem(self.ledger.where("Claims", claim.row, label), message, hint)

    def run(self, periods: list, covers: dict, problems: list, trace: list) -> None:
        ledger, settings = self.ledger, self.ledger.settings
        rolling = settings.method == "rolling-average"
        sites = settings.sites_of(self.pool)
        where = f" at {self.pool}" if len(settings.sites) > 1 else ""
        credits_in, outputs = [], []
        ends = [bisect_right(self.lot_period, i) for i in range(len(ledger.periods))]
        for index, label in enumerate(ledger.periods):
            output = math.fsum(ledger.conversion(label, s).output_t for s in sites)
            opening = self.held
            delivered = claimed = 0.0
            share = window_share = None
            if rolling:
                credits_in.append(self.arrive(ends[index]))
                outputs.append(output)
                span = slice(max(0, index - settings.window + 1), index + 1)
                produced = math.fsum(outputs[span])
                window_share = min(1.0, math.fsum(credits_in[span]) / produced) if produced > 0 else 0.0
                share = min(window_share, self.held / output) if output > 0 else 0.0
                used = share * output
                debit = deque(self.draw(used))
            else:
                credits_in.append(0.0)
                used = 0.0
            for claim in self.claims[index]:
                output_left = output - delivered
                if rolling:
                    available = share * claim.delivered_t
                else:
                    credits_in[index] += self.arrive(ends[index], claim.date)
                    available = self.held
                accepted, reason = True, ""
                if claim.delivered_t > output_left + _EPS:
                    accepted, reason = False, "output"
                    problems.append(self.problem(
                        claim, "delivered (t)", f"claim {brief(claim.delivery)}: the {claim.delivered_t:,.3f} t "
                        f"delivered on {claim.date} exceed what is left of period {label}'s output{where}: "
                        f"{output:,.3f} t of {settings.metal} in {settings.product}, of which {delivered:,.3f} t are "
                        f"already claimed, {max(0.0, output_left):,.3f} t left",
                        "correct the delivery or the period's 'output (t)' on the Conversion sheet; a site cannot "
                        "deliver more than it made"))
                elif claim.claimed_t > available + _EPS:
                    accepted, reason = False, "share" if rolling else "credit"
                    if rolling:
                        message = (f"claim {brief(claim.delivery)} of {claim.claimed_t:,.3f} t recycled on "
                                   f"{claim.date} exceeds period {label}'s recycled share{where}: {share:.2%} x "
                                   f"{claim.delivered_t:,.3f} t delivered = {available:,.3f} t (window share "
                                   f"{window_share:.2%}; credit available for the period "
                                   f"{opening + credits_in[index]:,.3f} t for {output:,.3f} t of output)")
                        hint = ("claim at most the period's share of the delivery; credit used by earlier periods' "
                                "output cannot be claimed again")
                    else:
                        message = (f"claim {brief(claim.delivery)} of {claim.claimed_t:,.3f} t on {claim.date} "
                                   f"exceeds the {available:,.3f} t of credit available then (period {label}{where})")
                        hint = "reduce the claim, or record the scrap receipts that cover it before the claim date"
                    problems.append(self.problem(claim, "claimed (t)", message, hint))
                if accepted:
                    delivered += claim.delivered_t
                    claimed += claim.claimed_t
                    if rolling:
                        parts = _share_out(debit, claim.claimed_t)
                    else:
                        parts = self.draw(claim.claimed_t)
                        used += claim.claimed_t
                    trace.extend(self.line(claim.delivery, part) for part in parts)
                after = available - (claim.claimed_t if accepted else 0.0)
                covers[claim.delivery] = self._cover(claim, label, available, after, output_left, accepted, reason)
            if not rolling:
                credits_in[index] += self.arrive(ends[index])
            expired = self.expire(index)
            metal = self.metal[index]
            factor = (credits_in[index] / metal if metal > 0 else
                      math.fsum(ledger.conversion(label, s).factor for s in sites) / len(sites))
            if len(sites) == 1:
                factor = ledger.conversion(label, sites[0]).factor
            periods.append(PeriodBalance(
                label, self.pool, factor, metal, self.ineligible[index], opening, credits_in[index], used, claimed,
                expired, self.held, output, delivered, self.counts[index], len(self.claims[index]),
                recycled_share=share, window_share=window_share))

    def _cover(self, claim, label, available, after, output_left, accepted, reason) -> ClaimCover:
        return ClaimCover(claim.delivery, label, self.pool, claim.delivered_t, claim.claimed_t, available, after,
                          output_left, accepted, reason)


def _share_out(debit: deque, tonnes: float) -> list:
    """Take ``tonnes`` from the period's debited lot parts (in place), oldest first."""
    parts, need = [], tonnes
    while need > 0 and debit:
        index, held = debit[0]
        take = min(need, held)
        parts.append((index, take))
        need -= take
        if held - take <= 0:
            debit.popleft()
        else:
            debit[0] = (index, held - take)
    return parts
