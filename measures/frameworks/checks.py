"""The rules a framework file must keep (FORMAT.md, "Rules the loader must
enforce") that need only the file: keys, types, allowed values, slugs,
lengths, dates, addresses and uniqueness within the file. Each problem is a
(line, message) pair; the checks never stop at the first."""

import calendar
import datetime
import difflib
import re
from dataclasses import dataclass

from ..models import Direction, SourceKind, Unit, UpdateFrequency
from .lines import Block

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
NOT_YET_STATED = "not-yet-stated"


@dataclass(frozen=True)
class Key:
    required: bool = False
    kind: str = "text"  # text, slug, date, url, int, bool, number, list, choice, sources
    choices: tuple = ()
    max_length: int = 0


def choice(values) -> Key:
    return Key(True, "choice", tuple(values))


FRAMEWORK = {
    "slug": Key(True, "slug", max_length=200),
    "name": Key(True, max_length=200),
    "issued_by": Key(True, max_length=200),
    "date_communicated": Key(True, "date"),
    "date_superseded": Key(kind="date"),
    "summary": Key(),
    "baseline_start": Key(kind="date"),
    "baseline_end": Key(kind="date"),
    "expectation": Key(),
    "expectation_due": Key(kind="date"),
    "notes": Key(),
    "source": Key(True, "blocks"),
}
SOURCE = {
    "title": Key(True, max_length=500),
    "url": Key(True, "url"),
    "publisher": Key(True, max_length=200),
    "date": Key(True, "source-date"),
    "kind": choice(SourceKind.values),
    "notes": Key(),
}
DATA_SOURCE = {
    "slug": Key(True, "slug", max_length=200),
    "name": Key(True, max_length=200),
    "defined_in": Key(kind="slug", max_length=200),
    "publisher": Key(True, max_length=200),
    "url": Key(kind="url"),
    "description": Key(),
    "update_frequency": choice(UpdateFrequency.values),
    "is_survey": Key(True, "bool"),
}
# Only these keys describe a borrowed data source (one with defined_in).
BORROWED_SOURCE = {"slug", "name", "defined_in"}
PRIORITY_AREA = {
    "slug": Key(True, "slug", max_length=200),
    "name": Key(True, max_length=200),
    "order": Key(True, "int"),
    "description": Key(),
    "measure": Key(True, "blocks"),
}
MEASURE = {
    "slug": Key(True, "slug", max_length=100),
    "name": Key(True, max_length=255),
    "definition": Key(True),
    "unit": choice(Unit.values),
    "direction": choice(Direction.values),
    "data_source": Key(True, "sources"),
    "order": Key(kind="int"),
    "decimal_places": Key(kind="int"),
    "tolerance": Key(kind="number"),
    "includes": Key(kind="list"),
    "due": Key(kind="date"),
    "source_url": Key(kind="url"),
    "notes": Key(),
    "defined_in": Key(kind="slug", max_length=200),
}
# A shared measure is written with these keys only.
SHARED_MEASURE = {"slug", "defined_in", "order"}
TOP = {"format", "framework", "data_source", "priority_area"}


def parse_date(text: str) -> tuple[datetime.date, bool] | None:
    """("2021-07") -> (1 July 2021, month only); None if it is not a real date."""
    match = DATE.match(text)
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2]), match[3]
    try:
        return datetime.date(year, month, int(day) if day else 1), day is None
    except ValueError:
        return None


def month_end(date: datetime.date) -> datetime.date:
    return date.replace(day=calendar.monthrange(date.year, date.month)[1])


def _suggest(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _check_text(name, value, spec: Key) -> str | None:
    if not isinstance(value, str):
        return f"{name} must be text in double quotes"
    if spec.required and not value.strip():
        return f"{name} is empty"
    if spec.max_length and len(value.strip()) > spec.max_length:
        return f"{name} is longer than {spec.max_length} characters"
    return None


def _check_slug(name, value, spec: Key) -> str | None:
    problem = _check_text(name, value, spec)
    if problem is None and not SLUG.match(value):
        problem = (
            f'{name} "{value}" is not a short name: use lowercase letters, digits and '
            "hyphens, e.g. reduce-serious-violence"
        )
    return problem


def _check_date(name, value, spec: Key) -> str | None:
    if not isinstance(value, str) or parse_date(value) is None:
        return f'{name} "{value}" is not a date: write YYYY-MM-DD or YYYY-MM, in quotes'
    return None


def _check_source_date(name, value, spec: Key) -> str | None:
    if value == "not-stated":
        return None
    problem = _check_date(name, value, spec)
    return problem and problem.replace("YYYY-MM,", 'YYYY-MM or "not-stated",')


def _check_url(name, value, spec: Key) -> str | None:
    problem = _check_text(name, value, spec)
    if problem is None and not value.startswith(("https://", "http://")):
        problem = f'{name} "{value}" must start with https:// or http://'
    return problem


def _check_int(name, value, spec: Key) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return f"{name} must be a whole number, without quotes"
    return None


def _check_bool(name, value, spec: Key) -> str | None:
    return None if isinstance(value, bool) else f"{name} must be true or false, without quotes"


def _check_number(name, value, spec: Key) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return f"{name} must be a number, 0 or more, without quotes"
    return None


def _check_list(name, value, spec: Key) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return f'{name} must be a list of text, e.g. ["shop theft", "robbery"]'
    return None


def _check_choice(name, value, spec: Key) -> str | None:
    if value not in spec.choices:
        return f'{name} "{value}" is not allowed: use {", ".join(spec.choices)}'
    return None


def _check_sources(name, value, spec: Key) -> str | None:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) and SLUG.match(v) for v in values):
        return f"{name} must be a data source's slug, or a list of them"
    return None


CHECKS = {
    "text": _check_text,
    "slug": _check_slug,
    "date": _check_date,
    "source-date": _check_source_date,
    "url": _check_url,
    "int": _check_int,
    "bool": _check_bool,
    "number": _check_number,
    "list": _check_list,
    "choice": _check_choice,
    "sources": _check_sources,
}


def check_block(table: dict, spec: dict, block: Block, *, only=None) -> list[tuple[int, str]]:
    """Unknown keys, missing keys and each value's type and allowed values."""
    problems = []
    allowed = only if only is not None else set(spec)
    for name in table:
        if name not in allowed:
            hint = _suggest(name, allowed) if name not in spec else " here"
            problems.append((block.at(name), f'unknown key "{name}"{hint}'))
    for name, key in spec.items():
        if name not in allowed or key.kind == "blocks":
            continue
        if name not in table:
            if key.required:
                problems.append((block.line, f'{name} is missing from this block ("{name} = …")'))
            continue
        problem = CHECKS[key.kind](name, table[name], key)
        if problem:
            problems.append((block.at(name), problem))
    return problems
