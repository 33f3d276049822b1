"""Plots of a command's result (``--plot FILE.png|FILE.svg``): a stacked bar chart of the routes'
stages (compare) or a product's parts (footprint), a histogram of the Monte Carlo difference
(uncertainty), a tornado of the parameters (sensitivity) and a waterfall of a pathway's levers.

:mod:`lca.output.plots.charts` takes what a plot shows from the result, :mod:`lca.output.plots.draw`
draws it with matplotlib (imported only there, when a plot is asked for); the file's extension
chooses PNG or SVG, and the file is written whole or not at all (lca.xlsx.write_atomically).
"""

from __future__ import annotations

import os
from pathlib import Path

from lca.errors import OutputError
from lca.output.plots.charts import PLOTTED_KINDS, chart_of

__all__ = ["check_plot", "save_plot", "chart_of", "PLOTTED_KINDS", "SUFFIXES"]

SUFFIXES = (".png", ".svg")


def check_plot(path: str | os.PathLike) -> Path:
    """The resolved path of a plot file, or an OutputError naming what to change (before any work).
    An existing file is replaced, as a plot is drawn again from each run."""
    from lca.xlsx import check_output

    if not str(path).strip():
        raise OutputError("the plot's file name is empty; give one ending in .png or .svg, e.g. plot.png.")
    given = Path(path).expanduser()
    suffix = given.suffix.lower()
    if suffix not in SUFFIXES:
        stem = given.stem or "plot"
        found = f"ends in {given.suffix}" if given.suffix else "has no extension"
        raise OutputError(f"{path} {found}; the extension chooses the plot's format: give a file name ending in "
                          f".png or .svg, e.g. {stem}.png or {stem}.svg.")
    return check_output(given, overwrite=True, suffix=suffix)


def save_plot(result, path: str | os.PathLike) -> Path:
    """Draw ``result`` (a lca.runs result of a kind in PLOTTED_KINDS) into ``path`` (.png or .svg)."""
    from lca.output.plots.draw import image_bytes
    from lca.xlsx import write_atomically

    path = check_plot(path)
    data = image_bytes(chart_of(result), path.suffix.lower().lstrip("."))
    return write_atomically(data, path, overwrite=True, suffix=path.suffix.lower())
