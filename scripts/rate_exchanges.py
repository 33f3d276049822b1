#!/usr/bin/env python3
"""Fill the blank data-quality cells (TeR, GeR, TiR, primary data) of every exchange of the given workbooks.

    python scripts/rate_exchanges.py inventories/*.xlsx

The ratings follow transparent rules on the exchange's source text (its ``comment``, plus the
``source`` of every parameter its formula uses, without the ``| distribution:`` part) and on its
activity's ``location`` (docs/data-quality.md, "Rules of scripts/rate_exchanges.py"):

* TiR: the data year (``year 2022``, ``FY2023``, ``2021 data``...) or else the publication years
  cited; the oldest one against the reference year 2022: within 3 years 1, within 10 years 2,
  else 3; no year 3; an exact derivation without a year 1 (stoichiometry, a molar mass, a count
  such as one part per product unit: it does not age).
* GeR: ``PROXY`` or ``UNVERIFIED`` 3; the activity's country named 1 (2 if the sources also
  name countries outside its neighbourhood); a neighbouring or similar country named 2; a global
  source (global, world, IPCC defaults) or another country 3; for a global (GLO) activity a
  global source 1, a national one 2; an exact derivation 1; no region named 3.
* TeR: ``PROXY``, ``UNVERIFIED`` or "proxy" 3; the companies' own data or an exact derivation 1;
  otherwise (a published figure for the same kind of process) 2.
* primary data: yes only where the source is the companies' own disclosure.

A cell that already holds a value is never changed; exchange header rows without the four columns
get them (after their last labelled column). Production exchanges are not rated. Each workbook is
written atomically (a temporary file beside it, then renamed), and only if something changed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lca.inventory.ratings import PRIMARY_COLUMN, QUALITY_COLUMNS, RATING_COLUMNS  # noqa: E402
from lca.inventory.workbook import column_letter, read_workbook  # noqa: E402

REFERENCE_YEAR = 2022

_POOR = re.compile(r"\b(?:PROXY|UNVERIFIED)\b")  # as the workbooks flag them (docs/inventory-data.md)
_PROXY = re.compile(r"\bproxy\b", re.IGNORECASE)
# exact by construction: stoichiometry, molar masses, counts and identities (one part per product unit...)
_STOICHIOMETRIC = re.compile(r"stoichiometr|molar mass|\bper product unit\b|\bin, 1 t out\b|\breference flow\b",
                             re.IGNORECASE)
_COMPANIES = r"(?:Sumitomo Metal Mining|SMM|JX Advanced Metals|JX Metals|JX Nippon Mining|Pan Pacific Copper|Panasonic)"
_PRIMARY = re.compile(
    rf"\b{_COMPANIES}\b[^;|]{{0,80}}\b(?:report|disclosure|measured|metered|plant data|site data|company data)"
    r"|\b(?:company|site|plant|supplier)[- ]specific (?:data|measurement)|\bprimary data\b(?! share)",
    re.IGNORECASE)

# what is not a data or publication year: ISO dates, standards, URLs, commits, pedigree conventions
_NOT_YEARS = re.compile(r"\d{4}-\d{2}(?:-\d{2})?|ISO[ /]?\d+(?:[-:]\d+)*|https?://\S+|commit [0-9a-f]+"
                        r"|pedigree[^|;]*", re.IGNORECASE)
_UNIT_AFTER = r"(?!\s*(?:kg|g|t\b|tonnes?|kt|Mt|km|m\b|kWh|MWh|GWh|MJ|GJ|TJ|%|x\b|/))"
_DATA_YEAR = re.compile(rf"\b(?:year|data year|reference year|FY|fiscal year|ca\.)\s*((?:19|20)\d\d)\b{_UNIT_AFTER}"
                        rf"|\b((?:19|20)\d\d)\s+(?:\w+\s+)?(?:data|values?|averages?|figures?|mix)\b",
                        re.IGNORECASE)
_YEAR = re.compile(rf"(?<![\d.,])((?:19[5-9]|20[0-3])\d)\b{_UNIT_AFTER}")

_PLACES = {
    "JP": ("Japan", "Japanese", "JPN", "Niihama", "Osaka", "Toyo", "Saganoseki", "Naoshima", "Tamano", "Onahama"),
    "CL": ("Chile", "Chilean", "CHL"), "PE": ("Peru", "Peruvian", "PER"),
    "ID": ("Indonesia", "Indonesian", "IDN", "Sulawesi", "Morowali", "Weda Bay"),
    "PH": ("Philippines", "Philippine", "PHL", "Coral Bay", "Taganito", "Palawan"),
    "AU": ("Australia", "Australian", "AUS"), "CA": ("Canada", "Canadian", "CAN"),
    "CN": ("China", "Chinese", "CHN"), "KR": ("Korea", "Korean", "KOR"), "TW": ("Taiwan", "Taiwanese"),
    "US": ("United States", "USA", "U.S.", "US"), "EU": ("Europe", "European", "EU", "EU27", "RER"),
    "DE": ("Germany", "German"), "GB": ("United Kingdom", "UK", "British"), "FI": ("Finland", "Finnish"),
    "SE": ("Sweden", "Swedish"), "NO": ("Norway", "Norwegian"), "RU": ("Russia", "Russian", "Norilsk"),
    "BR": ("Brazil", "Brazilian"), "ZA": ("South Africa",), "CD": ("Congo", "DRC"), "ZM": ("Zambia",),
}
_NEIGHBOURS = ({"JP", "CN", "KR", "TW"}, {"ID", "PH"}, {"CL", "PE", "BR"}, {"CA", "US"},
               {"EU", "DE", "GB", "FI", "SE", "NO"}, {"AU"}, {"ZA", "CD", "ZM"}, {"RU"})
_GLOBAL = re.compile(r"\b(?:global|world|worldwide|GLO|IPCC)\b", re.IGNORECASE)
_GLOBAL_LOCATIONS = ("GLO", "RoW", "")


def _pattern(words) -> re.Pattern:
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w])")


_PLACE_PATTERNS = {code: _pattern(words) for code, words in _PLACES.items()}


def regions(text: str) -> set[str]:
    return {code for code, pattern in _PLACE_PATTERNS.items() if pattern.search(text)}


def years(text: str) -> list[int]:
    """The data years the text states, or else the publication years it cites."""
    text = _NOT_YEARS.sub(" ", text)
    stated = [int(a or b) for a, b in _DATA_YEAR.findall(text)]
    return stated or [int(y) for y in _YEAR.findall(text)]


def rate(text: str, location: str) -> dict:
    """The four ratings of an exchange from its source text and its activity's location."""
    poor = bool(_POOR.search(text))
    stoichiometric = bool(_STOICHIOMETRIC.search(text))
    primary = bool(_PRIMARY.search(text))
    found = years(text)
    if found:
        gap = max(abs(REFERENCE_YEAR - y) for y in found)
        temporal = 1 if gap <= 3 else 2 if gap <= 10 else 3
    else:
        temporal = 1 if stoichiometric else 3
    named = regions(text)
    location = (location or "").strip()
    if poor:
        geographical = 3
    elif stoichiometric and not named:
        geographical = 1
    elif location in _GLOBAL_LOCATIONS:
        geographical = 2 if named else 1 if _GLOBAL.search(text) else 3
    elif location in named:  # 1, unless the sources also name countries outside its neighbourhood
        group = next((g for g in _NEIGHBOURS if location in g), {location})
        geographical = 1 if named <= group else 2
    elif any(location in group and named & group for group in _NEIGHBOURS):
        geographical = 2
    else:
        geographical = 3
    if poor or _PROXY.search(text):
        technological = 3
    elif primary or stoichiometric:
        technological = 1
    else:
        technological = 2
    return {"TeR": technological, "GeR": geographical, "TiR": temporal, PRIMARY_COLUMN: "yes" if primary else "no"}


# --- workbooks ----------------------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parameter_sources(book) -> dict[str, tuple[str, str]]:
    """name -> (source without its distribution part, formula) of every project and database parameter."""
    found = {}
    for _, section in [*book.project_parameters, *book.database_parameters]:
        for _, values, _ in section.records():
            name = values.get("name")
            if isinstance(name, str) and name.strip():
                source = str(values.get("source") or "").split("| distribution:")[0]
                found[name.strip()] = (source, str(values.get("formula") or ""))
    return found


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def source_text(comment: str, formula: str, parameters: dict, skip=frozenset()) -> str:
    """The exchange's comment and the sources of the parameters its formula uses, however deep;
    ``skip`` names parameters that are a choice of method, not data (a by-product allocation factor)."""
    parts, seen, queue = [comment or ""], set(skip), _NAME.findall(formula or "")
    while queue:
        name = queue.pop()
        if name in seen or name not in parameters:
            continue
        seen.add(name)
        source, inner = parameters[name]
        parts.append(source)
        queue.extend(_NAME.findall(inner))
    return " ; ".join(parts)


def rate_workbook(path: Path) -> dict:
    """Fill the blank rating cells of one workbook; return counts for the summary."""
    from openpyxl import load_workbook

    raw = read_workbook(path)
    parameters = _parameter_sources(raw)
    book = load_workbook(path)
    counts = {"headers": 0, "cells": 0, "exchanges": 0, "kept": 0, "values": Counter()}
    for sheet_name, activity in raw.activities:
        section = activity.exchanges
        if section is None or section.header is None:
            continue
        sheet = book[sheet_name]
        labels = list(section.labels)
        index = {label: i for i, label in enumerate(labels) if label}
        last = max([i for i, label in enumerate(labels) if label], default=-1)
        used = max([len(r.cells) for r in section.rows] + [last + 1])
        free = max(last + 1, used)
        for column in QUALITY_COLUMNS:
            if column not in index:
                index[column] = free
                sheet[f"{column_letter(free)}{section.header.number}"] = column
                free += 1
                counts["headers"] += 1
        location = activity.metadata.get("location", (None, None))[0]
        location = location.strip() if isinstance(location, str) else ""
        factor = activity.metadata.get("allocation factor", (None, None))[0]  # prices and flags rate no data
        skip = frozenset({factor.strip()}) if isinstance(factor, str) and factor.strip() else frozenset()
        for row in section.rows:
            values = {label: row.get(i) for label, i in index.items()}
            kind = str(values.get("type") or "").strip().lower()
            if kind in ("", "production"):
                continue
            counts["exchanges"] += 1
            blanks = [c for c in QUALITY_COLUMNS if _blank(values.get(c))]
            if not blanks:
                counts["kept"] += 1
                continue
            text = source_text(str(values.get("comment") or ""), str(values.get("formula") or ""), parameters, skip)
            ratings = rate(text, location)
            for column in blanks:
                sheet[f"{column_letter(index[column])}{row.number}"] = ratings[column]
                counts["cells"] += 1
                counts["values"][(column, ratings[column])] += 1
    if counts["headers"] or counts["cells"]:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx", dir=path.parent)
        os.close(handle)
        try:
            book.save(temporary)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return counts


def _summary(path: Path, counts: dict) -> str:
    values = counts["values"]
    spread = "; ".join(f"{c} " + "/".join(str(values[(c, r)]) for r in (1, 2, 3)) for c in RATING_COLUMNS)
    return (f"{path.name}: {counts['exchanges']} exchanges, {counts['headers']} header cells added, "
            f"{counts['cells']} cells filled, {counts['kept']} exchanges already rated (kept); "
            f"filled as 1/2/3: {spread}; primary data yes/no: {values[(PRIMARY_COLUMN, 'yes')]}/"
            f"{values[(PRIMARY_COLUMN, 'no')]}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="inventory workbooks (.xlsx)")
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.paths if not p.is_file()]
    if missing:
        print(f"Error: no such workbook: {', '.join(missing)}", file=sys.stderr)
        return 1
    total = 0
    for path in args.paths:
        counts = rate_workbook(path)
        total += counts["cells"]
        print(_summary(path, counts))
    print(f"rated: {total} cells filled in {len(args.paths)} workbook(s); existing ratings unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
