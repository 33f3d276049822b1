"""The impact methods the tool offers, and how they are installed offline.

Only climate-change methods are offered. They come from the LCIA file that bw2io bundles
(``lcia_39_ecoinvent.zip``, ecoinvent 3.9 names). ``bw2io.create_default_lcia_methods``
crashes on bw2data 4 because each factor's ``input`` is a list (brightway2-io issue 277), so
the factors are converted to tuples and written here, and only the offered methods are
written, which keeps the first run fast.

IPCC 2021 GWP100 comes with three sub-methods (fossil, biogenic, land use) whose flows partition
the whole method's; IPCC 2013 has none in the file. The three IPCC 2013 GWP100 sub-methods here
are **derived**: each keeps the AR5 factor of every flow the AR6 sub-method of the same name
characterises; the 17 AR5 flows that AR6 does not characterise go by their name ('non-fossil':
biogenic; 'from soil or biomass stock': land use; the rest, fossil carbon monoxide, nitric oxide
and VOC, fossil). So the three add up to IPCC 2013 GWP100 flow by flow (tests/test_methods.py).
"""

from __future__ import annotations

import importlib.util
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lca.errors import MethodError
from lca.rules import unknown_name

__all__ = ["Method", "METHODS", "DEFAULT_METHOD", "SPLITS", "get_method", "install_methods", "lcia_file",
           "derived_entries"]


@dataclass(frozen=True)
class Method:
    id: str
    name: tuple[str, str, str]
    label: str


_IPCC21 = "IPCC 2021"
_IPCC13 = "IPCC 2013"
_GWP100 = "global warming potential (GWP100)"

METHODS: tuple[Method, ...] = (
    Method("ipcc2021-gwp100", (_IPCC21, "climate change", _GWP100), "IPCC AR6 (2021), GWP100"),
    Method("ipcc2021-gwp20", (_IPCC21, "climate change", "global warming potential (GWP20)"),
           "IPCC AR6 (2021), GWP20"),
    Method("ipcc2021-gwp500", (_IPCC21, "climate change", "global warming potential (GWP500)"),
           "IPCC AR6 (2021), GWP500"),
    Method("ipcc2021-gwp100-fossil", (_IPCC21, "climate change: fossil", _GWP100),
           "IPCC AR6, GWP100, fossil emissions only"),
    Method("ipcc2021-gwp100-biogenic", (_IPCC21, "climate change: biogenic", _GWP100),
           "IPCC AR6, GWP100, biogenic emissions only"),
    Method("ipcc2021-gwp100-land-use", (_IPCC21, "climate change: land use", _GWP100),
           "IPCC AR6, GWP100, land use only"),
    Method("ipcc2021-gwp100-slcf", (_IPCC21, "climate change: including SLCFs", _GWP100),
           "IPCC AR6, GWP100, including short-lived climate forcers"),
    Method("ipcc2013-gwp100", (_IPCC13, "climate change", _GWP100), "IPCC AR5 (2013), GWP100"),
    Method("ipcc2013-gwp20", (_IPCC13, "climate change", "global warming potential (GWP20)"), "IPCC AR5 (2013), GWP20"),
    Method("ipcc2013-gwp100-fossil", (_IPCC13, "climate change: fossil", _GWP100),
           "IPCC AR5, GWP100, fossil emissions only (derived: AR5 factors on the AR6 fossil flows)"),
    Method("ipcc2013-gwp100-biogenic", (_IPCC13, "climate change: biogenic", _GWP100),
           "IPCC AR5, GWP100, biogenic emissions only (derived: AR5 factors on the AR6 biogenic flows)"),
    Method("ipcc2013-gwp100-land-use", (_IPCC13, "climate change: land use", _GWP100),
           "IPCC AR5, GWP100, land use only (derived: AR5 factors on the AR6 land-use flows)"),
)
# the parts of a GWP100 method whose results add up to it: (fossil, biogenic, land use)
SPLITS = {
    "ipcc2021-gwp100": ("ipcc2021-gwp100-fossil", "ipcc2021-gwp100-biogenic", "ipcc2021-gwp100-land-use"),
    "ipcc2013-gwp100": ("ipcc2013-gwp100-fossil", "ipcc2013-gwp100-biogenic", "ipcc2013-gwp100-land-use"),
}
_PARTS = ("fossil", "biogenic", "land use")
DEFAULT_METHOD = METHODS[0]


def get_method(text: str | None) -> Method:
    """Find an offered method by id (``ipcc2021-gwp20``) or by its name joined with '|'."""
    if text is None:
        return DEFAULT_METHOD
    wanted = text.strip()
    for method in METHODS:
        if wanted.lower() == method.id or wanted == "|".join(method.name):
            return method
    raise MethodError(f"{unknown_name('method', text, [m.id for m in METHODS])} See `lca methods`.")


def lcia_file() -> Path:
    spec = importlib.util.find_spec("bw2io")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("bw2io is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "lcia" / "lcia_39_ecoinvent.zip"


def install_methods(methods: tuple[Method, ...] = METHODS) -> None:
    """Write ``methods`` into the current Brightway project (biosphere3 must exist)."""
    import bw2data as bd

    wanted = {m.name: m for m in methods}
    with zipfile.ZipFile(lcia_file()) as archive:
        data = json.load(archive.open("data.json"))
    data = data + derived_entries(data)
    found = set()
    for entry in data:
        name = tuple(entry["name"])
        if name not in wanted:
            continue
        found.add(name)
        method = bd.Method(name)
        if name in bd.methods:
            method.deregister()
        method.register(unit=entry.get("unit"), description=entry.get("description", ""),
                        filename=entry.get("filename"), offered_as=wanted[name].id)
        method.write([(tuple(cf["input"]), cf["amount"]) for cf in entry["exchanges"]])
    missing = set(wanted) - found
    if missing:
        raise MethodError(f"bw2io's LCIA file {lcia_file()} lacks the methods {sorted(missing)}; "
                          "install bw2io 0.9.17 or later.")


def _part_of(name: str) -> str:
    """The sub-method an AR5 flow that AR6 does not characterise belongs to, by its name."""
    lowered = name.lower()
    if "non-fossil" in lowered:
        return "biogenic"
    if "from soil or biomass stock" in lowered:
        return "land use"
    return "fossil"


def derived_entries(data: list) -> list:
    """The IPCC 2013 GWP100 sub-methods (fossil, biogenic, land use) derived from the LCIA file's
    ``data`` (see the module docstring); empty when the file lacks a method they need."""
    by_name = {tuple(entry["name"]): entry for entry in data}
    whole = by_name.get((_IPCC13, "climate change", _GWP100))
    parts = {part: by_name.get((_IPCC21, f"climate change: {part}", _GWP100)) for part in _PARTS}
    if whole is None or any(entry is None for entry in parts.values()):
        return []
    home = {tuple(cf["input"]): part for part, entry in parts.items() for cf in entry["exchanges"]}
    derived = []
    for part in _PARTS:
        factors = [cf for cf in whole["exchanges"] if home.get(tuple(cf["input"]), _part_of(cf["name"])) == part]
        derived.append({"name": [_IPCC13, f"climate change: {part}", _GWP100], "unit": whole.get("unit"),
                        "description": f"Derived by lca-cfp: the IPCC 2013 GWP100 factors of the {part} flows "
                                       f"(those of IPCC 2021 'climate change: {part}', others by name).",
                        "filename": whole.get("filename"), "exchanges": factors})
    return derived
