"""Renderers of Monte Carlo and sensitivity results,
registered on the table, JSON and CSV renderers by result kind."""

from __future__ import annotations

from lca.output.analysis import sensitivity_dict, sensitivity_table, uncertainty_dict, uncertainty_table
from lca.output.to_json import RENDER as JSON
from lca.output.to_json import dumps
from lca.output.to_table import RENDER as TABLE


@TABLE.kind("uncertainty")
def _uncertainty_table(run) -> str:
    return uncertainty_table(run.result)


@JSON.kind("uncertainty")
def _uncertainty_json(run) -> str:
    return dumps(uncertainty_dict(run.result, fingerprint=run.fingerprint))


@TABLE.kind("sensitivity")
def _sensitivity_table(run) -> str:
    return sensitivity_table(run.result)


@JSON.kind("sensitivity")
def _sensitivity_json(run) -> str:
    return dumps(sensitivity_dict(run.result, fingerprint=run.fingerprint))
