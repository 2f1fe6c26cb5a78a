"""The columns of a figures CSV file.

One format both ways: the upload takes these columns, and the figures
download writes them first, so that a download can be uploaded again
unchanged.
"""

FIGURE_COLUMNS = (
    "measure",  # the measure's slug
    "area",  # the area's slug (an upload may give its ONS code instead)
    "period_start",  # ISO date, YYYY-MM-DD
    "period_end",  # ISO date
    "value",  # plain decimal: no thousands separator, no unit
    "lower",  # lower bound of the confidence interval, or empty
    "upper",  # upper bound, or empty
    "provisional",  # true / false
    "series_break",  # true / false
    "note",
    "source_url",
)
