"""Writes of the quarterly submission workflow: fill, save, submit, review, reopen, evidence.

Every save checks the version it started from (optimistic locking) and records a version with a
snapshot, so nothing a liaison typed is ever overwritten unseen or lost."""

import secrets
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jituan.models import Member, User
from jituan.text import clean_text

from .. import notices
from ..deadlines import member_deadline_state
from ..models import (
    Evidence,
    IndicatorReport,
    Plan,
    ReopenRequest,
    Submission,
    SubmissionVersion,
    Task,
    TaskReport,
)
from ..models.plans import indicators_reported_by, tasks_reported_by

__all__ = [
    "EVIDENCE_TYPES",
    "BulkApproval",
    "SubmissionConflict",
    "evidence_add",
    "evidence_check",
    "evidence_remove",
    "reopen_request_create",
    "reopen_request_decide",
    "RETURN_REOPEN_MAX_DAYS",
    "return_needs_reopening",
    "return_reopen_default",
    "submission_review",
    "submission_save",
    "submission_start",
    "submissions_bulk_approve",
    "submission_snapshot",
    "submission_is_clean",
    "task_refresh_latest_progress",
    "version_record",
    "reminders_send",
]

EVIDENCE_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF8",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
}


class SubmissionConflict(ValidationError):
    """Someone saved the submission after this form was opened."""


def _today() -> date:
    return timezone.localdate()


@transaction.atomic
def submission_start(*, plan: Plan, member: Member, quarter: int) -> Submission:
    """The member's submission for the quarter, with one row per task and indicator of theirs
    (rows for tasks or allocations added since are added now)."""
    submission, _created = Submission.objects.get_or_create(
        plan=plan, member=member, quarter=quarter
    )
    have = set(submission.tasks.values_list("task_id", flat=True))
    TaskReport.objects.bulk_create(
        [
            TaskReport(submission=submission, task=task)
            for task in tasks_reported_by(plan, member)
            if task.pk not in have
        ]
    )
    have = set(submission.indicators.values_list("indicator_id", flat=True))
    IndicatorReport.objects.bulk_create(
        [
            IndicatorReport(submission=submission, indicator=indicator)
            for indicator in indicators_reported_by(plan, member)
            if indicator.pk not in have
        ]
    )
    return submission


def submission_snapshot(submission: Submission) -> dict:
    tasks = {
        str(r.task_id): {
            "label": f"{r.task.number} {r.task.title}",
            "progress": r.progress,
            "status": r.status,
            "behind_reason": r.behind_reason,
        }
        for r in submission.tasks.select_related("task")
    }
    indicators = {
        str(r.indicator_id): {
            "label": r.indicator.name,
            "value": None if r.value is None else f"{r.value.normalize():f}",
            "denominator": None if r.denominator is None else f"{r.denominator.normalize():f}",
            "not_applicable": r.not_applicable,
            "not_applicable_reason": r.not_applicable_reason,
        }
        for r in submission.indicators.select_related("indicator")
    }
    evidence = sorted(submission.evidence.values_list("original_name", flat=True))
    return {"tasks": tasks, "indicators": indicators, "evidence": evidence}


FIELD_LABELS = {
    "progress": "最新进展",
    "status": "状态",
    "behind_reason": "滞后原因",
    "value": "实际值",
    "denominator": "基数",
    "not_applicable": "不适用",
    "not_applicable_reason": "不适用原因",
}


def snapshot_changes(old: dict, new: dict) -> list[dict]:
    changes = []
    for part in ("tasks", "indicators"):
        for key, row in new.get(part, {}).items():
            before = old.get(part, {}).get(key, {})
            for field, value in row.items():
                if field != "label" and before.get(field) != value and (before or value):
                    changes.append(
                        {
                            "row": row["label"],
                            "field": FIELD_LABELS[field],
                            "old": before.get(field),
                            "new": value,
                        }
                    )
    added = set(new.get("evidence", [])) - set(old.get("evidence", []))
    removed = set(old.get("evidence", [])) - set(new.get("evidence", []))
    changes += [{"row": "佐证材料", "field": "新增", "old": None, "new": n} for n in sorted(added)]
    changes += [
        {"row": "佐证材料", "field": "删除", "old": n, "new": None} for n in sorted(removed)
    ]
    return changes


def version_record(
    submission: Submission, action: str, user: User, note: str = ""
) -> SubmissionVersion:
    last = submission.versions.order_by("-number").first()
    snapshot = submission_snapshot(submission)
    return SubmissionVersion.objects.create(
        submission=submission,
        number=(last.number + 1) if last else 1,
        action=action,
        by=user,
        snapshot=snapshot,
        changes=snapshot_changes(last.snapshot if last else {}, snapshot),
        note=note,
    )


def _claim(submission: Submission, version: int, *, conflict: str = "") -> None:
    """Optimistic lock: move the version on, or refuse if someone else already did. `conflict`
    is the refusal's wording (with %(who)s and %(status)s); the liaison's by default."""
    moved = Submission.objects.filter(pk=submission.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not moved:
        raise _conflict(submission, conflict)
    submission.version = version + 1


def _conflict(submission: Submission, wording: str = "") -> SubmissionConflict:
    latest = submission.versions.select_related("by").order_by("-number").first()
    who = f"{latest.by}（{timezone.localtime(latest.at):%m-%d %H:%M}）" if latest else ""
    now = Submission.objects.filter(pk=submission.pk).first()
    wording = wording or _(
        "%(who)s saved this submission after you opened it. Your entries are still on "
        "this page: copy what you need, reload, and save again."
    )
    return SubmissionConflict(
        wording
        % {
            "who": who or _("Someone"),
            "status": now.get_status_display() if now else "",
        }
    )


def _liaison_may_edit(submission: Submission, user: User) -> None:
    if user.member_id != submission.member_id:
        raise PermissionDenied
    if not submission.is_editable_by_liaison:
        raise ValidationError(_("This submission has been submitted and can no longer be changed."))
    state = member_deadline_state(
        submission.plan, submission.member_id, submission.quarter, _today()
    )
    if not state.accepts_liaison:
        raise ValidationError(
            _("The quarter is %(state)s; ask the secretariat to reopen it.")
            % {"state": state.label}
        )


@transaction.atomic
def submission_save(
    *,
    submission: Submission,
    version: int,
    task_rows: dict[int, dict],
    indicator_rows: dict[int, dict],
    user: User,
    submit: bool = False,
) -> Submission:
    """Save the liaison's rows (a draft), or save and submit. Rows are dicts of the report
    fields keyed by task / indicator id; every row is validated and all errors raised at once."""
    _liaison_may_edit(submission, user)
    errors = _rows_update(submission, task_rows, indicator_rows, require_complete=submit)
    if errors:
        raise ValidationError(errors)
    _claim(submission, version)
    if submit:
        state = member_deadline_state(
            submission.plan, submission.member_id, submission.quarter, _today()
        )
        submission.status = Submission.Status.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.submitted_by = user
        if submission.first_submitted_at is None:
            # On time or late is decided by the first submission: fixing a returned report
            # after the deadline does not make it late, and reports as of earlier dates keep it.
            submission.first_submitted_at = submission.submitted_at
            submission.is_late = state.is_late_now
        submission.save(
            update_fields=[
                "status",
                "submitted_at",
                "submitted_by",
                "first_submitted_at",
                "is_late",
            ]
        )
    version_record(
        submission,
        SubmissionVersion.Action.SUBMITTED if submit else SubmissionVersion.Action.SAVED,
        user,
    )
    return submission


def _rows_update(submission, task_rows, indicator_rows, *, require_complete: bool) -> dict:
    errors: dict[str, list[str]] = {}
    for report in submission.tasks.select_related("task"):
        data = task_rows.get(report.task_id, {})
        report.progress = clean_text(data.get("progress", report.progress)).strip()
        report.status = data.get("status", report.status)
        report.behind_reason = clean_text(data.get("behind_reason", report.behind_reason)).strip()
        problems = _validate(report)
        if require_complete and not (report.progress and report.status):
            problems.append(_("Fill in the progress and the status."))
        if problems:
            errors[f"task-{report.task_id}"] = problems
        else:
            report.save()
    for report in submission.indicators.select_related("indicator"):
        data = indicator_rows.get(report.indicator_id, {})
        report.value = data.get("value", report.value)
        report.denominator = data.get("denominator", report.denominator)
        report.not_applicable = data.get("not_applicable", report.not_applicable)
        report.not_applicable_reason = clean_text(
            data.get("not_applicable_reason", report.not_applicable_reason)
        ).strip()
        problems = _validate(report)
        if require_complete and report.value is None and not report.not_applicable:
            problems.append(_("Give the actual value, or mark it not applicable with a reason."))
        if problems:
            errors[f"indicator-{report.indicator_id}"] = problems
        else:
            report.save()
    return errors


def _validate(report) -> list[str]:
    try:
        report.full_clean(exclude=["submission", "task", "indicator"])
    except ValidationError as error:
        return error.messages
    return []


def submission_is_clean(submission: Submission) -> bool:
    """Submitted, nothing behind, nothing marked not applicable: safe to approve in bulk."""
    return (
        submission.status == Submission.Status.SUBMITTED
        and not submission.tasks.filter(status=TaskReport.Status.BEHIND).exists()
        and not submission.indicators.filter(not_applicable=True).exists()
    )


@transaction.atomic
def submission_review(
    *,
    submission: Submission,
    version: int,
    approve: bool,
    user: User,
    comment: str = "",
    task_comments: dict[int, str] | None = None,
    indicator_comments: dict[int, str] | None = None,
    reopen_until: date | None = None,
) -> Submission:
    """Approve, or return with a comment on each row that needs fixing. Refused with
    SubmissionConflict when `version` (what the reviewer opened) is no longer the latest.
    Returning in a quarter closed for the member reopens it for them until `reopen_until`
    (a week by default): a return must never leave the school unable to fix its report."""
    conflict = _(
        "%(who)s changed this submission after you opened it; it is now %(status)s. Your "
        "comments are still on this page and were not saved: look at the submission again "
        "before you review it."
    )
    if version != submission.version:
        # The page the reviewer judged is older than this submission: never approve unseen.
        raise _conflict(submission, conflict)
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted submission can be reviewed."))
    task_comments = {k: v.strip() for k, v in (task_comments or {}).items() if v.strip()}
    indicator_comments = {k: v.strip() for k, v in (indicator_comments or {}).items() if v.strip()}
    if not approve and not (comment.strip() or task_comments or indicator_comments):
        raise ValidationError(_("Say what needs fixing: comment on the rows or on the whole."))
    reopen_until = None if approve else _return_reopens_until(submission, reopen_until)
    _claim(submission, version, conflict=conflict)
    for report in submission.tasks.all():
        report.review_comment = task_comments.get(report.task_id, "")
        report.save(update_fields=["review_comment"])
    for report in submission.indicators.all():
        report.review_comment = indicator_comments.get(report.indicator_id, "")
        report.save(update_fields=["review_comment"])
    submission.status = Submission.Status.APPROVED if approve else Submission.Status.RETURNED
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = user
    submission.review_comment = comment.strip()
    submission.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_comment"])
    action = SubmissionVersion.Action.APPROVED if approve else SubmissionVersion.Action.RETURNED
    version_record(submission, action, user, note=comment.strip())
    if reopen_until:
        _reopen_for_return(submission, user, reopen_until, comment.strip())
    if approve:
        for report in submission.tasks.select_related("task"):
            task_refresh_latest_progress(report.task)
    notices.submission_reviewed(submission)
    return submission


RETURN_REOPEN_DAYS = 7
RETURN_REOPEN_MAX_DAYS = 90


def return_reopen_default() -> date:
    return _today() + timedelta(days=RETURN_REOPEN_DAYS)


def return_needs_reopening(submission: Submission) -> bool:
    """Whether returning the submission now has to reopen its quarter for its member: past its
    deadline and grace days, with no reopening running."""
    state = member_deadline_state(
        submission.plan, submission.member_id, submission.quarter, _today()
    )
    return state.code == "closed"


def _return_reopens_until(submission: Submission, until: date | None) -> date | None:
    """The date a return reopens the quarter until; None when the quarter is open anyway."""
    if not return_needs_reopening(submission):
        return None
    until = until or return_reopen_default()
    if until < _today():
        raise ValidationError({"reopen_until": _("Reopen until a date from today on.")})
    if until > _today() + timedelta(days=RETURN_REOPEN_MAX_DAYS):
        raise ValidationError(
            {
                "reopen_until": _("Reopen for at most %(days)s days, until %(date)s at the latest.")
                % {
                    "days": RETURN_REOPEN_MAX_DAYS,
                    "date": _today() + timedelta(days=RETURN_REOPEN_MAX_DAYS),
                }
            }
        )
    return until


def _reopen_for_return(submission: Submission, user: User, until: date, note: str) -> None:
    """Recorded as a reopening the reviewer granted: deadlines honour it like any other."""
    now = timezone.now()
    ReopenRequest.objects.create(
        plan=submission.plan,
        member=submission.member,
        quarter=submission.quarter,
        reason=note or _("Returned by the secretariat to be fixed."),
        requested_by=user,
        status=ReopenRequest.Status.GRANTED,
        until=until,
        decided_by=user,
        decided_at=now,
        decision_note=_("Reopened with the return."),
    )


class BulkApproval(NamedTuple):
    approved: int
    skipped: int  # not clean: left for a closer look
    taken: int  # approved, returned or changed by someone else since the list was shown


def submissions_bulk_approve(
    *, submissions, user: User, seen: dict[int, int] | None = None
) -> BulkApproval:
    """Approve every clean submission among those given, each only as the reviewer saw it
    (`seen`: id -> version shown on the board). One that another reviewer approved or returned
    meanwhile, or that its member changed since, even while this runs, is counted as taken and
    left as they left it."""
    approved = skipped = taken = 0
    for submission in submissions:
        version = submission.version if seen is None else seen.get(submission.pk)
        if submission.status in (Submission.Status.APPROVED, Submission.Status.RETURNED):
            taken += 1
        elif version != submission.version:
            taken += 1
        elif not submission_is_clean(submission):
            skipped += 1
        else:
            try:
                submission_review(submission=submission, version=version, approve=True, user=user)
            except SubmissionConflict:
                taken += 1
            else:
                approved += 1
    return BulkApproval(approved, skipped, taken)


def task_refresh_latest_progress(task: Task) -> None:
    """The task's 最新进展: each member's latest approved progress (what the export shows)."""
    latest: dict[int, TaskReport] = {}
    reports = (
        TaskReport.objects.filter(task=task, submission__status=Submission.Status.APPROVED)
        .exclude(progress="")
        .select_related("submission__member")
        .order_by("submission__quarter")
    )
    for report in reports:
        latest[report.submission.member_id] = report
    if not latest:
        return
    if len(latest) == 1:
        text = next(iter(latest.values())).progress
    else:
        text = "\n".join(
            f"{r.submission.member.short_name or r.submission.member.name}：{r.progress}"
            for r in latest.values()
        )
    Task.objects.filter(pk=task.pk).update(latest_progress=text)


def evidence_add(
    *, submission: Submission, upload: UploadedFile, user: User, task_id=None, indicator_id=None
) -> Evidence:
    """Store the file and its row together: if the row is not written, the file is removed.
    Not @transaction.atomic: the clean-up must also run when the commit itself fails."""
    evidence_check(upload)
    stored = None
    try:
        with transaction.atomic():
            submission = _locked(submission)
            _liaison_may_edit(submission, user)
            evidence = Evidence(
                submission=submission,
                task_id=task_id,
                indicator_id=indicator_id,
                token=secrets.token_hex(16),
                original_name=Path(upload.name).name[:255],
                size=upload.size,
                content_type=getattr(upload, "content_type", "") or "application/octet-stream",
                uploaded_by=user,
            )
            evidence.file.save(upload.name, upload, save=False)
            stored = evidence.file.name
            evidence.save()
            version_record(submission, SubmissionVersion.Action.EVIDENCE, user)
    except BaseException:
        if stored:
            evidence.file.storage.delete(stored)
        raise
    return evidence


def evidence_check(upload: UploadedFile) -> None:
    """An evidence file is a PDF, an image or an Office file, under the size limit, whose
    content is what its name says."""
    suffix = Path(upload.name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ValidationError(
            _("Evidence must be PDF, an image or an Office file (%(types)s).")
            % {"types": " ".join(sorted(EVIDENCE_TYPES))}
        )
    limit = settings.JITUAN_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than the %(limit)s MB limit.") % {"limit": limit // 2**20}
        )
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(EVIDENCE_TYPES[suffix]):
        raise ValidationError(
            _("The file's content does not match its %(suffix)s name.") % {"suffix": suffix}
        )


def _locked(submission: Submission) -> Submission:
    """The submission as it is now, its row locked until the transaction ends: evidence writes
    of one submission (and its submitting) take turns, and decide on what is, not what was."""
    return Submission.objects.select_for_update().select_related("plan").get(pk=submission.pk)


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: User) -> None:
    """Delete the row now and the file once that is committed: a rolled-back removal keeps both."""
    submission = _locked(evidence.submission)
    _liaison_may_edit(submission, user)
    evidence = Evidence.objects.filter(pk=evidence.pk, submission=submission).first()
    if evidence is None:  # removed by another request meanwhile: nothing left to do
        return
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    version_record(submission, SubmissionVersion.Action.EVIDENCE, user)
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def reopen_request_create(*, plan: Plan, quarter: int, reason: str, user: User) -> ReopenRequest:
    if not user.member_id:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for reopening.")})
    state = member_deadline_state(plan, user.member_id, quarter, _today())
    if state.accepts_liaison:
        raise ValidationError(_("The quarter is still open; there is nothing to reopen."))
    if ReopenRequest.objects.filter(
        plan=plan, member_id=user.member_id, quarter=quarter, status=ReopenRequest.Status.PENDING
    ).exists():
        raise ValidationError(_("A request for this quarter is already waiting for an answer."))
    return ReopenRequest.objects.create(
        plan=plan,
        member_id=user.member_id,
        quarter=quarter,
        reason=reason.strip(),
        requested_by=user,
    )


@transaction.atomic
def reopen_request_decide(
    *, request: ReopenRequest, grant: bool, user: User, until: date | None = None, note: str = ""
) -> ReopenRequest:
    if request.status != ReopenRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    if grant and (until is None or until < _today()):
        raise ValidationError({"until": _("Reopen until a date from today on.")})
    request.status = ReopenRequest.Status.GRANTED if grant else ReopenRequest.Status.REFUSED
    request.until = until if grant else None
    request.decided_by = user
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    request.save()
    notices.reopen_decided(request)
    return request


def reminders_send(*, today: date) -> int:
    """E-mail the liaisons of members whose submission is missing, N days before the deadline and
    the day after it. Returns the number of e-mails sent."""
    from ..deadlines import schedules_for

    sent = 0
    before = settings.JITUAN_REMIND_DAYS_BEFORE
    for plan in Plan.objects.filter(year__in=[today.year, today.year - 1]):
        for quarter, schedule in schedules_for(plan).items():
            offset = (schedule.due_on - today).days
            if offset not in (before, -1):
                continue
            sent += _remind_missing(plan, quarter, schedule.due_on, late=offset < 0)
    return sent


def _remind_missing(plan: Plan, quarter: int, due_on: date, *, late: bool) -> int:
    done = Submission.objects.filter(
        plan=plan,
        quarter=quarter,
        status__in=[Submission.Status.SUBMITTED, Submission.Status.APPROVED],
    ).values_list("member_id", flat=True)
    from ..board import members_reporting_on

    done = set(done)
    sent = 0
    for member in members_reporting_on(plan, Member.objects.all()):
        if member.pk in done:
            continue
        recipients = [u.email for u in member.liaisons.filter(is_active=True) if u.email]
        if not recipients:
            continue
        subject = (
            _("Overdue: %(year)s Q%(q)s progress of %(member)s")
            if late
            else _("Reminder: %(year)s Q%(q)s progress of %(member)s is due %(date)s")
        ) % {"year": plan.year, "q": quarter, "member": member.name, "date": due_on}
        body = _("Please fill and submit the quarter's progress in Jituan (本季度填报).")
        sent += send_mail(subject, body, None, recipients)
    return sent
