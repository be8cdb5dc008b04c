"""Regional statistics of guardianship (aggregates only, small cells suppressed).

The page draws its charts as SVG on the server: the geometry is computed here from the
published (suppressed) tables of `stats.tables`, never from the raw counts, so a
chart cannot show more than its table. A suppressed cell is drawn as a hatched bar up to
the suppression limit and labelled "<5".
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.decorators import allowed_if
from common.exports import csv_response
from common.routers import reading_from_replica
from stats.policies import can_see_stats
from stats.tables import LOAD_TOP, SMALL_CELL, SUPPRESSED, TABLES

CHART_WIDTH = 400
# The per-municipality and per-matter charts compare the latest years.
CHARTED_YEARS = 2


def published_table(slug, *, refresh=False):
    """A published (already suppressed) table, cached for STATS_CACHE_SECONDS: the same
    aggregates for every user allowed to see them, never any child's data, so sharing
    them is safe; they are at most that old. Labels are translated, so per language."""
    key = f"guardianship-stats:{slug}:{get_language()}"
    table = cache.get(key) if settings.STATS_CACHE_SECONDS and not refresh else None
    if table is None:
        with reading_from_replica():
            table = TABLES[slug]()
        if settings.STATS_CACHE_SECONDS:
            cache.set(key, table, settings.STATS_CACHE_SECONDS)
    return table


@allowed_if(can_see_stats)
def stats(request):
    # Rendering every cell and bar cost more than reading the cached tables, so the
    # sections are cached as HTML too, made from freshly computed tables (which the CSV
    # downloads then share): the page is never older than STATS_CACHE_SECONDS.
    key = f"guardianship-stats-page:{get_language()}"
    sections = cache.get(key) if settings.STATS_CACHE_SECONDS else None
    if sections is None:
        tables = {slug: published_table(slug, refresh=True) for slug in TABLES}
        sections = render_to_string(
            "stats/includes/stats_sections.html",
            {"sections": _sections(tables), "suppressed": SUPPRESSED},
            request,
        )
        if settings.STATS_CACHE_SECONDS:
            cache.set(key, sections, settings.STATS_CACHE_SECONDS)
    return render(
        request,
        "stats/stats.html",
        {"sections_html": mark_safe(sections), "suppressed": SUPPRESSED},  # our own template's HTML
    )


@allowed_if(can_see_stats)
def stats_csv(request, table):
    if table not in TABLES:
        raise Http404
    published = published_table(table)
    rows = (
        [row.label, *("" if v is None else formats.localize(v) for v in row.cells)]
        for row in published.rows
    )
    return csv_response(
        f"tilastot-{published.slug}.csv", [published.row_heading, *published.columns], rows
    )


# Charts --------------------------------------------------------------------------------


@dataclass
class Chart:
    id: str
    title: str
    template: str
    width: int = CHART_WIDTH
    height: int = 0
    legend: list = field(default_factory=list)
    bars: list = field(default_factory=list)
    labels: list = field(default_factory=list)  # (x, y, text, text-anchor, css modifier)
    lines: list = field(default_factory=list)  # axis and grid lines: (x1, y1, x2, y2, css)

    @property
    def view_box(self):
        return f"0 0 {self.width} {self.height}"


@dataclass
class Bar:
    x: str
    y: str
    width: str
    height: str
    series: str  # css modifier of the colour: s0 (the latest year) or s1
    value: object  # the published value: a number or SUPPRESSED
    label_x: str = ""
    label_y: str = ""
    label_anchor: str = "start"
    label_size: str = "value"

    @property
    def suppressed(self):
        return self.value == SUPPRESSED

    @property
    def visible(self):
        return self.suppressed or (float(self.width) > 0 and float(self.height) > 0)


@dataclass
class LegendItem:
    series: str
    label: str
    x: str
    text_x: str
    hatched: bool = False


def _n(number):
    """An SVG coordinate: never localised (a decimal comma would break the drawing)."""
    return f"{number:.1f}"


def _scale_max(values):
    """The value drawn full length: the largest shown count, at least the suppression limit
    (a suppressed cell is drawn up to the limit)."""
    return max([v for v in values if isinstance(v, int | float)] + [SMALL_CELL])


def _drawn(value):
    return SMALL_CELL if value == SUPPRESSED else (value or 0)


def _series_class(index, count):
    """The newest column gets the first colour, so the latest year always looks the same."""
    return f"s{count - 1 - index}"


LEGEND = 28
LEGEND_CHAR = 8  # the approximate width of a character of the legend's text


def _legend(entries):
    """Legend items laid out left to right; `entries` are (series, label, hatched)."""
    items, x = [], 0
    for series, label, hatched in entries:
        items.append(LegendItem(series, label, _n(x), _n(x + 20), hatched))
        x += 20 + len(str(label)) * LEGEND_CHAR + 16
    return items


def _suppressed_entry(values):
    """The legend's hatched swatch, when the chart has a suppressed cell."""
    return [("s0", _("fewer than 5"), True)] if SUPPRESSED in values else []


# Horizontal bars: the category label above its bars, which fits a 360px screen.
BAR_HEIGHT = 16
BAR_GAP = 3
ROW_LABEL = 20
ROW_GAP = 12
VALUE_ROOM = 36


def bar_chart(table, *, columns):
    """Horizontal bars of `table`: one group per row, one bar per column index given."""
    chart = Chart(
        id=f"chart-{table.slug}",
        title=table.title,
        template="stats/includes/stats_bar_chart.html",
    )
    values = [row.cells[column] for row in table.rows for column in columns]
    chart.legend = _legend(
        [(_series_class(i, len(columns)), table.columns[c], False) for i, c in enumerate(columns)]
        + _suppressed_entry(values)
    )
    max_value = _scale_max(values)
    length = CHART_WIDTH - VALUE_ROOM - 1
    top = LEGEND
    for row in table.rows:
        chart.labels.append((_n(0), _n(top + 14), row.label, "start", "label"))
        y = top + ROW_LABEL
        for i, column in enumerate(columns):
            value = row.cells[column]
            width = _drawn(value) / max_value * length
            chart.bars.append(
                Bar(
                    x=_n(1),
                    y=_n(y),
                    width=_n(width),
                    height=_n(BAR_HEIGHT),
                    series=_series_class(i, len(columns)),
                    value=value,
                    label_x=_n(1 + width + 5),
                    label_y=_n(y + BAR_HEIGHT - 3.5),
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        top = y + ROW_GAP
    chart.height = round(top)
    chart.lines.append((_n(0.5), _n(LEGEND), _n(0.5), _n(top - ROW_GAP), "axis"))
    return chart


# Columns: a y axis with a few grid lines, a label under every column or some of them.
PLOT_LEFT = 36
PLOT_RIGHT = 16
PLOT_TOP = 20
PLOT_HEIGHT = 160
AXIS_ROOM = 26
# Narrower columns get their "<5" in small type and no other value labels.
VALUE_LABEL_MIN_PITCH = 24


def _nice_step(maximum, ticks=4):
    """A round step (1, 2, 5 × 10^n) that divides 0..maximum into about `ticks` parts."""
    rough = maximum / ticks
    magnitude = 1
    while magnitude * 10 <= rough:
        magnitude *= 10
    for factor in (1, 2, 5):
        if factor * magnitude >= rough:
            return factor * magnitude
    return 10 * magnitude


def column_chart(table, *, short_label):
    """Vertical columns of the first column of `table`, one per row; `short_label(row)`
    is the text under the column ("" for none)."""
    chart = Chart(
        id=f"chart-{table.slug}",
        title=table.title,
        template="stats/includes/stats_column_chart.html",
    )
    values = [row.cells[0] for row in table.rows]
    chart.legend = _legend(_suppressed_entry(values))
    plot_top = PLOT_TOP + (LEGEND if chart.legend else 0)
    bottom = plot_top + PLOT_HEIGHT
    step = _nice_step(_scale_max(values))
    axis_max = -(-_scale_max(values) // step) * step

    def y_of(value):
        return bottom - value / axis_max * PLOT_HEIGHT

    for tick in range(0, axis_max + 1, step):
        y = _n(y_of(tick))
        chart.lines.append((_n(PLOT_LEFT), y, _n(CHART_WIDTH - PLOT_RIGHT), y, "grid"))
        chart.labels.append((_n(PLOT_LEFT - 6), _n(y_of(tick) + 5), str(tick), "end", "tick"))
    pitch = (CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT) / max(len(values), 1)
    wide = pitch >= VALUE_LABEL_MIN_PITCH
    for i, (row, value) in enumerate(zip(table.rows, values, strict=True)):
        centre = PLOT_LEFT + (i + 0.5) * pitch
        top = y_of(_drawn(value))
        bar = Bar(
            x=_n(centre - pitch * 0.35),
            y=_n(top),
            width=_n(pitch * 0.7),
            height=_n(bottom - top),
            series="s0",
            value=value,
        )
        if wide or bar.suppressed:
            bar.label_x, bar.label_y, bar.label_anchor = _n(centre), _n(top - 4), "middle"
            bar.label_size = "value" if wide else "small"
        chart.bars.append(bar)
        if text := short_label(row):
            chart.labels.append((_n(centre), _n(bottom + 18), text, "middle", "tick"))
    chart.lines.append(
        (_n(PLOT_LEFT), _n(bottom), _n(CHART_WIDTH - PLOT_RIGHT), _n(bottom), "axis")
    )
    chart.height = bottom + AXIS_ROOM
    return chart


def _load_label(row):
    return f"{row.key}+" if row.key == LOAD_TOP else str(row.key)


def _half_year_label(row):
    """Label January and July, as 1/2025."""
    return formats.date_format(row.key, "n/Y") if row.key.month in (1, 7) else ""


def _latest(table):
    return list(range(len(table.columns)))[-CHARTED_YEARS:]


CHARTS = {
    "municipalities": lambda table: bar_chart(table, columns=_latest(table)),
    "matters": lambda table: bar_chart(table, columns=_latest(table)),
    "load": lambda table: column_chart(table, short_label=_load_label),
    "unmatched": lambda table: column_chart(table, short_label=_half_year_label),
}


def _sections(tables):
    """What the page shows, in order: each table with its chart (if it has data)."""
    sections = []
    for slug, table in tables.items():
        has_data = bool(table.rows and table.columns)
        chart = CHARTS[slug](table) if slug in CHARTS and has_data else None
        sections.append({"table": table, "chart": chart, "has_data": has_data})
    return sections
