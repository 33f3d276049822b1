"""The inventory databases as an openLCA JSON-LD zip (olca-schema 2), stated exactly or refused.

What is written (docs/olca-export.md):

* one process per activity, category = its database; its exchanges: the production exchange as the
  quantitative reference (an output), technosphere exchanges as inputs with the providing process
  as default provider, biosphere exchanges as inputs (natural resources) or outputs (emissions).
  Amounts are Brightway's, sign included: a negative technosphere amount stays a negative input
  linked to its provider (the same matrix entry as in Brightway; an openLCA output would be a
  co-product that needs allocation). Formulas are translated (lca.exchange.olca_formulas);
* one product flow per (reference product, unit) that a process makes, category "lca-cfp products";
* the elementary flows the exchanges use, with biosphere3's ids (the ``code`` of each node: the
  ecoinvent elementary-flow UUID that openLCA's ecoinvent-based reference flows use as well), category
  "Elementary flows/<compartment>/<subcompartment>" with openLCA's compartment names (Emission to
  air, Emission to water, Emission to soil, Resource) and "unspecified" for a flow without one;
* units, unit groups and flow properties with openLCA's reference ids (lca.exchange.olca_units);
* global and process parameters (lca.exchange.olca_parameters); the locations used.

Ids of processes, product flows, locations and parameters: uuid5 in a namespace of the tool
(:data:`NAMESPACE`) of "process:<database>:<code>", "product:<name>|<unit>", "location:<code>" and
"parameter:<name>", so an export of the same inventories has the same ids every time.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from lca.brightway.exchange_parts import parts_of, workbook_row
from lca.errors import ExportRefused
from lca.exchange.olca_formulas import OlcaFormulaError
from lca.exchange.olca_parameters import global_parameters, translate_in, uncertainty_of
from lca.exchange.olca_units import unit_groups, unit_of

__all__ = ["OlcaExport", "NAMESPACE", "export_olca", "build_entities", "entity_id"]

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/lca-cfp/olca-export")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_COMPARTMENTS = {"air": "Emission to air", "water": "Emission to water", "soil": "Emission to soil",
                 "natural resource": "Resource"}
_PRODUCTS = "lca-cfp products"
_PLACES = {"GLO": "Global", "JP": "Japan", "CL": "Chile", "PE": "Peru", "ID": "Indonesia", "CA": "Canada",
           "AU": "Australia", "PH": "Philippines", "US": "United States", "CN": "China", "KR": "Korea, Republic of",
           "DE": "Germany", "RER": "Europe", "RoW": "Rest of the world"}


@dataclass(frozen=True)
class OlcaExport:
    """What an export wrote: the zip and how many entities of each kind."""

    path: Path
    processes: int
    product_flows: int
    elementary_flows: int
    parameters: int  # global plus process parameters
    unit_groups: int
    locations: int
    distributions_left_out: int  # truncated or negative lognormal / normal: the value is written, not the spread


def entity_id(text: str) -> str:
    return str(uuid.uuid5(NAMESPACE, text))


def _ref(o, ref_type, entity_id_, name):
    return o.Ref(ref_type=ref_type, id=entity_id_, name=name)


class _Builder:
    def __init__(self, bd, databases):
        import olca_schema as o

        self.o, self.bd, self.databases = o, bd, tuple(databases)
        self.problems: list[str] = []
        self.units: dict[str, object] = {}
        self.products: dict[tuple, object] = {}
        self.elementary: dict[str, object] = {}
        self.locations: dict[str, object] = {}
        self.left_out = 0

    def unit(self, name: str, where: str):
        unit = unit_of(name)
        if unit is None:
            self.problems.append(f"{where}: the unit {name!r} has no openLCA unit here; add it to "
                                 "lca.exchange.olca_units.UNITS with its conversion factor")
            return None
        self.units[unit.symbol] = unit
        return unit

    def location(self, code):
        o = self.o
        code = str(code or "GLO")
        if code not in self.locations:
            self.locations[code] = o.Location(id=entity_id(f"location:{code}"), code=code, name=_PLACES.get(code, code))
        return _ref(o, o.RefType.Location, self.locations[code].id, self.locations[code].name)

    def product(self, node, where: str):
        o = self.o
        name, unit_name = node.get("reference product") or node["name"], node["unit"]
        unit = self.unit(unit_name, where)
        if unit is None:
            return None, None
        key = (name, unit_name)
        if key not in self.products:
            self.products[key] = o.Flow(
                id=entity_id(f"product:{name}|{unit_name}"), name=name, flow_type=o.FlowType.PRODUCT_FLOW,
                category=_PRODUCTS, flow_properties=[self._factor(unit)])
        return self.products[key], unit

    def elementary_flow(self, node, where: str):
        o = self.o
        code = node["code"]
        unit = self.unit(node["unit"], where)
        if not _UUID.match(code):
            self.problems.append(f"{where}: the elementary flow {node['name']!r} has the code {code!r}, not a "
                                 "biosphere3 UUID")
            return None, None, False
        categories = tuple(node.get("categories") or ())
        top = categories[0] if categories else "unspecified"
        path = "/".join(["Elementary flows", _COMPARTMENTS.get(top, top), *(categories[1:] or ("unspecified",))])
        if unit is not None and code not in self.elementary:
            cas = str(node.get("CAS number") or "").lstrip("0") or None
            self.elementary[code] = o.Flow(id=code, name=node["name"], flow_type=o.FlowType.ELEMENTARY_FLOW,
                                           category=path, cas=cas, flow_properties=[self._factor(unit)])
        return self.elementary.get(code), unit, top == "natural resource"

    def _factor(self, unit):
        o = self.o
        return o.FlowPropertyFactor(flow_property=_ref(o, o.RefType.FlowProperty, unit.property_id,
                                                       unit.property_name),
                                    conversion_factor=1.0, is_ref_flow_property=True)

    def exchange(self, o, flow, unit, amount, *, is_input, formula=None, provider=None, reference=False,
                 data=None, internal_id=0, description=""):
        uncertainty, left_out = uncertainty_of(data or {}, amount)
        self.left_out += left_out
        return o.Exchange(
            internal_id=internal_id, flow=_ref(o, o.RefType.Flow, flow.id, flow.name), amount=amount,
            amount_formula=formula, is_input=is_input, is_quantitative_reference=reference,
            unit=_ref(o, o.RefType.Unit, unit.unit_id, unit.symbol),
            flow_property=_ref(o, o.RefType.FlowProperty, unit.property_id, unit.property_name),
            default_provider=provider, uncertainty=uncertainty, description=description or None)


def build_entities(bd, databases) -> tuple[list, OlcaExport]:
    """All entities of the export (processes last) and their counts (path unset); ExportRefused lists
    every problem found."""
    import olca_schema as o

    builder = _Builder(bd, databases)
    globals_ = global_parameters(bd, databases, entity_id)
    builder.problems += globals_.problems
    builder.left_out += globals_.left_out
    local = _activity_parameters(databases)
    processes = []
    for database in databases:
        for activity in sorted(bd.Database(database), key=lambda a: a["code"]):
            process = _process(builder, o, activity, globals_, local.get((database, activity["code"]), ()))
            if process is not None:
                processes.append(process)
    if builder.problems:
        count = len(builder.problems)
        raise ExportRefused(f"The openLCA export was refused: {count} thing{'s' if count != 1 else ''} in the "
                            "inventories cannot be stated exactly in openLCA; nothing was written.\n"
                            + "\n".join(f"  - {p}" for p in builder.problems))
    groups, properties = unit_groups(builder.units.values())
    process_parameters = sum(len(p.parameters or ()) for p in processes)
    entities = [*groups, *properties, *builder.locations.values(), *globals_.entities, *builder.products.values(),
                *builder.elementary.values(), *processes]
    counts = OlcaExport(path=Path(), processes=len(processes), product_flows=len(builder.products),
                        elementary_flows=len(builder.elementary),
                        parameters=len(globals_.entities) + process_parameters, unit_groups=len(groups),
                        locations=len(builder.locations), distributions_left_out=builder.left_out)
    return entities, counts


def _activity_parameters(databases) -> dict:
    """(database, code) -> [ActivityParameter] of the activity parameters bw2data holds (not the
    placeholders that bw2data's exchange groups create)."""
    from bw2data.parameters import ActivityParameter

    found: dict = {}
    for p in ActivityParameter.select().where(ActivityParameter.database << list(databases)):
        if not p.name.startswith("__dummy_"):
            found.setdefault((p.database, p.code), []).append(p)
    return found


def _process(builder: _Builder, o, activity, globals_, activity_parameters):
    database, code, name = activity["database"], activity["code"], activity["name"]
    where = f"{database}: activity {name!r} ({code})"
    local = {p.name for p in activity_parameters}
    parameters = []
    for p in activity_parameters:
        formula = _formula(builder, p.formula, database, globals_, f"{where}, parameter {p.name}", local)
        uncertainty, left_out = uncertainty_of(p.data, float(p.amount))
        builder.left_out += left_out
        parameters.append(o.Parameter(id=entity_id(f"parameter:{database}:{code}:{p.name}"), name=p.name,
                                      parameter_scope=o.ParameterScope.PROCESS_SCOPE, value=float(p.amount),
                                      is_input_parameter=not p.formula, formula=formula,
                                      description=str(p.data.get("source", "")) or None,
                                      uncertainty=None if p.formula else uncertainty))
    exchanges = []
    productions = 0
    # a merged exchange (lca.brightway.exchange_parts) is exported part by part, in the workbook's order
    stated = sorted(((e.input, part) for e in activity.exchanges() for part in parts_of(e.as_dict())),
                    key=lambda pair: workbook_row(pair[1]))
    for node, exc in stated:
        kind, amount = exc["type"], float(exc["amount"])
        label = f"{where}, {kind} exchange {node['name']!r}"
        if exc.get("unit") and exc["unit"] != node["unit"]:
            builder.problems.append(f"{label}: the exchange unit {exc['unit']!r} is not its flow's unit "
                                    f"{node['unit']!r} (Brightway reads the amount in the flow's unit)")
            continue
        formula = _formula(builder, exc.get("formula"), database, globals_, label, local)
        common = {"formula": formula, "data": exc, "internal_id": len(exchanges) + 1,
                  "description": exc.get("comment") or ""}
        if kind == "production":
            productions += 1
            if node.key != activity.key or amount <= 0 or productions > 1:
                builder.problems.append(f"{label}: only one production exchange of the activity itself, with a "
                                        f"positive amount, can be openLCA's quantitative reference (amount {amount})")
                continue
            flow, unit = builder.product(node, label)
            if flow is not None:
                exchanges.append(builder.exchange(o, flow, unit, amount, is_input=False, reference=True, **common))
        elif kind == "technosphere":
            if node["database"] not in builder.databases:
                builder.problems.append(f"{label}: its provider is in {node['database']}, which is not exported")
                continue
            flow, unit = builder.product(node, label)
            provider = _ref(o, o.RefType.Process, entity_id(f"process:{node['database']}:{node['code']}"),
                            node["name"])
            if flow is not None:
                exchanges.append(builder.exchange(o, flow, unit, amount, is_input=True, provider=provider, **common))
        elif kind == "biosphere":
            flow, unit, resource = builder.elementary_flow(node, label)
            if flow is not None:
                exchanges.append(builder.exchange(o, flow, unit, amount, is_input=resource, **common))
        else:
            builder.problems.append(f"{label}: the exchange type {kind!r} is not exported (production, "
                                    "technosphere and biosphere are)")
    if productions == 0:
        builder.problems.append(f"{where}: no production exchange, so no quantitative reference")
    return o.Process(id=entity_id(f"process:{database}:{code}"), name=name, category=database,
                     description=activity.get("comment") or None, process_type=o.ProcessType.UNIT_PROCESS,
                     location=builder.location(activity.get("location")), exchanges=exchanges,
                     parameters=parameters or None, last_internal_id=len(exchanges))


def _formula(builder: _Builder, formula, database, globals_, where: str, local=()):
    if not formula:
        return None
    try:
        return translate_in(formula, database, globals_, where, local)
    except OlcaFormulaError as exc:
        builder.problems.append(f"{where}, formula {formula!r}: {exc}")
        return None


def export_olca(bd, databases, path, *, overwrite: bool = False) -> OlcaExport:
    """Write the openLCA JSON-LD zip of ``databases`` to ``path`` (through a temporary file beside it)."""
    from dataclasses import replace

    from olca_schema.zipio import ZipWriter

    from lca.xlsx import check_output, write_atomically

    check_output(path, overwrite=overwrite, suffix=".zip")
    entities, counts = build_entities(bd, databases)
    buffer = io.BytesIO()
    with ZipWriter(buffer) as writer:
        for entity in entities:
            writer.write(entity)
    written = write_atomically(buffer.getvalue(), path, overwrite=overwrite, suffix=".zip")
    return replace(counts, path=written)
