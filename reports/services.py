"""Requesting, rendering, issuing and archiving reports. The worker task, the beat schedule, the
command and the views all go through these functions.

A report is rendered as a draft from its stored data cut-off; the secretariat previews it and
issues it (签发); only an issued dispatch report is e-mailed to the council."""

import hashlib
import logging
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.notice import confirmed_assessment
from jituan.models import Notification, User
from jituan.notifications import notify
from jituan.queue import queue_reachable, send_or_keep
from jituan.roles import Role
from targets.models import Plan

from .dispatch import dispatch_cutoff, month_end
from .documents import build, cutoff_label
from .models import Report

log = logging.getLogger(__name__)

# A report still queued after this long never reached the worker: the sweep sends it again.
QUEUED_STALL = timedelta(minutes=2)


# Reports of a whole year, stored without a month.
MONTHLESS = (Report.Kind.REWARDS, Report.Kind.ASSESSMENT)
QUARTER_END_MONTHS = (3, 6, 9, 12)  # a quarterly report is stored under its last month


def quarter_end_month(quarter) -> int | None:
    return 3 * quarter if isinstance(quarter, int) and 1 <= quarter <= 4 else None


def check_request(*, kind: str, year: int, month: int | None, format: str) -> None:
    """Refuse what cannot be rendered, with a message a secretary can act on."""
    if kind not in Report.Kind.values:
        raise ValidationError(_("Unknown report kind “%(kind)s”.") % {"kind": kind})
    if format not in Report.Format.values:
        raise ValidationError(_("Unknown format “%(format)s”.") % {"format": format})
    if kind == Report.Kind.QUARTERLY and month not in QUARTER_END_MONTHS:
        raise ValidationError(_("A quarterly dispatch report needs a quarter from 1 to 4."))
    if kind in (Report.Kind.DISPATCH, Report.Kind.QUARTERLY):
        if month is None or not 1 <= month <= 12:
            raise ValidationError(_("A dispatch report needs a month from 1 to 12."))
        if not Plan.objects.filter(year=year).exists():
            raise ValidationError(_("There is no plan for %(year)s.") % {"year": year})
    if kind == Report.Kind.ASSESSMENT and confirmed_assessment(year) is None:
        raise ValidationError(
            _("The %(year)s annual assessment is not confirmed yet: confirm it first.")
            % {"year": year}
        )


def data_cutoff(kind: str, year: int, month: int | None):
    """What a report reads up to: a dispatch report its month's cut-off (or now, if earlier),
    any other report the moment it is asked for."""
    if kind in (Report.Kind.DISPATCH, Report.Kind.QUARTERLY):
        return dispatch_cutoff(year, month)
    return timezone.now()


def request_report(
    *,
    kind: str,
    year: int,
    month: int | None,
    format: str = "pdf",
    user=None,
    scheduled=False,
    replaces: Report | None = None,
) -> Report:
    """Archive a new version of the report as queued (a draft once rendered) and hand it to the
    worker once committed. replaces: the issued report this version corrects. The same report
    still waiting for the worker is returned rather than asked for twice (a second click)."""
    if kind in MONTHLESS:
        month = None
    check_request(kind=kind, year=year, month=month, format=format)
    if replaces is not None and not replaces.is_issued:
        raise ValidationError(_("Only an issued report can be corrected; regenerate the draft."))
    waiting = Report.objects.filter(
        kind=kind,
        year=year,
        month=month,
        format=format,
        replaces=replaces,
        status=Report.Status.QUEUED,
    ).first()
    if waiting is not None:  # a second click: kept as it is; say whether the queue is down
        waiting.queue_unavailable = not queue_reachable()
        return waiting
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = Report.objects.filter(
                    kind=kind, year=year, month=month, format=format
                ).aggregate(v=Max("version"))["v"]
                report = Report.objects.create(
                    kind=kind,
                    year=year,
                    month=month,
                    format=format,
                    version=(latest or 0) + 1,
                    requested_by=user,
                    scheduled=scheduled,
                    as_of=data_cutoff(kind, year, month),
                    replaces=replaces,
                )
                transaction.on_commit(partial(send_to_worker, report))
            return report
        except IntegrityError:  # two requests took the same version number: take the next
            continue
    raise ValidationError(_("Too many requests for the same report at once; try again."))


def send_to_worker(report: Report) -> bool:
    """Queue the render; with the queue down the request stays queued for the sweep."""
    from .tasks import render_report

    sent = send_or_keep(render_report, report)
    if sent:
        Report.objects.filter(pk=report.pk).update(sent_at=timezone.now())
    return sent


@transaction.atomic
def report_regenerate(*, report: Report, user) -> Report:
    """Render a draft again, from the data cut-off as it stands now (a month not yet past its
    cut-off reads what has been approved since). An issued report never changes."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.is_issued:
        raise ValidationError(_("An issued report cannot be changed; issue a correction instead."))
    if not locked.is_finished:
        raise ValidationError(_("The worker is still generating this report."))
    Report.objects.filter(pk=locked.pk).update(
        status=Report.Status.QUEUED,
        progress=0,
        step="",
        error="",
        as_of=data_cutoff(locked.kind, locked.year, locked.month),
        requested_by=user,
        requested_at=timezone.now(),
        finished_at=None,
        sha256="",
        size=None,
        pages=None,
        word_sha256="",
        word_size=None,
    )
    locked.refresh_from_db()
    transaction.on_commit(partial(send_to_worker, locked))
    return locked


@transaction.atomic
def report_issue(*, report: Report, user) -> Report:
    """签发: the secretariat signs the draft off. Stamped with who and when; a dispatch report
    is then e-mailed to the council (once, by the worker)."""
    from .tasks import email_report

    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.is_issued:
        raise ValidationError(_("This report has already been issued."))
    if locked.status != Report.Status.DONE:
        raise ValidationError(_("Only a report that has been generated can be issued."))
    locked.issued_at = timezone.now()
    locked.issued_by = user
    locked.save(update_fields=["issued_at", "issued_by"])
    if locked.kind == Report.Kind.DISPATCH and locked.format == Report.Format.PDF:
        transaction.on_commit(partial(email_report.delay, locked.pk))
    return locked


def _set(report_id: int, **fields) -> None:
    Report.objects.filter(pk=report_id).update(**fields)


def generate(report_id: int) -> Report:
    """Render an archived report. Idempotent: a report already done is left alone, and a
    render interrupted by a killed worker simply runs again from the same as-of time. Two
    deliveries rendering at once (the stalled-report sweep sent a report again while the first
    message was still waiting) cost work but no harm: only the first to finish is kept."""
    report = Report.objects.get(pk=report_id)
    started = (
        Report.objects.filter(pk=report.pk)
        .exclude(status=Report.Status.DONE)
        .update(
            status=Report.Status.RUNNING,
            started_at=timezone.now(),
            attempts=F("attempts") + 1,
            progress=5,
            error="",
        )
    )
    if not started:  # done in the meantime
        return Report.objects.get(pk=report.pk)

    def on_progress(percent: int, step: str) -> None:
        _set(report.pk, progress=percent, step=step)

    try:
        built = build(
            report.kind,
            year=report.year,
            month=report.month,
            format=report.format,
            as_of=report.as_of,
            on_progress=on_progress,
        )
    except ValidationError as error:
        _set(report.pk, status=Report.Status.FAILED, error=" ".join(error.messages), progress=100)
        return Report.objects.get(pk=report.pk)
    report.file.save(report.download_name, ContentFile(built.content), save=False)
    word = {}
    if built.word is not None:
        report.word_file.save(report.word_download_name, ContentFile(built.word), save=False)
        word = {
            "word_file": report.word_file.name,
            "word_sha256": hashlib.sha256(built.word).hexdigest(),
            "word_size": len(built.word),
        }
    with transaction.atomic():
        finished = Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING).update(
            file=report.file.name,
            sha256=hashlib.sha256(built.content).hexdigest(),
            size=len(built.content),
            pages=built.pages,
            **word,
            status=Report.Status.DONE,
            progress=100,
            step="",
            finished_at=timezone.now(),
        )
    if not finished:  # another delivery finished first: keep its files, drop ours
        report.file.storage.delete(report.file.name)
        if word:
            report.word_file.storage.delete(report.word_file.name)
        return Report.objects.get(pk=report.pk)
    report.refresh_from_db()
    if report.scheduled:
        tell_secretariat(report)
    _tell_requester(report)
    return report


def _tell_requester(report: Report) -> None:
    if report.requested_by is None:
        return
    text = _("Your report is ready: %(report)s.") % {"report": report}
    notify([report.requested_by], Notification.Kind.REPORT_READY, text, report.get_absolute_url())


def fail(report_id: int, error: str) -> None:
    """Mark a render failed, unless another delivery has finished it meanwhile."""
    Report.objects.filter(pk=report_id).exclude(status=Report.Status.DONE).update(
        status=Report.Status.FAILED, error=error[:2000], progress=100
    )


def email_to_council(report: Report) -> bool:
    """Send an issued dispatch report to the council's list, once: the row is claimed before
    sending, so a retried task never mails it twice. A draft is never sent."""
    claimed = Report.objects.filter(
        pk=report.pk, emailed_at__isnull=True, issued_at__isnull=False
    ).update(emailed_at=timezone.now())
    if not claimed or not settings.JITUAN_COUNCIL_EMAILS:
        return False
    message = EmailMessage(
        subject=f"{settings.JITUAN_GROUP_NAME}{report.period}重点工作调度通报",
        body=(
            f"各位理事：\n\n附件为{report.period}重点工作调度通报（第 {report.version} 版"
            f"{_correction_note(report)}，数据截至 {cutoff_label(report.as_of)}，"
            f"{_issuer(report)}于 {timezone.localtime(report.issued_at):%Y-%m-%d %H:%M} 签发），"
            f"请审阅。\n\n{settings.JITUAN_GROUP_NAME}秘书处"
        ),
        to=settings.JITUAN_COUNCIL_EMAILS,
    )
    with report.file.open("rb") as handle:
        message.attach(report.download_name, handle.read(), "application/pdf")
    message.send()
    return True


def _issuer(report: Report) -> str:
    user = report.issued_by
    return (user.get_full_name() or user.username) if user else "秘书处"


def _correction_note(report: Report) -> str:
    return f"，更正并替代第 {report.replaces.version} 版" if report.replaces_id else ""


def tell_secretariat(report: Report) -> int:
    """A scheduled report landed as a draft: ask the secretariat to preview and issue it."""
    recipients = list(
        User.objects.filter(is_active=True, groups__name=Role.SECRETARIAT)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    path = report.get_absolute_url()
    EmailMessage(
        subject=f"{report.period}{report.get_kind_display()}草稿已生成，待签发",
        body=(
            f"{report.period}{report.get_kind_display()}（第 {report.version} 版，数据截至 "
            f"{cutoff_label(report.as_of)}）已由系统按计划生成为草稿。请在「报告」中预览，"
            f"核对无误后签发；签发后才会发送给理事会。\n\n链接：{path}"
        ),
        to=recipients,
    ).send()
    return len(recipients)


def previous_month(today) -> tuple[int, int]:
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def last_closed_month(today) -> tuple[int, int]:
    """The latest month whose data cut-off has passed: the report that should exist by now."""
    year, month = previous_month(today)
    cutoff_day = month_end(year, month) + timedelta(days=settings.JITUAN_DISPATCH_CUTOFF_DAYS)
    if today > cutoff_day:
        return year, month
    return previous_month(date(year, month, 1))


def request_monthly_dispatch(today=None) -> Report | None:
    """Beat's daily check: the last closed month has a dispatch report (a draft the secretariat
    is told about), asked for once. Daily rather than on the 1st only, so a tick lost while the
    broker was down is made up the next day."""
    year, month = last_closed_month(today or timezone.localdate())
    if not Plan.objects.filter(year=year).exists():
        log.info("no plan for %s: no dispatch report for %s-%02d", year, year, month)
        return None
    existing = (
        Report.objects.filter(kind=Report.Kind.DISPATCH, year=year, month=month, format="pdf")
        .exclude(status=Report.Status.FAILED)
        .order_by("version")
        .first()
    )
    if existing:
        return existing
    return request_report(kind=Report.Kind.DISPATCH, year=year, month=month, scheduled=True)


def stalled_reports():
    """Reports whose render never ran or whose worker died with the message: queued for longer
    than QUEUED_STALL without reaching the queue (it was down when they were asked for), sent
    but not started within the time a task may run (CELERY_TASK_TIME_LIMIT: a message lost, not
    a long queue), or running for longer than that, so that no render under way is sent again."""
    now = timezone.now()
    running_since = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return Report.objects.filter(
        Q(status=Report.Status.QUEUED, sent_at=None, requested_at__lt=now - QUEUED_STALL)
        | Q(status=Report.Status.QUEUED, sent_at__lt=running_since)
        | Q(status=Report.Status.RUNNING, started_at__lt=running_since)
        | Q(status=Report.Status.RUNNING, started_at=None, requested_at__lt=running_since)
    )
