"""Writes for plans, tasks, indicators, allocations and imports."""

import hashlib
import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.forms import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext as _

from jituan.db import bulk_insert
from jituan.models import User

from ..importers.preview import CHANGED, NEW
from ..importers.runs import (
    EXTRA_RUNNERS,
    ImportRun,
    Progress,
    allocation_import_preview,
    task_import_preview,
)
from ..importers.task_sheet import TASK_FIELDS, ParsedSheet, members_after
from ..models import Allocation, GroupFigure, ImportBatch, Indicator, Milestone, Plan, Task
from ..models.plans import check_lead_member
from .submissions import evidence_check

log = logging.getLogger(__name__)

# --- plans, tasks, indicators -------------------------------------------------------------------


@transaction.atomic
def plan_save(*, plan: Plan, schedules: BaseInlineFormSet | None = None) -> Plan:
    """Save a plan and, with it, the quarter deadlines edited beside it."""
    plan.full_clean()
    plan.save()
    if schedules is not None:
        schedules.instance = plan
        schedules.save()
    return plan


@transaction.atomic
def task_save(*, task: Task, members=None, milestones: BaseInlineFormSet | None = None) -> Task:
    """Save a task; given members, they become its responsible members. Its lead must be one
    of them (or of the stored ones, when none are given)."""
    task.full_clean()
    if task.lead_member_id is not None:
        if members is None:
            members = list(task.responsible_members.all()) if task.pk else []
        check_lead_member(task.lead_member, members)
    task.save()
    if members is not None:
        task.responsible_members.set(members)
    if milestones is not None:
        milestones.instance = task
        milestones.save()
    return task


@transaction.atomic
def indicator_save(*, indicator: Indicator, trajectory: BaseInlineFormSet | None = None):
    indicator.full_clean()
    indicator.save()
    if trajectory is not None:
        trajectory.instance = indicator
        trajectory.save()
    return indicator


@transaction.atomic
@transaction.atomic
def allocations_save(
    *,
    indicator: Indicator,
    formset: BaseInlineFormSet,
    categories: BaseInlineFormSet | None = None,
) -> Indicator:
    for rows in (formset, categories):
        if rows is not None:
            rows.instance = indicator
            rows.save()
    return indicator


# --- group figures ---------------------------------------------------------------------------


def group_figure_enter(
    *, figure: GroupFigure, user: User, evidence: UploadedFile | None
) -> GroupFigure:
    """Record a group figure the secretariat knows, with the document it is read from; it
    counts once another user confirms it against that document."""
    if evidence is None:
        raise ValidationError(
            {"evidence": _("Attach the document the figure is read from, for the confirmation.")}
        )
    evidence_check(evidence)
    figure.entered_by = user
    figure.status = GroupFigure.Status.ENTERED
    figure.evidence_name = Path(evidence.name).name[:255]
    figure.full_clean(exclude=["evidence"])
    figure.evidence.save(evidence.name, evidence, save=False)
    try:
        figure.save()
    except BaseException:
        figure.evidence.storage.delete(figure.evidence.name)
        raise
    return figure


@transaction.atomic
def group_figure_confirm(*, figure: GroupFigure, user: User) -> GroupFigure:
    """Confirm a figure someone else entered: from now on it is the group's figure."""
    figure = GroupFigure.objects.select_for_update().get(pk=figure.pk)
    if figure.status != GroupFigure.Status.ENTERED:
        raise ValidationError(_("This figure has already been confirmed."))
    if figure.entered_by_id == user.pk:
        raise ValidationError(
            _("A second person confirms a figure: ask another secretariat user to check it.")
        )
    figure.status = GroupFigure.Status.CONFIRMED
    figure.confirmed_by = user
    figure.confirmed_at = timezone.now()
    figure.save()
    return figure


# --- applying imports -------------------------------------------------------------------------
# The importers parse and compare (the preview); these functions apply what was previewed.


def plan_import_tasks(
    *, path: Path, year: int, commit: bool, on_progress: Progress | None = None
) -> ImportRun:
    """Preview a task-breakdown sheet; when asked, and only if it has no error at all, apply it."""
    run = task_import_preview(path=path, year=year, on_progress=on_progress)
    if commit and run.ok:
        plan_import_commit(kind=ImportBatch.Kind.TASKS, year=year, run=run)
    return run


def plan_import_allocations(
    *,
    path: Path,
    year: int,
    indicator: Indicator | None,
    commit: bool,
    user: User | None = None,
) -> ImportRun:
    run = allocation_import_preview(path=path, year=year, indicator=indicator)
    if commit and run.ok:
        plan_import_commit(kind=ImportBatch.Kind.ALLOCATIONS, year=year, run=run, user=user)
    return run


def plan_import(
    *,
    kind: str,
    path: Path,
    year: int,
    commit: bool,
    indicator: Indicator | None = None,
    on_progress: Progress | None = None,
    user: User | None = None,
) -> ImportRun:
    """Any kind of import: ours here, the kinds other apps register through their own runner
    (which writes through that app's services, as `user` when given)."""
    if kind == ImportBatch.Kind.TASKS:
        return plan_import_tasks(path=path, year=year, commit=commit, on_progress=on_progress)
    if kind == ImportBatch.Kind.ALLOCATIONS:
        return plan_import_allocations(
            path=path, year=year, indicator=indicator, commit=commit, user=user
        )
    runner = EXTRA_RUNNERS[kind]
    return runner(path=path, year=year, commit=commit, indicator=indicator, user=user)


@transaction.atomic
def plan_import_commit(*, kind: str, year: int, run: ImportRun, user: User | None = None) -> dict:
    """Write exactly what a clean preview showed; a run with any problem writes nothing."""
    if not run.ok:
        raise ValidationError(_("The sheet has errors now; nothing was imported."))
    if kind == ImportBatch.Kind.TASKS:
        result = plan_apply_tasks(year=year, parsed=run.parsed, stored=run.stored, rows=run.rows)
    else:
        result = plan_apply_allocations(parsed=run.parsed, rows=run.rows, user=user)
    run.applied = True
    return result


def plan_for_import(*, year: int, title_lines: list[str]) -> Plan:
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        title = title_lines[0] if title_lines else _("%(year)s key work") % {"year": year}
        plan = plan_save(plan=Plan(year=year, title=title[:200]))
    return plan


@transaction.atomic
def plan_apply_tasks(*, year: int, parsed: ParsedSheet, stored: dict, rows) -> dict:
    """Write exactly the new and changed rows of a compared sheet, in bulk."""
    plan = plan_for_import(year=year, title_lines=parsed.title_lines)
    status = {row.key: row.status for row in rows}
    created = [(i, item) for i, item in enumerate(parsed.tasks, 1) if status[item.number] == NEW]
    _tasks_insert(plan, created)
    changed = [item for item in parsed.tasks if status[item.number] == CHANGED]
    _update_tasks(changed, stored)
    task_ids = dict(plan.tasks.values_list("number", "pk"))
    _apply_milestones([i for i in parsed.tasks if status[i.number] == NEW], task_ids, new=True)
    _apply_milestones(changed, task_ids, new=False)
    _apply_members([item for _i, item in created] + changed, task_ids, stored)
    return {"plan": plan, "created": len(created), "updated": len(changed)}


TASK_INSERT_FIELDS = [
    "plan",
    "position",
    "number",
    "title",
    *TASK_FIELDS,
    "section",
    "description",
    "reporting_frequency",
    "created_at",
    "updated_at",
]


def _tasks_insert(plan: Plan, numbered_items) -> None:
    """New tasks of a large sheet in one executemany; the parser has checked every length."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (
            plan.pk,
            position,
            item.number,
            item.title,
            *(getattr(item, k) for k in TASK_FIELDS),
            "",
            "",
            Task.Frequency.QUARTERLY,  # raw rows get no model default
            now,
            now,
        )
        for position, item in numbered_items
    ]
    bulk_insert(Task, TASK_INSERT_FIELDS, rows)


def _update_tasks(items, stored: dict) -> None:
    for item in items:
        task = stored[item.number]
        task.title = item.title
        for key in TASK_FIELDS:
            setattr(task, key, getattr(item, key) or getattr(task, key))
        task.updated_at = timezone.now()
    fields = ["title", "updated_at", *TASK_FIELDS]
    Task.objects.bulk_update([stored[i.number] for i in items], fields, batch_size=1000)


def _apply_members(items, task_ids: dict, stored: dict) -> None:
    """牵头单位 and 协办单位: the responsible members become the lead and the assisting members
    (a blank cell keeping what is stored, by task_sheet.members_after)."""
    leads, members = [], {}
    for item in items:
        after = members_after(item, stored.get(item.number))
        if after is None:
            continue
        lead, assisting = after
        task_id = task_ids[item.number]
        leads.append(Task(pk=task_id, lead_member=lead))
        members[task_id] = ([lead] if lead else []) + assisting
    Task.objects.bulk_update(leads, ["lead_member"], batch_size=1000)
    through = Task.responsible_members.through
    task_ids_changed = list(members)
    for start in range(0, len(task_ids_changed), 1000):  # bounded IN lists on any database
        through.objects.filter(task_id__in=task_ids_changed[start : start + 1000]).delete()
    through.objects.bulk_create(
        [through(task_id=t, member_id=m.pk) for t, listed in members.items() for m in listed],
        batch_size=1000,
    )


def _apply_milestones(items, task_ids: dict, *, new: bool) -> None:
    existing = (
        {}
        if new
        else {
            (m.task_id, m.quarter): m
            for m in Milestone.objects.filter(task__in=[task_ids[i.number] for i in items])
        }
    )
    to_create, to_update = [], []
    for item in items:
        task_id = task_ids[item.number]
        for quarter, planned in item.milestones.items():
            milestone = existing.get((task_id, quarter))
            if milestone is None:
                to_create.append((task_id, quarter, planned))
            elif milestone.planned != planned:
                milestone.planned = planned
                to_update.append(milestone)
    bulk_insert(Milestone, ["task", "quarter", "planned"], to_create)
    Milestone.objects.bulk_update(to_update, ["planned"], batch_size=1000)


@transaction.atomic
def plan_apply_allocations(*, parsed, rows, user: User | None = None) -> dict:
    """Write the new and changed allocations, each change kept in the allocation's history as
    the importing user's (targets are read as of a report's cut-off)."""
    status = {row.row: row.status for row in rows}
    counts = {NEW: 0, CHANGED: 0}
    for item in parsed.allocations:
        if status[item.row] in counts:
            allocation = Allocation.objects.filter(
                indicator=item.indicator, member=item.member
            ).first() or Allocation(indicator=item.indicator, member=item.member)
            allocation.target = item.target
            allocation._history_user = user
            allocation.save()
            counts[status[item.row]] += 1
    return {"created": counts[NEW], "updated": counts[CHANGED]}


# --- uploads ----------------------------------------------------------------------------------

UPLOAD_SUFFIXES = {
    ImportBatch.Kind.TASKS: (".xlsx",),
    ImportBatch.Kind.ALLOCATIONS: (".xlsx", ".csv"),
    ImportBatch.Kind.QUOTAS: (".xlsx", ".csv"),
}


@transaction.atomic
def import_batch_create(
    *,
    kind: str,
    year: int,
    upload: UploadedFile,
    user: User,
    indicator: Indicator | None = None,
) -> ImportBatch:
    _upload_validate(kind=kind, upload=upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    waiting = ImportBatch.objects.filter(
        kind=kind,
        year=year,
        indicator=indicator,
        sha256=digest.hexdigest(),
        uploaded_by=user,
        status=ImportBatch.Status.QUEUED,
        started_at__isnull=True,
    ).first()
    if waiting is not None:  # the same file again while the first still waits: kept once
        waiting.waiting_already = True
        return waiting
    batch = ImportBatch(
        kind=kind,
        year=year,
        plan=Plan.objects.filter(year=year).first(),
        indicator=indicator,
        original_name=Path(upload.name).name[:255],
        sha256=digest.hexdigest(),
        uploaded_by=user,
    )
    batch.file.save(f"{digest.hexdigest()[:16]}{Path(upload.name).suffix.lower()}", upload)
    batch.save()
    return batch  # the caller queues tasks.import_preview (services never import tasks)


def _upload_validate(*, kind: str, upload: UploadedFile) -> None:
    suffixes = UPLOAD_SUFFIXES[kind]
    if Path(upload.name).suffix.lower() not in suffixes:
        raise ValidationError(
            {"file": _("Upload a %(types)s file.") % {"types": " / ".join(suffixes)}}
        )
    if upload.size > settings.JITUAN_IMPORT_MAX_BYTES:
        limit = settings.JITUAN_IMPORT_MAX_BYTES // (1024 * 1024)
        raise ValidationError(
            {"file": _("The file is larger than the %(limit)s MB limit.") % {"limit": limit}}
        )
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})


def import_batch_preview(*, batch: ImportBatch) -> ImportBatch:
    """Parse and compare (the worker calls this); nothing is written but the batch itself.
    Taken up by one delivery only: a queued batch, or one whose reading outlived the task time
    limit (its worker died)."""
    seen = ImportBatch.objects.get(pk=batch.pk)
    if seen.status not in (ImportBatch.Status.QUEUED, ImportBatch.Status.PARSING) or not _free(
        seen
    ):
        return seen
    taken = ImportBatch.objects.filter(
        pk=batch.pk, status=seen.status, started_at=seen.started_at
    ).update(status=ImportBatch.Status.PARSING, started_at=timezone.now())
    if not taken:
        return ImportBatch.objects.get(pk=batch.pk)
    try:
        run = _run(batch, commit=False, on_progress=_progress(batch))
    except Exception as error:
        _failed(batch, error)
        raise
    batch.refresh_from_db()
    batch.preview = run.preview
    batch.status = ImportBatch.Status.PREVIEWED if run.ok else ImportBatch.Status.REJECTED
    batch.rows_done = batch.rows_total = max(batch.rows_total, batch.rows_done)
    batch.save(update_fields=["preview", "status", "rows_done", "rows_total"])
    return batch


def import_batch_commit_request(*, batch: ImportBatch, user: User) -> ImportBatch:
    """Ask for a previewed batch to be imported; the worker writes it (import_batch_commit)."""
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).update(
        status=ImportBatch.Status.COMMITTING,
        committed_by=user,
        queued_at=timezone.now(),
        started_at=None,
        rows_done=0,
    )
    batch.refresh_from_db()
    if not claimed and batch.status not in (
        ImportBatch.Status.COMMITTING,
        ImportBatch.Status.COMMITTED,
    ):
        raise ValidationError(_("Only a previewed import without errors can be committed."))
    batch.commit_requested = bool(claimed)  # a second click changes nothing
    return batch  # the caller queues tasks.import_commit when commit_requested


def import_batch_commit(*, batch: ImportBatch) -> ImportBatch:
    """Write a batch asked to be imported (the worker calls this): compared again, since the data
    may have changed since the preview, and written only if still clean. A batch another
    delivery of the task has taken up, or already written, is left alone."""
    seen = ImportBatch.objects.get(pk=batch.pk)
    if seen.status != ImportBatch.Status.COMMITTING or not _free(seen):
        return seen
    taken = ImportBatch.objects.filter(
        pk=batch.pk, status=ImportBatch.Status.COMMITTING, started_at=seen.started_at
    ).update(started_at=timezone.now())
    if not taken:
        return ImportBatch.objects.get(pk=batch.pk)
    try:
        return _commit(seen)
    except Exception as error:
        _failed(seen, error)
        raise


@transaction.atomic
def _commit(batch: ImportBatch) -> ImportBatch:
    # Read and compared again inside the transaction that writes (SQLite takes its write lock
    # only at the first write, after the reading); no row progress here: it would not be seen
    # before the commit, so the page shows a step instead.
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    run = _run(batch, commit=True, user=batch.committed_by)
    batch.preview = run.preview
    if not run.applied:
        batch.status = ImportBatch.Status.REJECTED
        batch.committed_by = None
        batch.save(update_fields=["preview", "status", "committed_by"])
        return batch
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = timezone.now()
    batch.plan = Plan.objects.filter(year=batch.year).first()
    batch.rows_done = batch.rows_total
    batch.save()
    return batch


def _free(batch: ImportBatch) -> bool:
    """No worker has the batch's stage in hand: never taken up, or taken up longer ago than a
    task may run (that worker was killed)."""
    dead = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return batch.started_at is None or batch.started_at < dead


def _progress(batch: ImportBatch):
    def progress(done, total):
        ImportBatch.objects.filter(pk=batch.pk).update(rows_done=done, rows_total=total or 0)

    return progress


def _failed(batch: ImportBatch, error: Exception) -> None:
    """A failure the importers did not foresee: the detail goes to the log, where the
    administrator reads it; the page says in Chinese that nothing was written."""
    log.exception("import %s failed", batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
    )


def _run(batch: ImportBatch, *, commit: bool, on_progress=None, user=None) -> ImportRun:
    return plan_import(
        kind=batch.kind,
        path=Path(batch.file.path),
        year=batch.year,
        commit=commit,
        indicator=batch.indicator,
        on_progress=on_progress,
        user=user,
    )
