"""Writes to figures that do more than save one row: publishing, unpublishing,
saving with the lost-update check and the revision record, and imports.

Every function is keyword-only, checks the user's permission itself (so that
the admin, the bulk entry screen, the upload and the command cannot differ),
validates with ``full_clean()`` and runs in one transaction. ``user=None``
stands for a trusted job run from the command line, which may do anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.cache import bump_data_version

from . import checks
from .csvformat import FIGURE_ENTERED_COLUMNS
from .history import SINCE_CONFIRMATION, WHILE_WORKING, describe_version_change
from .imports import ImportResult, Problem, check_rows
from .models import Figure, PublicationStatus
from .permissions import can_enter, can_publish, can_revise
from .verdicts import recompute_verdicts

# The history keeps a change reason of at most 100 characters.
CHANGE_REASON_MAX = checks.REASON_MAX
UNPUBLISHED = "Unpublished: "
UNPUBLISH_REASON_MAX = CHANGE_REASON_MAX - len(UNPUBLISHED)


class FigureConflict(Exception):
    """A save based on a version of the figure that is no longer the current one.

    ``expected_version`` is 0 when the person saw no figure at all (and so
    meant to add it).
    """

    def __init__(self, figure: Figure, expected_version: int):
        self.figure = figure
        self.expected_version = expected_version
        message = describe_version_change(figure, expected_version, since=WHILE_WORKING)
        self.message = message or "Someone else changed this figure while you were working on it."
        super().__init__(self.message)


class FiguresChanged(Exception):
    """Figures a publisher confirmed that changed before the confirmation arrived."""

    def __init__(self, changes: list[str]):
        self.changes = changes
        count = len(changes)
        self.message = (
            f"Nothing was done: {count} of the figures changed since the confirmation was "
            "shown. Check them below and confirm again if they are still right. "
            + " ".join(changes)
        )
        super().__init__(self.message)


class ValuesNotChecked(ValidationError):
    """A person saved a value outside its measure's checks without confirming it."""

    def __init__(self, warnings: list[checks.ValueWarning]):
        self.warnings = warnings
        super().__init__(
            checks.NOT_CONFIRMED + " " + " ".join(warning.message for warning in warnings)
        )


# The fields a change to which makes a figure's value worth checking again.
CHECKED_FIELDS = ("value", "series_break", "period_start", "period_end", "measure_id", "area_id")


def _series(pairs: Iterable[tuple[int, int]], *, published: bool = False) -> dict:
    """The figures of each (measure, area) pair, drafts too unless
    ``published``, as ``checks.Period`` by (start, end): one query."""
    pairs = set(pairs)
    found: dict[tuple[int, int], dict] = {pair: {} for pair in pairs}
    if not pairs:
        return found
    figures = Figure.objects.filter(
        measure_id__in={m for m, _ in pairs}, area_id__in={a for _, a in pairs}
    )
    if published:
        figures = figures.published()
    rows = figures.values_list("measure_id", "area_id", "period_start", "period_end", "value")
    for measure_id, area_id, start, end, value in rows.order_by():
        if (measure_id, area_id) in found:
            found[(measure_id, area_id)][(start, end)] = checks.Period(start, end, value)
    return found


def previous_figures(figures: Iterable[Figure], *, published: bool = False) -> list:
    """The previous period's figure (``checks.Period``) of each of ``figures``,
    in order: from the database (drafts too, unless ``published``) and, for
    a batch saved together, the batch itself. One query."""
    figures = list(figures)
    series = _series(((f.measure_id, f.area_id) for f in figures), published=published)
    if not published:
        for f in figures:
            key = (f.period_start, f.period_end)
            series[(f.measure_id, f.area_id)][key] = checks.Period(*key, f.value)
    return [
        checks.previous_period(
            series[(f.measure_id, f.area_id)].values(), f.period_start, f.period_end
        )
        for f in figures
    ]


def value_warnings(figures: Iterable[Figure], *, published: bool = False) -> list[list]:
    """What the entry checks (``measures.checks``) say about each of
    ``figures`` as it would be saved, against the other figures of its
    measure and area; in order, a list for each."""
    figures = list(figures)
    return [
        checks.check_value(
            figure.value,
            checks.Limits.of(figure.measure),
            previous=previous,
            series_break=figure.series_break,
        )
        for figure, previous in zip(
            figures, previous_figures(figures, published=published), strict=True
        )
    ]


def needs_check(figure: Figure, current: Figure | None) -> bool:
    """Whether a save of ``figure`` is checked: a new figure, or a change to
    what its check depends on (not a corrected note, say)."""
    return current is None or any(
        getattr(current, name) != getattr(figure, name) for name in CHECKED_FIELDS
    )


def _checked_reason(
    figure: Figure, current: Figure | None, *, user, checked: bool, reason: str, warnings=None
) -> str:
    """The change reason to keep, once the checks allow the save: refused
    (:class:`ValuesNotChecked`) if a person did not confirm a warning; a
    job's save records the warnings as not checked."""
    if warnings is None:
        warnings = value_warnings([figure])[0] if needs_check(figure, current) else []
    if warnings and not checked and user is not None:
        raise ValuesNotChecked(warnings)
    return checks.history_reason(warnings, checked=checked, context=reason)


def _serialise_writers() -> None:
    """Take the cached pages' data version's row lock before any figure's.

    Every save of a figure bumps that version (``core.cache``), which locks
    its one row until the transaction ends. Taken at a writer's first save,
    a writer that goes on to wait for a figure (or a new figure's key) held
    by another would hold the row that other one waits for: a deadlock.
    Taken first, writers queue behind each other instead, as they would from
    their first save on anyway. The concurrency tests fail without it.
    """
    bump_data_version()


def _lock(figure_ids: Iterable[int]) -> dict[int, Figure]:
    """Lock the figures' rows, and only theirs (not the measure's and area's
    rows a join would add), in the order of their keys, so that every writer
    takes its locks in one order."""
    figures = (
        Figure.objects.select_for_update(of=("self",))
        .filter(pk__in=list(figure_ids))
        .order_by("pk")
    )
    return {figure.pk: figure for figure in figures}


def _lock_unchanged(expected_versions: Mapping[int, int], *, since: str) -> list[Figure]:
    """Lock the figures and refuse, naming each, if any moved on since it was seen."""
    locked = _lock(expected_versions)
    changes = []
    for figure_id, expected in sorted(expected_versions.items()):
        figure = locked.get(figure_id)
        change = describe_version_change(figure, expected, since=since)
        if change:
            name = str(figure) if figure is not None else f"Figure {figure_id}"
            changes.append(f"{name}: {change}")
    if changes:
        raise FiguresChanged(changes)
    return list(locked.values())


def _check_version(figure_pk: int, expected_version: int) -> Figure:
    """Lock the figure's row and refuse if it moved on since ``expected_version``."""
    current = _lock([figure_pk]).get(figure_pk)
    if current is None:
        raise ValidationError("This figure has been deleted while you were working on it.")
    if current.version != expected_version:
        raise FigureConflict(current, expected_version)
    return current


@transaction.atomic
def save_figure(
    *,
    figure: Figure,
    user,
    expected_version: int | None = None,
    change_reason: str = "",
    checked: bool = False,
    revision_reason: str = "",
) -> Figure:
    """Save a new or changed figure.

    A value outside its measure's checks (``measures.checks``) is refused
    with :class:`ValuesNotChecked` unless ``checked`` says the person
    confirmed it; the confirmation goes into the history's change reason.

    ``expected_version`` is the version the person saw when they started, 0 or
    None if they saw no figure: a change to an existing figure based on any
    other version is refused with :class:`FigureConflict`, so a caller that
    does not say which version it saw cannot overwrite anything. Adding a
    figure that someone else added meanwhile is refused the same way.
    A new figure is always a draft. A change to the value of a published
    figure is a revision: the old value is kept in ``previous_value`` (and in
    the history) and ``revised_at`` is set, so that the public pages show it,
    with ``revision_reason``, which a person must give.
    """
    _serialise_writers()
    saved = _save(
        figure=figure,
        user=user,
        expected_version=expected_version or 0,
        change_reason=change_reason,
        checked=checked,
        revision_reason=revision_reason,
    )
    _recompute([saved])
    return saved


def _recompute(figures: Iterable[Figure]) -> None:
    """Store again the verdicts of every figure of the measures and areas of
    ``figures``: a changed figure may be another's baseline, or a series break
    between two others, or a point on their control chart."""
    pairs = {(figure.measure_id, figure.area_id) for figure in figures}
    if pairs:
        recompute_verdicts(pairs=pairs)


def _save(
    *,
    figure: Figure,
    user,
    expected_version: int,
    change_reason: str,
    checked: bool = False,
    warnings: list | None = None,
    revision_reason: str = "",
) -> Figure:
    """``save_figure``'s work, inside a transaction whose writer already took
    the writers' lock (``save_bulk_entry`` and ``import_figures`` save many
    figures under one). ``warnings``: the entry checks' warnings, when the
    caller already has them."""
    if not can_enter(user):
        raise PermissionDenied("You do not have permission to enter figures.")
    adding = figure.pk is None
    current = None
    if adding:
        figure.status = PublicationStatus.DRAFT
        figure.version = 1
        figure.created_by = user
    else:
        current = _next_version(figure, user, expected_version, revision_reason)
    figure.updated_by = user
    if figure.measure_id:
        figure.unit = figure.measure.unit
    # Figure.clean() words every check constraint's rule, so validating the
    # constraints too would only repeat it with a query each (most of the time
    # of a large import); the database still enforces them on the write.
    figure.full_clean(validate_constraints=False)
    change_reason = _checked_reason(
        figure, current, user=user, checked=checked, reason=change_reason, warnings=warnings
    )
    if change_reason:
        figure._change_reason = change_reason[:CHANGE_REASON_MAX]
    _record_user(figure, user)
    if adding:
        _insert(figure)
    else:
        figure.save()
    return figure


REVISION_REASON_MAX = Figure._meta.get_field("revision_reason").max_length
NO_REVISION_REASON = (
    "Say why the published value changes: the reason is shown to the public beside the "
    "revised figure."
)


def _revise(figure: Figure, current: Figure, user, reason: str) -> None:
    """A publisher's change of a published value: a revision, with the old
    value and the reason, which a person must give (a job's may be empty)."""
    reason = " ".join((reason or "").split())
    if not reason and user is not None:
        raise ValidationError({"revision_reason": NO_REVISION_REASON})
    if len(reason) > REVISION_REASON_MAX:
        raise ValidationError(
            {"revision_reason": f"Keep the reason to {REVISION_REASON_MAX} characters or fewer."}
        )
    figure.previous_value = current.value
    figure.revised_at = timezone.now()
    figure.revision_reason = reason


def _next_version(figure: Figure, user, expected_version: int, revision_reason: str = "") -> Figure:
    """A change to an existing figure: refused if it moved on since
    ``expected_version`` or if ``user`` may not change a published figure; a
    change of a published value is a revision. Returns the figure as it was."""
    current = _check_version(figure.pk, expected_version)
    changed = [
        name for name in FIGURE_ENTERED_COLUMNS if getattr(current, name) != getattr(figure, name)
    ]
    # The status is changed by publishing and unpublishing only.
    figure.status = current.status
    if current.is_published and changed and not can_revise(user):
        raise PermissionDenied(
            "This figure is published: only a publisher can change it. "
            "Ask a publisher to make the correction."
        )
    if current.is_published and current.value != figure.value:
        _revise(figure, current, user, revision_reason)
    # Bump the version with a guarded update, so that two saves that both
    # read the same version cannot both succeed (SQLite ignores FOR UPDATE).
    if not Figure.objects.filter(pk=figure.pk, version=current.version).update(
        version=current.version + 1
    ):
        raise FigureConflict(Figure.objects.get(pk=figure.pk), current.version)
    figure.version = current.version + 1
    return current


def _insert(figure: Figure) -> None:
    """A new figure; a conflict if someone added the same one meanwhile."""
    try:
        # A savepoint: on PostgreSQL a refused insert spoils the transaction.
        with transaction.atomic():
            figure.save()
    except IntegrityError:
        theirs = Figure.objects.filter(
            measure_id=figure.measure_id,
            area_id=figure.area_id,
            period_start=figure.period_start,
            period_end=figure.period_end,
        ).first()
        if theirs is None:
            raise
        raise FigureConflict(theirs, 0) from None


def _record_user(figure: Figure, user) -> None:
    # The history takes the user from the request; say it outright, so that
    # the command and any other caller outside a request are recorded too.
    if user is not None and user.is_authenticated:
        figure._history_user = user


def last_published_values(figure_ids) -> dict:
    """The value the public last saw of each figure that ever was public, by id."""
    values = {}
    records = (
        Figure.history.filter(id__in=list(figure_ids), status=PublicationStatus.PUBLISHED)
        .order_by("history_date")
        .values_list("id", "value")
    )
    for figure_id, value in records:
        values[figure_id] = value  # the latest wins
    return values


# What the publish confirmation shows of the verdict a draft will have.
SHOWN_VERDICT_FIELDS = (
    "verdict",
    "comparison_start",
    "comparison_end",
    "comparison_value",
    "change",
    "change_unit",
)


def verdicts_once_published(figures: Iterable[Figure]) -> dict[int, dict]:
    """The stored verdict each draft of ``figures`` will have once they are
    all published, by id: the stored-verdict rules (``recompute_verdicts``)
    run on them as published, in a savepoint that is then rolled back, so
    that nothing changes and no rule is written twice. A draft's own stored
    verdict is judged against the figures already public; this also counts
    the others published with it (a baseline figure and a later one, say)."""
    figures = list(figures)
    ids = [figure.pk for figure in figures]
    with transaction.atomic():
        # In the writers' order (``_serialise_writers``), as every write is,
        # so that this rolled-back one cannot deadlock with a real one.
        _serialise_writers()
        Figure.objects.filter(pk__in=ids).update(status=PublicationStatus.PUBLISHED)
        recompute_verdicts(pairs={(figure.measure_id, figure.area_id) for figure in figures})
        shown = {
            row["pk"]: row
            for row in Figure.objects.filter(pk__in=ids).values("pk", *SHOWN_VERDICT_FIELDS)
        }
        transaction.set_rollback(True)
    return shown


@transaction.atomic
def publish_figures(*, expected_versions: Mapping[int, int], user) -> list[Figure]:
    """Publish the drafts among the figures ``expected_versions`` names; returns
    those published.

    ``expected_versions`` maps each figure's id to the version the publisher
    was shown. If any figure changed since (or was deleted), nothing is
    published: :class:`FiguresChanged` says which figures, who changed them
    and what. A publisher approves the values they saw, never others.

    Republishing a figure whose value changed since it was last public makes
    a revision, as changing a published figure does.
    """
    if not can_publish(user):
        raise PermissionDenied("Only a publisher can publish figures.")
    _serialise_writers()
    figures = _lock_unchanged(expected_versions, since=SINCE_CONFIRMATION)
    drafts = [figure for figure in figures if not figure.is_published]
    now = timezone.now()
    published = []
    public_values = last_published_values(figure.pk for figure in drafts)
    for figure in drafts:
        before = public_values.get(figure.pk)
        if before is not None and before != figure.value:
            figure.previous_value = before
            figure.revised_at = now
        figure.status = PublicationStatus.PUBLISHED
        figure.published_at = now
        figure.published_by = user
        figure.updated_by = user
        figure.version += 1
        figure._change_reason = "Published"
        _record_user(figure, user)
        figure.save()
        published.append(figure)
    _recompute(published)
    return published


@transaction.atomic
def unpublish_figures(*, expected_versions: Mapping[int, int], user, reason: str) -> list[Figure]:
    """Take the published figures among those ``expected_versions`` names back
    to draft; the reason is kept in the history. Refused, as publishing is,
    if any figure changed since the publisher was shown it."""
    if not can_publish(user):
        raise PermissionDenied("Only a publisher can unpublish figures.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the figures are being unpublished."})
    if len(reason) > UNPUBLISH_REASON_MAX:
        raise ValidationError(
            {"reason": f"Keep the reason to {UNPUBLISH_REASON_MAX} characters or fewer."}
        )
    _serialise_writers()
    figures = _lock_unchanged(expected_versions, since=SINCE_CONFIRMATION)
    unpublished = []
    for figure in figures:
        if not figure.is_published:
            continue
        figure.status = PublicationStatus.DRAFT
        figure.updated_by = user
        figure.version += 1
        figure._change_reason = UNPUBLISHED + reason
        _record_user(figure, user)
        figure.save()
        unpublished.append(figure)
    _recompute(unpublished)
    return unpublished


@dataclass
class BulkEntry:
    """One measure's row on the bulk entry screen.

    ``expected_version`` is the version of the figure the screen showed, 0
    when it showed no figure.
    """

    figure: Figure
    expected_version: int


def _figure_key(figure: Figure) -> tuple:
    return (figure.measure_id, figure.area_id, figure.period_start, figure.period_end)


def _in_lock_order(figures: list[Figure]) -> list[Figure]:
    """Changed figures by key, then new ones by measure, area and period: two
    writers that add the same figures wait for each other in the same order."""
    changed = sorted((f for f in figures if f.pk is not None), key=lambda f: f.pk)
    new = sorted((f for f in figures if f.pk is None), key=_figure_key)
    return changed + new


@transaction.atomic
def save_bulk_entry(
    *, entries: list[BulkEntry], user, checked: bool = False, revision_reason: str = ""
) -> list[Figure]:
    """Save every row of the bulk entry screen, or none of them; ``checked``:
    the person confirmed the values the entry checks warned about."""
    if not can_enter(user):
        raise PermissionDenied("You do not have permission to enter figures.")
    _serialise_writers()
    _lock(entry.figure.pk for entry in entries if entry.figure.pk is not None)
    versions = {id(entry.figure): entry.expected_version for entry in entries}
    saved = [
        _save(
            figure=figure,
            user=user,
            expected_version=versions[id(figure)],
            change_reason="Bulk entry",
            checked=checked,
            revision_reason=revision_reason,
        )
        for figure in _in_lock_order([entry.figure for entry in entries])
    ]
    _recompute(saved)
    return saved


def import_figures(
    *,
    rows,
    user,
    publish: bool = False,
    dry_run: bool = False,
    expected_versions: dict[int, int] | None = None,
    source: str = "CSV upload",
    checked: bool = False,
    revision_reason: str = "",
) -> ImportResult:
    """Check every row of an upload and, if all are good, write them at once.

    ``rows`` are :class:`imports.UploadRow` (a line number and the cells by
    column). ``expected_versions`` maps a line number to the version of the
    figure the person saw at the preview (0 for a figure that did not exist):
    a row whose figure has moved on since is refused. Nothing is written if
    any row is refused, nor on a dry run, nor if a person (``user``) did not
    confirm (``checked``) the values the entry checks warned about; each such
    row's history keeps the warning and whether it was confirmed.
    """
    result = check_rows(rows, user=user, expected_versions=expected_versions)
    if publish and not can_publish(user):
        result.errors.insert(0, Problem(0, "", "Only a publisher can publish figures."))
    if result.errors or dry_run:
        return result
    result.errors.extend(_still_needed(result, user, checked, revision_reason))
    if result.errors:
        return result
    try:
        _write_checked(
            result,
            user=user,
            publish=publish,
            source=source,
            checked=checked,
            revision_reason=revision_reason,
        )
    except FigureConflict as conflict:
        result.errors.append(Problem(0, "", f"{conflict.figure}: {conflict.message}"))
    except FiguresChanged as changed:
        result.errors.extend(Problem(0, "", change) for change in changed.changes)
    except ValidationError as error:
        # A figure added by someone else between the check and the write.
        result.errors.append(Problem(0, "", " ".join(error.messages)))
    else:
        result.written = True
    return result


def _still_needed(result: ImportResult, user, checked: bool, revision_reason: str):
    """What a person must still give before an import is written: the
    confirmation of the values the entry checks warn about, and the reason
    for revising published values (a job, ``user=None``, gives neither)."""
    if user is None:
        return []
    needed = []
    if result.value_warnings and not checked:
        needed.append(Problem(0, "", checks.NOT_CONFIRMED))
    if result.revisions and not revision_reason.strip():
        needed.append(Problem(0, "", NO_REVISION_REASON))
    return needed


@transaction.atomic
def _write_checked(
    result: ImportResult,
    *,
    user,
    publish: bool,
    source: str,
    checked: bool,
    revision_reason: str = "",
) -> None:
    """Write every checked row of an import, in lock order, and publish them if asked."""
    _serialise_writers()
    _lock(row.existing.pk for row in result.rows if row.existing is not None)
    saved = [row.existing for row in result.rows if row.kind == "unchanged"]
    to_save = [row for row in result.rows if row.kind != "unchanged"]
    rows_by_figure = {id(row.figure): row for row in to_save}
    for figure in _in_lock_order([row.figure for row in to_save]):
        row = rows_by_figure[id(figure)]
        saved.append(
            _save(
                figure=figure,
                user=user,
                expected_version=row.version,
                change_reason=source,
                checked=checked,
                warnings=row.value_warnings,
                revision_reason=revision_reason,
            )
        )
    _recompute(saved)
    if publish:
        versions = {figure.pk: figure.version for figure in saved}
        result.published = len(publish_figures(expected_versions=versions, user=user))


@transaction.atomic
def delete_figures(*, figures: Iterable[Figure]) -> None:
    """Delete figures (the admin checks the permission) and store again the
    verdicts of the figures they were compared with or charted beside."""
    figures = list(figures)
    for figure in figures:
        figure.delete()
    _recompute(figures)


# The fields a bulk change may set, besides the bookkeeping ones.
BULK_FIELDS = ("value", "note", "source_url")


def _bulk_changes(updates: Mapping[int, dict], expected_versions: Mapping[int, int], user, now):
    """The locked figures with their new values, after the same checks as
    ``_next_version``: unchanged since it was seen, and a published figure's
    value changed by a publisher only (a revision, kept for the public)."""
    figures = _lock_unchanged(
        {pk: expected_versions.get(pk, -1) for pk in updates}, since=SINCE_CONFIRMATION
    )
    for figure in figures:
        values = updates[figure.pk]
        if figure.is_published and not can_revise(user):
            raise PermissionDenied(
                "Some of these figures are published: only a publisher can change them."
            )
        if figure.is_published and values["value"] != figure.value:
            figure.previous_value = figure.value
            figure.revised_at = now
            figure.revision_reason = ""  # the release that revised it names itself
        for name in BULK_FIELDS:
            if name in values:
                setattr(figure, name, values[name])
        figure.version += 1
        figure.updated_by = user
    return figures


def _publish_in_memory(figure: Figure, user, now) -> None:
    figure.status = PublicationStatus.PUBLISHED
    figure.published_at = now
    figure.published_by = user


def _publish_bulk(new: list[Figure], changed: list[Figure], user, now) -> None:
    """Publish in memory; republishing a value other than the one the public
    last saw is a revision, as in ``publish_figures``."""
    public = last_published_values(f.pk for f in changed if not f.is_published)
    for figure in [*new, *changed]:
        if figure.is_published:
            continue
        before = public.get(figure.pk)
        if before is not None and before != figure.value:
            figure.previous_value, figure.revised_at = before, now
        _publish_in_memory(figure, user, now)


def _record_warnings(figures: list[Figure], change_reason: str) -> None:
    """An official import is not stopped by the entry checks (its preview
    reports them): the history of each figure they warned about says so."""
    for figure, warnings in zip(figures, value_warnings(figures), strict=True):
        if warnings:
            figure._change_reason = checks.history_reason(
                warnings, checked=False, context=change_reason
            )


@transaction.atomic
def save_figures_in_bulk(
    *,
    new: list[Figure],
    updates: Mapping[int, dict],
    expected_versions: Mapping[int, int],
    user,
    publish: bool = False,
    change_reason: str,
) -> tuple[list[Figure], list[Figure]]:
    """Add many figures and change many others at once, under the rules of
    ``save_figure`` and ``publish_figures``, in a fixed number of queries.

    ``updates`` maps a figure's id to the values to set (``value``, ``note``,
    ``source_url``); ``expected_versions`` the version each was seen at: if any
    moved on, nothing is saved (:class:`FiguresChanged`). New figures are
    drafts unless ``publish``; a changed published value is a revision. Every
    figure gets its history record (django-simple-history's bulk functions),
    with ``change_reason``. Returns (added, changed). For an official import:
    thousands of figures, where a query per figure would take minutes.
    """
    if not can_enter(user):
        raise PermissionDenied("You do not have permission to enter figures.")
    if publish and not can_publish(user):
        raise PermissionDenied("Only a publisher can publish figures.")
    _serialise_writers()
    now = timezone.now()
    changed = _bulk_changes(updates, expected_versions, user, now)
    for figure in new:
        figure.status = PublicationStatus.DRAFT
        figure.version = 1
        figure.created_by = figure.updated_by = user
        figure.unit = figure.measure.unit
    if publish:
        _publish_bulk(new, changed, user, now)
    for figure in [*new, *changed]:
        figure.full_clean(
            exclude=["measure", "area"], validate_unique=False, validate_constraints=False
        )
    _record_warnings([*new, *changed], change_reason)
    history_user = user if user is not None and user.is_authenticated else None
    reason = change_reason[:CHANGE_REASON_MAX]
    try:
        with transaction.atomic():
            added = bulk_create_with_history(
                new,
                Figure,
                batch_size=500,
                default_user=history_user,
                default_change_reason=reason,
            )
    except IntegrityError as error:
        raise FiguresChanged(
            ["Someone added a figure for one of the same measures, areas and periods meanwhile."]
        ) from error
    fields = [
        *BULK_FIELDS,
        "version",
        "updated_by",
        "previous_value",
        "revised_at",
        "revision_reason",
        "status",
        "published_at",
        "published_by",
        "updated_at",
    ]
    for figure in changed:
        figure.updated_at = now
    bulk_update_with_history(
        changed,
        Figure,
        fields,
        batch_size=500,
        default_user=history_user,
        default_change_reason=reason,
    )
    _recompute([*added, *changed])
    return added, changed
