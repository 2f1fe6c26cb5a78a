"""The columns of a figures CSV file.

One format both ways: the upload takes these columns, and the figures
download writes them first, so that a download can be uploaded again
unchanged. They are also the figure form's fields.
"""

# What identifies a figure: one per measure, area and period.
FIGURE_KEY_COLUMNS = (
    "measure",  # the measure's slug
    "area",  # the area's slug (an upload may give its ONS code instead)
    "period_start",  # ISO date, YYYY-MM-DD
    "period_end",  # ISO date
)
# What a person enters for it; a change to any of these is a change to the figure.
FIGURE_ENTERED_COLUMNS = (
    "value",  # plain decimal: no thousands separator, no unit
    "lower",  # lower bound of the confidence interval, or empty
    "upper",  # upper bound, or empty
    "provisional",  # true / false
    "series_break",  # true / false
    "note",
    "source_url",
)
FIGURE_COLUMNS = (*FIGURE_KEY_COLUMNS, *FIGURE_ENTERED_COLUMNS)
# What an upload must have: the figure's key and its value.
FIGURE_REQUIRED_COLUMNS = (*FIGURE_KEY_COLUMNS, "value")

# The first characters that make a spreadsheet evaluate a cell: a download
# puts an apostrophe before a text cell that starts with one, and an upload
# takes it off again, so that a download uploads unchanged.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
