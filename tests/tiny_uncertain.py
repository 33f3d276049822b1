"""The tiny system of tests/tiny.py with distributions, so that Monte Carlo results are known exactly.

    electricity (kWh):   elec_co2 kg CO2, elec_co2 = 0.5 (a parameter; uniform 0.4 to 0.6 in the
                         sensitivity variant, exact otherwise)
    route A (kg):        2 kWh (normal, sd 0.2) + 1 kg CO2 (normal, sd 0.1) + 0.1 kg CH4 (normal, sd 0.01)
    route B (kg):        1 kWh + 0.2 kg CO2 + haul_co2 kg CO2, haul_co2 = 3 (a parameter, normal, sd 0.3)

Every score is a sum of independent normals (CH4 counts 29.8, IPCC 2021 GWP100), so:

    A:      mean 2 * 0.5 + 1 + 0.1 * 29.8 = 4.98
            variance (0.2 * 0.5)**2 + 0.1**2 + (0.01 * 29.8)**2 = 0.108804
    B:      mean 0.5 + 0.2 + 3 = 3.7, variance 0.3**2 = 0.09
    A - B:  mean 1.28, variance 0.108804 + 0.09 = 0.198804 (A and B share no uncertain input)

With elec_co2 uniform on 0.4..0.6 (variance 0.2**2 / 12), A - B = 1 kWh x elec_co2 + ..., so the
parameters' shares of the variance of A - B from parameters alone are
    haul_co2: 0.09 / (0.09 + 0.04 / 12) = 0.9643,   elec_co2: (0.04 / 12) / (0.09 + 0.04 / 12) = 0.0357.
"""

from __future__ import annotations

from workbooks import CH4, CO2, activity, bio, tech, write_workbook

MEAN_A, VAR_A = 2 * 0.5 + 1 + 0.1 * 29.8, (0.2 * 0.5) ** 2 + 0.1**2 + (0.01 * 29.8) ** 2
MEAN_B, VAR_B = 0.5 + 0.2 + 3, 0.3**2
VAR_ELEC = 0.2**2 / 12
SHARE_HAUL = VAR_B / (VAR_B + VAR_ELEC)

NORMAL = 3  # stats_arrays ids
UNIFORM = 4


def write_tiny_uncertain(folder, *, elec_uniform=False):
    folder.mkdir(parents=True, exist_ok=True)
    elec = {"amount": 0.5, "unit": "kg CO2 / kWh"}
    if elec_uniform:
        elec.update({"uncertainty type": UNIFORM, "minimum": 0.4, "maximum": 0.6})
    write_workbook(folder / "tinybg.xlsx", "tinybg",
                   [activity("electricity", "elec", unit="kilowatt hour",
                             exchanges=[bio(CO2, 0.5, formula="elec_co2")])],
                   parameters={"elec_co2": elec})
    return write_workbook(folder / "tiny.xlsx", "tiny", [
        activity("making", "make", stage="make",
                 exchanges=[tech("electricity", 2, unit="kilowatt hour", database="tinybg",
                                 **{"uncertainty type": NORMAL, "scale": 0.2}),
                            bio(CO2, 1, **{"uncertainty type": NORMAL, "scale": 0.1}),
                            bio(CH4, 0.1, **{"uncertainty type": NORMAL, "scale": 0.01})]),
        activity("metal, route A", "route-a", comparison="metal", route="a", route_label="Route A",
                 exchanges=[tech("making", 1)]),
        activity("melting", "melt", stage="melt",
                 exchanges=[tech("electricity", 1, unit="kilowatt hour", database="tinybg"), bio(CO2, 0.2),
                            tech("hauling", 1)]),
        activity("hauling", "haul", stage="haul", exchanges=[bio(CO2, 3.0, formula="haul_co2")]),
        activity("metal, route B", "route-b", comparison="metal", route="b", route_label="Route B",
                 exchanges=[tech("melting", 1)]),
    ], parameters={"haul_co2": {"amount": 3.0, "unit": "kg CO2 / kg", "uncertainty type": NORMAL, "scale": 0.3}})
