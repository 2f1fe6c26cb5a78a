"""The filter of a measure page's table: the figures FilterSet of the
downloads, less what the page itself fixes, so that its "Download" links hold
exactly what the table showed."""

from opendata.filters import FigureFilter


class MeasureFigureFilter(FigureFilter):
    """A measure page's table: the measure comes from the page, and the area
    from the page's own choice of area (``pages.forms``), so periods only."""

    class Meta(FigureFilter.Meta):
        fields = ["period_from", "period_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("measure", "priority_area", "outcome", "area", "status"):
            self.filters.pop(name, None)
