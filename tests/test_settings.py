import ast
import re
import secrets

import pytest

from .commands import ROOT, manage


def test_debug_off_without_a_secret_key_is_a_clear_start_up_error():
    result = manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_off_with_a_secret_key_starts():
    result = manage(
        "check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 60, DJANGO_ALLOWED_HOSTS="example.org"
    )
    assert result.returncode == 0, result.stderr


def test_a_development_start_shows_no_system_check_warning(tmp_path):
    """What a newcomer's ``make run`` prints first, on SQLite (the default)."""
    # With the database: runserver and migrate check it, plain check does not.
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = manage("check", "--database", "default", DATABASE_URL=database)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_debug_off_without_allowed_hosts_is_a_clear_start_up_error():
    result = manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_locale_and_time_zone(settings):
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.USE_TZ is True


PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}


@pytest.mark.parametrize(
    "env",
    [
        {"DJANGO_ALLOWED_HOSTS": "measures.example.org"},
        {"DJANGO_ALLOWED_HOSTS": "127.0.0.1,measures.example.org"},
        {"DJANGO_ALLOWED_HOSTS": "*"},
        {"DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_BEHIND_PROXY": "1"},
    ],
)
def test_local_plain_http_is_refused_where_others_could_reach_the_site(env):
    result = manage("check", **PRODUCTION, DJANGO_INSECURE_LOCAL_HTTP="1", **env)
    assert result.returncode != 0
    assert "DJANGO_INSECURE_LOCAL_HTTP=1 is for trying the site on this machine only" in (
        result.stderr
    )


def test_local_plain_http_turns_off_only_what_needs_https_and_check_deploy_says_so():
    result = manage(
        "check",
        "--deploy",
        **PRODUCTION,
        DJANGO_INSECURE_LOCAL_HTTP="1",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,[::1]",
    )
    assert result.returncode == 0, result.stderr
    warnings = set(re.findall(r"\(security\.(W\d+)\)", result.stdout + result.stderr))
    # No HSTS, no HTTPS redirect, session and CSRF cookies without Secure.
    assert warnings == {"W004", "W008", "W012", "W016"}


@pytest.mark.parametrize("debug", ["1", "0"])
def test_each_log_record_is_written_once(debug):
    """Django's own handler for its "django" loggers wrote every warning (a 404,
    say) in development, and the root handler wrote it again."""
    result = manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('django.request').warning('Not Found: /nowhere/')",
        DJANGO_DEBUG=debug,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Not Found: /nowhere/") == 1, result.stderr


def test_the_development_servers_request_lines_are_written_once_with_their_time():
    code = "import logging; logging.getLogger('django.server').info('\"GET / HTTP/1.1\" 200 9')"
    lines = manage("shell", "-c", code).stderr.splitlines()
    written = [line for line in lines if '"GET / HTTP/1.1" 200 9' in line]
    assert len(written) == 1, lines
    assert re.fullmatch(r'\[\d\d/\w+/\d{4} [\d:,]+\] "GET / HTTP/1.1" 200 9', written[0])


def test_the_log_level_comes_from_the_environment():
    code = "import logging; logging.getLogger('measures').info('an information')"
    assert "an information" in manage("shell", "-c", code).stderr
    assert "an information" not in manage("shell", "-c", code, DJANGO_LOG_LEVEL="WARNING").stderr


def environment_variables_read(path) -> set[str]:
    """The environment variables a Python file reads by name: os.environ[...],
    os.environ.get, os.getenv, env_bool, env_list, env_date, and dj_database_url.config."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            key = node.slice
        elif isinstance(node, ast.Call):
            function = ast.unparse(node.func)
            if function == "dj_database_url.config":
                env = [k.value for k in node.keywords if k.arg == "env"]
                names.add(env[0].value if env else "DATABASE_URL")
                continue
            if function not in {"os.environ.get", "os.getenv", "env_bool", "env_list", "env_date"}:
                continue
            key = node.args[0]
        else:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    return names


def documented_settings() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    table = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z0-9_]+)` \|", table, re.MULTILINE))


@pytest.mark.parametrize("path", ["policing/settings.py", "gunicorn.conf.py"])
def test_every_environment_variable_read_is_in_the_readmes_settings_table(path):
    read = environment_variables_read(ROOT / path)
    assert {"DJANGO_DEBUG", "DJANGO_BEHIND_PROXY"} & read  # the walk finds them at all
    missing = read - documented_settings()
    assert not missing, f"{path} reads {sorted(missing)}: add them to the README's Settings"
