"""Small CLI surfaces: methods, version, help, the all-zero characterisation guard."""

from __future__ import annotations

import json

from tiny import write_tiny

from lca import __version__
from lca.brightway.methods import DEFAULT_METHOD, METHODS


def test_methods_lists_every_offered_method_default_first(run):
    result = run("methods", "--format", "json")
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert [m["id"] for m in listed] == [m.id for m in METHODS]
    assert listed[0]["name"] == list(DEFAULT_METHOD.name) == ["IPCC 2021", "climate change",
                                                             "global warming potential (GWP100)"]
    table = run("methods").stdout
    assert "ipcc2013-gwp100" in table and "climate change: fossil" in table


def test_version_and_help(run):
    assert __version__ in run("--version").stdout
    text = run("--help").stdout
    for command in ("compare", "methods", "inventory"):
        assert command in text


def test_a_method_that_characterises_nothing_stops_the_run(run, tmp_path):
    write_tiny(tmp_path)  # fossil CO2 and CH4 only: the biogenic sub-category scores them 0
    result = run("compare", "metal", "--inventories", tmp_path, "--method", "ipcc2021-gwp100-biogenic")
    assert result.exit_code == 1
    assert "characterises none of the elementary flows" in result.stderr
    assert "Traceback" not in result.output
