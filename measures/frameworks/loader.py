"""Load a national framework from a file in the documented format (FORMAT.md).

``load_framework(text=...)`` reads the whole file, checks every rule, and
writes nothing unless all hold: it raises ``FrameworkFileError`` with every
problem, each with its line. A framework already loaded is updated, and the
result lists each field that changed.
"""

import datetime
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import (
    DataSource,
    Framework,
    FrameworkSource,
    Measure,
    MeasureKind,
    MeasureTranscript,
    PriorityArea,
    SharedMeasure,
    UpdateFrequency,
)
from . import checks
from .lines import Block, LineIndex, index_lines

# The project's default baseline (the 12 months to June 2019, DESIGN.md), for
# a framework whose source states none; staff can change it per measure.
DEFAULT_BASELINE = (datetime.date(2018, 7, 1), datetime.date(2019, 6, 30))
NOT_YET_STATED_SOURCE = {
    "name": "Not yet stated",
    "publisher": "",
    "description": "The framework does not yet say where this measure's figures come from.",
    "update_frequency": UpdateFrequency.NOT_STATED,
    "is_survey": False,
}


class FrameworkFileError(Exception):
    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(f"line {n}: {m}" for n, m in self.problems))


@dataclass
class LoadResult:
    framework: Framework
    created: bool
    changes: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FrameworkFileError(
            [(line, "this file is not UTF-8 text (save it as UTF-8 and try again)")]
        ) from None


def parse(text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line = int(found[1]) if found else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        column = f" (column {found[2]})" if found else ""
        raise FrameworkFileError([(line, f"this is not valid TOML{column}: {message}")]) from None


def _blocks(data: dict, key: str) -> list:
    value = data.get(key, [])
    return value if isinstance(value, list) else [value]


def check_file(data: dict, lines: LineIndex) -> list[tuple[int, str]]:
    """Every rule that needs only the file."""
    problems = list(lines.problems)
    for name in data:
        if name not in checks.TOP:
            problems.append((lines.top.at(name), f'unknown key or block "{name}"'))
    if data.get("format") != 1:
        problems.append((lines.top.at("format"), "write format = 1 at the top of the file"))
    framework = data.get("framework")
    if not isinstance(framework, dict):
        return [*problems, (1, "the [framework] block is missing")]
    problems += _check_framework(framework, lines)
    problems += _check_data_sources(_blocks(data, "data_source"), lines)
    problems += _check_priority_areas(_blocks(data, "priority_area"), data, lines)
    return problems


def _check_framework(framework: dict, lines: LineIndex) -> list:
    block = lines.block("framework")
    problems = checks.check_block(framework, checks.FRAMEWORK, block)
    sources = _blocks(framework, "source")
    if not sources:
        problems.append((block.line, "add at least one [[framework.source]] block"))
    for i, source in enumerate(sources):
        problems += checks.check_block(source, checks.SOURCE, lines.block("framework.source", i))
    problems += _check_date_order(
        framework, block, "date_communicated", "date_superseded", "superseded before communicated"
    )
    if ("baseline_start" in framework) != ("baseline_end" in framework):
        problems.append((block.line, "give both baseline_start and baseline_end, or neither"))
    problems += _check_date_order(
        framework, block, "baseline_start", "baseline_end", "the baseline ends before it starts"
    )
    return problems


def _check_date_order(table, block: Block, first: str, second: str, message: str) -> list:
    a, b = (checks.parse_date(str(table.get(k, ""))) for k in (first, second))
    if a and b and b[0] < a[0]:
        return [(block.at(second), f"{second} is before {first}: {message}")]
    return []


def _check_data_sources(sources: list, lines: LineIndex) -> list:
    problems, seen = [], set()
    for i, source in enumerate(sources):
        block = lines.block("data_source", i)
        only = checks.BORROWED_SOURCE if "defined_in" in source else None
        problems += checks.check_block(source, checks.DATA_SOURCE, block, only=only)
        slug = source.get("slug")
        if slug == checks.NOT_YET_STATED:
            problems.append((block.at("slug"), f'"{slug}" is reserved: choose another slug'))
        elif slug in seen:
            problems.append((block.at("slug"), f'the data source slug "{slug}" is used twice'))
        seen.add(slug)
    return problems


def _unique(values: list[tuple], what: str) -> list:
    """Problems for each (line, value) whose value came earlier in the file."""
    problems, seen = [], set()
    for line, value in values:
        if value is not None and value in seen:
            problems.append((line, f'{what} "{value}" is used twice in this file'))
        seen.add(value)
    return problems


def _check_priority_areas(areas: list, data: dict, lines: LineIndex) -> list:
    if not areas:
        return [(1, "add at least one [[priority_area]] block")]
    problems, measure_index = [], 0
    declared = {s.get("slug") for s in _blocks(data, "data_source")} | {checks.NOT_YET_STATED}
    for i, area in enumerate(areas):
        block = lines.block("priority_area", i)
        problems += checks.check_block(area, checks.PRIORITY_AREA, block)
        if isinstance(area.get("order"), int) and area["order"] < 1:
            problems.append((block.at("order"), "order must be 1 or more"))
        measures = _blocks(area, "measure")
        if not measures:
            problems.append((block.line, "add at least one [[priority_area.measure]] block"))
        for measure in measures:
            measure_block = lines.block("priority_area.measure", measure_index)
            problems += _check_measure(measure, measure_block, declared)
            measure_index += 1
    for key, what in (("slug", "priority area slug"), ("name", "priority area name")):
        problems += _unique(
            [(lines.block("priority_area", i).at(key), a.get(key)) for i, a in enumerate(areas)],
            what,
        )
    problems += _unique(
        [
            (lines.block("priority_area", i).at("order"), a.get("order"))
            for i, a in enumerate(areas)
        ],
        "priority area order",
    )
    all_measures = [m for a in areas for m in _blocks(a, "measure")]
    for key in ("slug", "name", "order"):
        problems += _unique(
            [
                (lines.block("priority_area.measure", i).at(key), m.get(key))
                for i, m in enumerate(all_measures)
            ],
            f"measure {key}",
        )
    return problems


def _check_measure(measure: dict, block: Block, declared: set) -> list:
    if "defined_in" in measure:
        return checks.check_block(measure, checks.MEASURE, block, only=checks.SHARED_MEASURE)
    problems = checks.check_block(measure, checks.MEASURE, block)
    places = measure.get("decimal_places")
    if isinstance(places, int) and not 0 <= places <= 4:
        problems.append((block.at("decimal_places"), "decimal_places must be 0 to 4"))
    if isinstance(measure.get("order"), int) and measure["order"] < 1:
        problems.append((block.at("order"), "order must be 1 or more"))
    for slug in _source_slugs(measure):
        if slug not in declared:
            problems.append(
                (block.at("data_source"), f'no [[data_source]] with slug "{slug}" in this file')
            )
    return problems


def _source_slugs(measure: dict) -> list[str]:
    value = measure.get("data_source", [])
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]


def load_framework(*, data: bytes) -> LoadResult:
    """Check the file whole, then write it in one transaction, or raise
    ``FrameworkFileError`` having written nothing."""
    text = decode(data)
    parsed = parse(text)
    lines = index_lines(text)
    problems = check_file(parsed, lines)
    if problems:
        raise FrameworkFileError(problems)
    with transaction.atomic():
        writer = Writer(parsed, lines)
        result = writer.write()
        if writer.problems:
            transaction.set_rollback(True)
            raise FrameworkFileError(writer.problems)
    return result


def _date(value) -> datetime.date | None:
    parsed = checks.parse_date(value) if value else None
    return parsed[0] if parsed else None


class Writer:
    """Writes a checked file, collecting the rules that need the database
    (names used by another framework, borrowed rows that must exist, the
    models' own rules) as problems with their lines."""

    def __init__(self, data: dict, lines: LineIndex):
        self.data, self.lines = data, lines
        self.problems: list[tuple[int, str]] = []
        self.changes: list[str] = []
        self.sources: dict[str, DataSource] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    def write(self) -> LoadResult:
        framework, created = self.write_framework()
        self.write_data_sources()
        measure_index = 0
        for i, area_data in enumerate(_blocks(self.data, "priority_area")):
            area = self.write_priority_area(
                framework, area_data, self.lines.block("priority_area", i)
            )
            for measure_data in _blocks(area_data, "measure"):
                block = self.lines.block("priority_area.measure", measure_index)
                measure_index += 1
                if area is not None:
                    self.write_measure(framework, area, measure_data, block, measure_index)
        return LoadResult(framework, created, self.changes)

    def save(self, obj, block: Block, what: str, fields: dict) -> None:
        """Set ``fields`` on ``obj``, note what changed, check it, save it."""
        changed = [k for k, v in fields.items() if obj.pk and getattr(obj, k) != v]
        for key, value in fields.items():
            setattr(obj, key, value)
        for key in changed:
            self.changes.append(f"{what}: {key} changed")
        try:
            obj.full_clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                line = block.at(name) if name in block.keys else block.line
                self.problem(line, f"{what}: {' '.join(messages)}")
            return
        obj.save()

    def write_framework(self) -> tuple[Framework, bool]:
        data, block = self.data["framework"], self.lines.block("framework")
        communicated = checks.parse_date(data["date_communicated"])
        sources = _blocks(data, "source")
        primary = next((s for s in sources if s["kind"] == "primary"), sources[0])
        framework = Framework.objects.filter(slug=data["slug"]).first()
        created = framework is None
        framework = framework or Framework(slug=data["slug"])
        fields = {
            "name": data["name"].strip(),
            "issued_by": data["issued_by"].strip(),
            "date_communicated": communicated[0],
            "month_only": communicated[1],
            "date_superseded": _date(data.get("date_superseded")),
            "source_url": primary["url"],
            "summary": data.get("summary", "").strip(),
            "expectation": data.get("expectation", "").strip(),
            "expectation_due": _date(data.get("expectation_due")),
            "notes": data.get("notes", "").strip(),
        }
        self.save(framework, block, f"framework {data['slug']}", fields)
        if framework.pk:
            self.write_sources(framework, sources)
        return framework, created

    def write_sources(self, framework: Framework, sources: list) -> None:
        wanted = [
            {"order": order, **{k: s.get(k, "") for k in checks.SOURCE}}
            for order, s in enumerate(sources, start=1)
        ]
        stored = list(framework.sources.values("order", *checks.SOURCE))
        if stored != wanted:
            if stored:
                self.changes.append(f"framework {framework.slug}: sources changed")
            framework.sources.all().delete()
            FrameworkSource.objects.bulk_create(
                FrameworkSource(framework=framework, **fields) for fields in wanted
            )

    def data_source(self, slug: str) -> DataSource | None:
        """A declared source, or the one row that says "not yet stated"
        (made the first time a measure needs it)."""
        if slug == checks.NOT_YET_STATED and slug not in self.sources:
            self.sources[slug], _ = DataSource.objects.get_or_create(
                name=NOT_YET_STATED_SOURCE["name"], defaults=NOT_YET_STATED_SOURCE
            )
        return self.sources.get(slug)

    def write_data_sources(self) -> None:
        for i, data in enumerate(_blocks(self.data, "data_source")):
            block = self.lines.block("data_source", i)
            stored = DataSource.objects.filter(name=data["name"].strip()).first()
            if "defined_in" in data:
                self.borrow_data_source(data, stored, block)
            elif stored is None:
                source = DataSource()
                self.save(source, block, f"data source {data['slug']}", self.source_fields(data))
                self.sources[data["slug"]] = source
            else:
                self.compare_data_source(data, stored, block)

    @staticmethod
    def source_fields(data: dict) -> dict:
        return {
            "name": data["name"].strip(),
            "publisher": data["publisher"].strip(),
            "url": data.get("url", ""),
            "description": data.get("description", "").strip(),
            "update_frequency": data["update_frequency"],
            "is_survey": data["is_survey"],
        }

    def borrow_data_source(self, data: dict, stored, block: Block) -> None:
        used = stored and Measure.objects.filter(
            data_source=stored, priority_area__framework__slug=data["defined_in"]
        )
        if not used or not used.exists():
            self.problem(
                block.at("defined_in"),
                f'no data source "{data["name"]}" in the framework "{data["defined_in"]}": '
                "load that framework first, or declare the source in full",
            )
            return
        self.sources[data["slug"]] = stored

    def compare_data_source(self, data: dict, stored: DataSource, block: Block) -> None:
        """A source another framework uses must match it field for field."""
        for key, value in self.source_fields(data).items():
            if getattr(stored, key) != value:
                self.problem(
                    block.at(key),
                    f'data source "{stored.name}" is already stored with another {key} '
                    f"({getattr(stored, key)!r}); write it as stored, or borrow it with defined_in",
                )
        self.sources[data["slug"]] = stored

    def write_priority_area(self, framework, data: dict, block: Block) -> PriorityArea | None:
        area = PriorityArea.objects.filter(slug=data["slug"]).select_related("framework").first()
        clash = PriorityArea.objects.filter(name=data["name"].strip()).exclude(slug=data["slug"])
        if area and area.framework_id != framework.pk:
            self.problem(
                block.at("slug"),
                f'the priority area slug "{data["slug"]}" is '
                f'already used by "{area.framework.name}"',
            )
            return None
        if clash.exists():
            self.problem(
                block.at("name"),
                f'the priority area name "{data["name"]}" is already used by another priority area',
            )
            return None
        area = area or PriorityArea(slug=data["slug"])
        fields = {
            "framework": framework,
            "name": data["name"].strip(),
            "order": data["order"],
            "description": data.get("description", "").strip(),
        }
        self.save(area, block, f"priority area {data['slug']}", fields)
        return area if area.pk else None

    def write_measure(self, framework, area, data: dict, block: Block, position: int) -> None:
        if "defined_in" in data:
            self.share_measure(area, data, block, position)
            return
        measure = (
            Measure.objects.filter(slug=data["slug"])
            .select_related("priority_area__framework")
            .first()
        )
        if measure and (
            measure.priority_area is None or measure.priority_area.framework_id != framework.pk
        ):
            owner = measure.priority_area.framework.name if measure.priority_area else "a local"
            self.problem(
                block.at("slug"),
                f'the measure slug "{data["slug"]}" is already used by "{owner}"; to share '
                'it, write defined_in = "<that framework\'s slug>"',
            )
            return
        measure = measure or Measure(slug=data["slug"])
        self.save(
            measure, block, f"measure {data['slug']}", self.measure_fields(data, area, position)
        )
        if measure.pk:
            self.write_transcript(measure, data)

    def measure_fields(self, data: dict, area, position: int) -> dict:
        framework = self.data["framework"]
        start = _date(framework.get("baseline_start")) or DEFAULT_BASELINE[0]
        end = _date(framework.get("baseline_end")) or DEFAULT_BASELINE[1]
        slugs = _source_slugs(data)
        fields = {
            "priority_area": area,
            "name": data["name"].strip(),
            "definition": data["definition"].strip(),
            "data_source": self.data_source(slugs[0]),
            "unit": data["unit"],
            "direction": data["direction"],
            "decimal_places": data.get("decimal_places", 0),
            "kind": MeasureKind.NATIONAL,
            "order": data.get("order", position),
            "baseline_start": start,
            "baseline_end": end,
        }
        if "tolerance" in data:
            fields["tolerance"] = Decimal(str(data["tolerance"])).quantize(Decimal("0.01"))
        return fields

    def write_transcript(self, measure: Measure, data: dict) -> None:
        due = checks.parse_date(data["due"]) if "due" in data else None
        others = [self.sources[s] for s in _source_slugs(data)[1:] if s in self.sources]
        fields = {
            "includes": data.get("includes", []),
            # "In place by July 2025": by the end of that month.
            "due": (checks.month_end(due[0]) if due[1] else due[0]) if due else None,
            "source_url": data.get("source_url", ""),
            "notes": data.get("notes", "").strip(),
        }
        if not any(fields.values()) and not others:
            MeasureTranscript.objects.filter(measure=measure).delete()
            return
        transcript, _ = MeasureTranscript.objects.update_or_create(measure=measure, defaults=fields)
        transcript.other_data_sources.set(others)

    def share_measure(self, area, data: dict, block: Block, position: int) -> None:
        measure = Measure.objects.filter(
            slug=data["slug"], priority_area__framework__slug=data["defined_in"]
        ).first()
        if measure is None:
            self.problem(
                block.at("defined_in"),
                f'no measure "{data["slug"]}" in the framework "{data["defined_in"]}"',
            )
            return
        SharedMeasure.objects.update_or_create(
            priority_area=area, measure=measure, defaults={"order": data.get("order", position)}
        )
