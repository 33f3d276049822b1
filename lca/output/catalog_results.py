"""Renderers of the lists of methods, parameters, scenarios and the inventory check (lca.runs.catalog),
registered on the table, JSON and CSV renderers by result kind."""

from __future__ import annotations

import json

from lca.output.to_json import RENDER as JSON
from lca.output.to_table import RENDER as TABLE

__all__ = []


@JSON.kind("methods")
def _methods_json(listed) -> str:
    return json.dumps([{"id": m.id, "name": list(m.name), "label": m.label} for m in listed.methods], indent=2) + "\n"


@TABLE.kind("methods")
def _methods_table(listed) -> str:
    width = max(len(m.id) for m in listed.methods) + 2
    return "".join(f"{method.id:<{width}}{' | '.join(method.name)}\n" for method in listed.methods)


@JSON.kind("inventory-check")
def _check_json(check) -> str:
    if not check.ok:
        data = {"ok": False, "folder": str(check.folder), "problems": [p.as_dict() for p in check.problems]}
    else:
        data = {"ok": True, "folder": str(check.folder), "databases": dict(check.databases), "problems": [],
                "warnings": [p.as_dict() for p in check.unsourced], "linked databases": dict(check.linked),
                "background": check.background or None}
    return json.dumps(data, indent=2) + "\n"


@TABLE.kind("inventory-check")
def _check_table(check) -> str:
    if not check.ok:  # the CLI shows the problems as its error message
        return str(check.error) + "\n"
    listed = ", ".join(f"{name} ({n} activities)" for name, n in check.databases.items())
    linked = "".join(f"  links to {n} activit{'y' if n == 1 else 'ies'} of the project's database {name} (not "
                     "written by the tool; left as it is)\n" for name, n in check.linked)
    background = f"  {check.background}\n" if check.background else ""
    return f"OK: {check.folder}: {listed}\n" + linked + background + unsourced_warning(check.unsourced)


def unsourced_warning(unsourced, shown: int = 5) -> str:
    """The warning for exchanges without a source: the count, the first few places, the fix."""
    if not unsourced:
        return ""
    lines = [f"warning: {len(unsourced):,} exchange{'s have' if len(unsourced) != 1 else ' has'} no source "
             "(`lca inventory check --strict` makes this an error):"]
    lines += [f"  - {p.where}: {p.message}" for p in unsourced[:shown]]
    if len(unsourced) > shown:
        lines.append(f"  ... and {len(unsourced) - shown:,} more (`lca inventory check --format json` lists all)")
    lines.append(f"    fix: {unsourced[0].hint}")
    return "\n".join(lines) + "\n"


def _params_rows(listed) -> list[dict]:
    from lca.output.analysis import params_rows

    return params_rows(listed, listed.values)  # params_rows reads only .parameters of its model


@JSON.kind("params")
def _params_json(listed) -> str:
    from lca.output.analysis import dumps

    return dumps({"parameters": _params_rows(listed)})


@TABLE.kind("params")
def _params_table(listed) -> str:
    from lca.output.analysis import params_table

    return params_table(_params_rows(listed), wide=listed.wide)


@TABLE.kind("scenarios")
def _scenarios_table(listed) -> str:
    lines = []
    for scenario in listed.scenarios:
        values = ", ".join(f"{c.name} = {c.value:g}" for c in scenario.changes)
        lines.append(f"{scenario.name}: {scenario.description}\n    sets {values}\n    source: {scenario.source}\n"
                     f"    file: {scenario.path}\n")
    return "".join(lines)
