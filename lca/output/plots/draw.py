"""Drawing the charts of lca.output.plots.charts with matplotlib, into PNG or SVG bytes.

matplotlib is imported inside these functions only: a command without --plot never pays for its
import. A Figure is made directly (no pyplot), so no window, backend or global figure is involved,
and the same chart gives the same bytes: no date in the SVG, a fixed salt for its ids, text kept as
text (so an SVG can be searched and edited)."""

from __future__ import annotations

import io
import textwrap

from lca.output.plots.charts import HistogramChart, StackedBars, TornadoChart, WaterfallChart

__all__ = ["figure_of", "image_bytes", "FORMATS", "SIZE", "DPI"]

FORMATS = ("png", "svg")
SIZE = (8.0, 5.0)  # inches: legible at 100 % on a screen or an A4 page
DPI = 150
ROW_WIDTH = 44  # characters of a bar's name per line, when the bars are rows
# Paul Tol's "muted" scheme (personal.sron.nl/~pault, 2021): distinct for the common colour-vision
# deficiencies; then pale grey. More segments than colours repeat them with a hatch.
SEGMENT_COLOURS = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
                   "#AA4499", "#DDDDDD")
HATCHES = ("", "//", "..", "xx")
# Okabe & Ito (2008), "Color Universal Design": blue and orange, told apart with every common deficiency
LOW, HIGH = "#0072B2", "#E69F00"
SAVING, INCREASE, TOTAL = "#0072B2", "#D55E00", "#777777"
_RC = {"svg.hashsalt": "lca-plot", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9,
       "axes.titlesize": 10}


def image_bytes(chart, fmt: str) -> bytes:
    """The PNG or SVG file of ``chart``."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        figure = figure_of(chart)
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {}
        figure.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


def figure_of(chart):
    """A matplotlib Figure of ``chart`` (one of the records of lca.output.plots.charts)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(SIZE[0], max(SIZE[1], _height(chart))), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    draw = {StackedBars: _stacked, HistogramChart: _histogram, TornadoChart: _tornado, WaterfallChart: _waterfall}
    draw[type(chart)](axes, chart)
    # over the whole figure, not the axes: a long title is not pushed off the page by the bar names
    figure.suptitle(_wrap(f"{chart.title}\n{chart.subtitle}", 90), x=0.01, ha="left", fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def _height(chart) -> float:
    """Inches that many rows (every product, twice with --compare; 15 parameters) need to stay legible:
    the title and axis, each row's lines of text, and a legend below the rows."""
    if isinstance(chart, TornadoChart):
        return 2.0 + 0.4 * len(chart.bars)
    if not getattr(chart, "horizontal", False):
        return 0.0
    lines = sum(max(2, _wrap(bar.label, ROW_WIDTH).count("\n") + 1) for bar in chart.bars)
    segments = len({name for bar in chart.bars for name, _ in bar.segments})
    return 2.0 + 0.16 * lines + 0.18 * (segments // 3 + 2)


def _wrap(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` characters (its own line breaks kept)."""
    return "\n".join(wrapped for line in text.splitlines()
                     for wrapped in (textwrap.wrap(line, width, break_on_hyphens=False) or [""]))


def _number(value: float, scale: float) -> str:
    """One number format per chart, as in the tables: 1 decimal for values in the hundreds, else 3 digits."""
    return f"{value:,.1f}" if scale >= 100 else f"{value:,.3f}"


def _thousands(axis) -> None:
    """Tick labels with a thousands separator (4,000), as the numbers in the tables."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,g}"))


def _stacked(axes, chart: StackedBars) -> None:
    names = list(dict.fromkeys(name for bar in chart.bars for name, _ in bar.segments))
    style = {name: (SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)], HATCHES[i // len(SEGMENT_COLOURS) % len(HATCHES)])
             for i, name in enumerate(names)}
    positions = range(len(chart.bars))
    bar = axes.barh if chart.horizontal else axes.bar
    shown = set()
    for x, item in zip(positions, chart.bars, strict=True):
        up = down = 0.0  # credits (negative stages) stack below zero
        for name, value in item.segments:
            base = up if value >= 0 else down
            colour, hatch = style[name]
            label = name if name not in shown else None
            shown.add(name)
            bar(x, value, 0.6, base, color=colour, hatch=hatch, edgecolor="white", linewidth=0.5, label=label)
            if value >= 0:
                up += value
            else:
                down += value
        where = dict(ha="left", va="center") if chart.horizontal else dict(ha="center", va="bottom")
        spot = (max(up, 0.0), x) if chart.horizontal else (x, max(up, 0.0))
        axes.annotate(_number(item.total, abs(item.total)), spot, xytext=(3, 0) if chart.horizontal else (0, 3),
                      textcoords="offset points", **where)
    labels = [_wrap(item.label, ROW_WIDTH if chart.horizontal else max(14, 60 // len(chart.bars)))
              for item in chart.bars]
    if chart.horizontal:
        axes.set_yticks(list(positions), labels)
        axes.invert_yaxis()  # the first bar on top, as in the table
        axes.set_xlabel(chart.axis)
        axes.margins(x=0.3)  # room for the totals written after the bars
        axes.axvline(0, color="black", linewidth=0.6)
        _thousands(axes.xaxis)
        # the legend below, so that the bars keep the width
        axes.figure.legend(title=chart.legend, loc="outside lower center", frameon=False, ncols=3, fontsize=8)
    else:
        axes.set_xticks(list(positions), labels)
        axes.set_ylabel(_wrap(chart.axis, 60))
        axes.margins(y=0.08)
        axes.axhline(0, color="black", linewidth=0.6)
        _thousands(axes.yaxis)
        axes.legend(title=chart.legend, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                    fontsize=8 if len(names) > 10 else 9)


def _histogram(axes, chart: HistogramChart) -> None:
    scale = max(abs(chart.low), abs(chart.high), abs(chart.deterministic))
    axes.stairs(chart.counts, chart.edges, fill=True, color="#88CCEE", label="draws")
    axes.axvspan(chart.low, chart.high, color="#DDDDDD", alpha=0.5, zorder=0,
                 label=f"95 % interval: {_number(chart.low, scale)} to {_number(chart.high, scale)}")
    axes.axvline(chart.deterministic, color="#332288", linewidth=1.6,
                 label=f"deterministic: {_number(chart.deterministic, scale)}")
    for edge in (chart.low, chart.high):
        axes.axvline(edge, color="#777777", linewidth=0.8, linestyle="--")
    axes.set_xlabel(_wrap(chart.axis, 75))
    axes.set_ylabel("draws per bin")
    _thousands(axes.xaxis)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)


def _tornado(axes, chart: TornadoChart) -> None:
    scale = max([abs(chart.centre)] + [abs(v) for bar in chart.bars for v in (bar.low, bar.high)])
    rows = range(len(chart.bars))
    lows = [bar.low - chart.centre for bar in chart.bars]
    highs = [bar.high - chart.centre for bar in chart.bars]
    # the two ends side by side in each row, so neither hides the other when both lie on one side
    axes.barh([y - 0.2 for y in rows], lows, 0.4, chart.centre, color=LOW, label=chart.low_label)
    axes.barh([y + 0.2 for y in rows], highs, 0.4, chart.centre, color=HIGH, label=chart.high_label)
    axes.axvline(chart.centre, color="black", linewidth=0.8)
    axes.set_yticks(list(rows), [_wrap(bar.label, 48) for bar in chart.bars], fontsize=8)
    axes.invert_yaxis()  # the largest swing on top
    _thousands(axes.xaxis)
    axes.set_xlabel(_wrap(f"{chart.axis}; at the parameters' values {_number(chart.centre, scale)}", 80))
    axes.figure.legend(loc="outside lower center", frameon=False, ncols=1, fontsize=8)


def _waterfall(axes, chart: WaterfallChart) -> None:
    scale = max([abs(s.end) for s in chart.steps] + [abs(chart.target)])
    for x, step in enumerate(chart.steps):
        change = step.end - step.start
        colour = TOTAL if step.total else (SAVING if change <= 0 else INCREASE)
        axes.bar(x, change, 0.6, step.start, color=colour)
        text = _number(step.end, scale) if step.total else f"{'+' if change > 0 else '-'}{_number(abs(change), scale)}"
        axes.annotate(text, (x, max(step.start, step.end)), xytext=(0, 3), textcoords="offset points", ha="center",
                      va="bottom", fontsize=8)
        if x + 1 < len(chart.steps):  # a thin connector to the next bar
            axes.plot([x + 0.3, x + 0.7], [step.end, step.end], color="#777777", linewidth=0.6)
    axes.axhline(chart.target, color="#CC6677", linewidth=1.2, linestyle="--", label=chart.target_label)
    width = max(10, 110 // len(chart.steps))
    axes.set_xticks(range(len(chart.steps)), [_wrap(s.label, width) for s in chart.steps], fontsize=8)
    axes.set_ylabel(_wrap(chart.axis, 60))
    _thousands(axes.yaxis)
    values = [s.end for s in chart.steps] + [s.start for s in chart.steps] + [chart.target]
    axes.set_ylim(1.08 * min(values + [0.0]), 1.08 * max(values + [0.0]))
    from matplotlib.patches import Patch

    handles = [Patch(color=SAVING, label="saving"), Patch(color=INCREASE, label="increase"),
               *axes.get_legend_handles_labels()[0]]
    axes.figure.legend(handles=handles, loc="outside lower center", frameon=False, ncols=3, fontsize=8)
