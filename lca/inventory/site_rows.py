"""The rows that declare a site, and their checks on a validated inventory (:mod:`lca.subjects.sites`
reads the same rows back from the Brightway project).

A site is where a part is made: one activity that the parts made there draw their electricity (or
any other input) from, and whose inputs come from the region where the site runs. Two metadata rows
under its ``Activity`` row declare it:

* ``site``: its name, e.g. ``cell plant``;
* ``site regions``: the parameter values that put it in each region, as
  ``REGION: parameter = value, parameter = value; REGION: ...``, e.g.
  ``JP: cell_plant_us_share = 0; US: cell_plant_us_share = 1``. The parameters are database
  parameters of the site's workbook. Under each region's values the site draws every input from
  activities whose ``location`` is that region.

A site without a ``stage`` row is a pass-through: its burden counts in the stage of each part that
draws on it (lca.analysis.calculate attributes an input from an activity without a stage to the
stage that draws on it), so every activity that draws on it must have a ``stage``.
"""

from __future__ import annotations

import difflib
import math
import re

from lca.errors import Problem
from lca.inventory.allowed import allowed_rules, what_to_give
from lca.inventory.formulas import FormulaError, ParameterSpec, evaluate_formula, evaluate_parameters
from lca.inventory.tables import cell_text as _text
from lca.rules import brief

__all__ = ["SITE_ROW", "REGIONS_ROW", "EXAMPLE", "parse_regions", "is_site", "site_problems"]

SITE_ROW = "site"
REGIONS_ROW = "site regions"
EXAMPLE = "JP: cell_plant_us_share = 0; US: cell_plant_us_share = 1"
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_SYNTAX = f"write REGION: parameter = value, parameter = value; REGION: ..., e.g. {EXAMPLE}"


def parse_regions(cell) -> tuple[tuple[str, tuple[tuple[str, float], ...]], ...]:
    """'JP: a = 0; US: a = 1, b = 2' -> (('JP', (('a', 0.0),)), ('US', (('a', 1.0), ('b', 2.0))));
    ValueError saying what is wrong. Empty parts (a trailing ';') are ignored."""
    regions: dict[str, tuple] = {}
    for part in _text(cell).split(";"):
        if not part.strip():
            continue
        code, colon, rest = part.partition(":")
        code = code.strip()
        if not colon:
            raise ValueError(f"{brief(part.strip())} has no ':' after the region")
        if not _CODE.fullmatch(code):
            raise ValueError(f"region {brief(code)} is not a location code (letters, digits, '-' or '_', "
                             "starting with a letter)")
        if code in regions:
            raise ValueError(f"region {code} is given twice")
        values: dict[str, float] = {}
        for assignment in rest.split(","):
            name, equals, number = (s.strip() for s in assignment.partition("="))
            if not equals or not name or not number:
                raise ValueError(f"{brief(assignment.strip() or '(nothing)')} in region {code} is not "
                                 "parameter = value (a decimal comma? write 0.5, not 0,5)")
            if not name.isidentifier():
                raise ValueError(f"{brief(name)} in region {code} is not a parameter name")
            if name in values:
                raise ValueError(f"parameter {name} is given twice in region {code}")
            try:
                value = float(number) if len(number) <= 100 else math.nan
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                raise ValueError(f"{brief(number)} ({name} in region {code}) is not a finite number")
            values[name] = value
        regions[code] = tuple(values.items())
    return tuple(regions.items())


def is_site(get) -> bool:
    """Whether the rows read by ``get(row)`` declare a site."""
    return bool(_text(get(SITE_ROW)))


def site_problems(inventory) -> list[Problem]:
    """Check every site's rows: both present, the regions' syntax, their parameters and values, the
    locations of the inputs under each region's values, and the stages of the activities that draw on it."""
    problems: list[Problem] = []
    activities = inventory.activities
    project = {p.name: p.amount for p in inventory.project_parameters}
    seen: dict[str, object] = {}
    for database in inventory.databases:
        parameters = {p.name: p for p in database.parameters}
        for activity in database.activities:
            site, regions_cell = _text(activity.meta(SITE_ROW)), _text(activity.meta(REGIONS_ROW))
            if not site and not regions_cell:
                continue
            what = f"site {site!r} ({activity.name!r})" if site else f"activity {activity.name!r}"

            def add(row, message, hint, activity=activity):
                problems.append(Problem(activity.meta_where(row), message, hint))

            if not site or not regions_cell:
                present, missing = (SITE_ROW, REGIONS_ROW) if site else (REGIONS_ROW, SITE_ROW)
                add(present, f"{what} has a '{present}' row but no '{missing}'",
                    f"add the row '{missing}' under its 'Activity' row ('{SITE_ROW}' = the site's name, "
                    f"'{REGIONS_ROW}' = e.g. {EXAMPLE}), or delete the '{present}' row")
                continue
            if site in seen:
                add(SITE_ROW, f"site name {site!r} is used twice (also at {seen[site]})",
                    "give every site its own name")
                continue
            seen[site] = activity.meta_where(SITE_ROW)
            try:
                regions = parse_regions(regions_cell)
            except ValueError as exc:
                add(REGIONS_ROW, f"'{REGIONS_ROW}' of {what} is {brief(regions_cell, 120)}: {exc}", _SYNTAX)
                continue
            if len(regions) < 2:
                add(REGIONS_ROW, f"{what} has {len(regions)} region{'' if len(regions) == 1 else 's'} "
                    f"({brief(regions_cell, 120)}); a site runs in one of at least two regions",
                    f"add the values of another region; {_SYNTAX}")
                continue
            bad = _value_problems(regions, parameters, database.name, what)
            if bad:
                problems.extend(Problem(activity.meta_where(REGIONS_ROW), m, h) for m, h in bad)
                continue
            problems.extend(Problem(where, m, h) for where, m, h in
                            _input_problems(activity, regions, database, project, activities, what))
            if not _text(activity.meta("stage")):
                problems.extend(_consumer_problems(activity, activities, what))
    return problems


def _value_problems(regions, parameters: dict, database: str, what: str) -> list[tuple[str, str]]:
    """(message, hint) for parameters that are not the database's, calculated, set by only some
    regions, or given values their rules refuse."""
    bad = []
    named = {name for _, values in regions for name, _ in values}
    for code, values in regions:
        for name, value in values:
            p = parameters.get(name)
            if p is None:
                close = difflib.get_close_matches(name, list(parameters), n=3)
                bad.append((f"'{REGIONS_ROW}' of {what}, region {code}: {name!r} is not a parameter of {database}"
                            + (f" (did you mean {', '.join(close)}?)" if close else ""),
                            f"name a database parameter of {database} (its 'Database parameters' table), or add it"))
                continue
            if p.formula:
                bad.append((f"'{REGIONS_ROW}' of {what}, region {code}: {name} is calculated (= {p.formula}), so "
                            "a region cannot set it", "set the parameters its formula uses instead"))
                continue
            rules = allowed_rules(p)
            broken = [text for test, text in rules if not test(value)]
            if broken:
                bad.append((f"'{REGIONS_ROW}' of {what}, region {code}: {name} = {value:g} is outside "
                            f"{' and '.join(broken)}", f"give {name} a value {what_to_give(rules, p)}"))
        missing = sorted(named - {name for name, _ in values})
        if missing:
            bad.append((f"'{REGIONS_ROW}' of {what}: region {code} does not set {', '.join(missing)}, which "
                        "another region sets", "give every region a value for the same parameters"))
    return bad


def _input_problems(activity, regions, database, project: dict, activities: dict, what: str):
    """(where, message, hint) for inputs that come from another location under a region's values."""
    found = []
    for code, values in regions:
        chosen = dict(values)
        specs = [ParameterSpec(p.name, chosen.get(p.name, p.amount), None if p.name in chosen else p.formula)
                 for p in database.parameters]
        symbols, failures = evaluate_parameters(specs, project)
        local = [ParameterSpec(p.name, p.amount, p.formula) for p in activity.parameters]
        symbols, more = evaluate_parameters(local, symbols)
        if failures or more:
            spec, reason = (failures + more)[0]
            found.append((activity.meta_where(REGIONS_ROW), f"{what}: under region {code}'s values, parameter "
                          f"{spec.name} does not evaluate ({brief(reason, 120)})", "correct the region's values"))
            continue
        drawn = 0
        for exchange in activity.exchanges:
            if exchange.type in ("production", "biosphere"):
                continue
            try:
                amount = evaluate_formula(exchange.formula, symbols) if exchange.formula else exchange.amount
            except FormulaError as exc:
                found.append((exchange.where, f"{what}: under region {code}'s values, the formula of input "
                              f"{exchange.name!r} does not evaluate ({exc})", "correct the formula or the values"))
                continue
            if amount == 0:
                continue
            drawn += 1
            provider = activities.get(exchange.input)
            location = provider.location if provider is not None else "?"
            if location != code:
                found.append((exchange.where, f"{what}: under region {code}'s values "
                              f"({', '.join(f'{n} = {v:g}' for n, v in values)}) it draws {amount:g} {exchange.unit} "
                              f"of {exchange.name!r} located in {location}, not in {code}",
                              f"make the input's formula 0 under region {code}'s values (e.g. a share parameter), "
                              f"or correct the region's values or the input's location"))
        if not drawn:
            found.append((activity.meta_where(REGIONS_ROW), f"{what}: under region {code}'s values it draws no "
                          "input at all", f"give it an input from an activity located in {code}"))
    return found


def _consumer_problems(site, activities: dict, what: str) -> list[Problem]:
    """An activity that draws on a site without a stage must have a stage: the site's burden counts in it."""
    problems = []
    for other in activities.values():
        if other.key == site.key or _text(other.meta("stage")):
            continue
        if any(e.input == site.key and e.type not in ("production", "biosphere") for e in other.exchanges):
            problems.append(Problem(other.where, f"activity {other.name!r} draws on {what}, which has no 'stage', but "
                                    "has no 'stage' itself: the site's burden would be in no stage",
                                    f"add a row 'stage' to {other.name!r} (or to the site)"))
    return problems
