"""The footprint a statement states: the ledger's comparison, with the ledger's values.

Library work of ``lca ledger statement`` and ``lca report --ledger`` (no click here): read and
balance the ledger, refuse a delivery it does not cover, and give the parameter changes that
carry the ledger's values into the comparison's model (lca.ledger.links).
"""

from __future__ import annotations

from dataclasses import dataclass

from lca.errors import CellRef, ComparisonError, LedgerError, Problem
from lca.ledger.balance import Balance, balance
from lca.ledger.links import LedgerValue, ledger_values
from lca.ledger.read import Claim, Ledger, read_ledger
from lca.ledger.statement import Footprint, check_covered

__all__ = ["LedgerDelivery", "open_delivery", "comparison_of", "footprint_for"]


@dataclass(frozen=True)
class LedgerDelivery:
    """A covered delivery of a balanced ledger, with the values its footprint must use."""

    ledger: Ledger
    balance: Balance
    claim: Claim
    values: tuple[LedgerValue, ...]
    texts: dict | None = None  # the words of a statement in another language (lca.ledger.wording)

    @property
    def fixed(self) -> tuple:
        """The parameter changes (lca.scenarios.Change) that the ledger's values make."""
        return tuple(c for c in (v.change(self.ledger.path.name, self.texts) for v in self.values) if c is not None)


def open_delivery(path, delivery: str, texts: dict | None = None) -> LedgerDelivery:
    """Read and balance the ledger at ``path``; refuse a delivery it does not cover (StatementRefused).
    ``texts``: the words its statement and the origins of its values are written in (default English)."""
    ledger = read_ledger(path)
    result = balance(ledger)
    check_covered(ledger, result, delivery)
    claim = next(c for c in ledger.claims if c.delivery == delivery)
    return LedgerDelivery(ledger, result, claim, ledger_values(ledger, result, delivery), texts)


def comparison_of(bd, databases, found: LedgerDelivery):
    """The comparison the ledger's settings name, or a LedgerError pointing at the setting."""
    from lca.subjects.routes import find_comparison

    try:
        return find_comparison(bd, databases, found.ledger.settings.comparison)
    except ComparisonError as exc:
        raise LedgerError([Problem(CellRef(found.ledger.path.name, "Settings"),
                                   f"setting 'comparison' = {found.ledger.settings.comparison!r}: {exc}",
                                   "name a comparison of the inventories, as in `lca compare COMPARISON` "
                                   "(e.g. copper, nickel)")]) from exc


def footprint_for(found: LedgerDelivery, comparison, parametric) -> Footprint:
    """The statement's footprint: ``comparison`` (computed with ``found.fixed``) and the model's defaults."""
    defaults = {}
    for change in found.fixed:
        parameter = parametric.find(change.name, origin=change.origin)
        defaults[parameter.id] = parameter.amount
    return Footprint(comparison, tuple(found.values), defaults)
