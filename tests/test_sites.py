"""Sites: an activity with 'site' and 'site regions' rows, the region it runs in chosen by parameters.

The tiny system (all flows fossil CO2, so GWP100 = kg CO2):

    tinysitebg:  electricity JP 0.5 kg/kWh; electricity US 0.2 kg/kWh; steel 1 kg/kg
    tinysite:    parameter us_share (0, allowed 0 to 1)
        power at the plant (site 'plant'; JP: us_share = 0; US: us_share = 1), per kWh:
                             (1 - us_share) kWh JP electricity + us_share kWh US electricity
        frame (part):        1 kg steel + 2 kWh at the plant  -> JP: 1 + 2 x 0.5 = 2.0; US: 1 + 2 x 0.2 = 1.4
        finishing (part):    1 kWh JP electricity             -> 0.5 (made by a supplier: stays on JP)
        widget (product, 1 kg): 1 frame + 1 finishing         -> JP 2.5, US 1.9

Data-quality ratings are 1 everywhere but on the frame's input from the plant, (3, 3, 1), and the
plant's US input (1, 2, 1): the plant only splits the frame's kWh between regions, so the frame's
electricity is rated per indicator the worse of the two exchanges (and of the grid's own rating, 1).
"""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from workbooks import CO2, activity, bio, tech, write_workbook

from lca.errors import InventoryError, SiteError
from lca.inventory.load import load_inventory
from lca.inventory.site_rows import parse_regions
from lca.runs.footprint import FootprintRequest, footprint
from lca.runs.session import Changes, Where, open_session
from lca.subjects.changes import Change
from lca.subjects.sites import site_changes

GOOD = {"TeR": 1, "GeR": 1, "TiR": 1, "primary data": "no"}
REGIONS = "JP: us_share = 0; US: us_share = 1"
JP_TOTAL = (1 + 2 * 0.5) + 0.5
US_TOTAL = (1 + 2 * 0.2) + 0.5


def _background():
    return [activity("electricity", "elec-jp", unit="kilowatt hour", location="JP", exchanges=[bio(CO2, 0.5, **GOOD)]),
            activity("electricity", "elec-us", unit="kilowatt hour", location="US", exchanges=[bio(CO2, 0.2, **GOOD)]),
            activity("steel", "steel", exchanges=[bio(CO2, 1.0, **GOOD)])]


def _kwh(location, amount, **extra):
    return tech("electricity", amount, unit="kilowatt hour", location=location, database="tinysitebg",
                **{**GOOD, **extra})


def _site(regions=REGIONS, jp="1 - us_share", us="us_share", jp_amount=1, **rows):
    meta = {"site": "plant", "site_regions": regions}
    meta.update(rows)
    meta = {k: v for k, v in meta.items() if v is not None}
    return activity("power at the plant", "plant-power", unit="kilowatt hour", location="JP",
                    exchanges=[_kwh("JP", jp_amount, formula=jp), _kwh("US", 0, formula=us, GeR=2)], **meta)


def _write(folder, site=None, widget_draws_on_the_plant=False):
    folder.mkdir(parents=True, exist_ok=True)
    write_workbook(folder / "tinysitebg.xlsx", "tinysitebg", _background())
    direct = [tech("power at the plant", 1, unit="kilowatt hour", location="JP", **GOOD)] if widget_draws_on_the_plant \
        else []
    products = [
        site or _site(),
        activity("frame", "frame", unit="unit", stage="frame",
                 exchanges=[tech("steel", 1, database="tinysitebg", **GOOD),
                            tech("power at the plant", 2, unit="kilowatt hour", location="JP", TeR=3, GeR=3, TiR=1,
                                 **{"primary data": "no"})]),
        activity("finishing", "finishing", unit="unit", stage="finishing", exchanges=[_kwh("JP", 1)]),
        activity("widget", "widget", unit="unit", product="widget", product_label="Widget",
                 **{"declared mass (kg)": 1.0},
                 exchanges=[tech("frame", 1, unit="unit", **GOOD), tech("finishing", 1, unit="unit", **GOOD),
                            *direct]),
    ]
    write_workbook(folder / "tinysite.xlsx", "tinysite", products,
                   {"us_share": {"amount": 0, "minimum": 0, "maximum": 1, "lower limit": 0, "upper limit": 1}})
    return folder


@pytest.fixture(scope="module")
def plant(tmp_path_factory):
    return _write(tmp_path_factory.mktemp("sites") / "inventories")


def _run(data_dir, folder, **changes):
    request = FootprintRequest(product="widget", changes=Changes(**changes))
    return footprint(request, Where(data_dir=str(data_dir), inventories=str(folder)))


def test_the_site_offers_its_regions_and_changes_the_part_that_draws_on_it(data_dir, plant):
    with open_session(Where(data_dir=str(data_dir), inventories=str(plant))) as session:
        sites = session.sites
    assert list(sites) == ["plant"]
    assert sites["plant"].regions == (("JP", (("tinysite.us_share", 0.0),)), ("US", (("tinysite.us_share", 1.0),)))
    jp = _run(data_dir, plant).results[0]
    us = _run(data_dir, plant, fixed=site_changes(sites, {"plant": "US"}, "--site plant=US")).results[0]
    assert jp.total == pytest.approx(JP_TOTAL, rel=1e-6)
    assert us.total == pytest.approx(US_TOTAL, rel=1e-6)
    assert dict(jp.parts) == pytest.approx({"frame": 1 + 2 * 0.5, "finishing": 0.5}, rel=1e-6)
    assert dict(us.parts) == pytest.approx({"frame": 1 + 2 * 0.2, "finishing": 0.5}, rel=1e-6)


def test_the_site_input_carries_the_rating_of_the_exchange_that_draws_on_it(data_dir, plant):
    jp = _run(data_dir, plant).product_qualities[0]
    # steel 1.0 (rated 1); the frame's 1.0 through the plant (worse of (3, 3, 1) and (1, 1, 1)); finishing 0.5 (1)
    assert jp.technological == pytest.approx((1.0 * 1 + 1.0 * 3 + 0.5 * 1) / JP_TOTAL, rel=1e-6)
    assert jp.geographical == pytest.approx((1.0 * 1 + 1.0 * 3 + 0.5 * 1) / JP_TOTAL, rel=1e-6)
    assert jp.temporal == pytest.approx(1.0)
    assert jp.coverage == pytest.approx(1.0)
    us = _run(data_dir, plant, sets=("tinysite.us_share=1",)).product_qualities[0]
    assert us.geographical == pytest.approx((1.0 * 1 + 0.4 * max(3, 2) + 0.5 * 1) / US_TOTAL, rel=1e-6)


def test_site_changes_give_the_region_values_and_name_what_is_offered(data_dir, plant):
    with open_session(Where(data_dir=str(data_dir), inventories=str(plant))) as session:
        sites = session.sites
    assert site_changes(sites, {"plant": "JP"}, "test") == (Change("tinysite.us_share", 0.0, "test"),)
    assert site_changes(sites, {"plant": "US"}, "test") == (Change("tinysite.us_share", 1.0, "test"),)
    assert site_changes(sites, {}, "test") == ()
    with pytest.raises(SiteError, match=r"unknown site 'plnat'\. Did you mean 'plant'\? Known: plant\."):
        site_changes(sites, {"plnat": "US"}, "test")
    with pytest.raises(SiteError, match=r"unknown region 'USA' of site 'plant'\. Did you mean 'US'\? Known: JP, US\."):
        site_changes(sites, {"plant": "USA"}, "test")


def test_parse_regions():
    assert parse_regions(" JP: a = 0 ;US:a=1, b = 2.5; ") == (("JP", (("a", 0.0),)), ("US", (("a", 1.0), ("b", 2.5))))
    for text, reason in [("JP a = 0; US: a = 1", "has no ':'"), ("JP: a = 0,5; US: a = 1", "decimal comma"),
                         ("JP: a = x; US: a = 1", "not a finite number"), ("JP: a = 0; JP: a = 1", "given twice"),
                         ("1X: a = 0; US: a = 1", "not a location code"), ("JP: a = 0, a = 1; US: a = 1", "twice"),
                         ("JP: a = nan; US: a = 1", "not a finite number"),
                         ("JP: 2a = 0; US: a = 1", "parameter name")]:
        with pytest.raises(ValueError, match=reason):
            parse_regions(text)


def _row_of(folder, key: str) -> int:
    sheet = load_workbook(folder / "tinysite.xlsx")["inventory"]
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == key)


def _problems(folder):
    with pytest.raises(InventoryError) as caught:
        load_inventory(folder)
    return caught.value.problems


def test_the_tiny_plant_is_clean(plant):
    load_inventory(plant)


@pytest.mark.parametrize("regions, message, hint", [
    ("JP us_share = 0; US: us_share = 1", "has no ':' after the region", "REGION: parameter = value"),
    ("JP: us_share = 0,5; US: us_share = 1", "decimal comma", "e.g. JP: cell_plant_us_share = 0"),
    ("JP: us_shar = 0; US: us_shar = 1", "'us_shar' is not a parameter of tinysite (did you mean us_share?)",
     "name a database parameter of tinysite"),
    ("JP: us_share = 0; US: us_share = 1.5", "us_share = 1.5 is outside its allowed range 0 to 1",
     "give us_share a value 0 to 1"),
    ("JP: us_share = 0", "has 1 region", "add the values of another region"),
], ids=["syntax", "decimal-comma", "unknown-parameter", "out-of-bounds", "one-region"])
def test_a_bad_regions_row_is_refused_at_its_cell(tmp_path, regions, message, hint):
    folder = _write(tmp_path, site=_site(regions))
    problems = _problems(folder)  # one per bad value (the unknown parameter: one per region)
    cell = ("tinysite.xlsx", "inventory", _row_of(folder, "site regions"), "B")
    assert [(p.where.file, p.where.sheet, p.where.row, p.where.column) for p in problems] == [cell] * len(problems)
    assert message in problems[0].message and hint in problems[0].hint


def test_a_region_whose_values_draw_from_another_location_is_refused_at_the_input(tmp_path):
    folder = _write(tmp_path, site=_site("JP: us_share = 1; US: us_share = 0"))
    problems = _problems(folder)
    messages = [p.message for p in problems]
    assert len(problems) == 2, messages
    jp = next(p for p in problems if "under region JP's values" in p.message)
    assert "draws 1 kilowatt hour of 'electricity' located in US, not in JP" in jp.message
    assert jp.where.file == "tinysite.xlsx" and jp.where.column is not None
    sheet = load_workbook(folder / "tinysite.xlsx")["inventory"]
    assert sheet[f"E{jp.where.row}"].value == "US"  # the row of the US input
    assert "make the input's formula 0 under region JP's values" in jp.hint
    assert any("under region US's values" in m and "located in JP, not in US" in m for m in messages)


def test_a_region_under_which_nothing_is_drawn_is_refused(tmp_path):
    folder = _write(tmp_path, site=_site(jp="0", us="0", jp_amount=0))
    messages = [p.message for p in _problems(folder)]
    assert any("under region JP's values it draws no input at all" in m for m in messages), messages


@pytest.mark.parametrize("rows, present, missing", [
    ({"site_regions": None}, "site", "site regions"),
    ({"site": None}, "site regions", "site"),
], ids=["site-without-regions", "regions-without-site"])
def test_one_site_row_without_the_other_is_refused(tmp_path, rows, present, missing):
    folder = _write(tmp_path, site=_site(**rows))
    problems = _problems(folder)
    found = [p for p in problems if f"has a '{present}' row but no '{missing}'" in p.message]
    assert found, [p.message for p in problems]
    assert found[0].where.row == _row_of(folder, present) and found[0].where.column == "B"
    assert f"add the row '{missing}'" in found[0].hint


def test_an_activity_without_a_stage_drawing_on_a_site_is_refused(tmp_path):
    """The product itself (no stage, no burden of its own: the product check lets it pass) draws 1 kWh at
    the plant: that kWh would be in no part."""
    folder = _write(tmp_path, widget_draws_on_the_plant=True)
    problems = _problems(folder)
    assert [p.message for p in problems] == ["activity 'widget' draws on site 'plant' ('power at the plant'), which "
                                             "has no 'stage', but has no 'stage' itself: the site's burden would be "
                                             "in no stage"]
    sheet = load_workbook(folder / "tinysite.xlsx")["inventory"]
    widget = next(r[0].row for r in sheet.iter_rows() if r[0].value == "Activity" and r[1].value == "widget")
    assert (problems[0].where.file, problems[0].where.row, problems[0].where.column) == ("tinysite.xlsx", widget, "B")
    assert "add a row 'stage' to 'widget'" in problems[0].hint


# --- the shipped cell plant ------------------------------------------------------------------------


def _parameters(path):
    """name -> amount of a shipped workbook's database parameters, as written in the workbook."""
    sheet = load_workbook(path)["inventory"]
    values, inside = {}, False
    for row in sheet.iter_rows(values_only=True):
        if row[0] == "Database parameters":
            inside = True
        elif inside and row[0] not in (None, "name"):
            values[row[0]] = row[1]
        elif inside and row[0] is None and values:
            break
    return values


def _us_grid_generation(path) -> float:
    """kWh generated per kWh delivered of the US grid mix, as written in the workbook."""
    rows = list(load_workbook(path)["inventory"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "code" and r[1] == "elec-grid-us")
    return next(r[1] for r in rows[start:] if r[0] == "electricity, generation mix" and r[6] == "technosphere")


def test_the_shipped_cell_plant_moves_exactly_its_electricity_to_the_us_grid(data_dir):
    from lca.paths import shipped_inventories

    folder = shipped_inventories()
    bg, p = _parameters(folder / "background.xlsx"), _parameters(folder / "products.xlsx")
    jp_per_kwh = bg["grid_jp_co2"] * (1 + bg["gen_wtt_ratio"])  # sales-end factor: the loss is already in it
    us_per_kwh = bg["grid_us_co2"] * (1 + bg["gen_wtt_split"]) * _us_grid_generation(folder / "background.xlsx")
    jellyroll = (1 - p["can_steel_share"] - p["can_plastic_share"]) / sum(
        p[f"prem_{part}"] for part in ("cathode", "anode", "electrolyte", "cu_foil", "al_foil", "separator"))
    cells_per_kwh = 1000 / (p["cell_ah"] * p["cell_v"])
    kwh = {"cathode": p["cell_mass_kg"] * jellyroll * p["prem_cathode"] * p["cath_elec_kwh_per_kg"]
           / (1 - p["cathode_scrap_rate"]),
           "anode": p["cell_mass_kg"] * jellyroll * p["prem_anode"] * p["an_elec_kwh_per_kg"],
           "cell manufacturing": p["cell_mass_kg"] * p["cell_elec_kwh_per_kg"]}
    assert p["cell_plant_us_share"] == 0

    with open_session(Where(data_dir=str(data_dir))) as session:
        assert session.sites["cell plant"].codes == ("JP", "US")
    where = Where(data_dir=str(data_dir))
    base = footprint(FootprintRequest(product="cell-2170-kwh"), where).results[0]
    moved = footprint(FootprintRequest(product="cell-2170-kwh", changes=Changes(
        sets=("cfp_products.cell_plant_us_share=1",))), where).results[0]
    change = (us_per_kwh - jp_per_kwh) * cells_per_kwh * sum(kwh.values())
    assert change < 0  # the US grid is lower than the Japanese one in 2022
    assert moved.total - base.total == pytest.approx(change, rel=1e-4)
    parts, moved_parts = dict(base.parts), dict(moved.parts)
    for part, amount in kwh.items():
        assert moved_parts[part] - parts[part] == pytest.approx((us_per_kwh - jp_per_kwh) * cells_per_kwh * amount,
                                                                rel=1e-3)
    for part in set(parts) - set(kwh):  # the electrolyte and the copper foil stay on the Japanese grid
        assert moved_parts[part] == pytest.approx(parts[part], rel=1e-9)
