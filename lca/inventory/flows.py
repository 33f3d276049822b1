"""The elementary flows of ``biosphere3``, read from the file bw2io bundles.

Reading the XML directly (rather than through bw2io) keeps ``lca inventory check`` from
touching a Brightway project; the codes are the flow UUIDs, the same keys that
``bw2io.create_default_biosphere3`` writes.
"""

from __future__ import annotations

import functools
import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

from lca.inventory.units import normalize_unit

__all__ = ["BIOSPHERE", "elementary_flows_file", "flow_index"]

BIOSPHERE = "biosphere3"
_NS = "{http://www.EcoInvent.org/EcoSpold02}"


def elementary_flows_file() -> Path:
    """bw2io's bundled ecoinvent 3.9 elementary flow list (located without importing bw2io)."""
    spec = importlib.util.find_spec("bw2io")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("bw2io is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "lci" / "ecoinvent elementary flows 3.9.xml"


@functools.lru_cache(maxsize=1)
def flow_index() -> dict[tuple[str, tuple[str, ...], str], str]:
    """Map (name, categories, unit) to the flow code, as bw2io names them."""
    index = {}
    for element in ET.parse(elementary_flows_file()).getroot():
        name = element.findtext(f"{_NS}name")
        unit = normalize_unit(element.findtext(f"{_NS}unitName"))
        compartment = element.find(f"{_NS}compartment")
        top = compartment.findtext(f"{_NS}compartment")
        sub = compartment.findtext(f"{_NS}subcompartment")
        categories = (top,) if sub in (None, "unspecified") else (top, sub)
        index[(name, categories, unit)] = element.get("id")
    return index
