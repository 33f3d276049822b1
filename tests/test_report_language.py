"""A Japanese report is Japanese: every text a customer reads, in every cell of every sheet and in
the charts, has a Japanese version, apart from what the data themselves name.

The rule, applied to each text cell of each sheet (read with openpyxl) and to each chart's title
and axis titles (the chart's bar names and series names are cells, checked with the rest):

1. Cut out of the text, longest first, the names that come from data with no Japanese version:
   * every text cell of the inventory workbooks used (activity, flow and parameter names, units,
     sources, comments, database names, ids), except the English names that a workbook *also*
     gives in Japanese (the value of a ``route label``, ``product label``, ``stage``,
     ``functional unit``, ... row that has a ``... (ja)`` row beside it, and a parameter's
     ``label`` where ``label (ja)`` is filled): once a Japanese name exists, the English one
     must not reach a Japanese report;
   * the clauses of each source text's customer citation (lca.report.citation, in the words of
     ja.toml's ``[citation]``): the publications a value rests on keep their own titles;
   * the customer's name, the method's name and label (``IPCC 2021 | climate change | ...``),
     and the elementary flows of the biosphere database (no Japanese names exist) as the
     Data sources sheet lists them.
2. What is left may hold Latin-letter words (two letters or more) only if they are tokens that
   the Japanese templates (reports/ja.toml) use themselves: units (kg, kWh), chemical formulas
   (NiSO4), acronyms and names of standards and methods (ISO, IPCC, GWP100, PACT, DQR, SALib).
   A word with a digit is a formula or an identifier (CO2-eq, NiSO4.6H2O, AR6) and passes.
   The Japanese templates themselves hold no English phrase (three Latin words in a row).
3. Exempt are the cells that are not text to read but identifiers to copy: the values on the
   Provenance sheets (command line, file paths, versions, SHA-256 fingerprints; their labels and
   table headers are checked) and the statement's ids (delivery id, lot ids) that come from the
   ledger workbook, whose cells are data in the sense of 1.

Today's half-English report (English functional unit, route ids under the bars, English blends
and scenario names, 'CO2-Eq', English distribution texts) fails this test with the cells named.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lca.report.citation import citation

ROOT = Path(__file__).resolve().parent.parent
JA = tomllib.loads((ROOT / "reports" / "ja.toml").read_text(encoding="utf-8"))
INVENTORIES = ROOT / "inventories"
CUSTOMER = "株式会社サンプル"
TOKEN = re.compile(r"[A-Za-z0-9][\w'./]*")  # split at spaces, brackets, commas and hyphens ('CO2-Eq')
WORD = re.compile(r"[A-Za-z]{2,}")
# rows whose value is an id, not a name to read: a report names a route by its label, not 'primary'
IDS = ("comparison", "route", "route group", "supply of", "conventional supply", "chosen supply", "basis", "basis of",
       "product", "recycled content of", "product quantity", "default route")
LABELLED = ("route label", "route short label", "product label", "basis label", "functional unit", "stage",
            "product quantity label")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def words(text: str) -> list[str]:
    """The Latin words of ``text`` (two letters or more), leaving out tokens with a digit or an underscore:
    numbers, formulas and identifiers (CO2, NiSO4.6H2O, GWP100, cfp_copper.ore_grade, SHA-256 digests)."""
    return [w for token in TOKEN.findall(text) if not any(c.isdigit() or c == "_" for c in token)
            for w in WORD.findall(token)]


def _template_tokens() -> set[str]:
    return {w for text in _strings(JA) for w in words(text)}


def _workbook_texts(folder: Path, inventory: bool = True) -> set[str]:
    """Every text of the workbooks (and their file names), less the English names that an inventory
    workbook gives in Japanese too, and its ids."""
    texts, translated, ids = set(), set(), set()
    for path in sorted(folder.rglob("*.xlsx")):
        texts.add(path.name)
        book = load_workbook(path, read_only=True)
        for sheet in book.worksheets:
            rows = [row for row in sheet.iter_rows(values_only=True)]
            keys = {}
            header = None
            for row in rows:
                cells = [c for c in row if isinstance(c, str)]
                texts.update(" ".join(c.split()) for c in cells)
                first = row[0] if row else None
                if first == "Activity":
                    keys = {}
                if isinstance(first, str) and len(row) > 1:
                    keys[first] = row[1]
                    if inventory and first in IDS and isinstance(row[1], str):
                        ids.add(row[1].strip())
                    if first.endswith(" (ja)") and first[:-5] in LABELLED and isinstance(keys.get(first[:-5]), str):
                        translated.add(" ".join(keys[first[:-5]].split()))
                if "name" in row and "label" in row:
                    header = row
                elif header is not None and len(row) == len(header) and first is not None:
                    record = dict(zip(header, row, strict=True))
                    if record.get("label (ja)") and isinstance(record.get("label"), str):
                        translated.add(" ".join(record["label"].split()))
                if not any(v is not None for v in row):
                    header = None
        book.close()
    return texts - translated - ids


def _chart_texts(chart) -> list[str]:
    found = []
    for title in (chart.title, getattr(chart.x_axis, "title", None), getattr(chart.y_axis, "title", None)):
        if title is not None and title.tx is not None and title.tx.rich is not None:
            found.append("".join(run.t for p in title.tx.rich.p for run in (p.r or [])))
    return found


def english_left(path: Path, *, allowed: set[str], tokens: set[str]) -> list[str]:
    """Where the report at ``path`` shows English, as 'sheet!cell: word in text'."""
    book = load_workbook(path)
    cut = sorted((a for a in allowed if len(a) >= 2), key=len, reverse=True)
    provenance = {JA["sheets"]["provenance"]}
    found = []

    def check(where: str, text: str) -> None:
        left = " ".join(text.split())
        if not words(left):
            return
        for name in cut:  # whole names only: 'no' is a workbook's text, but not inside 'lognormal'
            if name in left:
                left = re.sub(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", " ", left)
        english = [w for w in words(left) if w not in tokens]
        if english:
            found.append(f"{where}: {' '.join(english)} in {text[:90]!r}")

    sources, statement = JA["sheets"]["sources"], JA["sheets"]["statement"]
    for sheet in book.worksheets:
        # the statement's provenance rows (ledger file, digests, fingerprint, command) hold identifiers
        provenance_from = next((c.row for c in sheet["A"] if c.value == JA["statement"].get("provenance")),
                               None) if sheet.title == statement else None
        biosphere_rows = {c.row for c in sheet["E"] if c.value == "biosphere"} if sheet.title == sources else set()
        factors_from = next((c.row for c in sheet["A"] if c.value and str(c.value).startswith(
            JA["sources"]["factors_title"].split("（")[0])), None) if sheet.title == sources else None
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                if sheet.title in provenance and not cell.font.b:
                    continue  # identifiers: the command, paths, versions, fingerprints
                if provenance_from and cell.row > provenance_from and cell.column == 2:
                    continue
                if cell.row in biosphere_rows and cell.column == 6:
                    continue  # an elementary flow's name (biosphere3 has no Japanese names)
                if factors_from and cell.row > factors_from + 1 and cell.column in (1, 2):
                    continue  # the same flows, and their compartments, in the factors table
                check(f"{sheet.title}!{cell.coordinate}", cell.value)
        for chart in sheet._charts:
            for text in _chart_texts(chart):
                check(f"{sheet.title} chart", text)
    return found


@pytest.fixture(scope="module")
def allowed(run):
    method = run.json("compare", "copper")["method"]["name"]
    texts = _workbook_texts(INVENTORIES)
    # a source text reaches the customer as its citation (lca.report.citation): its clauses are the workbook's
    cited = {clause for text in texts for clause in citation(text, JA["citation"]).split("; ")}
    return texts | cited | {CUSTOMER, JA["house"]["company"], " | ".join(method), *method}


@pytest.fixture(scope="module")
def tokens():
    found = _template_tokens()
    # the mass-balance statement's tokens are those of its template texts as well ([statement])
    return found


def test_the_japanese_templates_hold_no_english_phrase():
    phrase = re.compile(r"(?:[A-Za-z]{2,}[ ,]+){2}[A-Za-z]{2,}")
    allowed_phrases = {"Nickel Institute", "Catena-X"}
    english = []
    for text in _strings({k: v for k, v in JA.items() if k not in ("meta",)}):
        for match in phrase.finditer(text):
            if not any(a in match.group(0) for a in allowed_phrases):
                english.append(match.group(0))
    assert not english, english


@pytest.mark.parametrize("args", [
    pytest.param(("copper", "--tonnes", "120"), id="copper-comparison"),
    pytest.param(("nickel", "--tonnes", "50"), id="nickel-comparison-with-blends"),
    pytest.param(("footprint", "cell-2170-kwh", "-n", "40", "--seed", "3", "--sensitivity", "--samples", "16"),
                 id="battery-cell-monte-carlo-sensitivity"),
    pytest.param(("footprint", "air-conditioner", "--copper", "scrap"), id="product-scenarios"),
])
def test_japanese_report_has_no_english_text(run, tmp_path, allowed, tokens, args):
    out = tmp_path / "ja.xlsx"
    result = run("report", *args, "-o", out, "--lang", "ja", "--customer", CUSTOMER, "--date", "2026-11-22")
    assert result.exit_code == 0, result.output
    left = english_left(out, allowed=allowed, tokens=tokens)
    assert not left, "\n".join(left[:40]) + (f"\n... and {len(left) - 40} more" if len(left) > 40 else "")


def test_japanese_report_with_a_ledger_statement(run, tmp_path, allowed, tokens):
    assert run("ledger", "init", tmp_path / "ledger").exit_code == 0
    ledger = tmp_path / "ledger" / "example-ledger.xlsx"
    out = tmp_path / "ja.xlsx"
    result = run("report", "copper", "-o", out, "--lang", "ja", "--ledger", ledger, "--delivery", "DLV-0002",
                 "--date", "2026-11-22")
    assert result.exit_code == 0, result.output
    left = english_left(out, allowed=allowed | _workbook_texts(ledger.parent, inventory=False), tokens=tokens)
    assert not left, "\n".join(left[:40]) + (f"\n... and {len(left) - 40} more" if len(left) > 40 else "")


def test_the_checker_finds_english(tmp_path, allowed, tokens):
    """The rule is not vacuous: an English sentence, a route id under a bar and 'CO2-Eq' are caught,
    a workbook's source and a customer's name are not."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"] = "Per t, the scrap route has a carbon footprint of 863.9 kg CO2-eq"
    sheet["A2"] = "primary"
    sheet["A3"] = "kg CO2-Eq"
    sheet["A4"] = CUSTOMER
    sheet["A5"] = "銅の一次ルート（kg CO2-eq／t）"
    path = tmp_path / "english.xlsx"
    book.save(path)
    left = english_left(path, allowed=allowed - {"primary"}, tokens=tokens)
    assert [entry.split(":")[0] for entry in left] == ["Sheet!A1", "Sheet!A2", "Sheet!A3"]
