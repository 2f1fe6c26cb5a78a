"""The choices a reader makes on a measure page: the area, and two periods to
compare. A GET form, so every choice has a stable address to share, and it
works without JavaScript. A bad value is a clear message (and a 400), never
an error page."""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures.comparisons import equal_length, length_in_words, parse_period, period_value
from measures.periods import period_label

PERIOD_HELP = gettext_lazy("A period is written as its first and last day: 2023-10-01..2024-09-30.")


def _attributes(attrs: dict) -> str:
    """An element's attributes as Django's ``attrs.html`` writes them."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class PeriodSelect(forms.Select):
    """A select of periods, written in Python, byte for byte as Django's
    ``select.html`` writes it. Fifteen years of monthly and quarterly figures
    are hundreds of periods, and Django draws each option through a template
    of its own: two such selects cost more than the rest of a measure's page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = [
            format_html(
                '\n  <option value="{}"{}>{}</option>\n',
                str(option["value"]),
                mark_safe(_attributes(option["attrs"])),  # noqa: S308 - escaped by _attributes
                option["label"],
            )
            for _group, choices, _index in widget["optgroups"]
            for option in choices
        ]
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            mark_safe(_attributes(widget["attrs"])),  # noqa: S308 - escaped by _attributes
            mark_safe("".join(options)),  # noqa: S308 - each made by format_html
        )


class MeasurePageForm(forms.Form):
    """``area`` (a slug, among ``areas``) and ``from`` / ``to`` (two periods,
    among ``periods``, the published periods of the chosen area)."""

    def __init__(self, data, *, areas, periods):
        super().__init__(data, auto_id="choose-%s")
        self.areas = {area.slug: area for area in areas}
        self.periods = set(periods)
        self.fields["area"] = forms.ChoiceField(
            label=_("Area"),
            required=False,
            choices=[(area.slug, area.name) for area in areas],
            error_messages={
                "invalid_choice": _("There are no published figures of this measure for that area.")
            },
        )
        choices = [("", _("Choose a period"))] + [
            (period_value(p), period_label(*p)) for p in sorted(periods, reverse=True)
        ]
        for name, label in (("from", _("Earlier period")), ("to", _("Later period"))):
            self.fields[name] = forms.CharField(
                label=label, required=False, widget=PeriodSelect(choices=choices)
            )

    def _period(self, name):
        text = self.cleaned_data.get(name, "")
        if not text:
            return None
        period = parse_period(text)
        if period is None:
            raise forms.ValidationError(
                _("“%(text)s” is not a period. %(help)s") % {"text": text, "help": PERIOD_HELP}
            )
        if period not in self.periods:
            raise forms.ValidationError(
                _("There is no published figure for %(period)s in this area.")
                % {"period": period_label(*period)}
            )
        return period

    def clean_from(self):
        return self._period("from")

    def clean_to(self):
        return self._period("to")

    def clean(self):
        data = super().clean()
        earlier, later = data.get("from"), data.get("to")
        if self.has_error("from") or self.has_error("to"):
            return data
        if (earlier is None) != (later is None):
            missing = "to" if later is None else "from"
            self.add_error(missing, _("Choose both periods to compare them."))
        elif earlier is not None and not equal_length(earlier, later):
            self.add_error(
                "to",
                _(
                    "Only periods of the same length can be compared: "
                    "%(earlier)s is %(earlier_length)s long, %(later)s %(later_length)s."
                )
                % {
                    "earlier": period_label(*earlier),
                    "earlier_length": length_in_words(earlier),
                    "later": period_label(*later),
                    "later_length": length_in_words(later),
                },
            )
        elif earlier is not None and earlier[1] >= later[1]:
            self.add_error("to", _("The later period must end after the earlier one."))
        return data

    @property
    def chosen_area(self):
        """The area asked for, once the form is valid; None for the default."""
        return self.areas.get(self.cleaned_data.get("area") or "")
