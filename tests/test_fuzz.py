"""Random and hostile input to every public URL: never a server error.

Every URL pattern outside the admin is found from the URL configuration, so a
page added later is fuzzed without anyone remembering to list it. Path
arguments get random, hostile and real values; query strings get random keys
and values, real filter names with junk values, and malformed encodings.
"""

from urllib.parse import quote, urlencode

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FILTER_KEYS = [
    "measure", "priority_area", "outcome", "area", "period_from", "period_to", "status",
    "sort", "page", "per_page", "format", "excel", "_export",
]  # fmt: skip
HOSTILE = [
    "", " ", "0", "-1", "99999999999999999999", "1e309", "NaN", "null", "true",
    "2024-02-30", "0000-00-00", "9999-12-31", "2024-13-01", "../../etc/passwd",
    "'; DROP TABLE measures_figure; --", "<script>alert(1)</script>", "=HYPERLINK(\"x\")",
    "%", "%%", "%ff", "\u0000", "\ud7ff", "𝕳𝖔𝖒𝖎𝖈𝖎𝖉𝖊", "a" * 3000, "homicides", "humberside",
    "england-and-wales", "-value", "value,area", "2019-06-30",
]  # fmt: skip
RAW_QUERIES = ["%", "a=%", "a=%zz", "=&=&&", "measure", "page=&page=2&page=x", "%00=%00"]


def public_patterns(patterns=None, prefix="", namespace=None):
    """(route, name, converter names) of every URL pattern outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or pattern.app_name == "admin":
                continue
            inner = pattern.namespace or namespace
            yield from public_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            converters = getattr(pattern.pattern, "converters", {})
            yield prefix + str(pattern.pattern), name, converters


PATTERNS = sorted(public_patterns(), key=lambda p: p[1])


def argument(converter):
    kind = type(converter).__name__
    if kind == "IntConverter":
        return st.integers(min_value=0, max_value=2**63)
    if kind == "SlugConverter":
        return st.one_of(st.from_regex(r"\A[-a-zA-Z0-9_]{1,80}\Z"), st.sampled_from(HOSTILE[20:]))
    return st.text(
        alphabet=st.characters(blacklist_characters="/", blacklist_categories=["Cs"]),
        min_size=1,
        max_size=80,
    )


values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
queries = st.one_of(
    st.dictionaries(st.sampled_from(FILTER_KEYS), values, max_size=5).map(urlencode),
    st.dictionaries(st.text(max_size=10), values, max_size=3).map(urlencode),
    st.sampled_from(RAW_QUERIES),
)


@pytest.mark.parametrize(("route", "name", "converters"), PATTERNS, ids=[p[1] for p in PATTERNS])
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_server_error_on_any_public_url(client, demo, route, name, converters, data):
    kwargs = {key: data.draw(argument(conv), label=key) for key, conv in converters.items()}
    try:
        path = reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # the drawn value does not fit the pattern
        path = "/" + quote(route)
    query = data.draw(queries, label="query")
    response = client.get(f"{path}?{query}", follow=False)
    assert response.status_code < 500, (path, query, response.status_code)


@pytest.mark.parametrize(("route", "name", "converters"), PATTERNS, ids=[p[1] for p in PATTERNS])
def test_hostile_post_to_public_urls_is_refused_without_error(
    client, demo, route, name, converters
):
    kwargs = dict.fromkeys(converters, "homicides")
    try:
        path = reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        pytest.skip("pattern takes arguments a slug does not fit")
    response = client.post(path, {"value": "=1+1", "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code < 500
