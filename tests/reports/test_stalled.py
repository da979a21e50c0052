"""Stalled reports: what the sweep sends again, and two deliveries of one report."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from reports import services
from reports.models import Report
from reports.services import generate, request_report
from reports.tasks import render_report, resume_stalled_reports
from targets.models import Plan

pytestmark = pytest.mark.django_db
LIMIT = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


@pytest.fixture
def plan(school_a):
    return Plan.objects.create(
        year=2020, title="2020 年重点工作", document_number="安职集团〔2020〕2号"
    )


@pytest.fixture
def sent(monkeypatch):
    """The ids of the reports handed to the worker."""
    ids = []
    monkeypatch.setattr(render_report, "apply_async", lambda args, **kwargs: ids.append(args[0]))
    return ids


def report_made(
    month, *, status, requested_ago=timedelta(0), started_ago=None, sent_ago=None
) -> Report:
    """sent_ago None: the request never reached the queue (it was down)."""
    report = request_report(kind="dispatch", year=2020, month=month)
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        status=status,
        requested_at=now - requested_ago,
        started_at=None if started_ago is None else now - started_ago,
        sent_at=None if sent_ago is None else now - sent_ago,
    )
    return report


def test_the_sweep_sends_a_report_queued_five_minutes_ago_but_not_one_just_queued(plan, sent):
    stalled = report_made(1, status="queued", requested_ago=timedelta(minutes=5))
    report_made(2, status="queued", requested_ago=timedelta(seconds=30))
    assert resume_stalled_reports() == 1
    assert sent == [stalled.pk]


def test_a_report_waiting_in_a_long_queue_is_not_sent_again_at_every_sweep(plan, sent):
    waiting = report_made(
        1, status="queued", requested_ago=timedelta(minutes=5), sent_ago=timedelta(minutes=5)
    )
    lost = report_made(
        2, status="queued", requested_ago=LIMIT * 2, sent_ago=LIMIT + timedelta(minutes=1)
    )
    sent.clear()
    assert resume_stalled_reports() == 1
    assert sent == [lost.pk]
    lost.refresh_from_db()
    assert timezone.now() - lost.sent_at < timedelta(minutes=1)  # sent again just now
    assert resume_stalled_reports() == 0  # and not at the next sweep
    waiting.refresh_from_db()
    assert waiting.status == "queued"


def test_the_sweep_sends_a_running_report_only_once_it_is_past_the_time_limit(plan, sent):
    dead = report_made(
        1, status="running", requested_ago=LIMIT * 2, started_ago=LIMIT + timedelta(minutes=1)
    )
    # Waited long in the queue, rendering for a minute now: still under way.
    report_made(2, status="running", requested_ago=LIMIT * 2, started_ago=timedelta(minutes=1))
    report_made(3, status="done", requested_ago=LIMIT * 2, started_ago=LIMIT * 2)
    report_made(4, status="failed", requested_ago=LIMIT * 2, started_ago=LIMIT * 2)
    assert resume_stalled_reports() == 1
    assert sent == [dead.pk]


def test_the_sweep_keeps_a_report_queued_while_the_queue_is_still_down(plan, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis://127.0.0.1:6379 refused")

    report = report_made(1, status="queued", requested_ago=timedelta(minutes=5))
    monkeypatch.setattr(render_report, "apply_async", broker_down)
    assert resume_stalled_reports() == 0
    assert Report.objects.get(pk=report.pk).status == "queued"


def test_a_second_delivery_finishing_after_the_first_changes_nothing(
    plan, secretariat, monkeypatch
):
    """The sweep sent a report that was only waiting: both deliveries render at once. The one
    that finishes second keeps neither its file nor its e-mail to the secretariat."""
    report = request_report(kind="dispatch", year=2020, month=5, scheduled=True)
    secretariat.email = "mishu@example.com"
    secretariat.save()

    def build(*args, **kwargs):
        first = build.calls == 0
        build.calls += 1
        if first:  # meanwhile the other delivery renders the same report to the end
            generate(report.pk)
        return SimpleNamespace(content=b"%PDF-" + str(build.calls).encode(), pages=1, word=None)

    build.calls = 0
    monkeypatch.setattr(services, "build", build)
    generate(report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("done", 2)
    assert report.file.read() == b"%PDF-2"  # the render that finished first
    assert len(list(report.file.storage.listdir(report.file.name.rsplit("/", 1)[0])[1])) == 1
    assert len(mail.outbox) == 1
    # A third delivery of a report already done does nothing.
    generate(report.pk)
    assert Report.objects.get(pk=report.pk).attempts == 2
    assert len(mail.outbox) == 1
