"""Soak test (``make soak``): the site under load while staff work, then a check
that nothing was lost.

On a database of its own (PostgreSQL, with the demo data) it serves the site
with gunicorn as in production (debug off, a shared Redis cache) and, for
``--seconds`` (60 by default), at the same time:

- wrk requests every public page, chart and download, round robin;
- a staff member signs in to the admin and corrects draft figures one after
  another, through the figure form with its lost-update check;
- another uploads a CSV of new figures: upload, preview, confirm.

It passes when wrk saw no error and no 5xx, every staff request succeeded,
and the database holds exactly what staff saved. Loopback only.

    python bench/soak.py [--seconds 60]
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# A port and a database of this run's own, so that runs side by side never meet.
PORT = free_port()
BASE = f"http://127.0.0.1:{PORT}"
DB_NAME = f"policing_soak_{os.getpid()}"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PASSWORD = secrets.token_urlsafe(16)
# Years of the uploaded figures, far from the demo's, so that the upload only adds.
UPLOAD_YEARS = range(1990, 2010)

PUBLIC_PATHS = [
    "/",
    "/outcomes/reducing-the-impact-of-drugs/",
    "/outcomes/better-partnership-working/",
    "/measures/neighbourhood-crime/",
    "/measures/homicides/?area=humberside&sort=-period_end",
    "/measures/homicides/chart/humberside/",
    "/priorities/reduce-serious-violence/",
    "/mapping/",
    "/statement/",
    "/plans/police-and-crime-plan-2021-2025/",
    "/data/",
    "/data/?measure=victim-satisfaction&area=england-and-wales",
    "/data/figures.csv",
    "/data/figures.csv?outcome=trust-and-confidence&excel=1",
    "/data/figures.json?measure=homicides",
    "/data/mapping.csv",
    "/data/measures.csv",
    "/data/package.zip",
]

WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def psql(sql):
    subprocess.run(
        ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", sql],
        check=True,
    )


def django_setup(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policing.settings")
    import django

    django.setup()


class LoopbackAsHttps(http.cookiejar.DefaultCookiePolicy):
    """Send the site's secure cookies back over loopback, where a TLS proxy would be."""

    def return_ok_secure(self, cookie, request):
        return True


class Staff:
    """A browser-like session in the admin: cookies, CSRF, forms.

    The site runs with its production settings behind a (pretend) TLS proxy:
    requests say X-Forwarded-Proto: https, as the proxy would.
    """

    def __init__(self, username):
        self.jar = http.cookiejar.CookieJar(policy=LoopbackAsHttps())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.failures = []
        page = self.get("/admin/login/")
        self.post(
            "/admin/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf(page)},
            expect="/admin/",
        )

    def get(self, path) -> str:
        request = urllib.request.Request(BASE + path, headers={"X-Forwarded-Proto": "https"})
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()

    def post(self, path, fields, *, expect=None, body=None, content_type=None) -> str:
        data = body if body is not None else urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(BASE + path, data=data, method="POST")
        request.add_header("X-Forwarded-Proto", "https")
        request.add_header("Referer", BASE.replace("http:", "https:") + path)
        if content_type:
            request.add_header("Content-Type", content_type)
        with self.opener.open(request, timeout=60) as response:
            text = response.read().decode()
            if expect and not response.url.endswith(expect):
                self.failures.append(f"POST {path} ended at {response.url}, not {expect}")
            return text

    @staticmethod
    def csrf(html) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def correct_drafts(until, saved, failures):
    """Staff member one: open a draft figure, change its value, save; again and again."""
    from measures.models import Figure

    staff = Staff("soak-entry")
    drafts = list(Figure.objects.drafts().select_related("measure").order_by("pk"))
    step = 0
    while time.monotonic() < until:
        figure = drafts[step % len(drafts)]
        step += 1
        path = f"/admin/measures/figure/{figure.pk}/change/"
        try:
            page = staff.get(path)
            version = re.search(r'name="expected_version" value="(\d+)"', page).group(1)
            value = Decimal(10 + step % 50)
            figure.refresh_from_db()
            fields = {
                "csrfmiddlewaretoken": staff.csrf(page),
                "measure": figure.measure_id,
                "area": figure.area_id,
                "period_start": figure.period_start.isoformat(),
                "period_end": figure.period_end.isoformat(),
                "value": str(value),
                "lower": "" if figure.lower is None else str(value - 1),
                "upper": "" if figure.upper is None else str(value + 1),
                "note": figure.note,
                "source_url": figure.source_url,
                "expected_version": version,
            }
            if figure.provisional:
                fields["provisional"] = "on"
            before = len(staff.failures)
            staff.post(path, fields, expect="/admin/measures/figure/")
            if len(staff.failures) == before:
                saved[figure.pk] = value
        except Exception as error:  # every failure is reported at the end
            failures.append(f"saving figure {figure.pk}: {error!r}")
    failures.extend(staff.failures)


def upload(rows_csv, failures):
    """Staff member two: upload a CSV, look at the preview, confirm."""
    staff = Staff("soak-upload")
    try:
        page = staff.get("/admin/measures/figure/upload/")
        boundary = secrets.token_hex(12)
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{staff.csrf(page)}\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="soak.csv"\r\nContent-Type: text/csv\r\n\r\n{rows_csv}\r\n'
            f"--{boundary}--\r\n"
        ).encode()
        preview = staff.post(
            "/admin/measures/figure/upload/",
            {},
            body=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        token = re.search(r'name="token" value="([^"]+)"', preview).group(1)
        staff.post(
            "/admin/measures/figure/upload/confirm/",
            {"csrfmiddlewaretoken": staff.csrf(preview), "token": token},
            expect="/admin/measures/figure/",
        )
    except Exception as error:
        failures.append(f"upload: {error!r}")
    failures.extend(staff.failures)


def site_environment(static_root: str) -> dict[str, str]:
    """Production settings on this run's own database and cache prefix."""
    return {
        "DATABASE_URL": DB_URL,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_ADMIN_REQUIRE_2FA": "0",
        "DJANGO_STATIC_ROOT": static_root,
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "CACHE_KEY_PREFIX": f"soak-{secrets.token_hex(4)}",
    }


def prepare_site(env: dict[str, str]) -> str:
    """A fresh database with the demo data and two data-entry users; returns the
    CSV the uploader sends."""
    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    psql(f"CREATE DATABASE {DB_NAME}")
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True)
    from django.contrib.auth.models import Group, User

    for name in ("soak-entry", "soak-upload"):
        user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name="Data entry"))
    rows = ["measure,area,period_start,period_end,value"] + [
        f"homicides,england-and-wales,{year}-01-01,{year}-12-31,{500 + year % 100}"
        for year in UPLOAD_YEARS
    ]
    return "\n".join(rows) + "\n"


def wait_until_up() -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/healthz", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)


def under_load(seconds: int, rows_csv: str, saved: dict, failures: list) -> str:
    """wrk on the public pages while staff correct and upload; returns wrk's report."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in PUBLIC_PATHS))
    until = time.monotonic() + seconds
    workers = [
        threading.Thread(target=correct_drafts, args=(until, saved, failures)),
        threading.Thread(target=upload, args=(rows_csv, failures)),
    ]
    for worker in workers:
        worker.start()
    wrk = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "30s", "-s", str(script), BASE],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for worker in workers:
        worker.join()
    return wrk


def wrk_failures(wrk: str) -> list[str]:
    failures = []
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)
    socket_errors = re.search(r"Socket errors: (.*)", wrk)
    if bad:
        failures.append(f"wrk: {bad.group(1)} responses were errors")
    if socket_errors:
        failures.append(f"wrk: socket errors: {socket_errors.group(1)}")
    return failures


def lost_values(saved: dict) -> tuple[list[str], int]:
    """What the database holds against what staff were told was saved."""
    from measures.models import Figure

    failures = [
        f"figure {pk}: saved {value}, the database has {actual}"
        for pk, value in saved.items()
        if (actual := Figure.objects.get(pk=pk).value) != value
    ]
    uploaded = Figure.objects.filter(
        measure__slug="homicides",
        area__slug="england-and-wales",
        period_start__year__in=UPLOAD_YEARS,
    ).count()
    if uploaded != len(UPLOAD_YEARS):
        failures.append(f"upload: {uploaded} of {len(UPLOAD_YEARS)} figures written")
    return failures, uploaded


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()

    env = site_environment(tempfile.mkdtemp(prefix="soak-static-"))
    full_env = {**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}, **env}
    django_setup(env)
    rows_csv = prepare_site(full_env)

    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "policing.wsgi", "--bind",
         f"127.0.0.1:{PORT}", "--workers", "3", "--log-level", "warning"],
        cwd=ROOT,
        env=full_env,
    )  # fmt: skip
    failures, saved = [], {}
    try:
        wait_until_up()
        wrk = under_load(args.seconds, rows_csv, saved, failures)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(wrk)
    requests = int(re.search(r"(\d+) requests in", wrk).group(1))
    failures += wrk_failures(wrk)
    lost, uploaded = lost_values(saved)
    failures += lost
    print(
        f"{requests} public requests in {args.seconds} s, {len(saved)} figures corrected by "
        f"staff (last values checked), {uploaded} figures uploaded."
    )
    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    if failures:
        print("FAILED:\n" + "\n".join(failures[:50]))
        raise SystemExit(1)
    print("Soak test passed: 0 errors, 0 × 5xx, nothing lost.")


if __name__ == "__main__":
    main()
