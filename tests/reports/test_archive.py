"""Requesting, archiving and downloading reports; who may do what; the monthly schedule."""

import hashlib
import subprocess
from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from jituan.celery import app as celery_app
from reports.models import Report
from reports.services import generate, report_issue, request_monthly_dispatch, request_report
from targets.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(school_a):
    return Plan.objects.create(
        year=2020, title="2020 年重点工作", document_number="安职集团〔2020〕2号"
    )


@pytest.fixture
def eager(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def test_the_secretariat_generates_a_dispatch_report_through_the_worker_task(
    client_for, secretariat, plan, eager, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:generate"),
            {"kind": "dispatch", "year": 2020, "month": 5, "format": "pdf"},
        )
    report = Report.objects.get()
    assert response.url == report.get_absolute_url()
    assert (report.status, report.version, report.progress) == ("done", 1, 100)
    assert report.requested_by == secretariat
    content = report.file.read()
    assert content.startswith(b"%PDF") and report.pages >= 1
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert b"".join(download.streaming_content) == content
    assert (
        "2020年5月" in download["Content-Disposition"]
        or "filename*" in download["Content-Disposition"]
    )
    # A draft: nobody is mailed until a secretariat user issues it.
    assert report.is_draft and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        issued = client.post(reverse("reports:issue", args=[report.pk]))
    assert issued.url == report.get_absolute_url()
    report.refresh_from_db()
    assert report.issued_by == secretariat and report.issued_at is not None
    # Sent to the council once, with the PDF, saying who issued it.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == settings.JITUAN_COUNCIL_EMAILS
    assert mail.outbox[0].attachments[0][1] == content
    assert "签发" in mail.outbox[0].body and "数据截至 2020年6月5日24时" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("reports:issue", args=[report.pk]), follow=True)
    assert "该报告已经签发" in again.content.decode()
    assert len(mail.outbox) == 1


def test_generating_again_is_a_new_version_and_an_old_one_is_left_alone(
    secretariat, plan, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = request_report(kind="dispatch", year=2020, month=5, format="pdf", user=secretariat)
        # Asked again while the first still waits for the worker: the same request.
        assert request_report(kind="dispatch", year=2020, month=5, user=secretariat) == first
    with django_capture_on_commit_callbacks(execute=True):
        second = request_report(kind="dispatch", year=2020, month=5, format="pdf", user=secretariat)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    again = generate(first.pk)  # a redelivered task for a finished report
    assert (again.sha256, again.file.name, again.attempts) == (first.sha256, first.file.name, 1)
    assert mail.outbox == []  # drafts are never sent


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "dispatch", "year": 2019, "month": 5, "format": "pdf"}, "没有 2019 年的年度计划"),
        ({"kind": "dispatch", "year": 2020, "month": "", "format": "pdf"}, "1 到 12"),
        ({"kind": "dispatch", "year": 2020, "month": 13, "format": "pdf"}, "12"),
        ({"kind": "weekly", "year": 2020, "month": 5, "format": "pdf"}, "weekly"),
        ({"kind": "dispatch", "year": "去年", "month": 5, "format": "pdf"}, "整数"),
    ],
)
def test_a_bad_request_gets_a_chinese_message_and_writes_nothing(
    client_for, secretariat, plan, data, message
):
    response = client_for(secretariat).post(reverse("reports:generate"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_leadership_reads_the_archive_but_cannot_generate(
    client_for, leadership, secretariat, plan, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="dispatch", year=2020, month=5, user=secretariat)
    client = client_for(leadership)
    archive = client.get(reverse("reports:archive"))
    assert archive.status_code == 200 and archive.context["form"] is None
    # A draft is the secretariat's until issued.
    assert list(archive.context["reports"]) == []
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:issue", args=[report.pk])).status_code == 403
    report_issue(report=report, user=secretariat)
    assert list(client.get(reverse("reports:archive")).context["reports"]) == [report]
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 200
    response = client.post(reverse("reports:generate"), {"kind": "dispatch", "year": 2020})
    assert response.status_code == 403
    assert Report.objects.count() == 1


def test_a_liaison_opens_no_report(client_for, liaison, secretariat, plan):
    report = request_report(kind="dispatch", year=2020, month=5, user=secretariat)
    client = client_for(liaison)
    for name, args in [
        ("reports:archive", []),
        ("reports:detail", [report.pk]),
        ("reports:status", [report.pk]),
        ("reports:download", [report.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert client.post(reverse("reports:generate"), {"kind": "dispatch"}).status_code == 403


def test_the_status_endpoint_reports_progress(client_for, secretariat, plan):
    report = request_report(kind="dispatch", year=2020, month=5, user=secretariat)
    status = client_for(secretariat).get(reverse("reports:status", args=[report.pk])).json()
    assert status == {
        "status": "queued",
        "status_label": "排队中",
        "percent": 0,
        "step": "",
        "finished": False,
        "error": "",
    }


def test_a_report_that_cannot_be_rendered_fails_with_the_reason(secretariat, plan):
    report = request_report(kind="dispatch", year=2020, month=5, user=secretariat)
    plan.delete()
    failed = generate(report.pk)
    assert failed.status == "failed"
    assert "没有 2020 年的年度计划" in failed.error


def test_beat_makes_sure_every_closed_month_has_its_report_once(plan, secretariat):
    schedule = settings.CELERY_BEAT_SCHEDULE["monthly-dispatch-report"]
    assert schedule["task"] == "reports.tasks.monthly_dispatch"
    assert schedule["schedule"].hour == {6}  # daily: a tick lost to a broker outage is made up
    # May closes with its cut-off on June 5: before that, April is the last closed month.
    assert request_monthly_dispatch(today=date(2020, 6, 3)).month == 4
    may = request_monthly_dispatch(today=date(2020, 6, 6))
    assert (may.year, may.month, may.scheduled) == (2020, 5, True)
    assert request_monthly_dispatch(today=date(2020, 6, 20)) == may
    assert request_monthly_dispatch(today=date(2021, 1, 8)).month == 12  # December 2020
    assert request_monthly_dispatch(today=date(2019, 3, 8)) is None  # no 2019 plan
    # A report the secretariat generated by hand counts: no second one is asked for.
    june = request_report(kind="dispatch", year=2020, month=6, user=secretariat)
    assert request_monthly_dispatch(today=date(2020, 7, 7)) == june
    assert Report.objects.count() == 4


def test_render_report_command_writes_a_pdf_with_chinese_text(plan, tmp_path):
    from django.core.management import call_command

    output = tmp_path / "dispatch.pdf"
    call_command("render_report", "dispatch", "--year", "2020", "--month", "5", "--output", output)
    text = subprocess.run(
        ["pdftotext", "-layout", str(output), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "2020年5月重点工作调度通报" in text
    assert "安职集团调度〔2020〕5号" in text
    assert "—1—" in text.replace(" ", "")  # 「— 1 —」, GB/T 9704's page number
    fonts = subprocess.run(["pdffonts", str(output)], capture_output=True, text=True).stdout
    assert "CJK" in fonts and "Identity-H" in fonts


def test_render_report_command_refuses_a_year_without_a_plan(db, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="没有 2019 年的年度计划"):
        call_command(
            "render_report",
            "dispatch",
            "--year",
            "2019",
            "--month",
            "5",
            "--output",
            tmp_path / "x.pdf",
        )
    assert not (tmp_path / "x.pdf").exists()


def test_the_scheduled_report_lands_as_a_draft_and_the_secretariat_is_told(
    plan, secretariat, leadership, eager, django_capture_on_commit_callbacks
):
    secretariat.email = "mishu@example.cn"
    secretariat.save()
    leadership.email = "lingdao@example.cn"
    leadership.save()
    with django_capture_on_commit_callbacks(execute=True):
        report = request_monthly_dispatch(today=date(2020, 6, 6))
    report.refresh_from_db()
    assert (report.status, report.is_draft) == ("done", True)
    [notice] = mail.outbox  # the secretariat only: nothing goes to the council or leadership
    assert notice.to == ["mishu@example.cn"]
    assert "待签发" in notice.subject and report.get_absolute_url() in notice.body


def test_an_issued_report_is_corrected_by_a_new_version_never_changed(
    client_for, secretariat, plan, eager, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="dispatch", year=2020, month=5, user=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        report_issue(report=report, user=secretariat)
    sha256 = Report.objects.get(pk=report.pk).sha256
    refused = client.post(reverse("reports:regenerate", args=[report.pk]), follow=True)
    assert "已签发的报告不能修改" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:correct", args=[report.pk]))
    correction = Report.objects.exclude(pk=report.pk).get()
    assert (correction.version, correction.replaces, correction.is_draft) == (2, report, True)
    assert Report.objects.get(pk=report.pk).sha256 == sha256
    page = client.get(reverse("reports:detail", args=[correction.pk])).content.decode()
    assert "更正第 1 版" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:issue", args=[correction.pk]))
    assert "更正并替代第 1 版" in mail.outbox[-1].body


def test_only_the_secretariat_issues(client_for, admin_user, secretariat, plan):
    report = request_report(kind="dispatch", year=2020, month=5, user=secretariat)
    generate(report.pk)
    assert (
        client_for(admin_user).post(reverse("reports:issue", args=[report.pk])).status_code == 403
    )
    assert Report.objects.get(pk=report.pk).is_draft


@pytest.mark.django_db(transaction=True)  # on-commit sends run at commit, as in production
def test_with_the_queue_down_the_request_is_kept_and_the_page_answers_at_once(
    client_for, secretariat, plan, monkeypatch
):
    from reports.tasks import render_report

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis://127.0.0.1:6379 refused")

    monkeypatch.setattr(render_report, "apply_async", broker_down)
    client = client_for(secretariat)
    data = {"kind": "dispatch", "year": 2020, "month": 5, "format": "pdf"}
    response = client.post(reverse("reports:generate"), data, follow=True)
    assert response.status_code == 200
    assert "队列暂时不可用" in response.content.decode()
    report = Report.objects.get()
    assert report.status == "queued"  # kept: the sweep sends it when the queue is back
    # Clicking again does not ask for a second version of the same report.
    client.post(reverse("reports:generate"), data)
    assert Report.objects.count() == 1


def test_the_pdf_preview_is_not_held_to_the_page_policy(
    client_for, secretariat, plan, eager, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="dispatch", year=2020, month=5, user=secretariat)
    assert "Content-Security-Policy" in client.get(reverse("reports:archive"))
    preview = client.get(reverse("reports:download", args=[report.pk]), {"preview": "1"})
    assert preview["Content-Type"] == "application/pdf"
    assert "inline" in preview["Content-Disposition"]
    assert "Content-Security-Policy" not in preview
