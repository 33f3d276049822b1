"""Write small workbooks in bw2io's Excel layout for tests (plain values, no cell formulas)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from lca.inventory.load import EXCHANGE_COLUMNS

CO2 = {"name": "Carbon dioxide, fossil", "categories": "air", "unit": "kilogram", "type": "biosphere",
       "database": "biosphere3"}
CH4 = {"name": "Methane, fossil", "categories": "air", "unit": "kilogram", "type": "biosphere",
       "database": "biosphere3"}


def activity(name, code, unit="kilogram", location="GLO", reference_product=None, exchanges=(), **meta):
    """An activity dict; its production exchange is added first. ``meta`` become metadata rows
    (underscores read as spaces)."""
    product = reference_product or name
    production = {"name": name, "amount": 1, "unit": unit, "location": location, "type": "production",
                  "reference product": product, "comment": "reference flow"}
    return {"name": name, "code": code, "unit": unit, "location": location, "reference product": product,
            "meta": {k.replace("_", " "): v for k, v in meta.items()},
            "exchanges": [production, *exchanges]}


def tech(name, amount, unit="kilogram", location="GLO", product=None, database=None, **extra):
    row = {"name": name, "amount": amount, "unit": unit, "location": location, "type": "technosphere",
           "reference product": product or name, "comment": "test value"}
    if database:
        row["database"] = database
    row.update(extra)
    return row


def bio(flow, amount, **extra):
    row = dict(flow, amount=amount, comment="test value")
    row.update(extra)
    return row


def write_workbook(path: Path, database: str, activities, parameters=None) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "inventory"
    rows = [["Database", database], ["description", "test"], []]
    if parameters:
        rows += [["Database parameters"], ["name", "amount", "unit", "source", "formula", "minimum", "maximum",
                                           "uncertainty type", "loc", "scale", "lower limit", "upper limit"]]
        for name, spec in parameters.items():
            if isinstance(spec, dict):
                rows.append([name, spec.get("amount"), spec.get("unit", ""), "test", spec.get("formula"),
                             spec.get("minimum"), spec.get("maximum"), spec.get("uncertainty type"), spec.get("loc"),
                             spec.get("scale"), spec.get("lower limit"), spec.get("upper limit")])
            else:
                amount, formula = (spec, None) if not isinstance(spec, str) else (None, spec)
                rows.append([name, amount, "", "test", formula])
        rows.append([])
    for act in activities:
        rows.append(["Activity", act["name"]])
        for key in ("code", "location", "unit", "reference product"):
            if act.get(key) is not None:
                rows.append([key, act[key]])
        rows.append(["type", "process"])
        for key, value in act["meta"].items():
            rows.append([key, value])
        rows.append(["Exchanges"])
        rows.append(list(EXCHANGE_COLUMNS))
        for exchange in act["exchanges"]:
            rows.append([exchange.get(column) for column in EXCHANGE_COLUMNS])
        rows.append([])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def refresh_amounts(folder) -> int:
    """Type each formula's value into its amount cell, as the check's messages ask after a parameter's
    value was edited (lca.inventory.stale_amounts); returns the number of cells rewritten."""
    from openpyxl import load_workbook

    from lca.inventory.load import stale_amounts

    cells = stale_amounts(folder)
    by_file: dict[str, list] = {}
    for where, value in cells:
        by_file.setdefault(where.file, []).append((where, value))
    for name, edits in by_file.items():
        book = load_workbook(Path(folder) / name)
        for where, value in edits:
            book[where.sheet][f"{where.column}{where.row}"].value = value
        book.save(Path(folder) / name)
    return len(cells)
