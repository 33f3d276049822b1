"""The words of the mass-balance statement (lca.ledger.statement), in English.

A report in another language passes its own (the ``[statement]`` table of reports/ja.toml): any
key given there replaces the English text here. Placeholders are filled with ``str.format``.
"""

from __future__ import annotations

__all__ = ["TEXTS", "wording"]

TEXTS = {
    "title": "Mass-balance statement: recycled {metal} in {product}",
    "site": "Site",
    "balance": "Balance",
    "multi_site": " (multi-site boundary)",
    "customer": "Customer",
    "delivery": "Delivery id",
    "delivery_date": "Delivery date",
    "product": "Product",
    "delivered": "{Metal} delivered",
    "claimed": "Claimed as recycled",
    "share": "Recycled content of the delivery",
    "fraction": "fraction",
    "claim": "Claim",
    "claim_text": "{claimed} t of the {delivered} t of {metal} in this delivery of {product} ({share}) count as "
                  "{wording}, under a mass-balance chain of custody (ISO 22095:2020, ISO 22095-2:2026), {method}",
    # what a claimed tonne is (lca.ledger.settings.Settings.claim_wording, in these words)
    "claim_wording": "{metal} recovered from {input} ({kind} scrap: {eligible})",
    "method_credit": "credit method",
    "method_rolling-average": "rolling-average percentage method",
    "evidence": "Balance evidence",
    "period": "Balancing period",
    "conversion": "Conversion factor (t {metal} in product per t in scrap)",
    "conversion_evidence": "Conversion factor and output evidence",
    "output": "Output of the period ({metal} in {product})",
    "delivered_before": "Delivered before this claim in the period",
    "eligible": "Eligible scrap {metal} received in the period",
    "other": "Other scrap {metal} received (no credit: {other})",
    "none": "none",
    "opening": "Credits carried in",
    "credits_in": "Credits in (eligible scrap x conversion factor)",
    "used": "Credits used in the period",
    "claims_out": "Claimed as recycled in the period",
    "expired": "Credits expired at period end",
    "closing": "Closing balance (carried out)",
    "available_before": "Credit available just before this claim",
    "available_after": "Credit available just after this claim",
    "window_share": "Window share (credits over output of the window)",
    "recycled_share": "Recycled share of the period's output",
    "most": "Most this delivery may claim (share x delivered)",
    "footprint": "Carbon footprint of the delivery",
    "comparison": "Comparison model",
    "method": "Method",
    "functional_unit": "Functional unit of the model",
    "value_conversion factor": "Conversion factor of the lots used ({metal})",
    "value_metal content": "Metal content of the lots used ({metal})",
    "value_used": "used in the model as {parameter}",
    "value_unused": "not used: no link in the settings",
    "default": "Model default of {parameter}",
    "default_note": "replaced by the ledger's value",
    "parameter_note": "Note on the model's parameters",
    "cfp_route": "CFP per t, {route}",
    "per_t": "{unit} per t",
    "cfp_delivery": "CFP of this delivery (claimed t x recycled route + rest x reference route)",
    "cfp_per_t": "CFP per t of metal in this delivery",
    "comparison_heading": "Comparison, not part of the CFP (ISO 14067 counts no avoided emissions)",
    "reference_metal": "The same metal from the reference route",
    "difference": "Difference: reference route minus this delivery",
    "provenance": "Provenance",
    "ledger_file": "Ledger file",
    "ledger_sha256": "Ledger SHA-256",
    "fingerprint": "Inventory fingerprint",
    "tool": "Tool",
    "command": "Command",
    "header": "{product}: delivery {delivery}",
    "yes": "yes",
    "no": "no",
    "receipts_header": "site; category; eligible; lots; scrap (t); {metal} (t); credits (t)",
    "origin": "ledger {ledger} ({what} of {basis})",
    "origin_basis": "the {parts} lot parts traced to delivery {delivery}",
    "what_conversion factor": "conversion factor",
    "what_metal content": "metal content",
    "trace_header": "lot id; Receipts row; received; site; category; credit used (t)",
}


def wording(texts: dict | None = None) -> dict:
    """The English words with those of ``texts`` in their place."""
    return {**TEXTS, **{k: str(v) for k, v in (texts or {}).items() if k in TEXTS}}
