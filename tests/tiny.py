"""The tiny hand-checkable system used across the tests.

Two workbooks: ``tinybg.xlsx`` (database ``tinybg``: electricity) and ``tiny.xlsx``
(database ``tiny``: two routes to 1 kg of metal). All flows are fossil CO2 or CH4 to air, so under IPCC 2021
GWP100 (CO2 = 1, CH4 fossil = 29.8) every score can be written as arithmetic.

    electricity (kWh):   0.5 kg CO2
    metal, route A (kg): stage "make": 2 kWh electricity + 1 kg CO2 + 0.1 kg CH4
    metal, route B (kg): stage "melt": 1 kWh electricity + 0.2 kg CO2
                         stage "haul": 3 kg CO2 per kg

    A (mining 'make' feeds route A 1:1):
        total A = 2 * 0.5 + 1 + 0.1 * 29.8 = 4.98
    B = melt + haul:
        melt = 1 * 0.5 + 0.2 = 0.7 ;  haul = 3
        total B = 3.7
"""

from __future__ import annotations

from workbooks import CH4, CO2, activity, bio, tech, write_workbook

TOTAL_A = 2 * 0.5 + 1 + 0.1 * 29.8
TOTAL_B = (1 * 0.5 + 0.2) + 3


def background_activities(elec_co2=0.5):
    return [activity("electricity", "elec", unit="kilowatt hour", exchanges=[bio(CO2, elec_co2)])]


def tiny_activities(haul_co2=3.0):
    return [
        activity("making", "make", stage="make",
                 exchanges=[tech("electricity", 2, unit="kilowatt hour", database="tinybg"), bio(CO2, 1),
                            bio(CH4, 0.1)]),
        activity("metal, route A", "route-a", comparison="metal", route="a", route_label="Route A",
                 exchanges=[tech("making", 1)]),
        activity("melting", "melt", stage="melt",
                 exchanges=[tech("electricity", 1, unit="kilowatt hour", database="tinybg"), bio(CO2, 0.2),
                            tech("hauling", 1)]),
        activity("hauling", "haul", stage="haul", exchanges=[bio(CO2, haul_co2)]),
        activity("metal, route B", "route-b", comparison="metal", route="b", route_label="Route B",
                 exchanges=[tech("melting", 1)]),
    ]


def write_tiny(folder, haul_co2=3.0, elec_co2=0.5):
    folder.mkdir(parents=True, exist_ok=True)
    write_workbook(folder / "tinybg.xlsx", "tinybg", background_activities(elec_co2))
    return write_workbook(folder / "tiny.xlsx", "tiny", tiny_activities(haul_co2))
