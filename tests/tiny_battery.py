"""A tiny battery under the EU Battery Regulation: nickel and cobalt supply mixes, one cathode material.

    tinybg:   electricity 0.5 kg CO2/kWh
    tinymet (per kg metal):
      nickel: primary "ni mining" 10 kg CO2, recycled "ni refining" 2 kg CO2;
              supply mix "ni supply" = (1 - ni_recycled) primary + ni_recycled recycled   (ni_recycled = 0)
              'recycled content of' = nickel; conventional supply 0, chosen supply 0.2
      cobalt: primary "co mining" 30 kg CO2, recycled "co refining" 5 kg CO2;
              supply mix "co supply" = (1 - co_recycled) primary + co_recycled recycled   (co_recycled = 0.3)
              'recycled content of' = cobalt; no supply rows: every scenario takes the workbook's 0.3
      cathode material (kg), stage "calcination": 1 kWh + 0.5 kg ni supply + 0.1 kg co supply
    tinycell, product "tiny-cell" per kilowatt hour, 'battery regulation' = (EU) 2023/1542, declared 4 kg:
      cathode  (part, raw material acquisition and pre-processing): 4 kg cathode material
      assembly (part, main product production): 2 kWh -> 1.0

    Per kWh at a recycled nickel share s (cobalt 0.3 from the workbook):
      nickel drawn 4 x 0.5 = 2 kg, of it recycled 2 s;  cobalt drawn 4 x 0.1 = 0.4 kg, recycled 0.4 x 0.3 = 0.12
      cathode = 4 x (0.5 + 0.5 x (10 (1 - s) + 2 s) + 0.1 x (30 x 0.7 + 5 x 0.3))
              = 27.8 at s = 0.2
"""

from __future__ import annotations

from tiny import background_activities
from workbooks import CO2, activity, bio, tech, write_workbook

RAW = "raw material acquisition and pre-processing"
MAIN = "main product production"
CO_SHARE = 0.3


def cathode_score(nickel_share: float) -> float:
    return 4 * (0.5 + 0.5 * (10 * (1 - nickel_share) + 2 * nickel_share) + 0.1 * (30 * 0.7 + 5 * 0.3))


PARAMETERS = {
    "ni_recycled": {"amount": 0, "minimum": 0, "maximum": 1},
    "co_recycled": {"amount": CO_SHARE, "minimum": 0, "maximum": 1},
    # recycling allocation (docs/allocation.md): R1 = 1, Qsin/Qp = 1, no end-of-life term
    "cff_A": 0.2, "cff_R1": 1.0, "cff_R2": 0.0, "cff_Qsin_Qp": 1.0,
}


def _metal(comparison, prefix, primary, recycled, share, edits, **rows):
    value = PARAMETERS[share]["amount"]
    mix = dict(supply_of=comparison, recycled_content_of=comparison, **rows)
    mix.update(edits.get(f"{prefix} supply", {}))
    mix = {k: v for k, v in mix.items() if v is not None}
    return [
        activity(f"{prefix} mining", f"{prefix}-mine", stage=f"{prefix} mining", exchanges=[bio(CO2, primary)]),
        activity(f"{prefix}, primary", f"{prefix}-primary", comparison=comparison, route="primary",
                 route_label=f"Primary {comparison}", route_group="primary", default_route="yes",
                 exchanges=[tech(f"{prefix} mining", 1)]),
        activity(f"{prefix} refining", f"{prefix}-refine", stage=f"{prefix} refining", exchanges=[bio(CO2, recycled)]),
        activity(f"{prefix}, recycled", f"{prefix}-recycled", comparison=comparison, route="recycled",
                 route_label=f"Recycled {comparison}", route_group="recycled",
                 exchanges=[tech(f"{prefix} refining", 1)]),
        activity(f"{prefix} supply", f"{prefix}-supply", **{k.replace(" ", "_"): v for k, v in mix.items()},
                 exchanges=[tech(f"{prefix}, primary", 1 - value, formula=f"1 - {share}"),
                            tech(f"{prefix}, recycled", value, formula=share)]),
    ]


def metal_activities(edits=None):
    edits = edits or {}
    cam = {k: v for k, v in {"stage": "calcination", **edits.get("cathode material", {})}.items() if v is not None}
    return (_metal("nickel", "ni", 10, 2, "ni_recycled", edits, conventional_supply=0, chosen_supply=0.2)
            + _metal("cobalt", "co", 30, 5, "co_recycled", edits)
            + [activity("cathode material", "cam", **cam,
                        exchanges=[tech("electricity", 1, unit="kilowatt hour", database="tinybg"),
                                   tech("ni supply", 0.5), tech("co supply", 0.1)])])


def cell_activities(edits=None):
    edits = edits or {}

    def meta(name, **rows):
        rows.update(edits.get(name, {}))
        return {k.replace(" ", "_"): v for k, v in rows.items() if v is not None}

    return [
        activity("cathode", "cathode", unit="unit", **meta("cathode", stage="cathode", **{"life-cycle stage": RAW}),
                 exchanges=[tech("cathode material", 4, database="tinymet")]),
        activity("assembly", "assembly", unit="unit", **meta("assembly", stage="assembly",
                                                             **{"life-cycle stage": MAIN}),
                 exchanges=[tech("electricity", 2, unit="kilowatt hour", database="tinybg")]),
        activity("tiny cell", "tiny-cell", unit=edits.get("unit", "kilowatt hour"),
                 **meta("tiny cell", product="tiny-cell", product_label="Tiny cell, per kWh",
                        **{"declared mass (kg)": 4, "battery regulation": "(EU) 2023/1542"}),
                 exchanges=[tech("cathode", 1, unit="unit"), tech("assembly", 1, unit="unit")]),
    ]


def write_battery(folder, metal_edits=None, cell_edits=None):
    """The three workbooks; ``*_edits``: {activity name: {row: value (None deletes)}} (cell: 'unit' too)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_workbook(folder / "tinybg.xlsx", "tinybg", background_activities())
    write_workbook(folder / "tinymet.xlsx", "tinymet", metal_activities(metal_edits), PARAMETERS)
    return write_workbook(folder / "tinycell.xlsx", "tinycell", cell_activities(cell_edits))
