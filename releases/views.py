from django.utils import timezone
from django.views.generic import TemplateView

from .display import release_row
from .models import ReleaseDate

#: How many past releases the calendar lists (the newest).
PAST_SHOWN = 50


class UpcomingReleasesView(TemplateView):
    """The release calendar: every announced release still to come, soonest
    first, and the latest past ones with how they went; two queries."""

    template_name = "releases/upcoming.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        upcoming = ReleaseDate.objects.upcoming(now).select_related("measure")
        past = ReleaseDate.objects.past().select_related("measure")[:PAST_SHOWN]
        context.update(
            upcoming=[release_row(release) for release in upcoming],
            past=[release_row(release) for release in past],
            past_shown=PAST_SHOWN,
        )
        return context
