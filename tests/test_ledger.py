"""The mass-balance ledger: hand-checkable balances, every bad input, and the statement.

Three quarters, carry-over for one period (see each test for the arithmetic):

    conversion factors   Q4-2025 0.95   Q1-2026 0.90   Q2-2026 0.95
    receipts             A 100 t x 30 % = 30 t Cu (Q4)   B 50 t x 40 % = 20 t Cu (Q1)
                         C 10 t x 50 % = 5 t Cu (Q2)
    credits              30 x 0.95 = 28.5     20 x 0.90 = 18     5 x 0.95 = 4.75
    claims               D1 20 t (Q4)   D2 10 t (Q1)   D4 5 t (Q2)   [D3 30 t (Q2): too much]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from ledgers import write_ledger
from openpyxl import load_workbook

from lca.ledger import read_ledger
from lca.massbalance import balance

D = dt.date
RECEIPTS = [
    (D(2025, 10, 15), "A", "Plant Kanto", "air conditioner", 100, 30, "XRF lot assay"),
    (D(2026, 1, 10), "B", "Plant Kansai", "refrigerator", 50, 40, "XRF lot assay"),
    (D(2026, 4, 10), "C", "Plant Kanto", "washing machine", 10, 50, "XRF lot assay"),
]
CONVERSIONS = [("2025-Q4", 0.95, "yield audit 2025"), ("2026-Q1", 0.90, "yield audit 2026-1"),
               ("2026-Q2", 0.95, "yield audit 2026-2")]
CLAIMS = [
    (D(2025, 12, 1), "D1", "ACME Corp", 20),
    (D(2026, 2, 1), "D2", "ACME Corp", 10),
    (D(2026, 6, 1), "D4", "Beta KK", 5),
]
TOO_MUCH = (D(2026, 5, 1), "D3", "Gamma", 30)


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
        assert p.opening_t + p.credits_in_t == pytest.approx(p.claims_out_t + p.expired_t + p.closing_t)


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
    assert problem.where.sheet == "Claims" and problem.where.row == 5 and problem.where.column == "D"
    assert result.covers["D3"].available_before_t == pytest.approx(16.5 + 4.75)
    assert not result.covers["D3"].accepted and result.covers["D4"].accepted  # D3 drew nothing
    cli = run("ledger", "check", path)
    assert cli.exit_code == 1
    assert "l.xlsx, sheet 'Claims', row 5, column D" in cli.stderr and "exceeds the 21.250 t" in cli.stderr


def test_a_claim_before_its_receipt_is_refused(tmp_path):
    early = [(D(2025, 10, 1), "D0", "Early", 1)]  # before receipt A on 10-15
    path = write_ledger(tmp_path / "l.xlsx", receipts=RECEIPTS, conversions=CONVERSIONS, claims=early)
    (problem,) = balance(read_ledger(path)).problems
    assert "exceeds the 0.000 t" in problem.message


def test_rolling_average_method(tmp_path):
    conversions = [c + (o,) for c, o in zip(CONVERSIONS, (100, 100, 50), strict=True)]
    path = write_ledger(tmp_path / "l.xlsx", settings={"method": "rolling-average"}, receipts=RECEIPTS,
                        conversions=conversions, claims=CLAIMS + [TOO_MUCH], output=True)
    result = balance(read_ledger(path))
    q4, q1, q2 = result.periods
    assert q4.recycled_share == pytest.approx(28.5 / 100)
    assert q1.recycled_share == pytest.approx((28.5 + 18) / (100 + 100))  # window of two periods
    assert q2.recycled_share == pytest.approx((18 + 4.75) / (100 + 50))
    assert q2.allowance_t == pytest.approx(50 * (18 + 4.75) / 150)  # 7.583 t
    assert [p.claims_out_t for p in result.periods] == pytest.approx([20, 10, 5])
    (problem,) = result.problems
    assert problem.where.row == 5 and "allowance" in problem.message


def test_check_prints_the_balance_and_json(run, ledger_file):
    result = run("ledger", "check", ledger_file)
    assert result.exit_code == 0, result.output
    assert "2026-Q2" in result.stdout and "credit method" in result.stdout
    data = json.loads(run("ledger", "check", ledger_file, "--format", "json").stdout)
    assert data["ok"] and [p["period"] for p in data["periods"]] == ["2025-Q4", "2026-Q1", "2026-Q2"]
    assert data["periods"][2]["expired_t"] == pytest.approx(11.5)


@pytest.mark.parametrize(
    ("sheet", "change", "row", "column", "text"),
    [
        ("Receipts", lambda r, c, k: (r + [r[0][:1] + ("A",) + r[0][2:]], c, k), 5, "B", "duplicate lot id 'A'"),
        ("Claims", lambda r, c, k: (r, c, k + [k[0][:1] + ("D1",) + k[0][2:]]), 5, "B", "duplicate delivery id"),
        ("Receipts", lambda r, c, k: ([r[0][:4] + (-5,) + r[0][5:]] + r[1:], c, k), 2, "E", "not a positive"),
        ("Receipts", lambda r, c, k: ([r[0][:4] + (0,) + r[0][5:]] + r[1:], c, k), 2, "E", "not a positive"),
        ("Claims", lambda r, c, k: (r, c, [k[0][:3] + (0,)] + k[1:]), 2, "D", "not a positive"),
        ("Receipts", lambda r, c, k: ([r[0][:5] + (130,) + r[0][6:]] + r[1:], c, k), 2, "F", "percentage in (0, 100]"),
        ("Receipts", lambda r, c, k: ([(D(2027, 1, 1),) + r[0][1:]] + r[1:], c, k), 2, "A", "outside the ledger"),
        ("Claims", lambda r, c, k: (r, c, [(D(2024, 1, 1),) + k[0][1:]] + k[1:]), 2, "A", "outside the ledger"),
        ("Receipts", lambda r, c, k: ([r[0][:3] + ("toaster",) + r[0][4:]] + r[1:], c, k), 2, "D",
         "unknown category 'toaster'"),
        ("Conversion", lambda r, c, k: (r, c[:2], k), None, "A", "period 2026-Q2 has no conversion factor"),
        ("Conversion", lambda r, c, k: (r, [("2025-Q4", 1.2, "x")] + c[1:], k), 2, "B", "not a number in (0, 1]"),
    ],
    ids=["duplicate-lot", "duplicate-delivery", "negative-mass", "zero-mass", "zero-claim", "assay-over-100",
         "receipt-date-outside", "claim-date-outside", "unknown-category", "period-without-factor", "factor-over-1"],
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


def test_not_a_workbook(run, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_text("no")
    result = run("ledger", "check", path)
    assert result.exit_code == 1 and "cannot be read as a workbook" in result.stderr


def _statement(run, ledger_file, out, *extra):
    return run("ledger", "statement", ledger_file, "--delivery", "D2", "-o", out,
               "--data-dir", run.data_dir, *extra)


def test_statement_for_a_covered_delivery(run, ledger_file, tmp_path):
    out = tmp_path / "statement.xlsx"
    result = _statement(run, ledger_file, out)
    assert result.exit_code == 0, result.output
    values = {row[0]: row[1] for row in load_workbook(out).active.iter_rows(values_only=True) if row[0]}
    copper = run.json("compare", "copper")
    primary, scrap = (r["total"] for r in copper["routes"])
    assert values["Cathode delivered"] == 10 and values["Balancing period"] == "2026-Q1"
    assert values["Available just before this claim"] == pytest.approx(8.5 + 18)
    assert values["Saving for this delivery"] == pytest.approx((primary - scrap) * 10 / 1000, rel=1e-5)
    assert values["Ledger SHA-256"] == hashlib.sha256(ledger_file.read_bytes()).hexdigest()
    # the same ledger and options give the same statement
    again = tmp_path / "again.xlsx"
    assert _statement(run, ledger_file, again).exit_code == 0
    rows = lambda p: [r for r in load_workbook(p).active.iter_rows(values_only=True)]  # noqa: E731
    assert rows(out)[:-1] == rows(again)[:-1]  # all but the command line, which names the output


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
    assert load_workbook(out).sheetnames == ["Statement", "Period receipts"]


def test_customer_text_is_never_a_formula(run, tmp_path):
    evil = '=HYPERLINK("http://x","y")'
    claims = [CLAIMS[0], (D(2026, 2, 1), "D2", evil, 10)]
    path = write_ledger(tmp_path / "l.xlsx", receipts=RECEIPTS, conversions=CONVERSIONS, claims=claims)
    out = tmp_path / "s.xlsx"
    assert _statement(run, path, out).exit_code == 0
    sheet = load_workbook(out).active
    cell = next(row[1] for row in sheet.iter_rows() if row[0].value == "Customer")
    assert cell.value == evil and cell.data_type == "s"


def test_ledger_init_ships_a_template_and_a_worked_example_that_check(run, tmp_path):
    result = run("ledger", "init", tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == ["example-ledger.xlsx", "ledger-template.xlsx"]
    for name in ("example-ledger.xlsx", "ledger-template.xlsx"):
        assert run("ledger", "check", tmp_path / name).exit_code == 0
    example = json.loads(run("ledger", "check", tmp_path / "example-ledger.xlsx", "--format", "json").stdout)
    assert sum(p["claims"] for p in example["periods"]) == 4
