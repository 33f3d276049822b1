"""The notes for a value set for a parameter (--set, a scenario, a ledger's values) outside today's
uncertainty range. The rules such a value obeys (its allowed range, its distribution's support and its
physical limits) are in :mod:`lca.inventory.allowed`, shared with the workbook checks of site regions."""

from __future__ import annotations

from lca.inventory.allowed import show_value as _show

__all__ = ["outside_uncertainty"]


def outside_uncertainty(model, changes: dict, origins: dict) -> list[str]:
    """Notes for changed values outside the uniform/triangular range of the workbook value they replace.

    Such a value is allowed (lca.inventory.allowed.allowed_rules: the range is the uncertainty of today's value, and
    a scenario may lie beyond it), but a reader of the result should see that it does.
    """
    notes = []
    for pid, value in changes.items():
        d = model.by_id[pid].distribution
        if d is None or d.kind not in ("uniform", "triangular") or d.minimum is None or d.maximum is None:
            continue
        if not d.minimum <= value <= d.maximum:
            notes.append(f"{origins.get(pid, '--set')}: {pid} = {_show(value)} lies outside the uncertainty range "
                         f"of its workbook value ({d.describe()}); it is fixed at that value for this run")
    return notes
