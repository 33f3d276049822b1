"""Data-quality ratings (lca.dataquality, docs/data-quality.md): the reader, the weighted result, the script.

A tiny rated system, every figure arithmetic (IPCC 2021 GWP100: CO2 1, CH4 fossil 29.8):

    background 'electricity' (kWh): CO2 0.3 kg rated (TeR 2, GeR 3, TiR 1, not primary)
                                    CO2 0.2 kg rated (1, 1, 1, primary)  -- the same matrix cell
        -> unit score 0.5; its rating (TeR, GeR, TiR) = ((0.3 x 2 + 0.2 x 1) / 0.5, (0.3 x 3 + 0.2) / 0.5, 1)
           = (1.6, 2.2, 1.0); primary share 0.2 / 0.5 = 0.4
    route A 'making': 2 kWh electricity rated (1, 1, 1, primary) -> 1.0 kg, rated (1.6, 2.2, 1.0) (the worse
                      of the two per indicator), primary 1 x 0.4
                      CO2 1 kg rated (1, 1, 2, primary) -> 1.0
                      CH4 0.1 kg rated (3, 3, 3, not primary) -> 2.98
    route B 'melting': 1 kWh electricity, not rated -> 0.5
                       CO2 0.2 kg rated (1, 1, 1, primary) -> 0.2
            'hauling': CO2 3 kg rated (2, 2, 2, not primary) -> 3.0
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from workbooks import CH4, CO2, activity, bio, tech, write_workbook

from lca.errors import InventoryError
from lca.inventory.load import load_inventory
from lca.inventory.ratings import QUALITY_COLUMNS, read_rating

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "rate_exchanges.py"
CH4_GWP100 = 29.8  # IPCC AR6 WG1 Table 7.15, fossil methane


def rated(te, ge, ti, primary):
    return {"TeR": te, "GeR": ge, "TiR": ti, "primary data": primary}


def write_rated(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_workbook(folder / "tinybg.xlsx", "tinybg", [
        activity("electricity", "elec", unit="kilowatt hour",
                 exchanges=[bio(CO2, 0.3, **rated(2, 3, 1, "no")), bio(CO2, 0.2, **rated(1, 1, 1, "yes"))])])
    write_workbook(folder / "tiny.xlsx", "tiny", [
        activity("making", "make", stage="make",
                 exchanges=[tech("electricity", 2, unit="kilowatt hour", database="tinybg", **rated(1, 1, 1, "yes")),
                            bio(CO2, 1, **rated(1, 1, 2, "yes")), bio(CH4, 0.1, **rated(3, 3, 3, "no"))]),
        activity("metal, route A", "route-a", comparison="metal", route="a", route_label="Route A",
                 exchanges=[tech("making", 1)]),
        activity("melting", "melt", stage="melt",
                 exchanges=[tech("electricity", 1, unit="kilowatt hour", database="tinybg"),
                            bio(CO2, 0.2, **rated(1, 1, 1, "Yes")), tech("hauling", 1)]),
        activity("hauling", "haul", stage="haul", exchanges=[bio(CO2, 3, **rated(2, 2, 2, "no"))]),
        activity("metal, route B", "route-b", comparison="metal", route="b", route_label="Route B",
                 exchanges=[tech("melting", 1)]),
    ])
    return folder


# the hand arithmetic of the module docstring
ELEC_RATING = ((0.3 * 2 + 0.2 * 1) / 0.5, (0.3 * 3 + 0.2 * 1) / 0.5, 1.0)
TOTAL_A = 2 * 0.5 + 1 + 0.1 * CH4_GWP100
A = {
    "technological": (1.0 * ELEC_RATING[0] + 1.0 * 1 + 2.98 * 3) / TOTAL_A,
    "geographical": (1.0 * ELEC_RATING[1] + 1.0 * 1 + 2.98 * 3) / TOTAL_A,
    "temporal": (1.0 * ELEC_RATING[2] + 1.0 * 2 + 2.98 * 3) / TOTAL_A,
    "primary": (1.0 * 0.4 + 1.0) / TOTAL_A,
    "coverage": 1.0,
}
TOTAL_B = 0.5 + 0.2 + 3
B = {
    "technological": (0.2 * 1 + 3 * 2) / 3.2,
    "geographical": (0.2 * 1 + 3 * 2) / 3.2,
    "temporal": (0.2 * 1 + 3 * 2) / 3.2,
    "primary": 0.2 / TOTAL_B,
    "coverage": 3.2 / TOTAL_B,
}


@pytest.fixture(scope="module")
def rated_folder(tmp_path_factory):
    return write_rated(tmp_path_factory.mktemp("rated"))


def test_compare_json_carries_the_hand_computed_ratings(run, rated_folder):
    result = run.json("compare", "metal", "--inventories", rated_folder)
    a, b = result["routes"]
    assert a["total"] == pytest.approx(TOTAL_A, rel=1e-6) and b["total"] == pytest.approx(TOTAL_B, rel=1e-6)
    for route, expected in ((a, A), (b, B)):
        quality = route["data_quality"]
        assert set(quality) == {"dqr", "technological_dqr", "geographical_dqr", "temporal_dqr",
                                "primary_data_share_percent", "coverage_percent", "rated_exchanges",
                                "contributing_exchanges"}
        assert quality["technological_dqr"] == pytest.approx(expected["technological"], abs=1e-3)
        assert quality["geographical_dqr"] == pytest.approx(expected["geographical"], abs=1e-3)
        assert quality["temporal_dqr"] == pytest.approx(expected["temporal"], abs=1e-3)
        mean = (expected["technological"] + expected["geographical"] + expected["temporal"]) / 3
        assert quality["dqr"] == pytest.approx(mean, abs=1e-3)
        assert quality["primary_data_share_percent"] == pytest.approx(100 * expected["primary"], abs=0.01)
        assert quality["coverage_percent"] == pytest.approx(100 * expected["coverage"], abs=0.01)
    assert (a["data_quality"]["rated_exchanges"], a["data_quality"]["contributing_exchanges"]) == (3, 3)
    assert (b["data_quality"]["rated_exchanges"], b["data_quality"]["contributing_exchanges"]) == (2, 3)


def test_compare_table_prints_a_quality_line_per_route(run, rated_folder):
    result = run("compare", "metal", "--inventories", rated_folder)
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("data quality:")]
    dqr = (A["technological"] + A["geographical"] + A["temporal"]) / 3
    assert lines[0] == (f"data quality: DQR {dqr:.1f} (TeR {A['technological']:.1f}, GeR {A['geographical']:.1f}, "
                        f"TiR {A['temporal']:.1f}), primary data {100 * A['primary']:.0f} %, coverage 100 %")
    assert lines[1].endswith(f"coverage {100 * B['coverage']:.0f} %")


def test_unrated_workbooks_still_load_and_say_so(run, tmp_path):
    from tiny import write_tiny

    write_tiny(tmp_path)
    result = run.json("compare", "metal", "--inventories", tmp_path)
    quality = result["routes"][0]["data_quality"]
    assert quality["dqr"] is None and quality["coverage_percent"] == 0
    assert quality["rated_exchanges"] == 0 and quality["contributing_exchanges"] == 3


@pytest.mark.parametrize(("column", "value", "said"), [
    ("TeR", 4, "TeR (technological representativeness) is 4, not 1, 2 or 3"),
    ("GeR", 1.5, "GeR (geographical representativeness) is 1.5, not 1, 2 or 3"),
    ("TiR", "good", "TiR (temporal representativeness) is 'good', not 1, 2 or 3"),
    ("primary data", "maybe", "'primary data' is 'maybe', not yes or no"),
])
def test_a_bad_rating_is_refused_with_file_sheet_row_and_column(tmp_path, column, value, said):
    write_rated(tmp_path)
    from openpyxl import load_workbook

    path = tmp_path / "tiny.xlsx"
    book = load_workbook(path)
    sheet = book["inventory"]
    header = next(row for row in sheet.iter_rows() if row[0].value == "name" and any(c.value == "type" for c in row))
    letter = next(cell.column_letter for cell in header if cell.value == column)
    target = header[0].row + 2  # the first exchange after the production row
    sheet[f"{letter}{target}"] = value
    book.save(path)
    with pytest.raises(InventoryError) as caught:
        load_inventory(tmp_path)
    problems = [p for p in caught.value.problems if said in p.message]
    assert len(problems) == 1, [p.message for p in caught.value.problems]
    where = problems[0].where
    assert (where.file, where.sheet, where.row, where.column) == ("tiny.xlsx", "inventory", target, letter)
    assert problems[0].hint


def test_a_partly_rated_exchange_is_refused(tmp_path):
    values = {"TeR": 1, "GeR": 2, "TiR": None, "primary data": "no"}
    quality, problems = read_rating(values, "x")
    assert quality == () and problems[0][0] == "TiR" and "not in TiR" in problems[0][1]
    assert read_rating({"TeR": 1, "GeR": "2", "TiR": 3.0, "primary data": "YES"}, "x") == (
        (("TeR", 1), ("GeR", 2), ("TiR", 3), ("primary data", "yes")), [])
    assert read_rating({}, "x") == ((), [])


def test_plain_bw2io_keeps_the_rating_columns(rated_folder, tmp_path):
    """bw2io's ExcelImporter reads the extra columns as exchange fields, under the same keys."""
    import bw2io

    importer = bw2io.ExcelImporter(str(rated_folder / "tiny.xlsx"))
    making = next(a for a in importer.data if a["name"] == "making")
    electricity = next(e for e in making["exchanges"] if e["name"] == "electricity")
    assert {k: electricity[k] for k in QUALITY_COLUMNS} == {"TeR": 1, "GeR": 1, "TiR": 1, "primary data": "yes"}


def test_report_summary_shows_the_ratings(run, rated_folder, data_dir, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "metal.xlsx"
    result = run("report", "metal", "-o", out, "--inventories", rated_folder, "--data-dir", data_dir)
    assert result.exit_code == 0, result.output
    rows = [row for row in load_workbook(out).worksheets[0].iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if row[1] == "DQR")
    assert rows[header][:7] == ("Route", "DQR", "TeR (technology)", "GeR (geography)", "TiR (time)",
                                "Primary data share", "Coverage")
    first, second = rows[header + 1], rows[header + 2]
    assert first[2:5] == pytest.approx((A["technological"], A["geographical"], A["temporal"]), abs=0.006)
    assert first[5:7] == pytest.approx((A["primary"], 1.0), abs=1e-4)
    assert second[5:7] == pytest.approx((B["primary"], B["coverage"]), abs=1e-4)


# --- the rating script, on copies of the shipped workbooks ---------------------------------


def _exchange_rows(path: Path):
    """(row number, {label: value}) of every non-production exchange row of a workbook."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    sheet = book["inventory"]
    header, rows = None, []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        first = values[0] if values else None
        if first == "name" and "type" in values:
            header = [str(v).strip() if v is not None else "" for v in values]
            continue
        if first in (None, "") or first in ("Activity", "Exchanges", "Database"):
            header = None if first in (None, "", "Activity", "Database") else header
            continue
        if header is not None:
            record = dict(zip(header, values, strict=False))
            if str(record.get("type") or "").strip().lower() not in ("", "production"):
                rows.append((number, record))
    book.close()
    return rows


@pytest.fixture(scope="module")
def rated_copies(tmp_path_factory):
    from lca.paths import copy_shipped_inventories

    folder = tmp_path_factory.mktemp("shipped-rated")
    copy_shipped_inventories(folder)
    # an existing rating that the script must keep
    from openpyxl import load_workbook

    path = folder / "copper.xlsx"
    book = load_workbook(path)
    sheet = book["inventory"]
    kept = None
    for row in sheet.iter_rows():
        if row[0].value == "name" and any(c.value == "type" for c in row):  # the first exchange header
            header = row
            width = max(c.column for c in header if c.value is not None)
            for offset, column in enumerate(QUALITY_COLUMNS, start=1):
                if not any(c.value == column for c in header):
                    sheet.cell(row=header[0].row, column=width + offset, value=column)
            labels = {sheet.cell(row=header[0].row, column=c).value: c for c in range(1, width + 5)}
            kept = header[0].row + 2
            for column, value in (("TeR", 3), ("GeR", 3), ("TiR", 3), ("primary data", "yes")):
                sheet.cell(row=kept, column=labels[column], value=value)
            break
    book.save(path)
    result = subprocess.run([sys.executable, str(SCRIPT), *sorted(str(p) for p in folder.glob("*.xlsx"))],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    return folder, kept, result.stdout


def test_script_rates_every_exchange_of_the_shipped_workbooks(rated_copies):
    folder, _, summary = rated_copies
    assert "rated" in summary
    for path in sorted(folder.glob("*.xlsx")):
        for number, record in _exchange_rows(path):
            missing = [c for c in QUALITY_COLUMNS if record.get(c) in (None, "")]
            assert not missing, f"{path.name} row {number}: {missing} left blank"
    load_inventory(folder)  # and the reader accepts what it wrote


def test_script_keeps_an_existing_rating_and_changes_nothing_on_a_second_run(rated_copies):
    folder, kept, _ = rated_copies
    record = dict(_exchange_rows(folder / "copper.xlsx"))[kept]
    assert (record["TeR"], record["GeR"], record["TiR"], record["primary data"]) == (3, 3, 3, "yes")
    before = {p.name: p.read_bytes() for p in folder.glob("*.xlsx")}
    again = subprocess.run([sys.executable, str(SCRIPT), *sorted(str(p) for p in folder.glob("*.xlsx"))],
                           capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "0 cells filled" in again.stdout
    assert {p.name: p.read_bytes() for p in folder.glob("*.xlsx")} == before  # nothing to do: files untouched


def test_rated_shipped_copies_give_quality_for_every_route_and_product(run, rated_copies, data_dir):
    folder, _, _ = rated_copies
    result = run.json("compare", "copper", "--inventories", folder)
    for route in result["routes"]:
        quality = route["data_quality"]
        assert quality["coverage_percent"] == pytest.approx(100, abs=0.01)
        assert 1 <= quality["dqr"] <= 3 and 0 <= quality["primary_data_share_percent"] <= 100
    footprint = run("footprint", "cell-2170-kwh", "--inventories", folder, "--data-dir", data_dir,
                    "--format", "json")
    assert footprint.exit_code == 0, footprint.output
    assert json.loads(footprint.stdout)["data_quality"]["coverage_percent"] == pytest.approx(100, abs=0.01)
    every = run("footprint", "--all", "--inventories", folder, "--data-dir", data_dir, "--format", "json")
    assert every.exit_code == 0, every.output
    for row in json.loads(every.stdout)["products"]:
        assert row["data_quality"]["coverage_percent"] == pytest.approx(100, abs=0.01), row["product"]


def test_contributions_add_up_to_every_result_on_every_basis(rated_copies, data_dir):
    """The rated contributions are those of the result itself: routes, blends and bases alike."""
    from lca.analysis import dataquality
    from lca.analysis.calculate import compare
    from lca.brightway.methods import get_method
    from lca.brightway.project import open_project
    from lca.subjects.routes import find_comparison

    folder, _, _ = rated_copies
    seen = []
    original = dataquality.Analysis.quality

    def spy(self, vector):
        seen.append((vector.total, float(vector.values.sum())))
        return original(self, vector)

    method = get_method(None)
    with open_project(data_dir=data_dir, inventories=folder) as project:
        import bw2data as bd

        model = find_comparison(bd, project.databases, "nickel")
        for basis in (None, "cam"):
            result = compare(bd, model, method, basis=basis, shares=(0.2,))
            seen.clear()
            dataquality.Analysis.quality = spy
            try:
                dataquality.comparison_quality(bd, model, [result], method, None, project.databases)
            finally:
                dataquality.Analysis.quality = original
            totals = [r.total for r in result.routes + result.blends]
            assert [t for t, _ in seen] == pytest.approx(totals, rel=1e-6)
            assert [c for _, c in seen] == pytest.approx(totals, rel=1e-6)


def test_shipped_workbooks_rate_every_exchange():
    """Once `scripts/rate_exchanges.py inventories/*.xlsx` has been applied (docs/data-quality.md)."""
    unrated = [f"{path.name} row {number}" for path in sorted((ROOT / "inventories").glob("*.xlsx"))
               for number, record in _exchange_rows(path)
               if any(record.get(c) in (None, "") for c in QUALITY_COLUMNS)]
    assert not unrated, f"{len(unrated)} exchanges without a rating, e.g. {unrated[:5]}"


def test_script_refuses_a_missing_file(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "nothing.xlsx")],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode != 0 and "nothing.xlsx" in result.stderr


def test_script_leaves_no_temporary_file(tmp_path):
    shutil.copy(ROOT / "inventories" / "background.xlsx", tmp_path / "background.xlsx")
    result = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "background.xlsx")],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["background.xlsx"]
