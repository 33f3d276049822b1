"""The mass-balance ledger (ISO 22095 / ISO 22095-2 chain of custody), for any metal.

``read`` validates the workbook (its settings in ``settings``, the rows of its sheets in ``sheets``)
into the records of ``records``, ``balance`` balances it per site and period by the credit or the
rolling-average method and traces every claimed tonne to its lots, ``links`` carries the ledger's
period values into the comparison's model, ``statement`` writes the customer's statement for one
delivery.
"""

from lca.ledger.balance import Balance, ClaimCover, PeriodBalance, TraceLine, balance
from lca.ledger.read import Claim, Conversion, Ledger, LedgerError, Receipt, period_of, periods_between, read_ledger
from lca.ledger.settings import Settings

__all__ = ["Balance", "ClaimCover", "PeriodBalance", "TraceLine", "balance", "Claim", "Conversion", "Ledger",
           "LedgerError", "Receipt", "period_of", "periods_between", "read_ledger", "Settings"]
