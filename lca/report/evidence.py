"""What a result rests on: the activities used, their exchanges with sources, the parameters in
force and the characterisation factors applied, read from the Brightway project in bulk.

"Used" means reachable through technosphere inputs from the activities reported on, across
databases (a route reaches its background; a product reaches both copper routes through the
supply mix, as the report shows both scenarios).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from lca.brightway.exchange_parts import expanded, workbook_row

__all__ = ["ExchangeRow", "ParameterRow", "FactorRow", "Evidence", "collect_evidence", "UNVERIFIED"]

UNVERIFIED = "UNVERIFIED"  # the marker the workbooks use for practitioner estimates


@dataclass(frozen=True)
class ExchangeRow:
    database: str
    activity: str
    location: str
    activity_unit: str
    stage: str
    type: str
    flow: str  # input activity name, or elementary flow name with its compartment
    amount: float
    unit: str
    source: str

    @property
    def unverified(self) -> bool:
        return UNVERIFIED in self.source


@dataclass(frozen=True)
class ParameterRow:
    database: str
    name: str
    amount: float
    unit: str
    formula: str
    minimum: float | None
    maximum: float | None
    source: str
    distribution: str = ""  # e.g. "triangular 0.4 to 0.6, mode 0.5"; empty when exact
    shape: object = None  # the lca.distributions.Distribution it describes (worded per language by the report)


@dataclass(frozen=True)
class FactorRow:
    flow: str
    compartment: str
    factor: float
    unit: str  # the flow's unit; the factor is method unit per flow unit


@dataclass(frozen=True)
class Evidence:
    databases: tuple[str, ...]  # in order of first use
    exchanges: tuple[ExchangeRow, ...]
    parameters: tuple[ParameterRow, ...]
    factors: tuple[FactorRow, ...]

    @property
    def unverified_count(self) -> int:
        return sum(row.unverified for row in self.exchanges)


def _used(start_keys, inputs_of) -> list:
    seen, queue, order = set(start_keys), deque(start_keys), list(start_keys)
    while queue:
        for key in inputs_of.get(queue.popleft(), ()):
            if key not in seen:
                seen.add(key)
                queue.append(key)
                order.append(key)
    return order


def collect_evidence(bd, databases, start_keys, method_name, changes=None) -> Evidence:
    """Exchanges, parameters and factors behind the results for ``start_keys`` (activity keys);
    ``changes`` (lca.matrices.MatrixChanges) give the parameter values and amounts of the run."""
    values = dict(changes.values) if changes else {}
    amounts = dict(changes.amounts) if changes else {}
    from bw2data.backends import ActivityDataset, ExchangeDataset
    from bw2data.parameters import DatabaseParameter

    databases = tuple(databases)
    inputs_of: dict = {}
    edges = (ExchangeDataset.select(ExchangeDataset.input_database, ExchangeDataset.input_code,
                                    ExchangeDataset.output_database, ExchangeDataset.output_code)
             .where((ExchangeDataset.output_database << databases) & (ExchangeDataset.type == "technosphere"))
             .tuples())  # the graph first, without unpickling every exchange
    for input_database, input_code, output_database, output_code in edges:
        if input_database in databases:
            inputs_of.setdefault((output_database, output_code), []).append((input_database, input_code))
    used = _used([tuple(k) for k in start_keys], inputs_of)
    used_set = set(used)
    used_databases = sorted({key[0] for key in used})
    activities = {(a.database, a.code): a.data for a in
                  ActivityDataset.select().where(ActivityDataset.database << used_databases)}
    exchanges: dict = {}
    for exc in ExchangeDataset.select().where(ExchangeDataset.output_database << used_databases):
        output = (exc.output_database, exc.output_code)
        if output in used_set:
            exchanges.setdefault(output, []).append(exc)

    flows: dict = {}
    biosphere_keys = {(e.input_database, e.input_code) for key in used for e in exchanges.get(key, ())
                      if e.type == "biosphere"}
    for flow in ActivityDataset.select().where(ActivityDataset.code << sorted({k[1] for k in biosphere_keys})):
        if (flow.database, flow.code) in biosphere_keys:
            flows[(flow.database, flow.code)] = dict(flow.data, id=flow.id)  # methods refer to flows by id

    rows = []
    for key in used:
        data = activities[key]
        # a merged exchange (lca.brightway.exchange_parts): a row per part, in the workbook's order
        stated = [(exc, part, amount) for exc in exchanges.get(key, ()) if exc.type != "production"
                  for part, amount in expanded(exc.id, exc.data, amounts)]
        for exc, part, amount in sorted(stated, key=lambda s: (s[0].type, workbook_row(s[1]))):
            source_key = (exc.input_database, exc.input_code)
            if exc.type == "biosphere":
                flow = flows.get(source_key, {})
                label = f"{flow.get('name', exc.input_code)} ({'/'.join(flow.get('categories', ()))})"
            else:
                label = activities.get(source_key, {}).get("name", exc.input_code)
            rows.append(ExchangeRow(
                database=key[0], activity=data.get("name", key[1]), location=data.get("location", ""),
                activity_unit=data.get("unit", ""), stage=str(data.get("stage") or ""), type=exc.type, flow=label,
                amount=amount, unit=part.get("unit", ""), source=str(part.get("comment") or ""),
            ))

    order = tuple(dict.fromkeys(key[0] for key in used))
    parameters = []
    for database in order:
        for p in DatabaseParameter.select().where(DatabaseParameter.database == database).order_by(
                DatabaseParameter.id):
            data = p.data or {}
            parameters.append(ParameterRow(
                database=database, name=p.name, amount=float(values.get(f"{database}.{p.name}", p.amount)),
                unit=str(data.get("unit", "")), distribution=_described(shape := _distribution(p.amount, data)),
                shape=shape,
                formula=str(data.get("formula") or ""), minimum=data.get("minimum"), maximum=data.get("maximum"),
                source=str(data.get("source", "")),
            ))

    factors = []
    cfs = {}
    for flow_ref, value in bd.Method(method_name).load():
        cfs[tuple(flow_ref) if isinstance(flow_ref, list | tuple) else flow_ref] = value
    for key, flow in sorted(flows.items(), key=lambda item: (item[1].get("name", ""), item[1].get("categories"))):
        value = cfs.get(flow["id"], cfs.get(key, 0.0))  # a flow the method does not characterise counts 0
        if isinstance(value, dict):  # a factor given with its uncertainty
            value = value.get("amount")
        factors.append(FactorRow(flow=flow.get("name", key[1]), compartment="/".join(flow.get("categories", ())),
                                 factor=float(value or 0.0), unit=flow.get("unit", "")))
    return Evidence(databases=order, exchanges=tuple(rows), parameters=tuple(parameters), factors=tuple(factors))


def _distribution(amount, data: dict):
    from lca.distributions import DistributionError, from_fields

    try:
        return from_fields(float(amount), data) if data.get("uncertainty type") else None
    except (DistributionError, ValueError, TypeError):
        return None


def _described(distribution) -> str:
    return distribution.describe() if distribution is not None else ""
