"""The areas the official tables report on, and the Home Office's names for them.

The reference data is ``data/areas.csv`` (its sources are in ``data/README.md``).
Nothing here touches the database: the import turns these rows into
``measures.Area`` records, and the readers' callers use the name lookup to
place each Home Office row in its force area.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "areas.csv"

#: Rows of the Home Office tables that are not territorial police forces:
#: British Transport Police polices the railways of all three countries, and
#: the other three carry fraud reported centrally (Action Fraud, and the
#: industry bodies CIFAS and UK Finance, formerly Financial Fraud Action UK).
#: They have no force area, so the readers' callers skip them and count them.
NON_TERRITORIAL_FORCE_NAMES = (
    "British Transport Police",
    "Action Fraud",
    "CIFAS",
    "UK Finance",
    "Financial Fraud Action UK",
)

_SUFFIXES = ("police service", "constabulary", "police")


class UnknownForceName(LookupError):
    """A force name that is neither a territorial force nor a known non-territorial row."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(
            f"unknown force name {name!r}: it is not one of the 43 police force areas of "
            "England and Wales nor one of the non-territorial rows "
            f"({', '.join(NON_TERRITORIAL_FORCE_NAMES)})"
        )


@dataclass(frozen=True, slots=True)
class AreaRow:
    ons_code: str
    ons_name: str
    kind: str
    parent_code: str
    home_office_names: tuple[str, ...]
    other_names: tuple[str, ...]
    police_uk_id: str

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the area goes by, the ONS name first."""
        return (self.ons_name, *self.home_office_names, *self.other_names)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


@cache
def areas() -> tuple[AreaRow, ...]:
    """Every area in the reference file, in its order (countries, regions, forces)."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            AreaRow(
                ons_code=row["ons_code"],
                ons_name=row["ons_name"],
                kind=row["kind"],
                parent_code=row["parent_code"],
                home_office_names=_split(row["home_office_names"]),
                other_names=_split(row["other_names"]),
                police_uk_id=row["police_uk_id"],
            )
            for row in csv.DictReader(handle)
        )


def police_force_areas() -> tuple[AreaRow, ...]:
    return tuple(area for area in areas() if area.kind == "police-force-area")


def area_by_code(code: str) -> AreaRow | None:
    return _by_code().get(code.strip().upper())


@cache
def _by_code() -> dict[str, AreaRow]:
    return {area.ons_code: area for area in areas()}


@lru_cache(maxsize=512)
def name_key(name: str) -> str:
    """A force name reduced to what tells forces apart: lower case, ``&`` read
    as ``and``, punctuation and repeated spaces dropped, and a trailing
    *Police*, *Constabulary* or *Police Service* removed, so that
    ``Devon & Cornwall Police`` and ``devon and  cornwall`` are the same key,
    and so are ``U.K. Finance`` and ``UK Finance``."""
    key = name.casefold().replace("&", " and ")
    key = re.sub(r"[.'’]", "", key)  # U.K. is UK
    key = re.sub(r"[^\w\s]", " ", key)
    key = " ".join(key.split())
    for suffix in _SUFFIXES:
        if key.endswith(" " + suffix):
            key = key[: -len(suffix) - 1]
            break
    return key


@cache
def _force_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for area in police_force_areas():
        for name in area.names:
            key = name_key(name)
            other = keys.setdefault(key, area.ons_code)
            if other != area.ons_code:  # pragma: no cover - a broken data file
                raise ValueError(f"{name!r} names both {other} and {area.ons_code}")
    return keys


@cache
def _non_territorial_keys() -> dict[str, str]:
    return {name_key(name): name for name in NON_TERRITORIAL_FORCE_NAMES}


def is_non_territorial(name: str) -> bool:
    return name_key(name) in _non_territorial_keys()


def ons_code_for_force(name: str) -> str | None:
    """The ONS code of the police force area a Home Office ``Force Name`` names.

    Returns None for a non-territorial row (British Transport Police, Action
    Fraud, CIFAS, UK Finance), which the caller skips and counts; raises
    :class:`UnknownForceName` for any other name it does not know.
    """
    key = name_key(name)
    code = _force_keys().get(key)
    if code is not None:
        return code
    if key in _non_territorial_keys():
        return None
    raise UnknownForceName(name)
