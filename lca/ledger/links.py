"""The ledger's values in the footprint: what a statement's CFP is computed with.

A statement's footprint must describe the scrap that earned the claim's credit, not the
model's defaults. The settings ``yield parameter`` and ``assay parameter`` name the parameters of
the comparison's model that the ledger's values replace:

* yield parameter: the conversion factor of the lots the claim used (credit over metal),
* assay parameter: their metal content (metal over gross mass, as a fraction).

Both are taken over the tonnes traced to the claim (lca.ledger.balance), weighted by them;
when every traced lot is of one period and site they are that period's factor and the
assay-weighted content of the lots. A link left empty keeps the model's value, and the
statement says so, with the ledger's value beside it and the settings' ``parameter note``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lca.ledger.records import period_of
from lca.ledger.wording import wording
from lca.subjects.changes import Change

__all__ = ["LedgerValue", "ledger_values"]


@dataclass(frozen=True)
class LedgerValue:
    what: str  # 'conversion factor' | 'metal content'
    value: float
    parameter: str  # '' when not linked
    basis: str  # where the value comes from, in words
    parts: int = 0  # the lot parts traced to the delivery
    delivery: str = ""

    def change(self, ledger_name: str, texts: dict | None = None) -> Change | None:
        """The parameter change the value makes; its origin in the words of ``texts`` (lca.ledger.wording)."""
        if not self.parameter:
            return None
        if texts is None:
            return Change(self.parameter, self.value, f"ledger {ledger_name} ({self.what} of {self.basis})")
        w = wording(texts)
        basis = w["origin_basis"].format(parts=self.parts, delivery=self.delivery)
        return Change(self.parameter, self.value, w["origin"].format(ledger=ledger_name, basis=basis,
                                                                    what=w[f"what_{self.what}"]))


def ledger_values(ledger, balance, delivery: str) -> tuple[LedgerValue, ...]:
    """The conversion factor and metal content of the lots whose credit ``delivery`` used."""
    parts = balance.traced(delivery)
    needed = {line.lot for line in parts}
    lots = {r.lot: r for r in ledger.receipts if r.lot in needed}
    terms = []
    for line in parts:
        lot = lots[line.lot]
        factor = ledger.conversion(period_of(lot.date, ledger.settings.period), lot.site).factor
        used_metal = line.tonnes / factor
        terms.append((line.tonnes, used_metal, used_metal / (lot.assay_pct / 100.0)))
    if not terms:
        return ()
    credit = math.fsum(t[0] for t in terms)
    metal = math.fsum(t[1] for t in terms)
    gross = math.fsum(t[2] for t in terms)
    settings = ledger.settings
    basis = f"the {len(parts)} lot part{'s' if len(parts) != 1 else ''} traced to delivery {delivery}"
    return (LedgerValue("conversion factor", credit / metal, settings.yield_parameter, basis, len(parts), delivery),
            LedgerValue("metal content", metal / gross, settings.assay_parameter, basis, len(parts), delivery))

