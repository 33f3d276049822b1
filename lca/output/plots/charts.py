"""What a plot shows, taken from a command's result (lca.runs), without drawing anything: the bars,
their values and every text, as frozen records that tests can compare with the command's JSON.
lca.output.plots.draw turns them into a figure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lca.errors import OutputError

__all__ = ["Bar", "StackedBars", "HistogramChart", "TornadoBar", "TornadoChart", "Step", "WaterfallChart",
           "chart_of", "unit_text", "parameter_text", "PLOTTED_KINDS", "TORNADO_TOP"]

TORNADO_TOP = 15  # parameters shown, as in the sensitivity table


@dataclass(frozen=True)
class Bar:
    """One stacked bar: a route or a product, its stages or parts stacked in the order given."""

    label: str
    segments: tuple[tuple[str, float], ...]  # (stage or part, value)
    total: float


@dataclass(frozen=True)
class StackedBars:
    title: str
    subtitle: str
    axis: str  # the value axis, with its unit
    legend: str  # what a segment is: "stage", "part"
    bars: tuple[Bar, ...]
    horizontal: bool = False  # many bars with long names read better as rows


@dataclass(frozen=True)
class HistogramChart:
    title: str
    subtitle: str
    axis: str
    edges: tuple[float, ...]
    counts: tuple[int, ...]
    deterministic: float
    low: float  # 2.5 % point of the draws
    high: float  # 97.5 % point


@dataclass(frozen=True)
class TornadoBar:
    label: str  # the parameter as a reader names it, with its range
    low: float  # the output with the parameter at the low end of its range
    high: float  # ... at the high end


@dataclass(frozen=True)
class TornadoChart:
    title: str
    subtitle: str
    axis: str
    centre: float  # the output at the parameters' values
    bars: tuple[TornadoBar, ...]  # largest swing first
    low_label: str
    high_label: str


@dataclass(frozen=True)
class Step:
    """A waterfall bar from ``start`` to ``end``; a total (baseline, final) starts at 0."""

    label: str
    start: float
    end: float
    total: bool = False


@dataclass(frozen=True)
class WaterfallChart:
    title: str
    subtitle: str
    axis: str
    steps: tuple[Step, ...]
    target: float
    target_label: str


_CO2_EQ = re.compile(r"CO2[- ]?e(q\.?)?\b", re.IGNORECASE)


def unit_text(unit: str) -> str:
    """A method's unit in the one spelling of the plots: 'kg CO2-Eq' -> 'kg CO2-eq'."""
    return _CO2_EQ.sub("CO2-eq", unit)


def _method(method, allocation: str | None = None) -> str:
    text = " | ".join(method.name)
    return text if allocation in (None, "cut-off") else f"{text}; recycling allocation {allocation}"


def parameter_text(row, same_name: set[str], descriptions: dict | None = None) -> str:
    """A parameter of the tornado as a reader names it: the workbook's description (its 'label'), else
    its name in words (with its database when two databases use the name); and the range it was moved
    over, in its unit."""
    scope, _, name = row.parameter.rpartition(".")
    words = (descriptions or {}).get(row.parameter) or name.replace("_", " ")
    if row.parameter not in (descriptions or {}) and name in same_name and scope:
        words += f" ({scope})"
    return f"{words}\n{_value(row.low)} to {_value(row.high)} {row.unit}".rstrip()


def _value(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _compare(run) -> StackedBars:
    first = run.results[0]
    bars = []
    for result in run.results:
        suffix = f" ({result.allocation.approach})" if run.all_allocations and result.allocation is not None else ""
        routes = result.routes + tuple(b for b in result.blends if b.share is not None and 0 < b.share < 1)
        bars += [Bar(route.label + suffix, tuple(route.stages), route.total) for route in routes]
    allocation = None if run.all_allocations or first.allocation is None else first.allocation.approach
    return StackedBars(title=f"Comparison {first.comparison}: carbon footprint by stage",
                       subtitle=_method(first.method, allocation),
                       axis=f"{unit_text(first.unit)} per {first.functional_unit}", legend="stage", bars=tuple(bars),
                       horizontal=len(bars) > 4)


def _footprint(run) -> StackedBars:
    shown = ((("conventional supply", run.baseline),) if run.compare else ()) + (("chosen supply", run.results),)
    if run.all_products:
        scenarios = "; ".join(f"{name}: {results[0].scenario.label}" if run.compare else results[0].scenario.label
                              for name, results in shown)
        names = [name for name, _ in shown]
        bars = [Bar(r.label + (f"\n({name})" if run.compare else ""), tuple(r.parts), r.total)
                for product in zip(*(results for _, results in shown), strict=True)  # one product's scenarios
                for name, r in zip(names, product, strict=True)]
        return StackedBars(title="Products: carbon footprint by part", subtitle=f"{_method(run.method)}\n{scenarios}",
                           axis=f"{unit_text(run.unit)} per product unit (each product's own)", legend="part",
                           bars=tuple(bars), horizontal=True)
    bars = [Bar(results[0].scenario.label + (f"\n({name})" if run.compare else ""), tuple(results[0].parts),
                results[0].total) for name, results in shown]
    product = run.results[0]
    return StackedBars(title=f"{product.label}: carbon footprint by part", subtitle=_method(run.method),
                       axis=f"{unit_text(run.unit)} per 1 {product.unit}", legend="part", bars=tuple(bars))


def _uncertainty(run) -> HistogramChart:
    result = run.result
    if result.histogram is None:
        raise OutputError("this Monte Carlo result holds no histogram of its draws to plot; run it again")
    (ref_id, ref_label, _), (alt_id, alt_label, _) = result.reference, result.alternative
    stats = result.difference
    return HistogramChart(
        title=f"Monte Carlo of {result.subject}: {ref_label} minus {alt_label}",
        subtitle=f"{_method(result.method, result.allocation)}; {result.iterations:,} paired draws, seed {result.seed}",
        axis=f"difference {ref_id} - {alt_id}, {unit_text(result.unit)} per {result.functional_unit}",
        edges=result.histogram.edges, counts=result.histogram.counts, deterministic=stats.static, low=stats.p2_5,
        high=stats.p97_5)


def _sensitivity(run) -> TornadoChart:
    result = run.result
    rows = result.tornado[:TORNADO_TOP]
    names = [row.parameter.rpartition(".")[2] for row in result.tornado]
    same_name = {name for name in names if names.count(name) > 1}
    (ref_id, ref_label), (alt_id, alt_label) = result.reference, result.alternative
    more = f"; the {len(rows)} of {len(result.tornado)} parameters with the largest swing" \
        if len(result.tornado) > len(rows) else ""
    return TornadoChart(
        title=f"Sensitivity of {result.subject}: {ref_label} minus {alt_label}",
        subtitle=f"{_method(result.method)}{more}",
        axis=f"difference {ref_id} - {alt_id}, {unit_text(result.unit)} per {result.functional_unit}",
        centre=result.difference,
        bars=tuple(TornadoBar(parameter_text(row, same_name, dict(getattr(run, "descriptions", ()))),
                              row.difference_low, row.difference_high) for row in rows),
        low_label="parameter at the low end of its 95 % range (2.5 %)",
        high_label="parameter at the high end of its 95 % range (97.5 %)")


def _pathway(run) -> WaterfallChart:
    steps = [Step(f"baseline {run.baseline.year}", 0.0, run.baseline.value, total=True)]
    before = run.baseline.value
    for lever in run.levers:
        steps.append(Step(lever.name, before, lever.after))
        before = lever.after
    steps.append(Step(f"final {run.final.year}", 0.0, run.final.value, total=True))
    return WaterfallChart(
        title=f"Pathway {run.name}: {run.label}", subtitle=_method(run.method, run.allocation),
        axis=f"{unit_text(run.unit)} per {run.functional_unit}", steps=tuple(steps), target=run.target_value,
        target_label=f"target {run.target.year}: {run.target_value:,.4g} ({run.target.text})")


_CHARTS = {"compare": _compare, "footprint": _footprint, "uncertainty": _uncertainty, "sensitivity": _sensitivity,
           "pathway": _pathway}
PLOTTED_KINDS = tuple(_CHARTS)


def chart_of(result):
    """What the plot of ``result`` (a lca.runs result) shows."""
    chart = _CHARTS.get(result.kind)
    if chart is None:
        raise OutputError(f"a {result.kind} result has no plot; plots are drawn for: {', '.join(PLOTTED_KINDS)}")
    return chart(result)
