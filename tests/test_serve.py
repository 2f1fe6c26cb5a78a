"""``make serve`` and ``make serve-local`` as an operator runs them: gunicorn
with production settings, on this machine, against the test database.

Each server listens on a port the system picks and keeps its control socket
under a home folder of the test's own, so that runs side by side never meet.
"""

import http.client
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from .commands import ROOT

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="needs make")


def database_url() -> str:
    """The test database, as DATABASE_URL names it for the server."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user = urllib.parse.quote(database["USER"] or "")
    password = f":{urllib.parse.quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{user}{password}@{database['HOST']}{port}/{database['NAME']}"


class Server:
    """``make TARGET`` running in its own process group, on a port the system picks."""

    def __init__(self, target: str, home: Path, **env: str):
        environment = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "GUNICORN_", "FORWARDED_", "XDG_RUNTIME_DIR"))
        }
        home.mkdir(parents=True, exist_ok=True)
        environment.update(
            HOME=str(home),
            DATABASE_URL=database_url(),
            # Its own: two collectstatic runs into one folder trip over each other.
            DJANGO_STATIC_ROOT=tempfile.mkdtemp(prefix="static-", dir=home),
            **env,
        )
        self.log = []
        self.process = subprocess.Popen(  # noqa: S603 - make, our own Makefile
            # -o: never reinstall the virtualenv from inside a test run.
            [
                *("make", "--no-print-directory", "-o", ".venv/.installed-run"),
                *(target, "PORT=0", "WORKERS=1"),
            ],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.port = None
        listening = threading.Event()

        def read():
            for line in self.process.stderr:
                self.log.append(line)
                found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
                if found:
                    self.port = int(found.group(1))
                    listening.set()

        threading.Thread(target=read, daemon=True).start()
        self.target, self.listening = target, listening

    def wait(self) -> "Server":
        """Until gunicorn listens and a worker answers."""
        deadline = time.monotonic() + 90
        while not self.listening.wait(0.1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"make {self.target} did not start:\n{''.join(self.log)}")
        while True:
            try:
                self.request("/healthz")
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def request(self, path: str, **headers: str) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = conn.getresponse()
        response.read()
        conn.close()
        return response

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def homes():
    """Short paths: a Unix socket's path may not be longer than 107 bytes."""
    folder = Path(tempfile.mkdtemp(prefix="serve-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def serve(homes, django_db_setup):
    servers = []

    def serve(target="serve", home="home", wait=True, **env):
        production = {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "s" * 60,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        }
        server = Server(target, homes / home, **{**production, **env})
        servers.append(server)
        return server.wait() if wait else server

    yield serve
    for server in servers:
        server.stop()


def control_sockets(home: Path, expected: int | None = None) -> set[Path]:
    """The control sockets under ``home``, once there are ``expected`` of them
    (gunicorn opens its socket shortly after it starts listening)."""
    deadline = time.monotonic() + 10
    while True:
        sockets = {path for path in home.rglob("*.ctl") if path.is_socket()}
        if expected is None or len(sockets) == expected or time.monotonic() > deadline:
            return sockets
        time.sleep(0.1)


def gunicornc(socket: Path, command: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - gunicorn's own client
        [str(Path(sys.executable).with_name("gunicornc")), "-s", str(socket), "-c", command],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_two_servers_on_one_machine_keep_their_own_control_sockets(serve, homes):
    """gunicorn's default is one control socket per user: the second server took
    the first's over, and the first to stop deleted the other's."""
    first, second = (serve(home="operator", wait=False) for _ in range(2))
    first.wait(), second.wait()
    sockets = control_sockets(homes / "operator", expected=2)
    assert len(sockets) == 2, sockets
    first.stop()
    [left] = control_sockets(homes / "operator", expected=1)
    answer = gunicornc(left, "show workers")
    assert answer.returncode == 0, answer.stderr
    assert "Total: 1 workers" in answer.stdout


def test_without_a_proxy_a_forwarded_https_header_does_not_skip_the_https_redirect(serve):
    server = serve(DJANGO_BEHIND_PROXY="0")
    response = server.request("/healthz", **{"X-Forwarded-Proto": "https"})
    assert response.status == 301
    assert response.headers["Location"].startswith("https://")


def test_behind_a_proxy_its_forwarded_https_header_is_believed(serve, homes):
    server = serve(
        home="operator",
        DJANGO_BEHIND_PROXY="1",
        FORWARDED_ALLOW_IPS="127.0.0.1",
        # And an operator who has no use for gunicornc can do without its socket.
        GUNICORN_CONTROL_SOCKET="off",
    )
    assert server.request("/healthz").status == 301
    assert server.request("/healthz", **{"X-Forwarded-Proto": "https"}).status == 200
    assert control_sockets(homes / "operator") == set()


@pytest.mark.django_db(transaction=True)
def test_production_settings_can_be_tried_over_plain_http_on_this_machine(serve):
    """``make serve-local``: production settings, signed in over plain HTTP,
    which secure cookies would refuse (a CSRF error at sign-in)."""
    from django.contrib.auth.models import User

    # The server hashes as production does, not with the test run's fast hasher.
    User.objects.create(
        username="trial",
        is_staff=True,
        is_superuser=True,
        password=PBKDF2PasswordHasher().encode("a long trial password", "saltsaltsalt"),
    )
    server = serve(
        "serve-local",
        DJANGO_SECRET_KEY="",
        DJANGO_ALLOWED_HOSTS="",
        DJANGO_ADMIN_REQUIRE_2FA="0",
    )
    assert server.request("/healthz").status == 200  # no redirect to HTTPS
    assert "Strict-Transport-Security" not in server.request("/healthz").headers
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login = f"{server.url}/admin/login/"
    with browser.open(login) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    form = {
        "username": "trial",
        "password": "a long trial password",
        "csrfmiddlewaretoken": token.group(1),
        "next": "/admin/",
    }
    with browser.open(login, urllib.parse.urlencode(form).encode()) as response:
        assert response.url == f"{server.url}/admin/"
        assert "Figures, measures and the Police and Crime Plan" in response.read().decode()


def test_serve_passes_gunicorn_no_options_that_override_its_configuration():
    """Options on gunicorn's command line beat gunicorn.conf.py; ``make serve``
    gives only where to listen, how many workers and the access log."""
    dry_run = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed-run", "serve"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    command = dry_run.replace("\\\n", " ").split("bin/gunicorn ", 1)[1].splitlines()[0]
    options = set(re.findall(r"(--[a-z-]+)", command))
    assert options == {"--config", "--bind", "--workers", "--access-logfile"}
