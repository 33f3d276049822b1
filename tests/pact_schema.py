"""A JSON Schema of the PACT v3 ProductFootprint, written here from the field definitions of the
specification (WBCSD, Technical Specifications for PCF Data Exchange v3.0, ``spec/v3/openapi.yaml``
of ``wbcsd/data-exchange-protocol``, read 2026-12-03). The specification's own schema is not vendored:
its licence does not allow redistribution. The rules the JSON Schema cannot say (the sums that define
the two PCF values, the validity period) are in :func:`rule_problems`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

DECIMAL = {"type": "string", "pattern": r"^[+-]?\d+(\.\d+)?$"}
POSITIVE_OR_ZERO = {"type": "string", "pattern": r"^[+]?\d+(\.\d+)?$"}
POSITIVE_NON_ZERO = {"type": "string", "pattern": r"^[+]?(\d*[1-9]\d*)(\.\d+)?|(0+\.\d*[1-9]\d*)$"}
NEGATIVE_OR_ZERO = {"type": "string", "pattern": r"^(-\d+(\.\d+)?)|0+(\.0+)?$"}
URN = {"type": "string", "pattern": r"^([uU][rR][nN]):"}
UUID = {"type": "string", "pattern": r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}
DATE_TIME = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"}
NON_EMPTY = {"type": "string", "minLength": 1}
URNS = {"type": "array", "minItems": 1, "uniqueItems": True, "items": URN}
UNITS = ["liter", "kilogram", "cubic meter", "kilowatt hour", "megajoule", "ton kilometer", "square meter",
         "piece", "hour", "megabit second"]
REGIONS = ["Africa", "Americas", "Asia", "Europe", "Oceania", "Australia and New Zealand", "Central Asia",
           "Eastern Asia", "Eastern Europe", "Latin America and the Caribbean", "Melanesia", "Micronesia",
           "Northern Africa", "Northern America", "Northern Europe", "Polynesia", "South-eastern Asia",
           "Southern Asia", "Southern Europe", "Sub-Saharan Africa", "Western Asia", "Western Europe"]

CARBON_FOOTPRINT = {
    "type": "object",
    "required": ["declaredUnitOfMeasurement", "declaredUnitAmount", "productMassPerDeclaredUnit",
                 "referencePeriodStart", "referencePeriodEnd", "pcfExcludingBiogenicUptake",
                 "pcfIncludingBiogenicUptake", "fossilGhgEmissions", "fossilCarbonContent",
                 "ipccCharacterizationFactors", "crossSectoralStandards", "exemptedEmissionsPercent"],
    "additionalProperties": False,
    "properties": {
        "declaredUnitOfMeasurement": {"type": "string", "enum": UNITS},
        "declaredUnitAmount": POSITIVE_NON_ZERO,
        "productMassPerDeclaredUnit": DECIMAL,
        "referencePeriodStart": DATE_TIME,
        "referencePeriodEnd": DATE_TIME,
        "geographyRegionOrSubregion": {"type": "string", "enum": REGIONS},
        "geographyCountry": {"type": "string", "pattern": r"^[A-Z]{2}$"},
        "geographyCountrySubdivision": {"type": "string", "pattern": r"^[A-Z]{2}-[A-Z0-9]{1,3}$"},
        "boundaryProcessesDescription": {"type": "string"},
        "pcfExcludingBiogenicUptake": DECIMAL,
        "pcfIncludingBiogenicUptake": DECIMAL,
        "fossilCarbonContent": POSITIVE_OR_ZERO,
        "biogenicCarbonContent": POSITIVE_OR_ZERO,
        "recycledCarbonContent": POSITIVE_OR_ZERO,
        "fossilGhgEmissions": POSITIVE_OR_ZERO,
        "landUseChangeGhgEmissions": POSITIVE_OR_ZERO,
        "landCarbonLeakage": POSITIVE_OR_ZERO,
        "landManagementFossilGhgEmissions": POSITIVE_OR_ZERO,
        "landManagementBiogenicCO2Emissions": POSITIVE_OR_ZERO,
        "landManagementBiogenicCO2Removals": NEGATIVE_OR_ZERO,
        "biogenicCO2Uptake": NEGATIVE_OR_ZERO,
        "biogenicNonCO2Emissions": POSITIVE_OR_ZERO,
        "landAreaOccupation": POSITIVE_OR_ZERO,
        "aircraftGhgEmissions": POSITIVE_OR_ZERO,
        "packagingEmissionsIncluded": {"type": "boolean"},
        "packagingGhgEmissions": POSITIVE_OR_ZERO,
        "packagingBiogenicCarbonContent": POSITIVE_OR_ZERO,
        "outboundLogisticsGhgEmissions": POSITIVE_OR_ZERO,
        "ccsTechnologicalCO2CaptureIncluded": {"type": "boolean"},
        "ccsTechnologicalCO2Capture": NEGATIVE_OR_ZERO,
        "technologicalCO2CaptureOrigin": {"type": "string"},
        "technologicalCO2Removals": NEGATIVE_OR_ZERO,
        "ccuCarbonContent": POSITIVE_OR_ZERO,
        "ccuCalculationApproach": {"type": "string", "enum": ["Cut-off", "Credit"]},
        "ipccCharacterizationFactors": {"type": "array", "minItems": 1, "uniqueItems": True,
                                        "items": {"type": "string", "pattern": r"^AR\d+$"}},
        "crossSectoralStandards": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"}},
        "productOrSectorSpecificRules": {"type": "array", "items": {
            "type": "object", "required": ["operator", "ruleNames"],
            "properties": {"operator": {"type": "string", "enum": ["PEF", "EPD International", "Other"]},
                           "ruleNames": {"type": "array", "minItems": 1, "uniqueItems": True,
                                         "items": NON_EMPTY},
                           "otherOperatorName": NON_EMPTY}}},
        "exemptedEmissionsPercent": DECIMAL,
        "exemptedEmissionsDescription": {"type": "string"},
        "allocationRulesDescription": {"type": "string"},
        "secondaryEmissionFactorSources": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name", "version"],
            "properties": {"name": NON_EMPTY, "version": NON_EMPTY}}},
        "primaryDataShare": DECIMAL,
        "dqi": {"type": "object", "required": ["technologicalDQR", "geographicalDQR", "temporalDQR"],
                "properties": {k: DECIMAL for k in ("technologicalDQR", "geographicalDQR", "temporalDQR")}},
        "verification": {"type": "object"},
    },
    # at most one geography: none of them means Global
    "not": {"anyOf": [{"required": ["geographyCountry", "geographyRegionOrSubregion"]},
                      {"required": ["geographyCountry", "geographyCountrySubdivision"]},
                      {"required": ["geographyRegionOrSubregion", "geographyCountrySubdivision"]}]},
}

PRODUCT_FOOTPRINT = {
    "type": "object",
    "required": ["id", "specVersion", "created", "status", "companyName", "companyIds", "productDescription",
                 "productIds", "productNameCompany", "pcf"],
    "additionalProperties": False,
    "properties": {
        "id": UUID,
        "specVersion": {"type": "string", "pattern": r"^\d+\.\d+\.\d+(-\d{8})?$"},
        "precedingPfIds": {"type": "array", "minItems": 1, "uniqueItems": True, "items": UUID},
        "created": DATE_TIME,
        "status": {"type": "string", "enum": ["Active", "Deprecated"]},
        "validityPeriodStart": DATE_TIME,
        "validityPeriodEnd": DATE_TIME,
        "companyName": NON_EMPTY,
        "companyIds": URNS,
        "productDescription": {"type": "string"},
        "productIds": URNS,
        "productClassifications": URNS,
        "productNameCompany": NON_EMPTY,
        "comment": {"type": "string"},
        "pcf": CARBON_FOOTPRINT,
        "extensions": {"type": "array"},
    },
}


def _number(pcf: dict, key: str) -> Decimal:
    return Decimal(pcf.get(key, "0"))


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def rule_problems(document: dict) -> list[str]:
    """The specification's rules beyond the schema: the two PCF sums, ranges, the validity period."""
    pcf, problems = document["pcf"], []
    excluding = sum(_number(pcf, k) for k in (
        "fossilGhgEmissions", "landUseChangeGhgEmissions", "landManagementBiogenicCO2Emissions",
        "landManagementBiogenicCO2Removals", "technologicalCO2Removals", "ccsTechnologicalCO2Capture",
        "biogenicNonCO2Emissions"))
    if excluding != _number(pcf, "pcfExcludingBiogenicUptake"):
        problems.append(f"pcfExcludingBiogenicUptake {pcf['pcfExcludingBiogenicUptake']} != its parts {excluding}")
    if excluding + _number(pcf, "biogenicCO2Uptake") != _number(pcf, "pcfIncludingBiogenicUptake"):
        problems.append("pcfIncludingBiogenicUptake is not pcfExcludingBiogenicUptake + biogenicCO2Uptake")
    if pcf["declaredUnitOfMeasurement"] == "kilogram" and pcf["declaredUnitAmount"] != "1":
        problems.append("a bulk product in kg must have declaredUnitAmount 1")
    if not 0 <= _number(pcf, "primaryDataShare") <= 100:
        problems.append("primaryDataShare outside 0-100")
    if "dqi" in pcf and not all(1 <= Decimal(v) <= 5 for v in pcf["dqi"].values()):
        problems.append("a DQR outside 1-5")
    if pcf.get("packagingEmissionsIncluded") is False and "packagingGhgEmissions" in pcf:
        problems.append("packagingGhgEmissions given although packaging is not included")
    start, end = _time(pcf["referencePeriodStart"]), _time(pcf["referencePeriodEnd"])
    if end <= start:
        problems.append("the reference period ends before it starts")
    if "validityPeriodStart" in document:
        valid_from, valid_to = _time(document["validityPeriodStart"]), _time(document["validityPeriodEnd"])
        if valid_from < end or valid_to > end.replace(year=end.year + 3):
            problems.append("the validity period is not within 3 years after the reference period")
    return problems
