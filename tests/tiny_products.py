"""A tiny system with a copper and a nickel comparison, and one product drawing on both.

    tinybg:  electricity 0.5 kg CO2/kWh
    tinycu:  copper, per kg: primary "mining" 4 kg CO2; scrap "remelting" 1 kg CO2;
             supply mix "cu supply" = (1 - scrap_share) primary + scrap_share scrap
    tinyni:  the nickel system of tiny_blend.py (cathode material = 3 + 0.5 x nickel route;
             routes: primary 10, recycled 2)
    tinyprod, product "gadget" (declared 2.4 kg):
        wiring   (part): 2 kg copper supply + 1 kWh   -> 2 x 4 + 1 x 0.5 = 8.5   (scrap: 2 x 1 + 0.5 = 2.5)
        battery  (part): 0.4 kg cathode material      -> 0.4 x (3 + 0.5 x 10) = 3.2
                         at 20 % recycled nickel      -> 0.4 x (3 + 0.5 x (0.8 x 10 + 0.2 x 2)) = 2.88
        assembly (the product itself): 2 kWh          -> 1.0
        total = 8.5 + 3.2 + 1.0 = 12.7; mass = 2 + 0.4 = 2.4 kg
"""

from __future__ import annotations

from tiny import background_activities
from tiny_blend import PARAMETERS, blend_activities
from workbooks import CO2, activity, bio, tech, write_workbook

TOTAL = 8.5 + 3.2 + 1.0


def copper_activities():
    return [
        activity("cu mining", "cu-mine", stage="mining", exchanges=[bio(CO2, 4)]),
        activity("cu, primary", "cu-primary", comparison="copper", route="primary", route_label="Primary copper",
                 exchanges=[tech("cu mining", 1)]),
        activity("cu remelting", "cu-remelt", stage="remelting", exchanges=[bio(CO2, 1)]),
        activity("cu, scrap", "cu-scrap", comparison="copper", route="scrap", route_label="Scrap copper",
                 exchanges=[tech("cu remelting", 1)]),
        activity("cu supply", "cu-supply", supply_of="copper", supply_basis="cathode", conventional_supply="primary",
                 chosen_supply="scrap", product_quantity="copper_cathode_kg",
                 product_quantity_label="copper cathode (kg)",
                 exchanges=[tech("cu, primary", 1, formula="1 - scrap_share"),
                            tech("cu, scrap", 0, formula="scrap_share")]),
    ]


def product_activities(declared=2.4, extra=()):
    return [
        activity("wiring", "wiring", unit="unit", stage="wiring",
                 exchanges=[tech("cu supply", 2, database="tinycu"),
                            tech("electricity", 1, unit="kilowatt hour", database="tinybg")]),
        activity("battery", "battery", unit="unit", stage="battery",
                 exchanges=[tech("cathode", 0.4, database="tinyni")]),
        activity("gadget", "gadget", unit="unit", stage="assembly", product="gadget", product_label="Gadget",
                 **{"declared mass (kg)": declared},
                 exchanges=[tech("wiring", 1, unit="unit"), tech("battery", 1, unit="unit"),
                            tech("electricity", 2, unit="kilowatt hour", database="tinybg"), *extra]),
    ]


def write_products(folder, declared=2.4, extra_products=()):
    folder.mkdir(parents=True, exist_ok=True)
    write_workbook(folder / "tinybg.xlsx", "tinybg", background_activities())
    write_workbook(folder / "tinycu.xlsx", "tinycu", copper_activities(),
                   {"scrap_share": {"amount": 0, "minimum": 0, "maximum": 1}})
    write_workbook(folder / "tinyni.xlsx", "tinyni", blend_activities("nickel"), PARAMETERS)
    return write_workbook(folder / "tinyprod.xlsx", "tinyprod", product_activities(declared) + list(extra_products))
