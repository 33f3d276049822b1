"""The parametric model built from a validated inventory (lca.parametric.ParametricModel), and
stored as JSON beside the Brightway project so that every run reads it back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

from lca.brightway.parametric import FormulaExchange, Parameter, ParametricModel, UncertainExchange
from lca.distributions import Distribution

__all__ = ["build_model", "save_model", "load_model"]


def _parameters_of(scope, values) -> list[Parameter]:
    return [Parameter(scope=scope, name=v.name, amount=float(v.amount), formula=v.formula, unit=v.unit,
                      source=v.source, minimum=v.minimum, maximum=v.maximum, distribution=v.distribution,
                      lower_limit=v.lower_limit, upper_limit=v.upper_limit, labels=v.labels)
            for v in values]


def _facts_finder(inventory):
    """A function (output key, input key, type, formula) -> the _ExchangeFacts fields of that workbook exchange."""
    activities = inventory.activities
    taken: set[int] = set()

    def facts(output, input_key, kind, formula=None, uncertain=False) -> dict:
        activity = activities.get(tuple(output))
        if activity is None:
            return {}
        made = [e.amount for e in activity.exchanges if e.type == "production"]
        supply = str(activity.meta("supply of") or "").strip()
        provider = activities.get(tuple(input_key))
        for exchange in activity.exchanges:
            if id(exchange) in taken or exchange.input != tuple(input_key) or exchange.type != kind:
                continue
            if (formula is not None and exchange.formula != formula) or (uncertain and not exchange.uncertainty):
                continue
            taken.add(id(exchange))
            return {"role": getattr(exchange, "role", None), "production": float(sum(made)) if made else None,
                    "name": getattr(exchange, "name", "") or (provider.name if provider else ""),
                    "activity": activity.name, "where": str(exchange.where),
                    "supply_of": supply if supply and provider is not None
                    and str(provider.meta("comparison") or "").strip() == supply else ""}
        return {"activity": activity.name, "production": float(sum(made)) if made else None}

    return facts


def build_model(inventory, node_ids: dict, formula_exchanges: list[tuple],
                uncertain_exchanges: list[tuple] = ()):
    """The model of a validated inventory; ``formula_exchanges`` are (exchange id, output key,
    input key, type, formula, amount, part) as written to Brightway, ``uncertain_exchanges`` (exchange
    id, output key, input key, type, distribution, part), and ``node_ids`` maps keys to node ids;
    ``part`` is the index of a part of a merged exchange (lca.brightway.exchange_parts), else None.
    Each exchange keeps what the amount rules need (role, production amount) and where it was written."""
    parameters = _parameters_of((), inventory.project_parameters)
    scoped_activities = set()
    for database in inventory.databases:
        parameters += _parameters_of((database.name,), database.parameters)
        for activity in database.activities:
            if activity.parameters:
                scoped_activities.add(activity.key)
                parameters += _parameters_of(activity.key, activity.parameters)
    facts = _facts_finder(inventory)
    exchanges = tuple(
        FormulaExchange(exchange_id=exc_id, output=node_ids[output], input=node_ids[input_key], type=kind,
                        formula=formula, amount=float(amount), part=part,
                        scope=tuple(output) if output in scoped_activities else (output[0],),
                        **facts(output, input_key, kind, formula=formula))
        for exc_id, output, input_key, kind, formula, amount, part in formula_exchanges
    )
    facts = _facts_finder(inventory)
    uncertain = tuple(UncertainExchange(exchange_id=exc_id, output=node_ids[output], input=node_ids[input_key],
                                        type=kind, distribution=distribution, part=part,
                                        **facts(output, input_key, kind, uncertain=True))
                      for exc_id, output, input_key, kind, distribution, part in uncertain_exchanges)
    return ParametricModel(tuple(parameters), exchanges, uncertain, _named_in_metadata(inventory))


def _named_in_metadata(inventory) -> frozenset:
    """Ids of the database parameters whose name is the whole value of an activity metadata row."""
    named = set()
    for database in inventory.databases:
        names = {p.name for p in database.parameters}
        for activity in database.activities:
            for _, value in activity.metadata:
                if isinstance(value, str) and value.strip() in names:
                    named.add(f"{database.name}.{value.strip()}")
    return frozenset(named)


def _distribution_dict(d: Distribution | None):
    if d is None:
        return None
    return {"kind": d.kind, "amount": d.amount, "loc": d.loc, "scale": d.scale, "minimum": d.minimum,
            "maximum": d.maximum}


def save_model(model: ParametricModel, path: Path) -> None:
    def parameter(p: Parameter) -> dict:
        return {"scope": list(p.scope), "name": p.name, "amount": p.amount, "formula": p.formula, "unit": p.unit,
                "source": p.source, "minimum": p.minimum, "maximum": p.maximum,
                "lower_limit": p.lower_limit, "upper_limit": p.upper_limit, "labels": [list(x) for x in p.labels],
                "distribution": _distribution_dict(p.distribution)}

    def facts(e) -> dict:
        return {"role": e.role, "production": e.production, "name": e.name, "activity": e.activity,
                "where": e.where, "supply_of": e.supply_of}

    data = {"parameters": [parameter(p) for p in model.parameters],
            "exchanges": [{"exchange_id": e.exchange_id, "output": e.output, "input": e.input, "type": e.type,
                           "formula": e.formula, "amount": e.amount, "scope": list(e.scope), "part": e.part,
                           **facts(e)}
                          for e in model.exchanges],
            "uncertain_exchanges": [{"exchange_id": e.exchange_id, "output": e.output, "input": e.input,
                                     "type": e.type, "distribution": _distribution_dict(e.distribution),
                                     "part": e.part, **facts(e)}
                                    for e in model.uncertain_exchanges],
            "read_by_name": sorted(model.read_by_name)}
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=1))
    temporary.replace(path)


def load_model(path: Path) -> ParametricModel:
    data = json.loads(Path(path).read_text())
    parameters = tuple(
        Parameter(scope=tuple(p["scope"]), name=p["name"], amount=p["amount"], formula=p["formula"],
                  unit=p["unit"], source=p["source"], minimum=p["minimum"], maximum=p["maximum"],
                  lower_limit=p.get("lower_limit"), upper_limit=p.get("upper_limit"),
                  labels=tuple(tuple(x) for x in p.get("labels", ())),
                  distribution=None if p["distribution"] is None else Distribution(**p["distribution"]))
        for p in data["parameters"])
    exchanges = tuple(FormulaExchange(**dict(e, scope=tuple(e["scope"]))) for e in data["exchanges"])
    uncertain = tuple(UncertainExchange(**dict(e, distribution=Distribution(**e["distribution"])))
                      for e in data.get("uncertain_exchanges", ()))
    return ParametricModel(parameters, exchanges, uncertain, frozenset(data.get("read_by_name", ())))
