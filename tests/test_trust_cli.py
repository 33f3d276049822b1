"""Issue 13, through the CLI: numeric options, ledger cells and CSV output can never give a
silently wrong number, a traceback or a formula in a spreadsheet.

* Every numeric option of every command (found by walking the click command tree, so a new
  option is covered without editing this file) refuses NaN, infinities and out-of-range values
  with exit 2 and the option named, before any work; a numeric option of a plain float/int type
  fails a test.
* Every numeric ledger cell is checked with file, sheet, row and column; a ledger with cell
  problems and an over-claim reports both in one run.
* CSV text cells that a spreadsheet would run as a formula start with a single quote; numbers
  stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import click
import pytest
from checks import fails
from ledgers import write_ledger
from openpyxl import load_workbook
from tiny import TOTAL_A, TOTAL_B, write_tiny

from lca.cli.common import MAX_ITERATIONS, NUMBER_TYPES, Number, WholeNumber
from lca.cli.main import cli
from lca.output.results import csv_text, rows_csv, spreadsheet_safe

# --- numeric options -------------------------------------------------------------------------


def _commands(command=cli, path=()):
    """(command words, command) for every command below ``command``, including `lca report COMPARISON`."""
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from _commands(command.commands[name], path + (name,))
        if command.name == "report":  # comparisons are made on demand by ReportGroup
            yield from _commands(command.get_command(None, "copper"), path + ("copper",))
    else:
        yield path, command


def _numeric_params():
    return [(path, param) for path, command in _commands() for param in command.params
            if isinstance(param.type, click.types._NumberParamTypeBase)]


def _refused_values(kind) -> list[tuple[str, str]]:
    """(id, value) pairs the option's type must refuse: non-finite, and each side of its range."""
    values = [("nan", "nan"), ("inf", "inf"), ("-inf", "-inf"), ("text", "12 t")]
    whole = isinstance(kind, WholeNumber)
    if kind.min is not None:
        below = kind.min if kind.min_open else (kind.min - 1 if whole else kind.min - 0.5)
        values.append(("below-range", str(below)))
    if kind.max is not None:
        values.append(("above-range", str(kind.max * 10 + 1 if whole else kind.max * 10)))
    if whole:
        values.append(("fraction", "2.5"))
    if getattr(kind, "power_of_two", False):
        values.append(("not-power-of-2", "1000"))
    return values


def _cases():
    cases = []
    for path, param in _numeric_params():
        if not isinstance(param.type, NUMBER_TYPES):
            continue  # test_every_numeric_option_uses_a_checked_type fails for it
        flag = max(param.opts, key=len)
        for name, value in _refused_values(param.type):
            cases.append(pytest.param(path, param, flag, value, id=f"{' '.join(path)} {flag} {name}"))
    return cases


def test_the_walk_finds_the_numeric_options():
    found = {(" ".join(path), max(param.opts, key=len)) for path, param in _numeric_params()}
    assert {("report copper", "--tonnes"), ("compare", "--recycled-share"), ("uncertainty", "--iterations"),
            ("sensitivity", "--samples"), ("footprint", "--recycled-nickel"),
            ("report footprint", "--units")} <= found


def test_every_numeric_option_uses_a_checked_type():
    plain = [f"lca {' '.join(path)} {param.opts[0]}: {param.type!r}" for path, param in _numeric_params()
             if not isinstance(param.type, NUMBER_TYPES)]
    assert not plain, "use a type from lca.cli.common (FINITE, SHARE, ITERATIONS, ...):\n" + "\n".join(plain)


def test_every_numeric_default_is_accepted_by_its_type():
    for path, param in _numeric_params():
        if param.default is not None:
            assert param.type.convert(param.default, param, None) == param.default, (path, param.name)


def _required(command, folder) -> list[str]:
    """Values for the command's required arguments and options (never read: click fails first)."""
    words = []
    for param in command.params:
        if param.required and isinstance(param, click.Argument):
            words.append(str(folder / "x.xlsx"))
        elif param.required:
            words += [param.opts[0], str(folder / "out.xlsx")]
    return words


@pytest.mark.parametrize(("path", "param", "flag", "value"), _cases())
def test_a_bad_numeric_option_is_a_usage_error_naming_it(run, tmp_path, path, param, flag, value):
    (tmp_path / "user.txt").write_text("a user's file")
    command = dict(_commands())[path]
    args = [*path, *_required(command, tmp_path), flag, value]
    stderr = fails(run, args, flag, code=2, unchanged=(tmp_path,))
    assert "Invalid value" in stderr and len(stderr) < 1000
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize(("option", "value", "text"), [
    ("--tonnes", "nan", "not a finite number"),
    ("--tonnes", "1e400", "not a finite number"),
    ("--tonnes", "0", "0<x<=1000000000.0"),
    ("--recycled-share", "nan", "not a finite number"),
    ("--recycled-share", "1.5", "fraction from 0 to 1"),
    ("-n", str(MAX_ITERATIONS + 1), f"2 to {MAX_ITERATIONS:,} draws"),
    ("-n", "9" * 5000, "(5,002 characters)"),
    ("--samples", "1000", "not a power of 2"),
    ("--seed", "-1", "0 to 4294967295"),
    ("--date", "x" * 3000, "(3,002 characters) is not a date"),
], ids=["tonnes-nan", "tonnes-overflow", "tonnes-zero", "share-nan", "share-above-1", "iterations-too-many",
        "iterations-huge-text", "samples-not-power-of-2", "seed-negative", "date-huge-text"])
def test_the_message_says_what_to_give(run, tmp_path, option, value, text):
    out = tmp_path / "r.xlsx"
    stderr = fails(run, ["report", "copper", "-o", out, option, value], code=2, unchanged=(tmp_path,))
    assert text in stderr and len(stderr) < 1000
    assert not out.exists()


def test_the_types_refuse_what_click_ranges_let_through():
    assert Number(0, 1).convert("0.5", None, None) == 0.5
    for value in ("nan", "inf", "-inf", float("nan")):
        with pytest.raises(click.BadParameter):
            Number(min=0, min_open=True).convert(value, None, None)  # click.FloatRange accepts all of these
    with pytest.raises(click.BadParameter):
        WholeNumber(0, 10).convert(True, None, None)
    assert WholeNumber(0, 10, power_of_two=True).convert("8", None, None) == 8


# --- ledger cells ------------------------------------------------------------------------------

D = dt.date
RECEIPTS = [
    (D(2025, 10, 15), "A", "Plant Kanto", "air conditioner", 100, 30, "XRF lot assay"),
    (D(2026, 1, 10), "B", "Plant Kansai", "refrigerator", 50, 40, "XRF lot assay"),
]
CONVERSIONS = [("2025-Q4", 0.95, 100, "yield audit 2025"), ("2026-Q1", 0.90, 100, "yield audit 2026-1"),
               ("2026-Q2", 0.95, 100, "yield audit 2026-2")]
CLAIMS = [(D(2025, 12, 1), "D1", "ACME Corp", 20, 20), (D(2026, 2, 1), "D2", "ACME Corp", 10, 10)]
# credits: A 100 x 30 % x 0.95 = 28.5 t (Q4), B 50 x 40 % x 0.90 = 18 t (Q1)


def _with_number(path, marker: float, text: str):
    """Replace the cell value ``marker`` in the ledger's XML by ``text`` (a numeric 'inf' or 'NaN', which
    openpyxl cannot write but another program can)."""
    source = zipfile.ZipFile(path)
    items = [(item, source.read(item.filename)) for item in source.infolist()]
    source.close()
    needle = f"<v>{marker!r}</v>".encode()
    assert any(needle in data for _, data in items)
    with zipfile.ZipFile(path, "w") as out:
        for item, data in items:
            out.writestr(item, data.replace(needle, f"<v>{text}</v>".encode()))
    return path


def _receipt(column: int, value):
    row = list(RECEIPTS[0])
    row[column] = value
    return [tuple(row), *RECEIPTS[1:]]


@pytest.mark.parametrize(("change", "place", "text"), [
    ({"receipts": _receipt(4, "nan")}, "'Receipts', row 2, column E", "gross mass 'nan'"),
    ({"receipts": _receipt(4, "1e400")}, "'Receipts', row 2, column E", "not a positive number of tonnes"),
    ({"receipts": _receipt(4, 1e300)}, "'Receipts', row 2, column E", "at most 10,000,000"),
    ({"receipts": _receipt(4, 654321.5), "inf": (654321.5, "inf")}, "'Receipts', row 2, column E", "gross mass inf"),
    ({"receipts": _receipt(4, 654321.5), "inf": (654321.5, "NaN")}, "'Receipts', row 2, column E", "gross mass nan"),
    ({"receipts": _receipt(5, "inf")}, "'Receipts', row 2, column F", "not a percentage"),
    ({"receipts": _receipt(5, 654321.5), "inf": (654321.5, "NaN")}, "'Receipts', row 2, column F", "not a percentage"),
    ({"receipts": _receipt(0, 45000)}, "'Receipts', row 2, column A", "date 45000.0 is not a date"),
    ({"conversions": [("2025-Q4", "nan", 100, "x")] + CONVERSIONS[1:]}, "'Conversion', row 2, column B",
     "not a number in (0, 1]"),
    ({"conversions": [("2025-Q4", 654321.5, 100, "x")] + CONVERSIONS[1:], "inf": (654321.5, "inf")},
     "'Conversion', row 2, column B", "conversion factor inf"),
    ({"claims": [CLAIMS[0][:4] + ("inf",), CLAIMS[1]]}, "'Claims', row 2, column E", "not a positive number"),
    ({"claims": [CLAIMS[0][:3] + (1e300, 1), CLAIMS[1]]}, "'Claims', row 2, column D", "at most 10,000,000"),
    ({"settings": {"carry-over periods": "nan"}}, "'Settings', row 15, column B", "expected a whole number"),
    ({"settings": {"carry-over periods": 1e300}}, "'Settings', row 15, column B", "expected a whole number from 0 to"),
    ({"settings": {"rolling window periods": "inf"}}, "'Settings', row 16, column B", "expected a whole number"),
    ({"settings": {"ledger end": D(9999, 12, 31)}}, "'Settings', row 13, column B", "more than 50 years"),
    ({"settings": {"ledger start": "x" * 100_000}}, "'Settings', row 12, column B",
     "characters) is not valid"),
], ids=["mass-nan-text", "mass-overflow-text", "mass-huge", "mass-inf-cell", "mass-nan-cell", "assay-inf-text",
        "assay-nan-cell", "date-a-number", "factor-nan-text", "factor-inf-cell", "claim-inf-text", "claim-huge",
        "carry-nan", "carry-huge", "window-inf", "ledger-span", "long-text-quoted-briefly"])
def test_every_numeric_ledger_cell_is_finite_and_in_range(run, tmp_path, change, place, text):
    change = dict(change)
    marker = change.pop("inf", None)
    arguments = {"receipts": RECEIPTS, "conversions": CONVERSIONS, "claims": CLAIMS, **change}
    path = write_ledger(tmp_path / "bad.xlsx", **arguments)
    if marker:
        _with_number(path, *marker)
    stderr = fails(run, ["ledger", "check", path], f"bad.xlsx, sheet {place}", text, unchanged=(tmp_path,))
    assert len(stderr) < 5000


@pytest.mark.parametrize("method", ["credit", "rolling-average"])
def test_the_output_cell_is_checked_for_both_methods(run, tmp_path, method):
    conversions = [c[:2] + (o,) + c[3:] for c, o in zip(CONVERSIONS, (100, "nan", 1e300), strict=True)]
    path = write_ledger(tmp_path / "l.xlsx", settings={"method": method}, receipts=RECEIPTS,
                        conversions=conversions, claims=CLAIMS)
    fails(run, ["ledger", "check", path], "sheet 'Conversion', row 3, column C", "output 'nan'",
          "sheet 'Conversion', row 4, column C", unchanged=(tmp_path,))


def test_cell_problems_and_an_over_claim_are_reported_in_one_run(run, tmp_path):
    bad_receipt = (D(2026, 1, 12), "C", "Plant Kanto", "toaster", "nan", 30, "XRF")  # two problems in row 4
    over_claim = (D(2026, 3, 1), "D3", "Gamma", 40, 40)  # 28.5 - 20 + 18 - 10 = 16.5 t left: refused
    bad_claim = (D(2026, 3, 2), "D4", "Delta", 1, -1)
    path = write_ledger(tmp_path / "l.xlsx", receipts=RECEIPTS + [bad_receipt], conversions=CONVERSIONS,
                        claims=CLAIMS + [over_claim, bad_claim])
    stderr = fails(run, ["ledger", "check", path], "4 problems in the ledger",
                   "l.xlsx, sheet 'Receipts', row 4, column D", "unknown category 'toaster'",
                   "l.xlsx, sheet 'Receipts', row 4, column E", "l.xlsx, sheet 'Claims', row 5, column E",
                   "l.xlsx, sheet 'Claims', row 4, column E", "claim 'D3' of 40.000 t", "exceeds the 16.500 t",
                   "counts only the rows without problems", unchanged=(tmp_path,))
    assert stderr.index("toaster") < stderr.index("claim 'D3'")  # cells first, then the balance
    result = run("ledger", "check", path, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert not data["ok"] and not data["complete"]
    assert [(p["sheet"], p["row"], p["column"]) for p in data["problems"]] == [
        ("Receipts", 4, "E"), ("Receipts", 4, "D"), ("Claims", 5, "E"), ("Claims", 4, "E")]
    assert data["periods"][1]["credits_in_t"] == pytest.approx(50 * 0.40 * 0.90)  # receipt C left out


def test_a_period_without_a_valid_factor_earns_no_credit_but_is_still_balanced(run, tmp_path):
    conversions = [CONVERSIONS[0], ("2026-Q1", 7, 100, "x"), CONVERSIONS[2]]
    path = write_ledger(tmp_path / "l.xlsx", receipts=RECEIPTS, conversions=conversions, claims=CLAIMS)
    stderr = fails(run, ["ledger", "check", path], "sheet 'Conversion', row 3, column B",
                   "period 2026-Q1 has no conversion row", unchanged=(tmp_path,))
    assert "Traceback" not in stderr


def test_the_rolling_average_method_survives_rows_left_out(run, tmp_path):
    conversions = list(CONVERSIONS)
    conversions[0] = ("2025-Q4", "bad", 100, "x")
    path = write_ledger(tmp_path / "l.xlsx", settings={"method": "rolling-average", "rolling window periods": 1},
                        receipts=RECEIPTS, conversions=conversions, claims=CLAIMS)
    fails(run, ["ledger", "check", path], "sheet 'Conversion', row 2, column B", "claim 'D1'", unchanged=(tmp_path,))


def test_unusable_settings_still_report_the_other_sheets(run, tmp_path):
    path = write_ledger(tmp_path / "l.xlsx", settings={"method": "guess"}, receipts=_receipt(4, -3),
                        conversions=CONVERSIONS, claims=CLAIMS)
    fails(run, ["ledger", "check", path], "sheet 'Settings'", "sheet 'Receipts', row 2, column E",
          "until the Settings sheet is fixed", unchanged=(tmp_path,))
    result = run("ledger", "check", path, "--format", "json")
    assert result.exit_code == 1 and len(json.loads(result.stdout)["problems"]) == 2


def test_a_statement_is_refused_for_a_ledger_with_cell_problems(run, tmp_path):
    path = write_ledger(tmp_path / "l.xlsx", receipts=_receipt(5, "inf"), conversions=CONVERSIONS, claims=CLAIMS)
    out = tmp_path / "s.xlsx"
    fails(run, ["ledger", "statement", path, "--delivery", "D2", "-o", out], "sheet 'Receipts', row 2, column F")
    assert not out.exists()


def test_thousands_of_problems_give_a_short_message(run, tmp_path):
    receipts = [(D(2025, 11, 1), f"L{i}", "p", "air conditioner", "nan", 30, "XRF") for i in range(500)]
    path = write_ledger(tmp_path / "l.xlsx", receipts=receipts, conversions=CONVERSIONS)
    stderr = fails(run, ["ledger", "check", path], "500 problems", "and 400 more", "--format json")
    assert len(stderr) < 40_000
    assert len(json.loads(run("ledger", "check", path, "--format", "json").stdout)["problems"]) == 500


# --- CSV output --------------------------------------------------------------------------------

EVIL = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1+1", "-2+3", "\tx", "\rx", "\uff1dSUM(1)"]


@pytest.mark.parametrize("text", EVIL, ids=["equals", "at", "plus", "minus", "tab", "cr", "fullwidth-equals"])
def test_text_that_a_spreadsheet_would_run_starts_with_a_quote(text):
    assert spreadsheet_safe(text) == "'" + text
    (row,) = list(csv.reader(io.StringIO(csv_text(["label"], [[text]]), newline="")))[1:]
    assert row == ["'" + text.replace("\r", "\n")]  # a CR inside a cell becomes a line feed, which csv quotes


@pytest.mark.parametrize("value", [-1.5, -3, 0.0, 2, None, "route A", "", "a=b", "'=already"])
def test_numbers_and_plain_text_are_unchanged(value):
    assert spreadsheet_safe(value) == value
    assert csv_text(["score"], [[-1.5]]) == "score\n-1.5\n"  # a negative number stays a number


def test_rows_csv_neutralises_keys_and_values():
    text = rows_csv([{"product": "=cmd", "total": -4.98}])
    assert text == "product,total\n'=cmd,-4.98\n"
    assert rows_csv([], fields=("period",)) == "period\n"


@pytest.fixture(scope="module")
def evil_tiny(tmp_path_factory):
    """The tiny system with a route label and a stage name that a spreadsheet would run."""
    folder = tmp_path_factory.mktemp("evil")
    path = write_tiny(folder)
    book = load_workbook(path)
    for row in book.active.iter_rows():
        if row[1].value == "Route A" or (row[0].value == "stage" and row[1].value == "haul"):
            row[1].value = EVIL[0] if row[1].value == "Route A" else EVIL[1]
            row[1].data_type = "s"  # the user's text, stored as text
    book.save(path)
    return folder


def test_compare_csv_from_a_workbook_is_safe_to_open(run, evil_tiny):
    result = run("compare", "metal", "--inventories", evil_tiny, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["route_label"] for r in rows if r["route"] == "a"} == {"'" + EVIL[0]}
    assert "'" + EVIL[1] in {r["stage"] for r in rows}
    assert all(not r[k].startswith(("=", "@", "+")) for r in rows for k in ("route_label", "stage"))
    difference = next(r for r in rows if r["route_label"] == "difference (absolute)")
    assert float(difference["score"]) == pytest.approx(TOTAL_A - TOTAL_B, rel=1e-5)
    assert all(isinstance(float(r["score"]), float) for r in rows)  # scores are numbers, never quoted


def test_ledger_check_csv_is_written_by_the_same_writer(run, tmp_path):
    path = write_ledger(tmp_path / "l.xlsx", receipts=RECEIPTS, conversions=CONVERSIONS, claims=CLAIMS)
    result = run("ledger", "check", path, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["period"] for r in rows] == ["2025-Q4", "2026-Q1", "2026-Q2"]
    assert float(rows[0]["credits_in_t"]) == pytest.approx(100 * 0.30 * 0.95)
