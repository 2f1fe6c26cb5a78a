"""The fault matrix's other set-ups (``test_fault_matrix`` has Redis without a
replica, and a replica without Redis):

- the default one, no Redis and no replica (each process caches pages in its
  own memory, the data version read from the database): the set-up in which
  a database outage used to be a 500 on every page;
- the full one, Redis and a replica together, each away alone and together.

Each outage is cut for real at a relay, under load; while away every answer
is a 200 (served degraded) or a 503 with Retry-After, /healthz names what is
away, the same server processes recover, and a figure corrected during the
outage (or just before it) is what every process serves afterwards.
"""

import re
import time
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from .core.redis import REDIS_HOST, REDIS_PORT, delete_keys, require_redis
from .relay import Relay
from .test_fault_matrix import (
    RETRY_SECONDS,
    Problems,
    Site,
    check_server_log,
    correct_figure,
    database_port,
    database_url,
    make_publisher,
    outage,
    static_root,  # noqa: F401 - the fixture
    warm,
)

pytestmark = pytest.mark.postgres_only


def a_published_figure():
    from measures.models import Figure

    return Figure.objects.published().filter(area__slug="humberside").order_by("pk").first()


def page_of(figure) -> str:
    return (
        reverse("pages:measure-detail", args=[figure.measure.slug])
        + f"?area=humberside&period_from={figure.period_end}&period_to={figure.period_end}"
    )


def check_every_process_shows(site: Site, problems: Problems, url: str, value, when: str):
    """Asked often enough to reach every worker, each answer shows ``value``
    (1,012 on the page): no process serves a page it cached before."""
    whole = int(value)
    shown = re.compile(rf"(?<![\d.,])({whole:,}|{whole})(\.0+)?(?![\d,])".encode())
    deadline = time.monotonic() + 3 * RETRY_SECONDS + 2
    answers = []
    while time.monotonic() < deadline and len(answers) < 12:
        answers.append(site.request(url))
    stale = [a.status for a in answers if a.status != 200 or not shown.search(a.body)]
    problems.check(not stale, f"{when}: {url} answered without the new value: {stale}")


def test_without_redis_or_replica_a_database_outage_is_503_named_and_recovered(
    demo_transactional,
    static_root,  # noqa: F811 - the fixture
):
    make_publisher()
    figure = a_published_figure()
    url = page_of(figure)
    problems = Problems()
    healthy = {"database": "ok", "cache": "ok"}
    with Relay(database_port()) as database:
        site = Site({"DATABASE_URL": database_url(database.port)}, static_root)
        try:
            warm(site)
            for _ in range(4):  # cached in each worker's memory
                site.request(url)
            corrected = figure.value + Decimal(1000)
            problems.check(correct_figure(site, figure, corrected).status == 302, "correction")
            check_every_process_shows(site, problems, url, corrected, "after a correction")
            outage(
                site, problems, "database down (no redis, no replica)", [database],
                public=(503,), staff=(503,),
                health=(503, {**healthy, "database": "unavailable"}), healthy=healthy,
            )  # fmt: skip
            check_every_process_shows(site, problems, url, corrected, "after the outage")
            again = corrected + Decimal(1000)
            problems.check(correct_figure(site, figure, again).status == 302, "correction")
            check_every_process_shows(site, problems, url, again, "a correction after it")
        finally:
            site.stop()
    check_server_log(site, problems)
    assert not problems, "\n".join(problems)


def test_with_redis_and_a_replica_each_outage_is_200_or_503_named_and_recovered(
    demo_transactional,
    static_root,  # noqa: F811 - the fixture
):
    require_redis()
    make_publisher()
    figure = a_published_figure()
    url = page_of(figure)
    prefix = f"fault-{uuid.uuid4().hex[:12]}"
    problems = Problems()
    healthy = {"database": "ok", "cache": "ok", "replica": "ok"}
    with (
        Relay(database_port()) as primary,
        Relay(database_port()) as replica,
        Relay(REDIS_PORT, REDIS_HOST) as redis,
    ):
        site = Site(
            {
                "DATABASE_URL": database_url(primary.port),
                "DATABASE_REPLICA_URL": database_url(replica.port),
                "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
                "CACHE_KEY_PREFIX": prefix,
            },
            static_root,
        )
        value = figure.value
        try:
            warm(site)

            def correct():
                nonlocal value
                value += Decimal(1000)
                problems.check(correct_figure(site, figure, value).status == 302, "correction")

            for name, relays, public, health in [
                ("replica down", [replica], (200,), {"replica": "unavailable"}),
                ("redis and replica down", [redis, replica], (200,),
                 {"cache": "unavailable", "replica": "unavailable"}),
            ]:  # fmt: skip
                outage(
                    site, problems, name, relays, public=public, staff=(200,),
                    health=(200, {**healthy, **health}), healthy=healthy, meanwhile=correct,
                )  # fmt: skip
                check_every_process_shows(site, problems, url, value, f"after {name}")
            outage(
                site, problems, "primary and replica down, redis up", [primary, replica],
                public=(503,), staff=(503,),
                health=(503, {**healthy, "database": "unavailable", "replica": "unavailable"}),
                healthy=healthy,
            )  # fmt: skip
            check_every_process_shows(site, problems, url, value, "after the database outage")
        finally:
            site.stop()
            delete_keys(prefix)
    check_server_log(site, problems)
    assert not problems, "\n".join(problems)
