"""Renderers of Monte Carlo and sensitivity results,
registered on the table, JSON and CSV renderers by result kind."""

from __future__ import annotations

from lca.output.analysis import (
    sensitivity_csv,
    sensitivity_dict,
    sensitivity_table,
    uncertainty_csv,
    uncertainty_dict,
    uncertainty_table,
)
from lca.output.to_csv import RENDER as CSV
from lca.output.to_json import RENDER as JSON
from lca.output.to_table import RENDER as TABLE


@TABLE.result("uncertainty")
def _uncertainty_table(run) -> str:
    return uncertainty_table(run.result)


@JSON.result("uncertainty")
def _uncertainty_json(run) -> dict:
    return uncertainty_dict(run.result)


@CSV.result("uncertainty")
def _uncertainty_csv(run) -> tuple:
    return uncertainty_csv(run.result)


@TABLE.result("sensitivity")
def _sensitivity_table(run) -> str:
    return sensitivity_table(run.result)


@JSON.result("sensitivity")
def _sensitivity_json(run) -> dict:
    return sensitivity_dict(run.result, dict(run.descriptions))


@CSV.result("sensitivity")
def _sensitivity_csv(run) -> tuple:
    return sensitivity_csv(run.result)
