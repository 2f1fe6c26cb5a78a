"""A real Chromium for the browser tests: one per session, to keep them fast.

Playwright's sync API runs an event loop in this thread, which Django takes
for an async context; the test database calls are still plain sync calls.

Without a Chromium the tests marked ``browser`` are skipped, saying how to get
one, except in CI (the CI variable set), where they must run, and fail.
"""

import contextlib
import os
import shutil
import time

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # the browser fixture skips then
    PlaywrightError = Exception

# Chromium's headless shell, the one Playwright's own builds run headless
# (https://github.com/microsoft/playwright/issues/33566): the same Blink
# without the desktop browser around it, a page opened in a third of the
# time. Debian's package, which `make browser-deps` installs; else Debian's
# Chromium; CHROMIUM names another.
HEADLESS_SHELL, DESKTOP = "/usr/bin/chromium-headless-shell", "/usr/bin/chromium"
CHROMIUM = os.environ.get("CHROMIUM") or (
    HEADLESS_SHELL if shutil.which(HEADLESS_SHELL) or not shutil.which(DESKTOP) else DESKTOP
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing_chromium() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if shutil.which(CHROMIUM):
        return None
    return (
        f"no Chromium at {CHROMIUM}: `make browser-deps` installs Debian's "
        "chromium-headless-shell package (as root), or set CHROMIUM to the path of one"
    )


def pytest_collection_modifyitems(config, items):
    missing = missing_chromium()
    if missing and not os.environ.get("CI"):
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(pytest.mark.skip(reason=missing))


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    missing = missing_chromium()
    if missing:
        pytest.fail(f"CI runs every browser test, but there is {missing}.")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site(browser, tmp_path_factory, worker_id):
    """The base address of the site as ``make run`` serves it, for tests that
    only read pages (see ``demo_site``). Built once per run: the workers of a
    run share the folder above their own temporary folders, a run without
    workers uses its own."""
    from .demo_site import DemoServer, build

    own = tmp_path_factory.mktemp("demo-site")
    shared = own.parent.parent if worker_id != "master" else own
    built = shared / "browser-demo.sqlite3"
    build(built)
    server = DemoServer(built, own)
    yield server.url
    server.stop()


@pytest.fixture
def live_site(browser, live_server, demo_transactional):
    """The live server's base address, on the test's own database with the
    demo loaded, for tests that write rows or change settings (and the
    browser started first, so that a missing one fails before the database
    is filled)."""
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = tracked(context.new_page())
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.errors = errors
    yield page
    settle(page)
    context.close()


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = tracked(context.new_page())
    yield page
    settle(page)
    context.close()


# Every chart on a page (static/js/charts.js) ends drawn, its container marked
# data-chart-ready, or given up, marked data-chart-failed.
CHARTS_SETTLED = """() => [...document.querySelectorAll("[data-chart-url]")].every(
  chart => chart.hasAttribute("data-chart-ready") || chart.hasAttribute("data-chart-failed"))"""


def settled(page):
    """Waits for the page as its reader sees it: loaded, and each of its charts
    drawn or given up. Playwright's "networkidle" waited for as much and then
    half a second more, with nothing left to come, on every page."""
    page.wait_for_load_state("load")
    page.wait_for_function(CHARTS_SETTLED)


def tracked(page):
    """``page``, keeping the requests it has in flight, for ``settle``."""
    in_flight = page.in_flight = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    return page


def settle(page):
    """Let the page's requests finish before the test database is emptied:
    SQLite refuses to flush a table the live server is still reading. Waits
    while a request is in flight, and only then (``tracked``), 5 s at most."""
    deadline = time.monotonic() + 5
    with contextlib.suppress(PlaywrightError):
        while page.in_flight and time.monotonic() < deadline:
            page.wait_for_timeout(20)


@pytest.fixture
def signed_in(live_site, browser, settings):
    """A page signed in to the admin as a superuser (who may publish), at 1280 px."""
    from tests.factories import UserFactory

    settings.ADMIN_REQUIRE_TWO_FACTOR = False
    UserFactory(username="office", is_staff=True, is_superuser=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = tracked(context.new_page())
    sign_in_the_office(page, live_site)
    yield page
    settle(page)
    context.close()


def sign_in_the_office(page, site: str) -> None:
    """Signs the user "office" (the factories' password) in through the
    admin's login page of the site at ``site``."""
    from django.urls import reverse

    page.goto(site + reverse("admin:login"))
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("[type=submit]")
    page.wait_for_url(site + reverse("admin:index"))
