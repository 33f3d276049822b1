"""Plain records (dicts with stable keys) of results, shared by the JSON and CSV renderers."""

from __future__ import annotations

from lca.analysis.calculate import RESULT_DIGITS

__all__ = ["product_rows", "rounded"]


def rounded(value: float | None, digits: int = RESULT_DIGITS) -> float | None:
    """Round to ``digits`` significant digits: Brightway's float32 data carry ~1e-7 noise."""
    if value is None:
        return None
    result = float(f"{value:.{digits}g}")
    return 0.0 if result == 0 else result


def product_rows(products) -> list[dict]:
    """One row per product: unit, declared mass, the mass its materials add up to, the gap."""
    return [{"product": p.id, "label": p.label, "unit": p.unit, "declared_mass_kg": p.declared_mass_kg,
             "materials_mass_kg": round(p.materials_mass_kg, 6),
             "mass_gap": round((p.materials_mass_kg - p.declared_mass_kg) / p.declared_mass_kg, 6)}
            for p in products]
