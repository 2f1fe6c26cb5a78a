"""A catalogue of hostile input: every URL × every query parameter it reads ×
a fixed list of boundary and hostile values, and every staff form × every
field it sends × the same values. Never a server error; a refused form writes
nothing.

``PUBLIC`` and ``STAFF`` list, for each URL, the query parameters its view
reads (its filter, its form, its ``request.GET`` reads, the table's ``sort``,
``page`` and ``per_page``): a new parameter is one line there, and a test
fails while a URL pattern is missing from them or a view declares a cached
parameter they do not list. The forms' fields are read from the forms
themselves, as a browser sends them back, so a new field is in the catalogue
without anyone listing it.

Each request is one of a few hundred, so all of them share one database for
the module (the demo, loaded once) and the test client, without a server.
Each request that could write runs in a savepoint rolled back after it: every
one starts from the same data.
"""

import functools
import random
import re
import string
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.template.base import Template
from django.test import Client
from django.test.utils import _TestState
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from plan.demo import load_demo

from .factories import user_in_role
from .public_helpers import PLAN_SLUG
from .snapshot import load_once

pytestmark = pytest.mark.django_db

FILTERS = ["measure", "priority_area", "outcome", "area", "period_from", "period_to", "status"]
TABLE = ["sort", "page", "per_page"]
COMPARISON = ["area", "period"]

# url name: (path arguments with the demo, the query parameters its view reads)
PUBLIC = {
    "healthz": ((), ()),
    "pages:home": ((), ()),
    "pages:outcome-detail": (("reducing-the-impact-of-drugs",), ()),
    "pages:plan-detail": ((PLAN_SLUG,), ()),
    "pages:plan-outcome-detail": ((PLAN_SLUG, "reducing-the-impact-of-drugs"), ()),
    "pages:mapping": ((), ("framework",)),
    "pages:logo": ((), ()),
    "pages:statement": ((), ()),
    "pages:statement-archive": ((), ()),
    "pages:statement-edition": (("2024-25",), ()),
    "pages:statement-pdf": (("2024-25",), ()),
    "pages:measure-detail": (
        ("homicides",), ("period_from", "period_to", "area", "from", "to", "periods", *TABLE)
    ),
    "pages:measure-chart": (("homicides", "humberside"), ()),
    "pages:measure-compare": (("homicides",), COMPARISON),
    "pages:measure-compare-bars": (("homicides",), COMPARISON),
    "pages:measure-compare-funnel": (("homicides",), COMPARISON),
    "pages:priority-detail": (("reduce-serious-violence",), ()),
    "pages:releases": ((), ()),
    "releases:upcoming": ((), ()),
    "pages:accessibility": ((), ()),
    "pages:contact": ((), ()),
    "pages:privacy": ((), ()),
    "pages:areas": ((), ()),
    "pages:area-detail": (("humberside",), ("page",)),
    "opendata:index": ((), (*FILTERS, *TABLE)),
    "opendata:figures-csv": ((), (*FILTERS, "excel")),
    "opendata:figures-readable-csv": ((), FILTERS),
    "opendata:figures-xlsx": ((), FILTERS),
    "opendata:figures-json": ((), FILTERS),
    "opendata:mapping-csv": ((), ("excel",)),
    "opendata:measures-csv": ((), ("excel",)),
    "opendata:revisions-csv": ((), ("excel",)),
    "opendata:package": ((), ()),
    "opendata:comparison-csv": (("homicides",), ("period", "excel")),
    "opendata:comparison-json": (("homicides",), ("period",)),
}  # fmt: skip
# The same, for staff signed in.
STAFF = {
    "opendata:staff": ((), (*FILTERS, "publication_status")),
    "opendata:staff-figures-csv": ((), (*FILTERS, "publication_status", "excel")),
    "opendata:staff-figures-json": ((), (*FILTERS, "publication_status")),
    "admin:measures_figure_changelist": (
        (), ("q", "o", "p", "all", "measure", "area__exact", "status__exact", "_to_field")
    ),
    "admin:measures_figure_bulk_entry": ((), ("area", "period_start", "period_end")),
    "admin:measures_measure_changelist": ((), ("q", "o", "p")),
}  # fmt: skip

# Negative, zero, past 32 and 64 bits, not a number, far dates, NUL, overlong,
# unicode (right-to-left override included), markup, a formula, SQL, and values
# that mean something to some parameter.
VALUES = [
    "", "-1", "0", "2147483648", "99999999999999999999", "1e309", "abc",
    "0001-01-01", "2024-02-30", "9999-12-31", "a\x00b", "x" * 5000, "é中𝕳\u202e",
    "<script>alert(1)</script>", "=1+1", "'; DROP TABLE measures_figure; --", "homicides",
]  # fmt: skip
# Each field of a staff form alone, the others as drawn: the values that pass a
# field's own check and then broke a form's clean() or the database (a number
# past 64 bits, a far date). Every value reaches every field too, all at once,
# which is as much as a field's own check needs; drawing a refused form again
# is what costs, so this list stays short.
FORM_VALUES = ["99999999999999999999", "9999-12-31"]
# The controls whose own check refuses any text that is not a number (a number
# box, a hidden count or key) or not one of its choices (a list, a tick box):
# a far date, text, stops at their check, so it goes only to the others, the
# boxes that take text, dates among them. The number past 64 bits goes to
# every field: a choice's key and a formset's count read numbers.
REFUSE_TEXT = {"number", "hidden", "select", "checkbox", "radio"}
TEXT_ONLY = {"9999-12-31"}
RANDOM_EXTRAS = 3


def random_values(seed: int) -> list[str]:
    """A few values no one chose, from a seed the failure message names."""
    rng = random.Random(seed)  # noqa: S311 - test input, not security
    alphabet = string.printable + "é中𝕳\u0000\u00a0\ufeff"
    return ["".join(rng.choices(alphabet, k=rng.randint(1, 60))) for _ in range(RANDOM_EXTRAS)]


SEED = random.SystemRandom().randrange(2**32)
ALL_VALUES = [*VALUES, *random_values(SEED)]


def public_patterns(patterns=None, namespace=None):
    """The name of every URL pattern outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if "admin" not in (pattern.namespace, pattern.app_name):
                yield from public_patterns(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


@functools.cache
def fingerprint_sql() -> str:
    """One statement for ``fingerprint``: a POST is sent a few hundred times,
    and asking each table through the ORM twice a POST cost as much as the
    refused form's own checks."""
    labels = {"measures", "plan", "official", "compare", "core", "admin"}
    quote = connection.ops.quote_name
    counts = [
        f"(SELECT COUNT(*) FROM {quote(meta.db_table)}), "  # noqa: S608 - the models' own tables
        f"(SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)})"
        for meta in (model._meta for model in apps.get_models())
        if meta.app_label in labels and meta.managed
    ]
    return "SELECT " + ", ".join(counts)


def fingerprint() -> tuple:
    """How many rows, and the highest key, of every table staff can write to."""
    with connection.cursor() as cursor:
        cursor.execute(fingerprint_sql())
        return cursor.fetchone()


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The demo and a superuser, once for the module, rolled back after it.

    Templates render as they do outside tests: the test client keeps a copy
    of the context of every template rendered, which for a form's select of
    every area (a template per option) costs more than the page itself, and
    the catalogue reads the status and the HTML, never the context."""
    instrumented = Template._render
    Template._render = _TestState.saved_data.template_render
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            load_once("demo", load_demo)
            yield user_in_role("superuser")
            transaction.set_rollback(True)
    finally:
        Template._render = instrumented


@pytest.fixture
def staff_client(site):
    client = Client()
    client.force_login(site)
    return client


@pytest.fixture
def anonymous_client(site):
    return Client()


class Problems(list):
    def request(self, client, method, url, **data):
        """Asks, in a savepoint rolled back after; notes a 5xx or an exception."""
        with transaction.atomic():
            before = fingerprint() if method == "post" else None
            try:
                response = getattr(client, method)(url, **data)
            except Exception as error:  # every failure is a finding
                self.append(f"{method.upper()} {url[:300]!r}: {error!r} (seed {SEED})")
                response = None
            if response is not None and response.status_code >= 500:
                self.append(f"{method.upper()} {url[:300]!r}: {response.status_code} (seed {SEED})")
            refused = response is not None and response.status_code != 302
            if before is not None and refused and fingerprint() != before:
                self.append(f"POST {url[:300]!r} was refused but wrote (seed {SEED})")
            transaction.set_rollback(True)
        return response


def queries(parameters) -> list[str]:
    """Each parameter alone at each value, then all of them at once."""
    found = [urlencode({name: value}) for name in parameters for value in ALL_VALUES]
    if len(parameters) > 1:
        found += [urlencode(dict.fromkeys(parameters, value)) for value in ALL_VALUES]
    return [*found, "%", "a=%zz", "=&=&&", "page=&page=2&page=x", "%00=%00"]


def paths(name, arguments) -> list[str]:
    """The URL with each of its path arguments at each value."""
    url = reverse(name, args=arguments)
    return [
        url.replace(f"/{argument}/", f"/{quote(value, safe='')}/", 1)
        for argument in arguments
        for value in ALL_VALUES
    ]


def check_get(client, name, arguments, parameters):
    problems = Problems()
    url = reverse(name, args=arguments)
    for query in queries(parameters):
        problems.request(client, "get", f"{url}?{query}")
    for path in paths(name, arguments):
        problems.request(client, "get", path)
    return problems


def test_the_catalogue_lists_every_url_and_every_cached_parameter():
    missing = set(public_patterns()) - set(PUBLIC) - set(STAFF)
    assert not missing, f"add these URLs to the catalogue: {missing}"
    for name, (arguments, parameters) in {**PUBLIC, **STAFF}.items():
        view = resolve(reverse(name, args=arguments)).func
        view = getattr(view, "view_class", view)
        declared = set(getattr(view, "cache_query_parameters", ()))
        assert declared <= set(parameters), (name, declared - set(parameters))


@pytest.mark.parametrize("name", PUBLIC)
def test_no_public_url_answers_a_server_error(anonymous_client, name):
    arguments, parameters = PUBLIC[name]
    assert not check_get(anonymous_client, name, arguments, parameters)


@pytest.mark.parametrize("name", STAFF)
def test_no_staff_url_answers_a_server_error(staff_client, name):
    arguments, parameters = STAFF[name]
    assert not check_get(staff_client, name, arguments, parameters)


@pytest.mark.parametrize("name", [*PUBLIC, *STAFF])
def test_a_post_to_a_page_that_takes_none_is_refused(anonymous_client, name):
    arguments, _ = {**PUBLIC, **STAFF}[name]
    problems = Problems()
    url = reverse(name, args=arguments)
    problems.request(
        anonymous_client, "post", url, data={"value": "=1+1", "csrfmiddlewaretoken": "x" * 64}
    )
    assert not problems


# The staff forms: url name, and the object a change form opens (model, lookup).
# A model's change form draws the same form as its add form, with its inlines
# filled: the measure and the outcome, whose forms are the largest, only that.
FORMS = {
    "admin:measures_figure_add": None,
    "admin:measures_figure_change": ("measures.Figure", {"area__slug": "humberside"}),
    "admin:measures_measure_change": ("measures.Measure", {"slug": "homicides"}),
    "admin:measures_area_add": None,
    "admin:measures_area_change": ("measures.Area", {"slug": "humberside"}),
    "admin:measures_target_add": None,
    "admin:plan_plan_change": ("plan.Plan", {"slug": PLAN_SLUG}),
    "admin:plan_localoutcome_change": ("plan.LocalOutcome", {"slug": "better-partnership-working"}),
    "admin:plan_contribution_add": None,
}


class FormFields(HTMLParser):
    """The fields of each form on a page, as a browser would send them back."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.controls: dict[str, str] = {}  # each field's input type, select or textarea
        self._select = self._textarea = None

    @classmethod
    def largest(cls, html: str) -> tuple[dict[str, str], dict[str, str]]:
        """The largest form's fields and values, and each field's control."""
        parser = cls()
        parser.feed(html)
        return max(parser.forms, key=len), parser.controls

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self.forms.append({})
        elif tag == "option" and self._select and "selected" in attrs:  # an option has no name
            self.forms[-1][self._select] = attrs.get("value", "")
        if not self.forms or not name:
            return
        self.controls[name] = attrs.get("type", "text") if tag == "input" else tag
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file", "image"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.forms[-1][name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
            self.forms[-1].setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            self.forms[-1][name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][self._textarea] += data


def form_url(name) -> str:
    target = FORMS[name]
    if target is None:
        return reverse(name)
    model, lookup = target
    found = apps.get_model(model)._base_manager.filter(**lookup).order_by("pk").first()
    return reverse(name, args=[found.pk])


def check_form(client, url, form: tuple[dict, dict]) -> Problems:
    """Every field at every value, all fields at once, and each field alone at
    each of ``FORM_VALUES`` its control does not refuse on its own check, the
    others as the form drew them."""
    sent, controls = form
    problems = Problems()
    fields = [name for name in sent if name != "csrfmiddlewaretoken"]
    for value in ALL_VALUES:
        problems.request(client, "post", url, data={**sent, **dict.fromkeys(fields, value)})
    # A row of bulk entry or of an inline is the same form as the next one:
    # the first of each is enough (m12-value, m13-value: mN-value). An inline's
    # empty row (targets-__prefix__-value), which its script copies to add a
    # row, is sent but read by no form on the server: a third of the measure
    # form's fields, each drawing the whole refused form again for nothing.
    kinds = {
        re.sub(r"\d+", "N", field): field for field in reversed(fields) if "__prefix__" not in field
    }
    for field in kinds.values():
        for value in FORM_VALUES:
            if value in TEXT_ONLY and controls[field] in REFUSE_TEXT:
                continue
            problems.request(client, "post", url, data={**sent, field: value})
    return problems


@pytest.mark.parametrize("name", FORMS)
def test_no_staff_form_answers_a_server_error_or_writes_when_it_refuses(staff_client, name):
    url = form_url(name)
    page = staff_client.get(url)
    assert page.status_code == 200
    assert not check_form(staff_client, url, FormFields.largest(page.content.decode()))


def test_bulk_entry_answers_no_server_error_and_writes_nothing_it_refuses(staff_client):
    from measures.models import Area

    area = Area.objects.get(slug="humberside")
    url = reverse("admin:measures_figure_bulk_entry") + (
        f"?area={area.pk}&period_start=2024-04-01&period_end=2024-06-30"
    )
    page = staff_client.get(url)
    assert page.status_code == 200
    assert not check_form(staff_client, url, FormFields.largest(page.content.decode()))


def test_the_upload_answers_no_server_error_for_any_cell(staff_client):
    """Every cell of a good row at each value, and each cell alone at each of
    ``FORM_VALUES``: a preview (which writes nothing)
    or its list of problems; the confirmation with a token that is not one."""
    from measures.csvformat import FIGURE_COLUMNS

    from .measures.csvfiles import make_csv, row

    problems = Problems()
    url = reverse("admin:measures_figure_upload")
    good = row(area="humberside")
    changes = [dict.fromkeys(FIGURE_COLUMNS, value) for value in ALL_VALUES]
    changes += [{column: value} for column in FIGURE_COLUMNS for value in FORM_VALUES]
    for change in changes:
        upload = SimpleUploadedFile("figures.csv", make_csv([{**good, **change}]))
        problems.request(staff_client, "post", url, data={"file": upload})
    for value in ALL_VALUES:
        confirm = reverse("admin:measures_figure_upload_confirm")
        problems.request(staff_client, "post", confirm, data={"token": value})
    assert not problems
