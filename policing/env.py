"""Reading settings from the environment, shared by the Django settings and the
gunicorn configuration so that both read a variable the same way."""

import datetime
import os


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_date(name: str) -> datetime.date | None:
    """An ISO date (2026-11-30), or None when the variable is unset."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{name} must be a date written 2026-11-30, not {value!r}") from error
