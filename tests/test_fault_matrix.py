"""The fault matrix: the site in gunicorn, as in production, with its database,
its read replica and Redis each taken away for real while clients load it.

The application reaches PostgreSQL (this run's test database) and Redis (the
shared server, under a key prefix of the run's own) through relays started
here, on ephemeral ports; the replica is a second relay to the same database.
Cutting a relay takes that dependency away; restoring it brings it back. The
shared servers themselves are never touched.

For each outage, under a few concurrent clients for a moment:

- every response is a 200 (served degraded) or a 503 with Retry-After, and
  never a 500 nor a download cut off after its headers;
- /healthz names the dependency that is away;
- once it is back, the same server processes serve every page again;
- a figure corrected while Redis was away is what the public sees once it is
  back, from the cache: no page is served stale.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from .commands import ROOT
from .core.redis import REDIS_HOST, REDIS_PORT, delete_keys, require_redis
from .public_helpers import public_urls
from .relay import Relay

pytestmark = pytest.mark.postgres_only

PASSWORD = secrets.token_urlsafe(16)
LOAD_SECONDS = 1.0
MOST_LOAD_SECONDS = 10
CLIENTS = 4
RETRY_SECONDS = 1  # the breakers' pause: short, so that recovery is seen quickly

DOWNLOADS = [
    "/data/figures.csv",
    "/data/figures.json",
    "/data/mapping.csv",
    "/data/measures.csv",
    "/data/package.zip",
]
STAFF_PAGES = ["/admin/", "/admin/measures/figure/", "/data/staff/figures.csv", "/"]


@dataclass
class Answer:
    path: str
    staff: bool
    status: int  # 0: no answer, or a body cut off
    retry_after: str | None = None
    body: bytes = b""
    headers: dict = field(default_factory=dict)


class Site:
    """The application in gunicorn, and a client for it (staff signed in or not)."""

    def __init__(self, environment: dict, static_root: str):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.log = tempfile.NamedTemporaryFile(prefix="fault-matrix-", suffix=".log")  # noqa: SIM115
        environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ADMIN_REQUIRE_2FA": "0",
            "DJANGO_STATIC_ROOT": static_root,
            "DEPENDENCY_RETRY_SECONDS": str(RETRY_SECONDS),
            "DATABASE_CONNECT_TIMEOUT": "2",
            **environment,
        }
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn and application
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "policing.wsgi",
                "--bind", f"fd://{self.listener.fileno()}",
                "--workers", "2",
                "--timeout", "20",
            ],
            cwd=ROOT,
            env=environment,
            pass_fds=[self.listener.fileno()],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.cookies: dict[str, str] = {}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.request("/healthz").status == 200:
                return
            time.sleep(0.1)
        self.stop()
        raise AssertionError("gunicorn did not start:\n" + self.output()[-5000:])

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.listener.close()

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def request(self, path, *, staff=False, method="GET", form=None) -> Answer:
        headers = {"Host": "127.0.0.1"}
        if staff and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            client.request(method, path, body=body, headers=headers)
            response = client.getresponse()
            content = response.read()  # a body cut off raises IncompleteRead
        except (OSError, http.client.HTTPException):
            return Answer(path, staff, 0)
        finally:
            client.close()
        if staff:
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
        return Answer(
            path,
            staff,
            response.status,
            response.getheader("Retry-After"),
            content,
            {k.lower(): v for k, v in response.getheaders()},
        )

    def sign_in(self, username: str) -> None:
        page = self.request("/admin/login/", staff=True)
        answer = self.request(
            "/admin/login/",
            staff=True,
            method="POST",
            form={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": Form.read(page.body)["csrfmiddlewaretoken"],
                "next": "/admin/",
            },
        )
        assert answer.status == 302, answer.body[:2000]

    def health(self) -> tuple[int, dict]:
        answer = self.request("/healthz")
        try:
            return answer.status, json.loads(answer.body)
        except ValueError:
            return answer.status, {}

    def load(self, paths: list[tuple[str, bool]], seconds: float = LOAD_SECONDS) -> list[Answer]:
        """``CLIENTS`` clients requesting ``paths`` round robin, each from its
        own place in the list, for ``seconds`` and at least until every path
        has been answered once (at most ``MOST_LOAD_SECONDS``)."""
        answers: list[Answer] = []
        started = time.monotonic()

        def busy() -> bool:
            elapsed = time.monotonic() - started
            seen = {(a.path, a.staff) for a in answers}
            return elapsed < seconds or (len(seen) < len(paths) and elapsed < MOST_LOAD_SECONDS)

        def client(offset):
            i = offset
            while busy():
                path, staff = paths[i % len(paths)]
                answers.append(self.request(path, staff=staff))
                i += 1

        threads = [
            threading.Thread(target=client, args=(n * len(paths) // CLIENTS,))
            for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return answers


class Form(HTMLParser):
    """The fields of the first form on a page, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select = None
        self._textarea = None

    @classmethod
    def read(cls, html: bytes) -> dict[str, str]:
        form = cls()
        form.feed(html.decode())
        return form.fields

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += (
                data.lstrip("\n") if not self.fields[self._textarea] else data
            )


@pytest.fixture(scope="module")
def static_root():
    """The static files collected once, as ``make serve`` does (production
    serves them with hashed names from a manifest)."""
    folder = tempfile.mkdtemp(prefix="fault-matrix-static-")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_STATIC_ROOT": folder,
        },
        check=True,
    )
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def make_publisher() -> None:
    """A superuser whose password the server can check: hashed as production
    hashes it (the test settings' fast hasher is not one the server knows)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.contrib.auth.models import User
    from django.utils.crypto import get_random_string

    user = User.objects.create_superuser("fault-admin")
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, get_random_string(22))
    user.save()


def database_port() -> int:
    return int(connection.settings_dict["PORT"] or 5432)


def database_url(port: int) -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER']}{password}@127.0.0.1:{port}/{settings['NAME']}"


def public_paths() -> list[tuple[str, bool]]:
    return [(url, False) for url in [*public_urls().values(), *DOWNLOADS]]


def staff_paths() -> list[tuple[str, bool]]:
    return [(url, True) for url in STAFF_PAGES]


class Problems(list):
    def check(self, condition: bool, message: str) -> None:
        if not condition:
            self.append(message)

    def check_answers(self, scenario: str, answers: list[Answer], allowed=(200, 503)) -> None:
        """Only ``allowed`` statuses, and every 503 says when to try again."""
        statuses = Counter((a.path, a.staff, a.status) for a in answers)
        bad = {k: n for k, n in statuses.items() if k[2] not in allowed}
        self.check(not bad, f"{scenario}: unexpected answers {bad}")
        no_retry = {a.path for a in answers if a.status == 503 and not a.retry_after}
        self.check(not no_retry, f"{scenario}: 503 without Retry-After on {no_retry}")


def recover(site: Site, problems: Problems, scenario: str, expected_health: dict) -> None:
    """Every dependency reported back, then every page answered, by the same processes."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        status, health = site.health()
        if status == 200 and health == expected_health:
            break
        time.sleep(0.1)
    problems.check(
        (status, health) == (200, expected_health),
        f"{scenario}: /healthz after recovery said {status} {health}",
    )
    problems.check(site.process.poll() is None, f"{scenario}: the server stopped")
    for path, staff in [*public_paths(), *staff_paths()]:
        answer = site.request(path, staff=staff)
        problems.check(
            answer.status == 200,
            f"{scenario}: {path} (staff={staff}) after recovery: {answer.status}",
        )


def correct_figure(site: Site, figure, value: Decimal) -> Answer:
    """A publisher's correction of a published figure, through the admin's form."""
    url = reverse("admin:measures_figure_change", args=[figure.pk])
    page = site.request(url, staff=True)
    assert page.status == 200, page.status
    fields = Form.read(page.body)
    fields["value"] = str(value)
    fields["reason_for_revision"] = "A correction during the fault matrix."
    fields["_save"] = "Save"
    answer = site.request(url, staff=True, method="POST", form=fields)
    box = re.search(rb'<input[^>]*name="checked_values"[^>]*>', answer.body or b"")
    if answer.status == 200 and box:
        # The entry checks warn of a large change: confirmed as a person would.
        fields = Form.read(answer.body)
        fields["checked_values"] = re.search(rb'value="([^"]*)"', box.group()).group(1).decode()
        fields["_save"] = "Save"
        answer = site.request(url, staff=True, method="POST", form=fields)
    return answer


def outage(
    site: Site,
    problems: Problems,
    name: str,
    relays: list[Relay],
    *,
    public: tuple,
    staff: tuple,
    health: tuple[int, dict],
    healthy: dict,
    meanwhile=None,
) -> None:
    """Cut ``relays``, load every page (public answers must be in ``public``,
    staff ones in ``staff``), read /healthz, run ``meanwhile``, restore, recover."""
    for relay in relays:
        relay.cut()
    answers = site.load([*public_paths(), *staff_paths()])
    problems.check_answers(f"{name} (public)", [a for a in answers if not a.staff], public)
    problems.check_answers(f"{name} (staff)", [a for a in answers if a.staff], staff)
    seen = {(a.path, a.staff) for a in answers}
    problems.check(
        len(seen) == len(public_paths()) + len(staff_paths()),
        f"{name}: only {len(seen)} pages answered in {len(answers)} requests",
    )
    said = site.health()
    problems.check(said == health, f"{name}: /healthz said {said}, not {health}")
    if meanwhile is not None:
        meanwhile()
    for relay in relays:
        relay.restore()
    recover(site, problems, name, healthy)


def warm(site: Site) -> None:
    """Sign in, and request every page once: the cache holds them, every
    worker has its connections."""
    site.sign_in("fault-admin")
    for path, staff in [*public_paths(), *staff_paths()]:
        site.request(path, staff=staff)


def check_server_log(site: Site, problems: Problems) -> None:
    """Nothing the server logged was a server error, and no worker was replaced."""
    output = site.output()
    problems.check("Internal Server Error" not in output, output[-3000:])
    problems.check(output.count("Booting worker") == 2, output[-3000:])


def test_with_redis_each_outage_is_200_or_503_named_and_recovered_and_nothing_stale(
    demo_transactional, static_root
):
    """Redis shared by the servers, no replica: the set-up where a correction
    made while Redis was away used to stay hidden behind the cache."""
    from measures.models import Figure

    require_redis()
    make_publisher()
    figure = Figure.objects.published().filter(area__slug="humberside").order_by("pk").first()
    page_of_figure = (
        reverse("pages:measure-detail", args=[figure.measure.slug])
        + f"?area=humberside&period_from={figure.period_end}&period_to={figure.period_end}"
    )
    chart_of_figure = reverse("pages:measure-chart", args=[figure.measure.slug, "humberside"])
    new_value = figure.value + Decimal(1000)
    prefix = f"fault-{uuid.uuid4().hex[:12]}"
    problems = Problems()
    healthy = {"database": "ok", "cache": "ok"}

    with Relay(database_port()) as database, Relay(REDIS_PORT, REDIS_HOST) as redis:
        site = Site(
            {
                "DATABASE_URL": database_url(database.port),
                "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
                "CACHE_KEY_PREFIX": prefix,
            },
            static_root,
        )
        try:
            warm(site)
            for url in (page_of_figure, chart_of_figure):
                site.request(url)
                problems.check(
                    site.request(url).headers.get("x-cache") == "hit",
                    f"{url} was not cached before the outage",
                )

            def correct_while_redis_is_away():
                saved = correct_figure(site, figure, new_value)
                problems.check(saved.status == 302, f"the correction got {saved.status}")

            # Redis away: everything served, uncached, from the database.
            outage(
                site, problems, "redis down", [redis],
                public=(200,), staff=(200,),
                health=(200, {**healthy, "cache": "unavailable"}), healthy=healthy,
                meanwhile=correct_while_redis_is_away,
            )  # fmt: skip
            # Redis back: the new value, from the cache again (the breaker's
            # pause over), never the old one. 1,012 on the page; 1012 or
            # 1012.0 in the chart's JSON.
            whole = int(new_value)
            shown = re.compile(rf"(?<![\d.,])({whole:,}|{whole})(\.0+)?(?![\d,])".encode())
            for url in (page_of_figure, chart_of_figure):
                hit = False
                deadline = time.monotonic() + 3 * RETRY_SECONDS + 2
                while not hit and time.monotonic() < deadline:
                    answer = site.request(url)
                    hit = answer.headers.get("x-cache") == "hit"
                    problems.check(
                        shown.search(answer.body) is not None,
                        f"after redis came back: {url} does not show the new value",
                    )
                    time.sleep(0.05)
                problems.check(hit, f"after redis came back: {url} was never cached again")

            outage(
                site, problems, "database down", [database],
                public=(503,), staff=(503,),
                health=(503, {**healthy, "database": "unavailable"}), healthy=healthy,
            )  # fmt: skip
            outage(
                site, problems, "both down", [database, redis],
                public=(503,), staff=(503,),
                health=(503, {"database": "unavailable", "cache": "unavailable"}),
                healthy=healthy,
            )  # fmt: skip
        finally:
            site.stop()
            delete_keys(prefix)
    check_server_log(site, problems)
    assert not problems, "\n".join(problems)
    figure.refresh_from_db()
    assert figure.value == new_value


def test_with_a_replica_each_outage_is_200_or_503_named_and_recovered(
    demo_transactional, static_root
):
    """A read replica, and the cache in each process's memory (no REDIS_URL):
    the data version is read from the database on every request."""
    make_publisher()
    problems = Problems()
    healthy = {"database": "ok", "cache": "ok", "replica": "ok"}
    with Relay(database_port()) as primary, Relay(database_port()) as replica:
        site = Site(
            {
                "DATABASE_URL": database_url(primary.port),
                "DATABASE_REPLICA_URL": database_url(replica.port),
            },
            static_root,
        )
        try:
            warm(site)
            # The replica away: the public's reads go to the primary.
            outage(
                site, problems, "replica down", [replica],
                public=(200,), staff=(200,),
                health=(200, {**healthy, "replica": "unavailable"}), healthy=healthy,
            )  # fmt: skip
            # The primary away: the public is served from the replica (but
            # for downloads written by the primary's COPY); staff, whose
            # sessions are on the primary, get a 503.
            outage(
                site, problems, "primary down", [primary],
                public=(200, 503), staff=(503,),
                health=(503, {**healthy, "database": "unavailable"}), healthy=healthy,
            )  # fmt: skip
            # The database away, primary and replica.
            outage(
                site, problems, "database down", [primary, replica],
                public=(503,), staff=(503,),
                health=(503, {**healthy, "database": "unavailable", "replica": "unavailable"}),
                healthy=healthy,
            )  # fmt: skip
        finally:
            site.stop()
    check_server_log(site, problems)
    assert not problems, "\n".join(problems)
