"""PACT v3 ProductFootprint documents from computed footprints (WBCSD, Technical Specifications for
PCF Data Exchange, v3.0; ``spec/v3/openapi.yaml`` of ``wbcsd/data-exchange-protocol``).

The run (lca.runs.export_pact) computes a :class:`Declared` per subject: the footprint per unit of
the subject and its fossil, biogenic and land-use parts (the method's sub-methods), the data
quality, the stated exclusions, the allocation rules. :func:`product_footprint` turns it into the
document with the settings file's company and product data, and refuses (ExportError, naming the
missing key) whatever it cannot state truthfully. Numbers are decimal strings as the spec asks:
per declared unit, six decimals at most, and ``pcfExcludingBiogenicUptake`` is the exact sum of the
rounded parts it is defined as. docs/pact.md says where each field comes from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from lca.errors import ExportError
from lca.inventory.product_rows import MASS_UNITS
from lca.inventory.units import normalize_unit

__all__ = ["Declared", "Options", "product_footprint", "footprint_id", "decimal_text", "supersede", "SPEC_VERSION",
           "UN_REGIONS"]

SPEC_VERSION = "3.0.0"
NAMESPACE = uuid.UUID("6f1c1a52-3c39-5d0e-9a57-4c0a9e4b7d21")  # this tool's namespace for footprint ids
PLACES = 6
# the subject's (canonical Brightway) unit -> PACT's declaredUnitOfMeasurement, for units counted per piece or energy
COUNTED_UNITS = {"unit": "piece", "kilowatt hour": "kilowatt hour", "megajoule": "megajoule"}
IPCC = {"IPCC 2021": "AR6", "IPCC 2013": "AR5"}
UN_REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania", "Australia and New Zealand", "Central Asia",
              "Eastern Asia", "Eastern Europe", "Latin America and the Caribbean", "Melanesia", "Micronesia",
              "Northern Africa", "Northern America", "Northern Europe", "Polynesia", "South-eastern Asia",
              "Southern Asia", "Southern Europe", "Sub-Saharan Africa", "Western Asia", "Western Europe")
GLOBAL = ("GLO", "global", "World")
DQR_NOTE = ("dqi is not given: the exchanges are rated on the PACT v2 data quality matrix (1 good to 3 poor) and "
            "the PACT v3 matrix (1 to 5) was not available to rate them against; a conversion would be a guess. "
            "PACT v3 requires dqi from 2027.")


@dataclass(frozen=True)
class Declared:
    """One subject's computed footprint, per one unit of the subject (its ``unit``)."""

    keys: tuple[str, ...]  # settings keys, most specific first (copper/scrap, copper)
    what: str  # how the messages name it: "route copper/scrap"
    label: str  # the model's label (the default product description)
    reference_product: str  # the model's product name (the default productNameCompany)
    unit: str  # the subject's unit: 'metric ton', 'kilogram', 'unit' ...
    mass_kg: float | None  # mass of one unit (a product's declared mass; None: from a mass unit)
    total: float  # kg CO2e per unit
    fossil: float
    biogenic: float  # biogenic non-CO2 (the method's biogenic part: CH4 and CO of non-fossil origin)
    land_use: float
    stages: tuple[tuple[str, float], ...]  # per unit
    location: str
    method_name: tuple[str, str, str]
    method_label: str
    quality: object = None  # lca.analysis.dataquality.DataQuality
    exempted: tuple[float, str] | None = None  # (percent, source) from the workbook
    allocation: str = ""  # the allocation rules, as text
    period: tuple[dt.date, dt.date] | None = None  # a ledger delivery's balancing period
    secondary: tuple[tuple[str, str], ...] = ()  # (database, version) of the secondary data
    notes: tuple[str, ...] = ()  # more for the comment (the ledger, the run's settings)


@dataclass(frozen=True)
class Options:
    company_name: str = ""
    company_ids: tuple[str, ...] = ()
    product_ids: tuple[str, ...] = ()
    created: dt.datetime | None = None
    tool: str = ""  # 'lca-cfp 0.x'
    fingerprint: str = ""


def decimal_text(value: float, places: int = PLACES) -> str:
    """``value`` as a PACT decimal string (no exponent, at most ``places`` decimals, no '-0')."""
    number = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _missing(declared: Declared, config, top: list[str], product: list[str]) -> ExportError:
    """What the settings must add: ``top`` keys at the top of the file, ``product`` ones under the subject."""
    where = config.file or "a settings file (--config)"
    subject = f"'products: {declared.keys[0]}:' (or '{declared.keys[-1]}:')"
    asks = [f"{', '.join(top)} at the top level (company: name, ids; reference period: start, end)" if top else "",
            f"{', '.join(product)} under {subject}" if product else ""]
    return ExportError(f"Cannot state the PACT footprint of {declared.what}: not given. Add "
                       f"{'; and '.join(a for a in asks if a)} in {where}; see inventories/pact-template.yaml. "
                       "Nothing was written.")


def _geography(declared: Declared, entry) -> dict:
    code = (entry.geography or declared.location or "").strip()
    if code in GLOBAL or not code:
        return {}
    if re.fullmatch(r"[A-Z]{2}", code):
        return {"geographyCountry": code}
    if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", code):
        return {"geographyCountrySubdivision": code}
    if code in UN_REGIONS:
        return {"geographyRegionOrSubregion": code}
    raise ExportError(f"{declared.what} is located in {code!r}, which PACT cannot state (an ISO 3166-1 country "
                      "such as JP, a subdivision such as JP-13, a UN region such as 'Eastern Asia', or GLO); set "
                      f"'geography' under 'products: {declared.keys[0]}:' in the settings file.")


def _declared_unit(declared: Declared) -> tuple[str, float, float]:
    """(PACT unit, subject units per declared unit, kg per declared unit)."""
    unit = normalize_unit(declared.unit)
    if unit in MASS_UNITS:  # bulk: per 1 kg (PACT: a bulk product in kg MUST have declaredUnitAmount 1)
        return "kilogram", 1.0 / MASS_UNITS[unit], 1.0
    if unit in COUNTED_UNITS:
        if not declared.mass_kg or declared.mass_kg <= 0:
            raise ExportError(f"{declared.what} is counted in {declared.unit!r} but declares no mass; add its "
                              "'declared mass (kg)' row in the workbook (PACT needs productMassPerDeclaredUnit).")
        return COUNTED_UNITS[unit], 1.0, declared.mass_kg
    raise ExportError(f"{declared.what} is counted in {declared.unit!r}; the PACT export handles mass units (kg, t) "
                      "pieces, kWh and MJ. Nothing was written.")


def _split(declared: Declared, per: float) -> tuple[Decimal, Decimal, Decimal]:
    """The fossil, biogenic non-CO2 and land-use parts per declared unit, rounded; checked."""
    scale = max(1.0, abs(declared.total))
    if abs(declared.fossil + declared.biogenic + declared.land_use - declared.total) > 1e-6 * scale:
        raise ExportError(
            f"The fossil, biogenic and land-use parts of {declared.what} ({declared.fossil:,.6g} + "
            f"{declared.biogenic:,.6g} + {declared.land_use:,.6g}) do not add up to its footprint "
            f"{declared.total:,.6g}; the split cannot be stated. Nothing was written.")
    out = []
    for name, value in (("fossilGhgEmissions", declared.fossil), ("biogenicNonCO2Emissions", declared.biogenic),
                        ("landUseChangeGhgEmissions", declared.land_use)):
        if value < -1e-9 * scale:
            raise ExportError(f"{name} of {declared.what} would be {value * per:,.6g} kg CO2e per declared unit; "
                              "PACT states it as zero or more (credits, e.g. from substituted by-products, are not "
                              "part of a PCF). Choose a by-product allocation without credits. Nothing was written.")
        out.append(Decimal(decimal_text(max(value, 0.0) * per)))
    return out[0], out[1], out[2]


def _validity(config, period_end: dt.date) -> dict:
    if config.validity is None:
        return {}  # PACT: then valid for 3 years after the reference period
    start, end = config.validity
    if start < period_end:
        raise ExportError(f"{config.file}: the validity period starts {start}, before the reference period ends "
                          f"({period_end}); PACT asks for a validity period after the reference period.")
    limit = dt.date(period_end.year + 3, period_end.month, min(period_end.day, 28))
    if end > limit:
        raise ExportError(f"{config.file}: the validity period ends {end}, more than 3 years after the reference "
                          f"period ends ({period_end}); PACT allows at most 3 years.")
    return {"validityPeriodStart": _stamp(start), "validityPeriodEnd": _stamp(end + dt.timedelta(days=1))}


def footprint_id(document: dict) -> str:
    """The stable id: a uuid5 of the footprint's content (the same inputs give the same id; a change of any
    stated field a new one). The free-text ``comment`` (tool version, inventories fingerprint) is left out,
    so an edit elsewhere in the inventories that leaves this footprint as it was keeps its id."""
    content = {k: v for k, v in document.items() if k not in ("id", "created", "status", "precedingPfIds", "comment")}
    return str(uuid.uuid5(NAMESPACE, json.dumps(content, sort_keys=True, separators=(",", ":"))))


def _quality(declared: Declared) -> tuple[dict, list[str]]:
    quality = declared.quality
    if quality is None or quality.exchanges == 0:
        raise ExportError(f"{declared.what} has no data-quality result; PACT requires primaryDataShare. "
                          "Nothing was written.")
    if quality.coverage < 0.999999 or quality.rated_exchanges < quality.exchanges:
        raise ExportError(
            f"Only {quality.coverage:.1%} of the footprint of {declared.what} comes through rated exchanges "
            f"({quality.rated_exchanges} of {quality.exchanges}); primaryDataShare would be a guess for the rest. "
            "Rate every exchange (columns TeR, GeR, TiR, 'primary data'; docs/data-quality.md). Nothing was written.")
    ratings = (f"data quality ratings (PACT v2 matrix, 1 good to 3 poor, weighted by contribution): technological "
               f"{quality.technological:.2f}, geographical {quality.geographical:.2f}, temporal "
               f"{quality.temporal:.2f}")
    return {"primaryDataShare": decimal_text(100.0 * quality.primary_data_share, 1)}, [ratings, DQR_NOTE]


def product_footprint(declared: Declared, config, options: Options) -> dict:
    """The PACT v3 ProductFootprint of ``declared`` (ExportError for what cannot be stated)."""
    entry = config.entry(*declared.keys)
    company = options.company_name or config.company_name
    company_ids = options.company_ids or config.company_ids
    product_ids = options.product_ids or entry.ids
    period = declared.period or config.period
    top = [name for name, value in (("company name", company), ("company ids", company_ids),
                                    ("reference period", period)) if not value]
    missing = ["ids (product ids, URNs)"] if not product_ids else []
    missing += [key for key, value in (("fossil carbon content", entry.fossil_carbon),
                                       ("biogenic carbon content", entry.biogenic_carbon)) if value is None]
    exempted = (entry.exempted_percent, entry.exempted_source) if entry.exempted_percent is not None \
        else declared.exempted
    if exempted is None:
        missing.append("exempted emissions percent (no 'exempted emissions percent' row on the route in the "
                       "workbook either; docs/cut-off.md)")
    if top or missing:
        raise _missing(declared, config, top, missing)
    short = IPCC.get(declared.method_name[0])
    if short is None or "GWP100" not in declared.method_name[2]:
        raise ExportError(f"PACT footprints are IPCC GWP100; method {' | '.join(declared.method_name)} is not. "
                          "Use --method ipcc2021-gwp100 (AR6, the default) or ipcc2013-gwp100 (AR5).")
    unit, per, mass = _declared_unit(declared)
    fossil, biogenic, land_use = _split(declared, per)
    excluding = fossil + biogenic + land_use
    uptake = Decimal(decimal_text(-44.0 / 12.0 * entry.biogenic_carbon * mass))
    quality, quality_notes = _quality(declared)
    stages = "; ".join(f"{name} {decimal_text(value * per, 4)}" for name, value in declared.stages)
    pcf = {
        "declaredUnitOfMeasurement": unit,
        "declaredUnitAmount": "1",
        "productMassPerDeclaredUnit": decimal_text(mass),
        "referencePeriodStart": _stamp(period[0]),
        "referencePeriodEnd": _stamp(period[1] + dt.timedelta(days=1)),  # exclusive
        **_geography(declared, entry),
        "boundaryProcessesDescription": f"Cradle-to-gate: {declared.label}. Stages (kg CO2e per declared unit): "
                                        f"{stages}. Capital goods, packaging and transport to the customer are "
                                        "outside the boundary.",
        "pcfExcludingBiogenicUptake": str(excluding),
        "pcfIncludingBiogenicUptake": str(excluding + uptake),
        "fossilCarbonContent": decimal_text(entry.fossil_carbon * mass),
        "biogenicCarbonContent": decimal_text(entry.biogenic_carbon * mass),
        "fossilGhgEmissions": str(fossil),
        "landUseChangeGhgEmissions": str(land_use),
        "biogenicCO2Uptake": str(uptake),
        "biogenicNonCO2Emissions": str(biogenic),
        "packagingEmissionsIncluded": False,
        "ccsTechnologicalCO2CaptureIncluded": False,
        "ipccCharacterizationFactors": [short],
        "crossSectoralStandards": list(config.standards),
        "exemptedEmissionsPercent": decimal_text(exempted[0], 2),
        "exemptedEmissionsDescription": f"Estimated exclusions under the stated cut-off criteria: {exempted[1]}",
        "allocationRulesDescription": declared.allocation,
        **quality,
    }
    if entry.fossil_carbon == 0 and entry.biogenic_carbon == 0:
        pcf["recycledCarbonContent"] = "0"
    if declared.secondary:
        pcf["secondaryEmissionFactorSources"] = [{"name": n, "version": v} for n, v in declared.secondary]
    carbon = f"carbon content: {entry.carbon_source}" if entry.carbon_source else ""
    comment = [f"Computed by {options.tool} with {declared.method_label} ({' | '.join(declared.method_name)}); "
               f"inventories fingerprint {options.fingerprint}", *declared.notes, *quality_notes, carbon]
    document = {
        "id": "",
        "specVersion": SPEC_VERSION,
        "created": (options.created or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "status": "Active",
        **_validity(config, period[1] + dt.timedelta(days=1)),
        "companyName": company,
        "companyIds": list(company_ids),
        "productDescription": entry.description or declared.label,
        "productIds": list(product_ids),
        **({"productClassifications": list(entry.classifications)} if entry.classifications else {}),
        "productNameCompany": entry.name or declared.reference_product,
        "comment": ". ".join(c.rstrip(".") for c in comment if c) + ".",
        "pcf": pcf,
    }
    document["id"] = footprint_id(document)
    return document


def _match_key(document: dict) -> tuple:
    pcf = document.get("pcf") if isinstance(document.get("pcf"), dict) else {}
    return (tuple(document.get("productIds") or ()), document.get("productDescription"),
            pcf.get("declaredUnitOfMeasurement"))


def supersede(documents: list[dict], previous: list[dict], file: str) -> tuple[list[dict], list[str]]:
    """``documents`` with ``precedingPfIds`` naming the footprint of ``previous`` (an earlier export) that
    each replaces (same product ids, description and declared unit), and notes for the user."""
    earlier = {}
    for old in previous:
        if not isinstance(old, dict) or not isinstance(old.get("id"), str):
            raise ExportError(f"{file} holds an entry without an 'id'; give a file written by `lca export pact`.")
        earlier[_match_key(old)] = old
    out, notes = [], []
    for document in documents:
        old = earlier.get(_match_key(document))
        if old is None:
            raise ExportError(f"No footprint in {file} is for the same product as {document['productDescription']!r} "
                              f"(product ids {', '.join(document['productIds'])}, per "
                              f"{document['pcf']['declaredUnitOfMeasurement']}); nothing was written. Give the "
                              "export it replaces, or leave out --supersedes.")
        chain = [i for i in old.get("precedingPfIds") or () if isinstance(i, str)]
        if old["id"] == document["id"]:
            notes.append(f"{document['productDescription']}: unchanged since {file} (same id {old['id']}).")
            preceding = chain
        else:
            notes.append(f"{document['productDescription']}: new id {document['id']} supersedes {old['id']}; mark "
                         f"{old['id']} as Deprecated where it was published.")
            preceding = [old["id"], *[i for i in chain if i != old["id"]]]
        out.append({**document, **({"precedingPfIds": preceding} if preceding else {})})
    return out, notes
