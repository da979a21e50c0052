"""A report whose render raises ends failed with a reason in Chinese, never left 生成中."""

import re

import pytest
from openpyxl.utils.exceptions import IllegalCharacterError

from jituan.celery import app as celery_app
from reports import services
from reports.models import Report
from reports.services import request_report
from reports.tasks import render_report
from targets.models import Plan

pytestmark = pytest.mark.django_db
CHINESE = re.compile("[\u4e00-\u9fff]")


@pytest.fixture
def report(school_a, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    Plan.objects.create(year=2020, title="2020 年重点工作")
    return request_report(kind="dispatch", year=2020, month=5, format="xlsx")


def failing_build(*errors):
    """A build that raises the given errors in turn, then renders as usual."""
    real = services.build
    pending = list(errors)

    def build(*args, **kwargs):
        kwargs["on_progress"](10, "Gathering the data")
        if pending:
            raise pending.pop(0)
        return real(*args, **kwargs)

    return build


@pytest.mark.parametrize(
    "error",
    [ValueError("bad cell"), IllegalCharacterError("\x0b cannot be used"), KeyError("member")],
)
def test_a_data_error_fails_the_report_at_once_in_chinese(report, monkeypatch, error):
    monkeypatch.setattr(services, "build", failing_build(error, error, error, error, error))

    render_report.apply(args=[report.pk])

    report.refresh_from_db()
    assert (report.status, report.progress, report.attempts) == (Report.Status.FAILED, 100, 1)
    assert CHINESE.search(report.error), report.error


def test_a_transient_error_is_retried_then_fails_the_report(report, monkeypatch):
    monkeypatch.setattr(services, "build", failing_build(*[OSError("disk full")] * 5))

    render_report.apply(args=[report.pk])

    report.refresh_from_db()
    assert (report.status, report.progress) == (Report.Status.FAILED, 100)
    assert report.attempts == 4  # the first try and three retries
    assert CHINESE.search(report.error) and "disk full" in report.error


def test_a_transient_error_that_passes_renders_the_report(report, monkeypatch):
    monkeypatch.setattr(services, "build", failing_build(OSError("disk full")))

    render_report.apply(args=[report.pk])

    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert report.attempts == 2


def test_a_late_failure_of_a_second_delivery_leaves_a_finished_report_done(report):
    render_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    services.fail(report.pk, "第二次投递失败")
    report.refresh_from_db()
    assert (report.status, report.error) == (Report.Status.DONE, "")
