"""The mass-balance ledger: hand-checkable balances, every bad input, sites, eligibility, the
trace and the statement.

Three quarters, carry-over for one period, one site (see each test for the arithmetic):

    conversion factors   Q4-2025 0.95   Q1-2026 0.90   Q2-2026 0.95      output 100 t each
    receipts             A 100 t x 30 % = 30 t Cu (Q4)   B 50 t x 40 % = 20 t Cu (Q1)
                         C 10 t x 50 % = 5 t Cu (Q2)     X 40 t x 25 % = 10 t Cu (Q1, 'other': no credit)
    credits              30 x 0.95 = 28.5     20 x 0.90 = 18     5 x 0.95 = 4.75
    claims               D1 20 t (Q4)   D2 10 t (Q1)   D4 5 t (Q2)   [D3 30 t (Q2): too much]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from ledgers import CLAIMS as CLAIM_LABELS
from ledgers import CONVERSION as CONVERSION_LABELS
from ledgers import RECEIPTS as RECEIPT_LABELS
from ledgers import write_ledger
from openpyxl import load_workbook

from lca.errors import LedgerError
from lca.ledger import balance, read_ledger

D = dt.date
RECEIPTS = [
    (D(2025, 10, 15), "A", "Plant Kanto", "air conditioner", 100, 30, "XRF lot assay"),
    (D(2026, 1, 10), "B", "Plant Kansai", "refrigerator", 50, 40, "XRF lot assay"),
    (D(2026, 4, 10), "C", "Plant Kanto", "washing machine", 10, 50, "XRF lot assay"),
    (D(2026, 1, 20), "X", "Plant Kanto", "other", 40, 25, "XRF lot assay"),
]
CONVERSIONS = [("2025-Q4", 0.95, 100, "yield audit 2025"), ("2026-Q1", 0.90, 100, "yield audit 2026-1"),
               ("2026-Q2", 0.95, 100, "yield audit 2026-2")]
CLAIMS = [
    (D(2025, 12, 1), "D1", "ACME Corp", 20, 20),
    (D(2026, 2, 1), "D2", "ACME Corp", 10, 10),
    (D(2026, 6, 1), "D4", "Beta KK", 5, 5),
]
TOO_MUCH = (D(2026, 5, 1), "D3", "Gamma", 30, 30)


@pytest.fixture
def ledger_file(tmp_path):
    return write_ledger(tmp_path / "ledger.xlsx", receipts=RECEIPTS, conversions=CONVERSIONS, claims=CLAIMS)


def test_credit_method_with_carry_over_and_expiry(ledger_file):
    result = balance(read_ledger(ledger_file))
    assert result.problems == ()
    q4, q1, q2 = result.periods
    assert (q4.opening_t, q4.credits_in_t, q4.claims_out_t, q4.expired_t, q4.closing_t) == pytest.approx(
        (0, 30 * 0.95, 20, 0, 30 * 0.95 - 20))                      # 8.5 carried into Q1
    assert (q1.opening_t, q1.credits_in_t, q1.claims_out_t, q1.expired_t, q1.closing_t) == pytest.approx(
        (8.5, 20 * 0.90, 10, 0, 8.5 + 18 - 10))                     # Q4's 8.5 used first: 16.5 of Q1 left
    assert (q2.opening_t, q2.credits_in_t, q2.claims_out_t, q2.expired_t, q2.closing_t) == pytest.approx(
        (16.5, 5 * 0.95, 5, 16.5 - 5, 4.75))                        # Q1's credit expires after one carry
    for p in result.periods:
        assert p.opening_t + p.credits_in_t == pytest.approx(p.used_t + p.expired_t + p.closing_t)
        assert p.used_t == p.claims_out_t and p.output_t == 100


def test_other_categories_are_recorded_but_earn_no_credit(ledger_file):
    q1 = balance(read_ledger(ledger_file)).periods[1]
    assert q1.scrap_metal_t == pytest.approx(50 * 0.40)               # B only
    assert q1.ineligible_metal_t == pytest.approx(40 * 0.25)          # X: 10 t Cu, no credit
    assert q1.credits_in_t == pytest.approx(20 * 0.90) and q1.receipts == 2


def test_without_carry_over_credits_expire_at_period_end(tmp_path):
    path = write_ledger(tmp_path / "l.xlsx", settings={"carry over": "no"}, receipts=RECEIPTS,
                        conversions=CONVERSIONS, claims=CLAIMS[:1])
    q4, q1, q2 = balance(read_ledger(path)).periods
    assert q4.expired_t == pytest.approx(28.5 - 20) and q1.opening_t == 0
    assert q1.expired_t == pytest.approx(18) and q2.expired_t == pytest.approx(4.75)


def test_claim_above_the_credit_available_then_is_refused(run, tmp_path):
    path = write_ledger(tmp_path / "l.xlsx", receipts=RECEIPTS, conversions=CONVERSIONS,
                        claims=CLAIMS + [TOO_MUCH])
    result = balance(read_ledger(path))
    (problem,) = result.problems
    # the claimed tonnes are in column E (date, delivery id, customer, delivered (t), claimed (t))
    assert problem.where.sheet == "Claims" and problem.where.row == 5 and problem.where.column == "E"
    assert result.covers["D3"].available_before_t == pytest.approx(16.5 + 4.75)
    assert not result.covers["D3"].accepted and result.covers["D4"].accepted  # D3 drew nothing
    cli = run("ledger", "check", path)
    assert cli.exit_code == 1
    assert "l.xlsx, sheet 'Claims', row 5, column E" in cli.stderr and "exceeds the 21.250 t" in cli.stderr
    assert "'D3'" in cli.stderr and "2026-Q2" in cli.stderr


def test_a_claim_before_its_receipt_is_refused(tmp_path):
    early = [(D(2025, 10, 1), "D0", "Early", 1, 1)]  # before receipt A on 10-15
    path = write_ledger(tmp_path / "l.xlsx", receipts=RECEIPTS, conversions=CONVERSIONS, claims=early)
    (problem,) = balance(read_ledger(path)).problems
    assert "exceeds the 0.000 t" in problem.message


def test_a_claim_above_the_periods_output_is_refused(run, tmp_path):
    """Output reconciliation: Q4 made 25 t; D1 delivers 20 t, then 10 t more would be 30 t > 25 t."""
    conversions = [("2025-Q4", 0.95, 25, "audit")] + CONVERSIONS[1:]
    claims = CLAIMS[:1] + [(D(2025, 12, 20), "D1b", "ACME Corp", 10, 1)]
    path = write_ledger(tmp_path / "l.xlsx", receipts=RECEIPTS, conversions=conversions, claims=claims)
    result = balance(read_ledger(path))
    (problem,) = result.problems
    assert problem.where.row == 3 and problem.where.column == "D"  # delivered (t)
    assert "'D1b'" in problem.message and "2025-Q4" in problem.message and "5.000 t left" in problem.message
    assert result.covers["D1b"].reason == "output" and result.periods[0].delivered_t == 20
    assert run("ledger", "check", path).exit_code == 1


def test_claimed_more_than_delivered_is_a_cell_problem(run, tmp_path):
    path = write_ledger(tmp_path / "l.xlsx", receipts=RECEIPTS, conversions=CONVERSIONS,
                        claims=[(D(2025, 12, 1), "D1", "ACME Corp", 5, 6)])
    result = run("ledger", "check", path)
    assert result.exit_code == 1
    assert "sheet 'Claims', row 2, column E" in result.stderr and "more than the 5.000 t delivered" in result.stderr


def test_check_prints_the_balance_and_json(run, ledger_file):
    result = run("ledger", "check", ledger_file)
    assert result.exit_code == 0, result.output
    assert "2026-Q2" in result.stdout and "credit method" in result.stdout
    assert "recorded without credit: other" in result.stdout
    data = json.loads(run("ledger", "check", ledger_file, "--format", "json").stdout)
    assert data["ok"] and [p["period"] for p in data["periods"]] == ["2025-Q4", "2026-Q1", "2026-Q2"]
    assert data["periods"][2]["expired_t"] == pytest.approx(11.5)
    assert data["eligible_categories"] == ["air conditioner", "TV", "refrigerator", "washing machine"]


def _with(rows, index, field, value):
    row = list(rows[index])
    row[field] = value
    return rows[:index] + [tuple(row)] + rows[index + 1:]


@pytest.mark.parametrize(
    ("sheet", "change", "row", "column", "text"),
    [
        ("Receipts", lambda r, c, k: (r + [_with(r, 0, 1, "A")[0]], c, k), 6, "B", "duplicate lot id 'A'"),
        ("Claims", lambda r, c, k: (r, c, k + [_with(k, 0, 1, "D1")[0]]), 5, "B", "duplicate delivery id"),
        ("Receipts", lambda r, c, k: (_with(r, 0, 4, -5), c, k), 2, "E", "not a positive"),
        ("Receipts", lambda r, c, k: (_with(r, 0, 4, 0), c, k), 2, "E", "not a positive"),
        ("Claims", lambda r, c, k: (r, c, _with(k, 0, 4, 0)), 2, "E", "not a positive"),
        ("Claims", lambda r, c, k: (r, c, _with(k, 0, 3, "many")), 2, "D", "delivered 'many' is not a positive"),
        ("Receipts", lambda r, c, k: (_with(r, 0, 5, 130), c, k), 2, "F", "percentage in (0, 100]"),
        ("Receipts", lambda r, c, k: (_with(r, 0, 0, D(2027, 1, 1)), c, k), 2, "A", "outside the ledger"),
        ("Claims", lambda r, c, k: (r, c, _with(k, 0, 0, D(2024, 1, 1))), 2, "A", "outside the ledger"),
        ("Receipts", lambda r, c, k: (_with(r, 0, 3, "toaster"), c, k), 2, "D", "unknown category 'toaster'"),
        ("Conversion", lambda r, c, k: (r, c[:2], k), None, "A", "period 2026-Q2 has no conversion row"),
        ("Conversion", lambda r, c, k: (r, _with(c, 0, 1, 1.2), k), 2, "B", "not a number in (0, 1]"),
        ("Conversion", lambda r, c, k: (r, _with(c, 0, 2, None), k), 2, "C", "output (t) is empty"),
        ("Conversion", lambda r, c, k: (r, _with(c, 0, 2, -1), k), 2, "C", "is not a number of tonnes"),
    ],
    ids=["duplicate-lot", "duplicate-delivery", "negative-mass", "zero-mass", "zero-claim", "text-delivered",
         "assay-over-100", "receipt-date-outside", "claim-date-outside", "unknown-category", "period-without-row",
         "factor-over-1", "no-output", "negative-output"],
)
def test_bad_ledger_input_is_located(run, tmp_path, sheet, change, row, column, text):
    receipts, conversions, claims = change(list(RECEIPTS), list(CONVERSIONS), list(CLAIMS))
    path = write_ledger(tmp_path / "bad.xlsx", receipts=receipts, conversions=conversions, claims=claims)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = run("ledger", "check", path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    place = f"bad.xlsx, sheet '{sheet}'" + (f", row {row}" if row else "") + f", column {column}"
    assert place in result.stderr, result.stderr
    assert text in result.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # the ledger is never written to


@pytest.mark.parametrize(
    ("settings", "text"),
    [
        ({"metal": None}, "setting 'metal' is missing"),
        ({"eligible categories": None}, "setting 'eligible categories' is missing"),
        ({"input": "post consumer"}, "setting 'input' = 'post consumer' is not valid"),
        ({"other categories": "other, TV"}, "tv both eligible and not"),
        ({"eligible categories": "TV, tv"}, "setting 'eligible categories' = 'TV, tv' is not valid"),
        ({"multi-site boundary": "yes"}, "a multi-site boundary needs at least two sites"),
        ({"comparison": None}, "setting 'comparison' is missing"),
    ],
    ids=["no-metal", "no-eligible", "bad-input", "overlap", "repeated-category", "boundary-of-one", "no-comparison"],
)
def test_unusable_settings_are_located_and_stop_the_balance(run, tmp_path, settings, text):
    path = write_ledger(tmp_path / "s.xlsx", settings=settings, receipts=RECEIPTS, conversions=CONVERSIONS,
                        claims=CLAIMS)
    result = run("ledger", "check", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "sheet 'Settings'" in result.stderr and text in result.stderr
    assert "cannot be computed until the Settings sheet is fixed" in result.stderr


def test_the_assay_column_follows_the_metal(tmp_path):
    path = write_ledger(tmp_path / "n.xlsx", settings={"metal": "nickel"}, receipts=RECEIPTS,
                        conversions=CONVERSIONS, claims=CLAIMS)
    with pytest.raises(LedgerError) as info:
        read_ledger(path)
    assert "does not name the ledger's metal (nickel)" in str(info.value) and "'nickel assay (%)'" in str(info.value)
    labels = {"Receipts": tuple(c.replace("copper", "nickel") for c in RECEIPT_LABELS)}
    path = write_ledger(tmp_path / "n2.xlsx", settings={"metal": "nickel"}, receipts=RECEIPTS,
                        conversions=CONVERSIONS, claims=CLAIMS, columns=labels)
    assert balance(read_ledger(path)).periods[0].scrap_metal_t == pytest.approx(30)


# -- sites -------------------------------------------------------------------------------------

TWO_SITES = {"site": "North, South"}
SITE_COLUMNS = {"Receipts": RECEIPT_LABELS + ("site",), "Conversion": CONVERSION_LABELS + ("site",),
                "Claims": CLAIM_LABELS + ("site",)}


def _two_site_ledger(path, boundary: str):
    """North receives A (28.5 t credit in Q4); South receives nothing; South claims 10 t in Q4."""
    receipts = [RECEIPTS[0] + ("North",)]
    conversions = [c + (s,) for c in CONVERSIONS for s in ("North", "South")]
    claims = [(D(2025, 12, 1), "S1", "ACME Corp", 10, 10, "South")]
    return write_ledger(path, settings=dict(TWO_SITES, **{"multi-site boundary": boundary}), receipts=receipts,
                        conversions=conversions, claims=claims, columns=SITE_COLUMNS)


def test_credits_do_not_cross_sites_without_a_multi_site_boundary(run, tmp_path):
    result = balance(read_ledger(_two_site_ledger(tmp_path / "l.xlsx", "no")))
    assert not result.covers["S1"].accepted and result.covers["S1"].available_before_t == 0
    assert "at South" in result.problems[0].message
    north = result.period("2025-Q4", "North")
    assert north.credits_in_t == pytest.approx(28.5) and north.output_t == 100
    data = json.loads(run("ledger", "check", tmp_path / "l.xlsx", "--format", "json").stdout)
    assert [(p["period"], p["site"]) for p in data["periods"]][:2] == [("2025-Q4", "North"), ("2025-Q4", "South")]


def test_a_multi_site_boundary_shares_credits_and_output(tmp_path):
    result = balance(read_ledger(_two_site_ledger(tmp_path / "l.xlsx", "yes")))
    assert result.problems == () and result.covers["S1"].accepted
    q4 = result.period("2025-Q4")
    assert q4.site == "North + South" and q4.output_t == 200 and q4.credits_in_t == pytest.approx(28.5)
    (line,) = result.traced("S1")
    assert (line.lot, line.site, line.tonnes) == ("A", "North", pytest.approx(10))


def test_rows_of_a_multi_site_ledger_must_name_their_site(run, tmp_path):
    path = write_ledger(tmp_path / "l.xlsx", settings=TWO_SITES, receipts=RECEIPTS, conversions=CONVERSIONS,
                        claims=CLAIMS)
    result = run("ledger", "check", path)
    assert result.exit_code == 1
    assert "sheet 'Receipts', row 1: missing column(s) site" in result.stderr
    assert "sheet 'Claims', row 1: missing column(s) site" in result.stderr
    bad = write_ledger(tmp_path / "b.xlsx", settings=TWO_SITES, receipts=[RECEIPTS[0] + ("East",)],
                       conversions=[c + ("North",) for c in CONVERSIONS], claims=[], columns=SITE_COLUMNS)
    result = run("ledger", "check", bad)
    assert "site 'East' is not a site of the ledger" in result.stderr
    assert "period 2025-Q4 at site South has no conversion row" in result.stderr


# -- trace -------------------------------------------------------------------------------------

def test_trace_follows_each_claimed_tonne_to_its_lots(run, ledger_file):
    """D1 20 t from A; D2 10 t: A's remaining 8.5 t (oldest first), then 1.5 t of B; D4 5 t from B."""
    result = balance(read_ledger(ledger_file))
    assert [(t.delivery, t.lot, t.tonnes) for t in result.trace] == [
        ("D1", "A", pytest.approx(20)), ("D2", "A", pytest.approx(8.5)), ("D2", "B", pytest.approx(1.5)),
        ("D4", "B", pytest.approx(5))]
    cli = run("ledger", "trace", ledger_file, "--format", "json")
    assert cli.exit_code == 0, cli.output
    data = json.loads(cli.stdout)
    assert sum(line["tonnes"] for line in data["trace"] if line["delivery"] == "D2") == pytest.approx(10)
    assert {line["receipt_row"] for line in data["trace"]} == {2, 3}
    table = run("ledger", "trace", ledger_file, "--delivery", "D2")
    assert table.exit_code == 0 and "8.500" in table.stdout and "1.500" in table.stdout
    assert run("ledger", "trace", ledger_file, "--delivery", "nope").exit_code == 1


def test_not_a_workbook(run, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_text("no")
    result = run("ledger", "check", path)
    assert result.exit_code == 1 and "cannot be read as a workbook" in result.stderr


# -- statement ---------------------------------------------------------------------------------

def _statement(run, ledger_file, out, *extra, delivery="D2"):
    return run("ledger", "statement", ledger_file, "--delivery", delivery, "-o", out,
               "--data-dir", run.data_dir, *extra)


def _cells(path, sheet=None):
    book = load_workbook(path)
    return {row[0]: row[1] for row in (book[sheet] if sheet else book.active).iter_rows(values_only=True) if row[0]}


def test_statement_for_a_covered_delivery(run, ledger_file, tmp_path):
    out = tmp_path / "statement.xlsx"
    result = _statement(run, ledger_file, out)
    assert result.exit_code == 0, result.output
    values = _cells(out)
    assert values["Copper delivered"] == 10 and values["Claimed as recycled"] == 10
    assert values["Balancing period"] == "2026-Q1"
    assert values["Credit available just before this claim"] == pytest.approx(8.5 + 18)
    assert "air conditioner, TV, refrigerator, washing machine" in values["Claim"]
    assert "post-consumer" in values["Claim"] and "Saving for this delivery" not in values
    # D2's 10 t used 8.5 t of A's credit (factor 0.95, assay 30 %) and 1.5 t of B's (0.90, 40 %):
    metal = 8.5 / 0.95 + 1.5 / 0.90
    gross = 8.5 / 0.95 / 0.30 + 1.5 / 0.90 / 0.40
    factor, content = 10 / metal, metal / gross
    assert values["Conversion factor of the lots used (copper)"] == pytest.approx(factor)
    assert values["Metal content of the lots used (copper)"] == pytest.approx(content)
    linked = run.json("compare", "copper", "--set", f"scrap_yield={factor!r}", "--set", f"scrap_cu_content={content!r}")
    primary, scrap = (r["total"] for r in linked["routes"])
    assert values["CFP of this delivery (claimed t x recycled route + rest x reference route)"] == pytest.approx(
        scrap * 10 / 1000, rel=1e-5)
    assert values["The same metal from the reference route"] == pytest.approx(primary * 10 / 1000, rel=1e-5)
    assert values["Ledger SHA-256"] == hashlib.sha256(ledger_file.read_bytes()).hexdigest()
    trace = list(load_workbook(out)["Trace"].iter_rows(values_only=True))
    assert [(r[0], r[1]) for r in trace[1:]] == [("A", 2), ("B", 3)]
    # the same ledger and options give the same statement
    again = tmp_path / "again.xlsx"
    assert _statement(run, ledger_file, again).exit_code == 0
    rows = lambda p: [r for r in load_workbook(p).active.iter_rows(values_only=True)]  # noqa: E731
    assert rows(out)[:-1] == rows(again)[:-1]  # all but the command line, which names the output


def test_without_links_the_statement_keeps_the_model_values_and_says_so(run, tmp_path):
    path = write_ledger(tmp_path / "l.xlsx", settings={"yield parameter": None, "assay parameter": None,
                                                       "parameter note": "no yield study yet"},
                        receipts=RECEIPTS, conversions=CONVERSIONS, claims=CLAIMS)
    out = tmp_path / "s.xlsx"
    assert _statement(run, path, out).exit_code == 0
    sheet = {row[0]: row[1:] for row in load_workbook(out).active.iter_rows(values_only=True) if row[0]}
    assert sheet["Conversion factor of the lots used (copper)"][1].startswith("not used")
    assert sheet["Note on the model's parameters"][0] == "no yield study yet"
    scrap = run.json("compare", "copper")["routes"][1]["total"]
    assert sheet["CFP of this delivery (claimed t x recycled route + rest x reference route)"][0] == pytest.approx(
        scrap * 10 / 1000, rel=1e-5)


def test_a_set_value_may_not_contradict_the_ledger(run, ledger_file, tmp_path):
    result = run("report", "copper", "-o", tmp_path / "r.xlsx", "--ledger", ledger_file, "--delivery", "D2",
                 "--set", "scrap_yield=0.9", "--data-dir", run.data_dir)
    assert result.exit_code == 1 and "contradicts ledger ledger.xlsx" in result.stderr
    assert not (tmp_path / "r.xlsx").exists()


def test_statement_refuses_an_uncovered_or_unknown_delivery(run, tmp_path):
    path = write_ledger(tmp_path / "l.xlsx", receipts=RECEIPTS, conversions=CONVERSIONS, claims=CLAIMS + [TOO_MUCH])
    for delivery, text in (("D3", "is not covered"), ("D99", "is not in the ledger")):
        out = tmp_path / f"{delivery}.xlsx"
        result = run("ledger", "statement", path, "--delivery", delivery, "-o", out)
        assert result.exit_code == 1 and text in result.stderr
        assert not out.exists()


def test_statement_never_overwrites_without_permission(run, ledger_file, tmp_path):
    out = tmp_path / "statement.xlsx"
    out.write_bytes(b"customer's file")
    result = _statement(run, ledger_file, out)
    assert result.exit_code == 1 and "--overwrite" in result.stderr
    assert out.read_bytes() == b"customer's file"
    assert _statement(run, ledger_file, out, "--overwrite").exit_code == 0
    assert load_workbook(out).sheetnames == ["Statement", "Period receipts", "Trace"]


def test_customer_text_is_never_a_formula(run, tmp_path):
    evil = '=HYPERLINK("http://x","y")'
    claims = [CLAIMS[0], (D(2026, 2, 1), "D2", evil, 10, 10)]
    path = write_ledger(tmp_path / "l.xlsx", receipts=RECEIPTS, conversions=CONVERSIONS, claims=claims)
    out = tmp_path / "s.xlsx"
    assert _statement(run, path, out).exit_code == 0
    sheet = load_workbook(out).active
    cell = next(row[1] for row in sheet.iter_rows() if row[0].value == "Customer")
    assert cell.value == evil and cell.data_type == "s"


def test_ledger_init_ships_a_template_and_two_worked_examples_that_check(run, tmp_path):
    result = run("ledger", "init", tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        "example-ledger-nickel.xlsx", "example-ledger.xlsx", "ledger-template.xlsx"]
    for name in ("example-ledger.xlsx", "example-ledger-nickel.xlsx", "ledger-template.xlsx"):
        assert run("ledger", "check", tmp_path / name).exit_code == 0, name
    for name, method in (("example-ledger.xlsx", "credit"), ("example-ledger-nickel.xlsx", "rolling-average")):
        example = json.loads(run("ledger", "check", tmp_path / name, "--format", "json").stdout)
        assert sum(p["claims"] for p in example["periods"]) == 4 and example["method"] == method


def test_the_shipped_ledgers_hold_the_cells_of_their_generator(tmp_path):
    """inventories/ledger/ is written by tests/ledger_examples.py: no hand edit goes unnoticed."""
    from ledger_examples import examples
    from python_calamine import CalamineWorkbook

    from lca.paths import shipped_inventories

    for name, book in examples().items():
        book.save(tmp_path / name)
        made, shipped = (CalamineWorkbook.from_path(str(p)) for p in (tmp_path / name,
                                                                       shipped_inventories() / "ledger" / name))
        assert made.sheet_names == shipped.sheet_names
        for sheet in made.sheet_names:
            assert made.get_sheet_by_name(sheet).to_python() == shipped.get_sheet_by_name(sheet).to_python(), sheet


def test_nickel_statement_uses_the_nickel_comparison_and_says_why_the_model_values_stay(run, tmp_path):
    """NI-0002: 31 t of the 160 t of Ni delivered are recycled; the rest is primary."""
    assert run("ledger", "init", tmp_path).exit_code == 0
    out = tmp_path / "ni.xlsx"
    result = _statement(run, tmp_path / "example-ledger-nickel.xlsx", out, delivery="NI-0002")
    assert result.exit_code == 0, result.output
    values = _cells(out)
    nickel = run.json("compare", "nickel")
    primary, recycled = (r["total"] for r in nickel["routes"])
    assert values["Comparison model"] == "nickel" and values["Nickel delivered"] == 160
    assert values["CFP of this delivery (claimed t x recycled route + rest x reference route)"] == pytest.approx(
        (31 * recycled + (160 - 31) * primary) / 1000, rel=1e-5)
    assert "pre-consumer" in values["Claim"] and "rolling-average" in values["Claim"]
    assert "pyro_ni_recovery x hydro_ni_recovery" in values["Note on the model's parameters"]
    assert values["Recycled share of the period's output"] == pytest.approx(values["Credits used in the period"]
                                                                           / values["Output of the period (nickel in "
                                                                                    "battery-grade nickel sulfate for "
                                                                                    "cathode material)"])
