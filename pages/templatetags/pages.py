"""Template tags of the public pages."""

import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from measures.status import Status

register = template.Library()


CHART_TABLE_ROW = """
    <tr{baseline}>
      <th scope="row">{label}{tag}</th>
      <td class="num">{local}</td>
      {interval}
      {national}
      {target}
      {control}
      <td>{notes}</td>
    </tr>
    """
NUMBER_CELL = '<td class="num">{}</td>'
# An XmR chart's mean and process limits, and what it says of the figure.
CONTROL_CELLS = '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td>'
NOTHING = mark_safe("")
BASELINE_CLASS = mark_safe(' class="is-baseline"')
BASELINE_TAG = ' <span class="tag">{}</span>'


@register.simple_tag
def chart_table_rows(summary, rows=None):
    """The body of a measure's chart table (``pages/_chart_table.html``), a
    line per period: ``rows`` (all of the summary's unless given).

    Written here rather than as a loop in the template: a page has a hundred
    lines or more, and the template language spends about four times as long
    on each. The optional columns match the table's headings.
    """
    intervals, national, target = summary.has_intervals, summary.national, summary.main_target
    control = bool(summary.control)
    baseline_tag = format_html(BASELINE_TAG, gettext("Baseline"))
    return mark_safe(  # noqa: S308 - every value is escaped by format_html
        "".join(
            format_html(
                CHART_TABLE_ROW,
                baseline=BASELINE_CLASS if row.is_baseline else NOTHING,
                label=row.label,
                tag=baseline_tag if row.is_baseline else NOTHING,
                local=row.local_text,
                interval=format_html(NUMBER_CELL, row.interval_text) if intervals else NOTHING,
                national=format_html(NUMBER_CELL, row.national_text) if national else NOTHING,
                target=format_html(NUMBER_CELL, row.target_cell) if target else NOTHING,
                control=format_html(
                    CONTROL_CELLS,
                    row.mean_text,
                    row.lower_limit_text,
                    row.upper_limit_text,
                    row.special_text,
                )
                if control
                else NOTHING,
                notes=row.notes,
            )
            for row in (summary.rows if rows is None else rows)
        )
    )


@register.filter
def as_status(value: str):
    """A status kept as its value (in a published edition) as the Status itself."""
    return Status(value)


@register.filter
def iso_datetime(value: str):
    """A timestamp kept as ISO text (in a published edition) as a datetime."""
    return datetime.datetime.fromisoformat(value)
