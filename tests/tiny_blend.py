"""A tiny nickel-like system with route groups, a supply mix and two bases.

Background ``tinybg``: electricity, 0.5 kg CO2 per kWh. Foreground ``tinyni`` (per kg metal):

    primary A (default):  stage "mine a"  10 kg CO2                          -> 10
    primary B:            stage "mine b"  20 kg CO2                          -> 20
    recycled:             stage "refine"  2 kWh + 1 kg CO2 = 2 * 0.5 + 1     -> 2
    supply mix:           (1 - recycled_share) primary A + recycled_share recycled
    basis "salt" (1 kg):  0.25 kg of the supply mix, nothing else
    basis "cam" (1 kg):   stage "calcination": 4 kWh = 2; 1 kg pCAM
                          pCAM, stage "precursor": 1 kg CO2 = 1; 0.5 kg of the supply mix
      own stages = 2 + 1 = 3; supply per kg CAM = 0.5
      CAM(A) = 3 + 0.5 * 10 = 8;  CAM(recycled) = 3 + 0.5 * 2 = 4;  CAM(B) = 3 + 0.5 * 20 = 13
      CAM at recycled share 0.2 = 3 + 0.5 * (0.8 * 10 + 0.2 * 2) = 7.2
"""

from __future__ import annotations

from tiny import background_activities
from workbooks import CO2, activity, bio, tech, write_workbook

PARAMETERS = {
    "recycled_share": {"amount": 0, "minimum": 0, "maximum": 1},
    "x_a": 0.6,
    "x_b": 0.4,
    "composition_sum": {"formula": "x_a + x_b", "minimum": 1, "maximum": 1},
}


def blend_activities(comparison="metal"):
    return [
        activity("mining a", "mine-a", stage="mine a", exchanges=[bio(CO2, 10)]),
        activity("metal, primary A", "route-a", comparison=comparison, route="primary", route_label="Primary A",
                 route_group="primary", default_route="yes", exchanges=[tech("mining a", 1)]),
        activity("mining b", "mine-b", stage="mine b", exchanges=[bio(CO2, 20)]),
        activity("metal, primary B", "route-b", comparison=comparison, route="primary-b", route_label="Primary B",
                 route_group="primary", exchanges=[tech("mining b", 1)]),
        activity("refining scrap", "refine", stage="refine",
                 exchanges=[tech("electricity", 2, unit="kilowatt hour", database="tinybg"), bio(CO2, 1)]),
        activity("metal, recycled", "route-r", comparison=comparison, route="recycled", route_label="Recycled",
                 route_group="recycled", exchanges=[tech("refining scrap", 1)]),
        activity("metal supply", "supply", supply_of=comparison, report_shares="0; 0.2; 1", conventional_supply=0,
                 chosen_supply=0.2,
                 exchanges=[tech("metal, primary A", 1, formula="1 - recycled_share"),
                            tech("metal, recycled", 0, formula="recycled_share")]),
        activity("salt", "salt", basis_of=comparison, basis="salt", basis_label="1 kilogram of salt",
                 exchanges=[tech("metal supply", 0.25)]),
        activity("precursor", "pcam", stage="precursor", exchanges=[tech("metal supply", 0.5), bio(CO2, 1)]),
        activity("cathode", "cam", stage="calcination", basis_of=comparison, basis="cam",
                 basis_label="1 kilogram of cathode material", product_quantity="cathode_material_kg",
                 product_quantity_label="cathode material (kg)",
                 exchanges=[tech("precursor", 1), tech("electricity", 4, unit="kilowatt hour", database="tinybg")]),
    ]


def write_blend(folder, parameters=None):
    folder.mkdir(parents=True, exist_ok=True)
    write_workbook(folder / "tinybg.xlsx", "tinybg", background_activities())
    return write_workbook(folder / "tinyni.xlsx", "tinyni", blend_activities(), parameters or PARAMETERS)
