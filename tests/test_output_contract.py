"""The output contract of every result command (lca.output.envelope), read by ONE reader.

Every JSON of a computed result is an object whose top level holds the envelope: ``subject``
(kind, id, name), ``method`` (id, name), ``unit`` (result unit, functional unit, text),
``allocation`` (approach, by-products), ``changes`` ([{name, value, origin}]) and ``provenance``
(tool version, inventory fingerprint, folders shown without their absolute path). Every CSV row has
non-empty ``unit`` and ``method`` cells. :func:`read_json` and :func:`read_csv` check that, and
every result command below goes through them; the list of commands must cover every kind of
result the renderers know (``lca.output.result_kinds``), so a new command cannot skip the contract.

Also here: ``uncertainty --draws``, progress on stderr, the sensitivity seed, brief sources and
near-miss suggestions.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from lca import __version__

ENVELOPE = ("subject", "method", "unit", "allocation", "changes", "provenance")


def read_json(text: str) -> dict:
    """The JSON of a result command, its envelope checked: keys present at the top, of the right types."""
    data = json.loads(text)
    assert isinstance(data, dict), f"a result's JSON is an object, not {type(data).__name__}"
    missing = [key for key in ENVELOPE if key not in data]
    assert not missing, f"envelope keys missing: {missing}"
    subject, method, unit = data["subject"], data["method"], data["unit"]
    assert isinstance(subject, dict) and all(isinstance(subject.get(k), str) and subject[k]
                                             for k in ("kind", "id", "name")), subject
    assert isinstance(method, dict) and isinstance(method.get("id"), str) and method["id"], method
    assert isinstance(method.get("name"), list) and method["name"] and all(isinstance(p, str) for p in method["name"])
    assert isinstance(unit, dict) and all(isinstance(unit.get(k), str) and unit[k]
                                          for k in ("result", "functional_unit", "text")), unit
    assert unit["text"] == f"{unit['result']} per {unit['functional_unit']}"
    allocation = data["allocation"]
    assert isinstance(allocation, dict) and isinstance(allocation.get("approach"), str) and allocation["approach"]
    assert "byproducts" in allocation and isinstance(allocation["byproducts"], str | None)
    assert isinstance(data["changes"], list)
    for change in data["changes"]:
        assert set(change) == {"name", "value", "origin"}, change
        assert isinstance(change["name"], str) and isinstance(change["value"], int | float)
        assert isinstance(change["origin"], str) and change["origin"]
    provenance = data["provenance"]
    assert isinstance(provenance, dict) and provenance.get("tool_version") == __version__
    assert re.fullmatch(r"[0-9a-f]{64}", provenance.get("inventory_fingerprint") or ""), provenance
    for folder in ("data_folder", "inventories"):
        assert isinstance(provenance.get(folder), str) and provenance[folder]
        assert not Path(provenance[folder]).is_absolute(), f"{folder} shown as an absolute path: {provenance[folder]}"
    return data


def read_csv(text: str) -> list[dict]:
    """The CSV of a result command, read with the csv module: unit and method columns, filled in every row."""
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    assert rows, "a result's CSV has rows"
    assert "unit" in reader.fieldnames and "method" in reader.fieldnames, reader.fieldnames
    empty = [index for index, row in enumerate(rows) if not (row["unit"] or "").strip()
             or not (row["method"] or "").strip()]
    assert not empty, f"rows without unit or method: {empty}"
    assert all(None not in row for row in rows), "a row has more cells than the header"
    return rows


# (id, kind of result, arguments): every result command, small enough to run in a test
COMMANDS = [
    ("compare", "compare", ("compare", "copper")),
    ("compare-set", "compare", ("compare", "copper", "--set", "cfp_copper.scrap_truck_km=600")),
    ("compare-all-allocations", "compare", ("compare", "nickel", "--allocation", "all")),
    ("footprint", "footprint", ("footprint", "air-conditioner")),
    ("footprint-compare", "footprint", ("footprint", "air-conditioner", "--compare")),
    ("footprint-all", "footprint", ("footprint", "--all", "--compare")),
    ("uncertainty", "uncertainty", ("uncertainty", "copper", "--iterations", "50", "--seed", "1")),
    ("uncertainty-product", "uncertainty", ("uncertainty", "cell-2170-kwh", "--iterations", "50", "--seed", "1")),
    ("sensitivity", "sensitivity", ("sensitivity", "copper", "--samples", "8", "--seed", "1")),
    ("pathway", "pathway", ("pathway", "appliance-copper")),
]
IDS = [c[0] for c in COMMANDS]


def _output(run, args, fmt):
    result = run(*args, "--format", fmt)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_commands_cover_every_kind_of_result():
    from lca.output import result_kinds

    assert set(result_kinds()) == {kind for _, kind, _ in COMMANDS}


@pytest.mark.parametrize("args", [c[2] for c in COMMANDS], ids=IDS)
def test_json_has_the_envelope(run, args):
    data = read_json(_output(run, args, "json"))
    expected = args[1] if args[1] != "--all" else "all"
    assert data["subject"]["id"] in (expected, "air-conditioner")  # a pathway's subject: the product it plans
    if "--set" in args:
        assert {"name": "cfp_copper.scrap_truck_km", "value": 600.0, "origin": "--set"} in data["changes"]
    if "--allocation" in args:
        assert data["allocation"]["approach"] == "all"


@pytest.mark.parametrize("args", [c[2] for c in COMMANDS], ids=IDS)
def test_csv_has_unit_and_method_on_every_row(run, args):
    rows = read_csv(_output(run, args, "csv"))
    envelope = read_json(_output(run, args, "json"))
    assert {row["method"] for row in rows} == {envelope["method"]["id"]}
    # a row may state its own unit (a relative difference is a fraction; footprint --all: per unit of each
    # product); the others carry the result's
    units = {row["unit"] for row in rows}
    assert envelope["unit"]["text"] in units or args[1] == "--all"
    assert all(unit == "fraction" or unit.startswith(f"{envelope['unit']['result']} per ") for unit in units)


def test_the_reader_fails_without_the_envelope(run):
    data = json.loads(_output(run, ("compare", "copper"), "json"))
    for key in ENVELOPE:
        with pytest.raises(AssertionError, match=key):
            read_json(json.dumps({k: v for k, v in data.items() if k != key}))
    text = _output(run, ("compare", "copper"), "csv")
    header, *lines = text.splitlines()
    without = "\n".join([header.replace(",method", ",other")] + lines)
    with pytest.raises(AssertionError):
        read_csv(without)
    blank = "\n".join([header] + [line.rsplit(",", 1)[0] + "," for line in lines])
    with pytest.raises(AssertionError, match="without unit or method"):
        read_csv(blank)


def test_a_result_without_its_about_is_refused():
    """The renderers refuse a computed result that does not state what it is of, in JSON and CSV."""
    from dataclasses import dataclass
    from typing import ClassVar

    from lca.errors import OutputError
    from lca.output import render

    @dataclass(frozen=True)
    class Forgetful:
        kind: ClassVar[str] = "uncertainty"
        result: object = None

    for fmt in ("json", "csv"):
        with pytest.raises(OutputError, match="does not state what it is of"):
            render(Forgetful(), fmt)


def test_footprint_compare_csv_keeps_the_parts(run):
    rows = read_csv(_output(run, ("footprint", "air-conditioner", "--compare"), "csv"))
    data = json.loads(_output(run, ("footprint", "air-conditioner", "--compare"), "json"))
    base, chosen = data["scenarios"]
    parts = [row for row in rows if row["part"] != "total"]
    assert [row["part"] for row in parts] == list(base["parts"])
    for row in parts:
        assert float(row["score"]) == pytest.approx(base["parts"][row["part"]], rel=1e-5)
        assert float(row["alternative_score"]) == pytest.approx(chosen["parts"][row["part"]], rel=1e-5)
        assert float(row["saving"]) == pytest.approx(float(row["score"]) - float(row["alternative_score"]), abs=1e-3)
    (total,) = [row for row in rows if row["part"] == "total"]
    assert float(total["saving"]) == pytest.approx(data["saving"]["absolute"], rel=1e-5)


# --- uncertainty --draws -------------------------------------------------------------------------


def test_draws_are_written_paired_with_unit_and_method(run, tmp_path):
    path = tmp_path / "draws.csv"
    args = ("uncertainty", "copper", "--iterations", "60", "--seed", "5")
    result = run(*args, "--draws", path, "--format", "json")
    assert result.exit_code == 0, result.output
    summary = read_json(result.stdout)
    rows = read_csv(path.read_text(encoding="utf-8"))
    assert [int(row["draw"]) for row in rows] == list(range(60))
    reference, alternative = (route["id"] for route in summary["routes"])
    for row in rows:
        assert float(row[f"{reference}-minus-{alternative}"]) == pytest.approx(
            float(row[reference]) - float(row[alternative]), rel=1e-9, abs=1e-9)
    mean = sum(float(row[reference]) for row in rows) / len(rows)
    assert mean == pytest.approx(summary["routes"][0]["mean"], rel=1e-5)  # the same draws as the summary
    assert {row["unit"] for row in rows} == {summary["unit"]["text"]}
    assert str(path) in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draws.csv"]  # no temporary file left behind


def test_draws_refuse_an_existing_file_before_drawing(run, tmp_path):
    path = tmp_path / "draws.csv"
    path.write_text("mine\n")
    result = run("uncertainty", "copper", "--iterations", "20", "--seed", "1", "--draws", path)
    assert result.exit_code == 1 and "already exists" in result.stderr and "--overwrite" in result.stderr
    assert "Traceback" not in result.output and path.read_text() == "mine\n"
    again = run("uncertainty", "copper", "--iterations", "20", "--seed", "1", "--draws", path, "--overwrite")
    assert again.exit_code == 0, again.output
    assert len(read_csv(path.read_text())) == 20
    wrong = run("uncertainty", "copper", "--iterations", "20", "--draws", tmp_path / "draws.txt")
    assert wrong.exit_code == 1 and "does not end in .csv" in wrong.stderr


# --- progress ---------------------------------------------------------------------------------------


class _Stream(io.StringIO):
    def __init__(self, terminal: bool):
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


def test_a_counter_draws_one_line_on_a_terminal_only():
    from lca.cli.common import Counter

    terminal, pipe = _Stream(True), _Stream(False)
    for stream in (terminal, pipe):
        with Counter("Monte Carlo", 10_000, "draws", stream=stream) as advance:
            advance(4_000)
            advance(6_000)
    assert "\rMonte Carlo: 4,000/10,000 draws" in terminal.getvalue()
    assert "\rMonte Carlo: 10,000/10,000 draws" in terminal.getvalue()
    assert "\n" not in terminal.getvalue() and terminal.getvalue().endswith("\r")  # the line is cleared at the end
    assert pipe.getvalue() == ""


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "pipe"])
def test_progress_of_monte_carlo_and_sensitivity(run, monkeypatch, terminal):
    import lca.cli.common

    monkeypatch.setattr(lca.cli.common, "_is_terminal", lambda stream: terminal)
    drawn = run("uncertainty", "copper", "--iterations", "50", "--seed", "1")
    ranked = run("sensitivity", "copper", "--samples", "8", "--seed", "1")
    assert drawn.exit_code == 0 and ranked.exit_code == 0, drawn.output + ranked.output
    if terminal:
        assert "\rMonte Carlo: 50/50 draws" in drawn.stderr
        counted = re.findall(r"\rSensitivity: ([\d,]+)/([\d,]+) evaluations", ranked.stderr)
        assert counted and counted[-1][0] == counted[-1][1]  # it ends at its total
    else:
        assert "\r" not in drawn.stderr + ranked.stderr
        assert "Monte Carlo:" not in drawn.stderr and "Sensitivity:" not in ranked.stderr
    assert "\r" not in drawn.stdout  # the result itself is clean either way


# --- seed, brief sources, suggestions ---------------------------------------------------------------


def test_the_sensitivity_table_prints_its_seed(run):
    table = run("sensitivity", "copper", "--samples", "8", "--seed", "7").stdout
    assert re.search(r"^Seed:\s+7\b", table, re.M)
    chosen = run("sensitivity", "copper", "--samples", "0")
    seed = int(re.search(r"^Seed:\s+(\d+)", chosen.stdout, re.M).group(1))
    assert "--samples 0" in chosen.stdout and 0 <= seed < 2**32


def test_brief_text_keeps_the_first_sentence():
    from lca.rules import brief_text

    paragraph = ("Kuipers et al. 2018, Table 3: ore grade of the concentrate mix. Derived further from the "
                 "smelter's annual report, with many more words that no error message needs to quote.")
    assert brief_text(paragraph) == "Kuipers et al. 2018, Table 3: ore grade of the concentrate mix..."
    assert brief_text("test") == "test"
    long = "word " * 40
    assert len(brief_text(long)) <= 80 and brief_text(long).endswith("...")


def test_an_error_quotes_a_parameter_source_briefly(run, tmp_path):
    from openpyxl import load_workbook
    from tiny_blend import PARAMETERS, write_blend

    path = write_blend(tmp_path, dict(PARAMETERS, recycled_share={"amount": 1.5, "minimum": 0, "maximum": 1}))
    book = load_workbook(path)
    sheet = book["inventory"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "recycled_share")
    sheet.cell(row, 4).value = "Company report 2024, p. 12. " + "A long explanation of the estimate. " * 20
    book.save(path)
    result = run("inventory", "check", "--inventories", tmp_path)
    assert result.exit_code == 1
    assert "recycled_share = 1.5 is outside its allowed range 0 to 1 (source: Company report 2024, p. 12...)" \
        in result.stderr
    assert "A long explanation" not in result.stderr


@pytest.mark.parametrize(("args", "expected"), [
    (("compare", "coper"), "unknown comparison 'coper'. Did you mean 'copper'? Known: cobalt, copper"),
    (("footprint", "air-conditoner"), "unknown product 'air-conditoner'. Did you mean 'air-conditioner'?"),
    (("pathway", "appliance-coper"), "Did you mean 'appliance-copper'?"),
    (("compare", "copper", "--method", "ipcc2013-gwp10"), "unknown method 'ipcc2013-gwp10'. Did you mean"),
    (("compare", "copper", "--scenario", "jp-grid-203"), "Did you mean 'jp-grid-2030'?"),
    (("compare", "nickel", "--basis", "cm"), "unknown basis 'cm' of comparison nickel. Did you mean 'cam'?"),
    (("footprint", "air-conditioner", "--supply", "copper=scarp"), "unknown route 'scarp' of comparison copper. "
                                                                   "Did you mean 'scrap'?"),
    (("uncertainty", "coper"), "Did you mean 'copper'?"),
], ids=["comparison", "product", "pathway", "method", "scenario", "basis", "route", "study"])
def test_a_near_miss_name_is_suggested(run, args, expected):
    result = run(*args)
    assert result.exit_code == 1 and expected in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_a_name_far_from_any_gets_no_guess():
    from lca.rules import unknown_name

    message = unknown_name("comparison", "zinc", ["cobalt", "copper"])
    assert message == "unknown comparison 'zinc'. Known: cobalt, copper."
    many = unknown_name("site", "x", [f"site{i}" for i in range(30)], shown=3)
    assert many.endswith("Known: site0, site1, site2, ... (30 in all).")
