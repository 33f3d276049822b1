"""`lca export pact`: PACT v3 footprints of a route, a comparison, a product and a ledger delivery.

Each export is validated against the PACT v3 schema written from the specification's field
definitions (tests/pact_schema.py) and its value checked against `lca compare`, `lca footprint` and
`lca ledger statement` for the same subject, converted to the declared unit.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook
from pact_schema import PRODUCT_FOOTPRINT, rule_problems

ROOT = Path(__file__).resolve().parents[1]
LEDGER = ROOT / "inventories" / "ledger" / "example-ledger.xlsx"
SETTINGS = """\
company:
  name: Hokuriku Copper Refining K.K.
  ids: [urn:lei:5493001KJTIIGC8Y1R12]
reference period: {start: 2022-01-01, end: 2022-12-31}
products:
  copper:
    name: Electrolytic copper cathode, grade A
    ids: [urn:gtin:4912345678904]
    fossil carbon content: 0
    biogenic carbon content: 0
    carbon content source: grade A cathode, Cu >= 99.9935 %, holds no carbon
  cell-2170:
    ids: [urn:gtin:4912345678911]
    fossil carbon content: 0.2
    biogenic carbon content: 0.01
    carbon content source: "derived: test figures, not a measured carbon content"
    exempted emissions percent: 4.5
    exempted emissions source: "derived: test figure"
"""


def valid(document: dict) -> dict:
    jsonschema.validate(document, PRODUCT_FOOTPRINT)
    assert rule_problems(document) == []
    return document


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pact") / "pact.yaml"
    path.write_text(SETTINGS)
    return path


def export(run, out: Path, *args, settings=None):
    extra = ["--config", settings] if settings is not None else []
    return run("export", "pact", *args, "-o", out, *extra)


@pytest.fixture(scope="module")
def exported(run, settings, tmp_path_factory) -> dict:
    """The exports the tests read (computed once): a route, a comparison, a product, a delivery."""
    folder = tmp_path_factory.mktemp("exports")
    jobs = {"route": ("copper/scrap",), "again": ("copper/scrap",), "comparison": ("copper",),
            "product": ("cell-2170",), "ar5": ("copper/primary", "--method", "ipcc2013-gwp100"),
            "delivery": ("--ledger", LEDGER, "--delivery", "DLV-0001")}
    out = {}
    for name, args in jobs.items():
        result = export(run, folder / f"{name}.json", *args, settings=settings)
        assert result.exit_code == 0, result.output
        out[name] = json.loads((folder / f"{name}.json").read_text())
    out["folder"] = folder
    return out


def kg(text: str) -> float:
    return float(Decimal(text))


def test_the_schema_is_not_vacuous(exported):
    document = valid(exported["route"])
    broken = [
        {k: v for k, v in document.items() if k != "companyIds"},
        {**document, "pcf": {**document["pcf"], "fossilGhgEmissions": "1e-3"}},
        {**document, "pcf": {**document["pcf"], "geographyRegionOrSubregion": "Eastern Asia"}},
        {**document, "pcf": {**document["pcf"], "declaredUnitOfMeasurement": "metric ton"}},
        {**document, "companyIds": ["lei:5493001KJTIIGC8Y1R12"]},
    ]
    for bad in broken:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, PRODUCT_FOOTPRINT)
    assert rule_problems({**document, "pcf": {**document["pcf"], "pcfExcludingBiogenicUptake": "9"}})


def test_a_route_is_valid_and_equals_lca_compare_per_kg(run, exported):
    document = valid(exported["route"])
    pcf = document["pcf"]
    compared = {r["id"]: r["total"] for r in run.json("compare", "copper")["routes"]}
    fossil_run = run.json("compare", "copper", "--method", "ipcc2021-gwp100-fossil")
    fossil = {r["id"]: r["total"] for r in fossil_run["routes"]}
    assert (pcf["declaredUnitOfMeasurement"], pcf["declaredUnitAmount"], pcf["productMassPerDeclaredUnit"]) == (
        "kilogram", "1", "1")
    assert kg(pcf["pcfExcludingBiogenicUptake"]) == pytest.approx(compared["scrap"] / 1000, rel=1e-5)
    assert kg(pcf["fossilGhgEmissions"]) == pytest.approx(fossil["scrap"] / 1000, rel=1e-5)
    assert pcf["ipccCharacterizationFactors"] == ["AR6"] and pcf["geographyCountry"] == "JP"
    assert pcf["exemptedEmissionsPercent"] == "6.7" and "docs/cut-off.md" in pcf["exemptedEmissionsDescription"]
    assert pcf["secondaryEmissionFactorSources"] == [{"name": "cfp_background", "version": "2026.1"}]
    assert pcf["referencePeriodStart"] == "2022-01-01T00:00:00Z" and pcf["referencePeriodEnd"] == "2023-01-01T00:00:00Z"
    assert "cut-off" in pcf["allocationRulesDescription"] and "dqi" not in pcf
    assert "PACT v2 matrix" in document["comment"] and "dqi is not given" in document["comment"]
    assert document["companyName"] == "Hokuriku Copper Refining K.K."
    assert document["productNameCompany"] == "Electrolytic copper cathode, grade A"
    # the same inputs give the same id
    assert exported["again"]["id"] == document["id"]


def test_a_comparison_gives_every_route_as_a_list(run, exported):
    documents = exported["comparison"]
    assert isinstance(documents, list) and len(documents) == 2
    compared = [r["total"] for r in run.json("compare", "copper")["routes"]]
    for document, total in zip(documents, compared, strict=False):
        assert kg(valid(document)["pcf"]["pcfExcludingBiogenicUptake"]) == pytest.approx(total / 1000, rel=1e-5)
    assert documents[0]["pcf"]["exemptedEmissionsPercent"] == "5"
    assert len({d["id"] for d in documents}) == 2


def test_ar5_footprint_uses_the_ipcc_2013_factors_and_its_derived_split(run, exported):
    pcf = valid(exported["ar5"])["pcf"]
    compared = {r["id"]: r["total"] for r in run.json("compare", "copper", "--method", "ipcc2013-gwp100")["routes"]}
    assert pcf["ipccCharacterizationFactors"] == ["AR5"]
    assert kg(pcf["pcfExcludingBiogenicUptake"]) == pytest.approx(compared["primary"] / 1000, rel=1e-5)
    assert kg(pcf["pcfExcludingBiogenicUptake"]) != pytest.approx(kg(exported["comparison"][0]["pcf"][
        "pcfExcludingBiogenicUptake"]), rel=1e-6)


def test_a_product_is_per_piece_with_its_declared_mass(run, exported):
    document = valid(exported["product"])
    pcf = document["pcf"]
    footprint = run.json("footprint", "cell-2170")
    products = {p["product"]: p for p in run.json("products")}
    mass = products["cell-2170"]["declared_mass_kg"]
    assert pcf["declaredUnitOfMeasurement"] == "piece" and kg(pcf["productMassPerDeclaredUnit"]) == pytest.approx(
        mass, rel=1e-6)
    assert kg(pcf["pcfExcludingBiogenicUptake"]) == pytest.approx(footprint["total"], rel=1e-5)
    # carbon content per kg x mass; the uptake of the biogenic carbon is -44/12 of it
    assert kg(pcf["fossilCarbonContent"]) == pytest.approx(0.2 * mass, abs=1e-6)
    assert kg(pcf["biogenicCO2Uptake"]) == pytest.approx(-44 / 12 * 0.01 * mass, abs=1e-6)
    assert "recycledCarbonContent" not in pcf  # not known for a product that holds carbon
    assert pcf["exemptedEmissionsPercent"] == "4.5"


def test_a_delivery_equals_the_ledger_statement(run, exported, tmp_path):
    document = valid(exported["delivery"])
    pcf = document["pcf"]
    statement = tmp_path / "statement.xlsx"
    result = run("ledger", "statement", LEDGER, "--delivery", "DLV-0001", "-o", statement)
    assert result.exit_code == 0, result.output
    rows = {r[0]: r[1] for r in load_workbook(statement).active.iter_rows(values_only=True) if r[0]}
    per_t = rows["CFP per t of metal in this delivery"]
    assert kg(pcf["pcfExcludingBiogenicUptake"]) == pytest.approx(per_t / 1000, rel=1e-5)
    # the ledger's balancing period of the claim (2025-Q4), end exclusive
    assert rows["Balancing period"] == "2025-Q4"
    assert (pcf["referencePeriodStart"], pcf["referencePeriodEnd"]) == ("2025-10-01T00:00:00Z",
                                                                        "2026-01-01T00:00:00Z")
    assert "ISO 22095" in document["comment"] and "DLV-0001" in document["productDescription"]
    # the exclusions of the blend, weighted by each route's contribution
    assert 5 <= kg(pcf["exemptedEmissionsPercent"]) <= 6.7


def test_a_changed_footprint_gets_a_new_id_naming_the_one_it_supersedes(run, exported, settings, tmp_path):
    old = exported["folder"] / "route.json"
    changed = tmp_path / "changed.json"
    result = export(run, changed, "copper/scrap", "--set", "cfp_copper.scrap_truck_km=400", "--supersedes", old,
                    settings=settings)
    assert result.exit_code == 0, result.output
    document = valid(json.loads(changed.read_text()))
    assert document["id"] != exported["route"]["id"]
    assert document["precedingPfIds"] == [exported["route"]["id"]]
    assert "supersedes" in result.stdout
    assert "cfp_copper.scrap_truck_km = 400 (--set)" in document["comment"]
    # a change that leaves this footprint as it was (a nickel parameter) keeps its id
    other = tmp_path / "other.json"
    result = export(run, other, "copper/scrap", "--set", "cfp_nickel.scrap_truck_km=400", settings=settings)
    assert result.exit_code == 0, result.output
    assert json.loads(other.read_text())["id"] == exported["route"]["id"]
    same = tmp_path / "same.json"
    result = export(run, same, "copper/scrap", "--supersedes", old, settings=settings)
    assert result.exit_code == 0, result.output
    assert json.loads(same.read_text())["id"] == exported["route"]["id"] and "unchanged" in result.stdout


@pytest.mark.parametrize("settings_text, expected", [
    (SETTINGS.replace("Hokuriku Copper Refining K.K.", "Company 1"), "line 2"),
    (SETTINGS.replace("Hokuriku Copper Refining K.K.", "TODO"), "placeholder"),
    (SETTINGS.replace("urn:lei:5493001KJTIIGC8Y1R12", "urn:company:example:company1"), "placeholder"),
    (SETTINGS.replace("urn:gtin:4912345678904", "urn:gtin:5695872369587"), "specification's examples"),
    (SETTINGS.replace("urn:lei:5493001KJTIIGC8Y1R12", "5493001KJTIIGC8Y1R12"), "is not a URN"),
    (SETTINGS.replace("    ids: [urn:gtin:4912345678904]\n", ""), "ids (product ids, URNs)"),
    (SETTINGS.replace("    carbon content source: grade A cathode, Cu >= 99.9935 %, holds no carbon\n", ""),
     "'carbon content source'"),
    (SETTINGS.replace("end: 2022-12-31", "end: 2022-13-31"), "not a date"),
    (SETTINGS.replace("products:", "product:"), "unknown key 'product'"),
])
def test_bad_settings_are_refused_with_file_and_line(run, tmp_path, settings_text, expected):
    path = tmp_path / "pact.yaml"
    path.write_text(settings_text)
    out = tmp_path / "out.json"
    result = export(run, out, "copper/scrap", settings=path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert expected in result.stderr and str(path) in result.stderr
    assert not out.exists()


NICKEL = """
  nickel:
    ids: [urn:gtin:4912345678935]
    fossil carbon content: 0
    biogenic carbon content: 0
    carbon content source: NiSO4.6H2O holds no carbon (its formula)
    exempted emissions percent: 3
    exempted emissions source: "derived: a test figure, not the tool's estimate"
"""


def test_a_comparison_per_metal_contained_is_per_kg_of_the_product(run, tmp_path):
    path = tmp_path / "pact.yaml"
    path.write_text(SETTINGS + NICKEL)
    out = tmp_path / "ni.json"
    # the nickel routes are per t of Ni contained: PACT needs the product, so --basis is asked for
    result = export(run, out, "nickel/recycled", settings=path)
    assert result.exit_code == 1 and "--basis niso4-hexahydrate" in result.stderr and not out.exists()
    result = export(run, out, "nickel/recycled", "--basis", "niso4-hexahydrate", settings=path)
    assert result.exit_code == 0, result.output
    pcf = valid(json.loads(out.read_text()))["pcf"]
    compared = {r["id"]: r["total"] for r in run.json("compare", "nickel", "--basis", "niso4-hexahydrate")["routes"]}
    assert kg(pcf["pcfExcludingBiogenicUptake"]) == pytest.approx(compared["recycled"] / 1000, rel=1e-5)
    assert (pcf["declaredUnitOfMeasurement"], pcf["productMassPerDeclaredUnit"]) == ("kilogram", "1")
    per_ni = {r["id"]: r["total"] for r in run.json("compare", "nickel")["routes"]}
    assert kg(pcf["pcfExcludingBiogenicUptake"]) < per_ni["recycled"] / 1000 / 4  # 1 kg NiSO4.6H2O: 0.223 kg Ni


def test_what_the_model_cannot_state_is_refused(run, settings, tmp_path):
    out = tmp_path / "out.json"
    # the nickel routes state no exclusions and the settings give no nickel product
    result = export(run, out, "nickel/recycled", "--basis", "niso4-hexahydrate", settings=settings)
    assert result.exit_code == 1 and "exempted emissions percent" in result.stderr
    assert "products: nickel/recycled:" in result.stderr
    for args, expected in ((("copper/scrap", "--method", "ipcc2021-gwp20"), "GWP100"),
                           (("copper/scrap", "--allocation", "avoided-burden"), "avoided emissions"),
                           (("copper/nope",), "no route 'nope'"),
                           (("steel",), "neither a comparison")):
        result = export(run, out, *args, settings=settings)
        assert result.exit_code == 1 and expected in result.stderr, result.output
    # without a settings file: the company is missing
    result = export(run, out, "copper/scrap")
    assert result.exit_code == 1 and "company name" in result.stderr
    assert not out.exists()


def test_the_output_is_never_overwritten_unasked(run, settings, tmp_path):
    out = tmp_path / "out.json"
    out.write_text("mine")
    result = export(run, out, "copper/scrap", settings=settings)
    assert result.exit_code == 1 and "--overwrite" in result.stderr and out.read_text() == "mine"
    result = export(run, tmp_path / "out.txt", "copper/scrap", settings=settings)
    assert result.exit_code == 1 and "does not end in .json" in result.stderr


# -- the tiny rated system, by hand (tests/test_data_quality.py: route A 4.98, 28.1 % primary) ------

TINY_SETTINGS = """\
company: {name: Tiny Metals GK, ids: ["urn:pact:company:customcode:tiny-001"]}
reference period: {start: 2025-04-01, end: 2026-03-31}
products:
  metal:
    ids: ["urn:pact:product:customcode:metal-1"]
    fossil carbon content: 0
    biogenic carbon content: 0
    carbon content source: the tiny metal holds no carbon
    exempted emissions percent: 2
    exempted emissions source: "derived: a test figure"
"""


def test_the_tiny_rated_route_by_hand(run, tmp_path):
    from test_data_quality import TOTAL_A, A, write_rated

    folder = write_rated(tmp_path / "inventories")
    settings = tmp_path / "pact.yaml"
    settings.write_text(TINY_SETTINGS)
    out = tmp_path / "a.json"
    result = run("export", "pact", "metal/a", "-o", out, "--config", settings, "--inventories", folder)
    assert result.exit_code == 0, result.output
    document = valid(json.loads(out.read_text()))
    pcf = document["pcf"]
    # 2 kWh x 0.5 + 1 kg CO2 + 0.1 kg CH4 x 29.8 = 4.98 kg CO2e per kg, all fossil
    assert pcf["pcfExcludingBiogenicUptake"] == pcf["fossilGhgEmissions"] == "4.98"
    assert pcf["biogenicNonCO2Emissions"] == pcf["landUseChangeGhgEmissions"] == "0"
    assert pcf["primaryDataShare"] == f"{100 * A['primary']:.1f}" == "28.1"
    assert f"technological {A['technological']:.2f}" in document["comment"]
    assert TOTAL_A == pytest.approx(4.98)
    # GLO: no geography field (PACT: global); the reference period's end is exclusive
    assert not {k for k in pcf if k.startswith("geography")}
    assert pcf["referencePeriodEnd"] == "2026-04-01T00:00:00Z"
    assert pcf["exemptedEmissionsPercent"] == "2"
    # tinybg is the background (used by tiny, using no other inventory), as the data-quality analysis sees it
    assert pcf["secondaryEmissionFactorSources"] == [{"name": "tinybg", "version": "unversioned"}]
    # route B: 0.5 of its 3.7 comes through an unrated exchange, so its primary data share is unknown
    result = run("export", "pact", "metal/b", "-o", tmp_path / "b.json", "--config", settings,
                 "--inventories", folder)
    assert result.exit_code == 1 and "86.5%" in result.stderr and "Rate every exchange" in result.stderr


@pytest.mark.parametrize("percent, source, expected", [
    ("abc", "derived: x", "is 'abc'"),
    (120, "derived: x", "is 120"),
    (3, None, "no 'exempted emissions source'"),
    (None, "derived: x", "no 'exempted emissions percent'"),
])
def test_the_exempted_emissions_rows_are_checked(run, tmp_path, percent, source, expected):
    from tiny import background_activities, tiny_activities
    from workbooks import write_workbook

    folder = tmp_path / "inventories"
    folder.mkdir()
    write_workbook(folder / "tinybg.xlsx", "tinybg", background_activities())
    activities = tiny_activities()
    meta = activities[1]["meta"]
    if percent is not None:
        meta["exempted emissions percent"] = percent
    if source is not None:
        meta["exempted emissions source"] = source
    write_workbook(folder / "tiny.xlsx", "tiny", activities)
    result = run("inventory", "check", "--inventories", folder)
    assert result.exit_code == 1 and expected in result.stderr and "tiny.xlsx" in result.stderr


def test_the_ipcc_2013_parts_add_up_to_the_whole_method_flow_by_flow():
    import zipfile

    from lca.brightway.methods import derived_entries, lcia_file

    data = json.load(zipfile.ZipFile(lcia_file()).open("data.json"))
    whole = next(e for e in data if e["name"] == ["IPCC 2013", "climate change", "global warming potential (GWP100)"])
    parts = derived_entries(data)
    assert [p["name"][1] for p in parts] == ["climate change: fossil", "climate change: biogenic",
                                             "climate change: land use"]
    flows = [tuple(cf["input"]) for p in parts for cf in p["exchanges"]]
    assert len(flows) == len(set(flows)) == len(whole["exchanges"])  # a partition
    factors = {tuple(cf["input"]): cf["amount"] for cf in whole["exchanges"]}
    assert all(factors[tuple(cf["input"])] == cf["amount"] for p in parts for cf in p["exchanges"])
    fossil = {cf["name"] for cf in parts[0]["exchanges"]}
    assert "Methane, fossil" in fossil and "Methane, non-fossil" not in fossil
    assert "Carbon monoxide, non-fossil" in {cf["name"] for cf in parts[1]["exchanges"]}
