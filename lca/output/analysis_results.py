"""Renderers of Monte Carlo and sensitivity results,
registered on the table, JSON and CSV renderers by result kind."""

from __future__ import annotations

from lca.output.to_csv import RENDER as CSV  # noqa: F401
from lca.output.to_json import RENDER as JSON  # noqa: F401
from lca.output.to_table import RENDER as TABLE  # noqa: F401
