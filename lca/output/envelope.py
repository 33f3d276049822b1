"""The output contract of every result: the keys every JSON starts with, the columns every CSV row has.

A command that computes footprints (compare, footprint, uncertainty, sensitivity, pathway) returns
a result with an ``about`` (:class:`About`): what was computed, with which method, in which unit,
under which allocation, with which parameter changes, from which inventories. :func:`envelope`
turns it into the JSON keys :data:`ENVELOPE_KEYS`, :func:`with_unit_and_method` into the CSV
columns ``unit`` and ``method``. The renderers apply both to every kind registered with
``Renderer.result`` (lca.output.renderer), so a new command cannot leave them out: a result
without an ``about`` is refused there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lca import __version__
from lca.errors import OutputError

__all__ = ["ENVELOPE_KEYS", "CSV_COLUMNS", "About", "Provenance", "about_of", "envelope", "with_envelope",
           "with_unit_and_method", "shown_folder"]

ENVELOPE_KEYS = ("subject", "method", "unit", "allocation", "changes", "provenance")
CSV_COLUMNS = ("unit", "method")


def shown_folder(path) -> str:
    """A folder as a report may show it: relative to the working folder or the home folder ('~/...'),
    else its name only (an absolute path would put a user name or a server's layout in a customer's file)."""
    if path is None:
        return ""
    folder = Path(path).resolve()
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            text = folder.relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
        return text if not prefix else ("~" if text == "." else prefix + text)
    return folder.name


@dataclass(frozen=True)
class Provenance:
    """Where a result came from: the inventories' content fingerprint and the folders (as :func:`shown_folder`)."""

    fingerprint: str
    data_folder: str
    inventories: str

    def as_dict(self) -> dict:
        return {"tool_version": __version__, "inventory_fingerprint": self.fingerprint,
                "data_folder": self.data_folder, "inventories": self.inventories}


@dataclass(frozen=True)
class About:
    """What a result is of, stated at the top of its JSON and in every row of its CSV."""

    kind: str  # comparison, product, products (footprint --all), or a pathway's route or product
    id: str
    name: str
    method: object  # lca.brightway.methods.Method
    impact_unit: str  # the method's unit, e.g. kg CO2-Eq
    functional_unit: str  # e.g. 1 metric ton of copper cathode, 1 unit
    allocation: str  # the recycling allocation approach (or "all", compare --allocation all)
    byproducts: str | None  # the by-product allocation approach (None: no workbook declares one)
    settings: tuple  # the parameter changes ((id, value, origin), ...)
    provenance: Provenance

    @property
    def unit(self) -> str:
        return f"{self.impact_unit} per {self.functional_unit}"


def about_of(run) -> About:
    """What ``run`` is of, or an OutputError for a result that does not say (the renderers' ``check``)."""
    about = getattr(run, "about", None)
    if not isinstance(about, About):
        raise OutputError(f"a {run.kind} result does not state what it is of (no lca.output.envelope.About): "
                          "give its run result an 'about' field")
    return about


def envelope(run) -> dict:
    """The envelope keys of ``run``'s JSON: subject, method, unit, allocation, changes, provenance."""
    about = about_of(run)
    return {
        "subject": {"kind": about.kind, "id": about.id, "name": about.name},
        "method": {"id": about.method.id, "name": list(about.method.name)},
        "unit": {"result": about.impact_unit, "functional_unit": about.functional_unit, "text": about.unit},
        "allocation": {"approach": about.allocation, "byproducts": about.byproducts},
        "changes": [{"name": pid, "value": value, "origin": origin} for pid, value, origin in about.settings],
        "provenance": about.provenance.as_dict(),
    }


def with_envelope(run, record: dict) -> dict:
    """``record`` (a result's JSON keys) under ``run``'s envelope. Where the record has a mapping under an
    envelope key (a comparison's allocation with its parameters, a pathway's subject) its other keys are
    kept beside the envelope's; any other value there gives way to the envelope's."""
    head = envelope(run)
    for key, value in head.items():
        if isinstance(value, dict) and isinstance(record.get(key), dict):
            head[key] = {**value, **{k: v for k, v in record[key].items() if k not in value}}
    return {**head, **{key: value for key, value in record.items() if key not in head}}


def with_unit_and_method(run, header, rows) -> tuple[list, Iterator[list]]:
    """``header`` and ``rows`` (sequences; read lazily) with the columns ``unit`` (blank cells filled with the
    run's unit; a row may state its own, e.g. 'fraction' for a relative difference) and ``method`` (the method id)."""
    about = about_of(run)
    header, fill, extra = list(header), [], []
    for column, value in (("unit", about.unit), ("method", about.method.id)):
        if column in header:
            fill.append((header.index(column), value))
        else:
            header.append(column)
            extra.append(value)

    def complete(row) -> list:
        row = list(row)
        for index, value in fill:
            if row[index] in (None, ""):
                row[index] = value
        return row + extra

    return header, (complete(row) for row in rows)
