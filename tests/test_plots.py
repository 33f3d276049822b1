"""`--plot FILE.png|FILE.svg` on compare, footprint, uncertainty, sensitivity and pathway.

Every number a plot shows is checked against the same run's JSON (lca.output.render of the result
the chart is drawn from), every name against the SVG's text (kept as text: svg.fonttype none), and
the files against their formats: PNG magic bytes and pixel size, SVG parsed as XML.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from lca import runs
from lca.output import render
from lca.output.plots import chart_of
from lca.output.plots.charts import TORNADO_TOP, Bar, StackedBars, unit_text
from lca.output.plots.draw import DPI, HIGH, LOW, SIZE, figure_of, image_bytes

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

COMMANDS = {
    "compare": ("compare", "copper"),
    "footprint": ("footprint", "cell-2170-kwh", "--compare"),
    "footprint-all": ("footprint", "--all"),
    "uncertainty": ("uncertainty", "copper", "-n", "300", "--seed", "5"),
    "sensitivity": ("sensitivity", "copper", "--samples", "0", "--seed", "5"),
    "pathway": ("pathway", "cell-2031-halving"),
}


def _names(kind: str, data: dict) -> list[str]:
    """The names a reader must find in the plot of a run whose JSON is ``data``."""
    if kind == "compare":
        return [r["label"] for r in data["routes"]] + [s for r in data["routes"] for s in r["stages"]]
    if kind == "footprint":
        return [data["label"]] + [p for scenario in data["scenarios"] for p in scenario["parts"]]
    if kind == "footprint-all":
        return [row["label"] for row in data["products"]]
    if kind in ("uncertainty",):
        return [r["label"] for r in data["routes"]]
    if kind == "sensitivity":
        return [row["description"] or row["parameter"].rpartition(".")[2].replace("_", " ")
                for row in data["one_at_a_time"][:TORNADO_TOP]]
    return [lever["name"] for lever in data["levers"]] + [data["subject"]["label"]]


def _svg_text(path) -> str:
    """The text of an SVG's <text> elements, in document order, lines joined by spaces."""
    root = ET.parse(path).getroot()
    texts = ["".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text")]
    return re.sub(r"\s+", " ", " ".join(texts))


@pytest.mark.parametrize("kind", COMMANDS)
def test_each_command_draws_its_result_beside_its_normal_output(run, tmp_path, kind):
    svg, png = tmp_path / "plot.svg", tmp_path / "plot.png"
    result = run(*COMMANDS[kind], "--format", "json", "--plot", svg)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # the normal output, untouched by the plot
    assert f"wrote {svg}" in result.stderr
    text = _svg_text(svg)
    for name in _names(kind, data):
        assert name in text, f"{name!r} is not in the plot's text: {text[:2000]}"
    assert "kg CO2-eq per" in text and "CO2-Eq" not in text  # the unit, in one spelling
    if kind == "sensitivity":  # labelled by name, not by id
        assert data["one_at_a_time"][0]["parameter"] not in text

    table = run(*COMMANDS[kind], "--plot", png)
    assert table.exit_code == 0, table.output
    assert table.stdout.strip() and "wrote" not in table.stdout
    assert f"wrote {png}" in table.stderr
    assert png.read_bytes()[:8] == PNG_MAGIC
    import matplotlib.image

    height, width = matplotlib.image.imread(png).shape[:2]
    assert width == SIZE[0] * DPI and height >= SIZE[1] * DPI


def _result_and_json(kind: str, data_dir):
    """The result a command computes (lca.runs) and its JSON, from one computation."""
    where = runs.Where(data_dir=str(data_dir))
    if kind == "compare":
        result = runs.compare(runs.CompareRequest("copper"), where)
    elif kind == "compare-all":
        result = runs.compare(runs.CompareRequest("copper", allocation="all"), where)
    elif kind == "footprint":
        result = runs.footprint(runs.FootprintRequest("cell-2170-kwh", compare=True), where)
    elif kind == "footprint-all":
        result = runs.footprint(runs.FootprintRequest(all_products=True, compare=True), where)
    elif kind == "uncertainty":
        result = runs.uncertainty(runs.StudyRequest("copper"), iterations=300, seed=5, where=where)
    elif kind == "sensitivity":
        result = runs.sensitivity(runs.StudyRequest("copper"), samples=0, seed=5, where=where)
    else:
        result = runs.pathway(runs.PathwayRequest("cell-2031-halving"), where)
    return result, json.loads(render(result, "json"))


def test_compare_bars_are_the_routes_stages_of_the_json(data_dir):
    result, data = _result_and_json("compare", data_dir)
    chart = chart_of(result)
    assert [bar.label for bar in chart.bars] == [r["label"] for r in data["routes"]]
    for bar, route in zip(chart.bars, data["routes"], strict=True):
        assert dict(bar.segments) == pytest.approx(route["stages"], rel=1e-5)
        assert bar.total == pytest.approx(route["total"], rel=1e-5)
    assert chart.axis == f"{unit_text(result.result.unit)} per {data['functional_unit']}"
    assert data["method"]["name"][0] in chart.subtitle and "copper" in chart.title
    # the figure draws these values: one rectangle per stage, its height the stage's score
    figure = figure_of(chart)
    heights = [patch.get_height() for patch in figure.axes[0].patches]
    assert heights == pytest.approx([v for bar in chart.bars for _, v in bar.segments], rel=1e-9)


def test_a_credit_is_stacked_below_zero_and_the_rest_above():
    chart = StackedBars(title="t", subtitle="s", axis="kg CO2-eq per kg", legend="stage",
                        bars=(Bar("route", (("a", 3.0), ("credit", -1.0), ("b", 2.0)), 3.0 - 1.0 + 2.0),))
    spans = [(p.get_y(), p.get_y() + p.get_height()) for p in figure_of(chart).axes[0].patches]
    assert spans == [(0.0, 3.0), (0.0, -1.0), (3.0, 3.0 + 2.0)]


def test_compare_of_every_allocation_draws_each_approach(data_dir):
    result, data = _result_and_json("compare-all", data_dir)
    chart = chart_of(result)
    totals = [route["total"] for approach in data["approaches"] for route in approach["routes"]]
    assert [bar.total for bar in chart.bars] == pytest.approx(totals, rel=1e-5)
    assert all(f"({approach['allocation']['approach']})" in bar.label
               for approach, bar in zip([a for a in data["approaches"] for _ in a["routes"]], chart.bars, strict=True))


@pytest.mark.parametrize("kind", ["footprint", "footprint-all"])
def test_footprint_bars_are_the_parts_of_the_json(data_dir, kind):
    result, data = _result_and_json(kind, data_dir)
    chart = chart_of(result)
    if kind == "footprint":
        expected = [(s["parts"], s["total"]) for s in data["scenarios"]]  # conventional, then chosen
        for bar, (parts, total) in zip(chart.bars, expected, strict=True):
            assert dict(bar.segments) == pytest.approx(parts, rel=1e-5)
            assert bar.total == pytest.approx(total, rel=1e-5)
    else:  # the JSON of --all gives totals; each product's conventional bar, then its chosen one
        totals = [t for row in data["products"] for t in (row["total"], row["alternative_total"])]
        assert [bar.total for bar in chart.bars] == pytest.approx(totals, rel=1e-5)
        assert chart.horizontal
    for bar in chart.bars:
        assert sum(v for _, v in bar.segments) == pytest.approx(bar.total, rel=1e-6)


def test_uncertainty_histogram_counts_every_draw_and_marks_the_json_values(data_dir):
    result, data = _result_and_json("uncertainty", data_dir)
    chart = chart_of(result)
    difference = data["difference"]
    assert sum(chart.counts) == data["iterations"]
    assert len(chart.edges) == len(chart.counts) + 1 and list(chart.edges) == sorted(chart.edges)
    assert chart.edges[0] <= difference["p2_5"] and difference["p97_5"] <= chart.edges[-1]
    assert chart.deterministic == pytest.approx(difference["deterministic"], rel=1e-5)
    assert (chart.low, chart.high) == pytest.approx((difference["p2_5"], difference["p97_5"]), rel=1e-5)
    labels = [t.get_text() for t in figure_of(chart).axes[0].get_legend().get_texts()]
    assert any(f"{difference['deterministic']:,.1f}" in label for label in labels)


def test_tornado_bars_are_the_one_at_a_time_ends_in_two_colours(data_dir):
    result, data = _result_and_json("sensitivity", data_dir)
    chart = chart_of(result)
    rows = data["one_at_a_time"][:TORNADO_TOP]
    assert len(chart.bars) == min(TORNADO_TOP, len(data["one_at_a_time"]))
    assert [b.low for b in chart.bars] == pytest.approx([r["difference_low"] for r in rows], rel=1e-5)
    assert [b.high for b in chart.bars] == pytest.approx([r["difference_high"] for r in rows], rel=1e-5)
    assert chart.centre == pytest.approx(data["difference"], rel=1e-5)
    assert all(r["parameter"] not in b.label and r["unit"] in b.label for r, b in zip(rows, chart.bars, strict=True))
    # a parameter the workbook describes ('label' column) is named by its description
    described = dict(result.descriptions)
    assert described, "the shipped copper parameters that lead the tornado have descriptions"
    for row, bar in zip(rows, chart.bars, strict=True):
        if row["parameter"] in described:
            assert bar.label.startswith(described[row["parameter"]])
    patches = figure_of(chart).axes[0].patches
    colours = {tuple(round(c, 3) for c in patch.get_facecolor()) for patch in patches}
    assert len(colours) == 2  # low and high, and nothing else
    from matplotlib.colors import to_rgba

    assert {tuple(round(c, 3) for c in to_rgba(LOW)), tuple(round(c, 3) for c in to_rgba(HIGH))} == colours
    # drawn from the centre out to each end (the chart's values, which are the JSON's above)
    widths = [p.get_width() for p in patches]
    ends = [b.low for b in chart.bars] + [b.high for b in chart.bars]
    assert widths == pytest.approx([end - chart.centre for end in ends])
    assert {p.get_x() for p in patches} == {chart.centre}


def test_waterfall_goes_from_the_baseline_through_each_lever_to_the_final(data_dir):
    result, data = _result_and_json("pathway", data_dir)
    chart = chart_of(result)
    steps = chart.steps
    assert steps[0].total and steps[0].end == pytest.approx(data["baseline"]["footprint"])
    assert steps[-1].total and steps[-1].end == pytest.approx(data["final"]["footprint"])
    levers = steps[1:-1]
    assert [s.label for s in levers] == [lv["name"] for lv in data["levers"]]
    assert [s.end for s in levers] == pytest.approx([lv["footprint_after"] for lv in data["levers"]])
    assert [s.start - s.end for s in levers] == pytest.approx([lv["saving_waterfall"] for lv in data["levers"]])
    assert chart.target == pytest.approx(data["target"]["value"])


def test_an_svg_is_the_same_file_every_time(data_dir):
    result, _ = _result_and_json("compare", data_dir)
    first, second = (image_bytes(chart_of(result), "svg") for _ in range(2))
    assert first == second
    assert b"<dc:date>" not in first and b"<text" in first  # no date; text kept as text


def test_a_plot_is_written_with_the_users_file_mode_and_nothing_else(run, tmp_path):
    path = tmp_path / "copper.png"
    path.write_bytes(b"old")  # a plot is drawn again on each run: the old one is replaced
    old = os.umask(0o027)
    try:
        result = run("compare", "copper", "--plot", path)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~0o027
    assert path.read_bytes()[:8] == PNG_MAGIC
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copper.png"]  # no temporary file left


@pytest.mark.parametrize("name", ["copper.pdf", "copper", "copper.png.bak", "copper.jpg"])
@pytest.mark.parametrize("command", [("compare", "copper"), ("pathway", "cell-2031-halving"),
                                     ("uncertainty", "copper", "-n", "2")], ids=["compare", "pathway", "uncertainty"])
def test_a_plot_name_without_png_or_svg_stops_before_any_work(run, tmp_path, command, name):
    # the inventories folder does not exist: only an error raised before any work can name the plot
    result = run(*command, "--plot", tmp_path / name, "--inventories", tmp_path / "missing")
    assert result.exit_code == 1
    assert "--plot" in result.stderr and name in result.stderr and ".png or .svg" in result.stderr
    assert "Traceback" not in result.output and not result.stdout
    assert list(tmp_path.iterdir()) == []


def test_a_plot_in_a_missing_folder_is_refused(run, tmp_path):
    result = run("compare", "copper", "--plot", tmp_path / "no-such-folder" / "copper.svg")
    assert result.exit_code == 1
    assert "does not exist" in result.stderr and "no-such-folder" in result.stderr
    assert "Traceback" not in result.output


def test_a_command_without_plot_does_not_import_matplotlib(data_dir):
    code = ("import sys; from click.testing import CliRunner; from lca.cli.main import cli; "
            f"r = CliRunner().invoke(cli, ['compare', 'copper', '--format', 'json', '--data-dir', {str(data_dir)!r}]); "
            "assert r.exit_code == 0, r.output; print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "BRIGHTWAY2_DIR": str(data_dir)})
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(("unit", "shown"), [("kg CO2-Eq", "kg CO2-eq"), ("kg CO2e", "kg CO2-eq"),
                                             ("kg CO2 eq", "kg CO2-eq"), ("kg CO2-eq", "kg CO2-eq"), ("kg", "kg")])
def test_the_unit_has_one_spelling(unit, shown):
    assert unit_text(unit) == shown
