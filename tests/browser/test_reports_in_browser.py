"""Reports in the browser on the Anqing demo: the secretariat generates the month's dispatch
report as a draft, previews it and issues it; leadership reads only what was issued."""

import subprocess

import pytest
from django.core import mail
from docx import Document
from playwright.sync_api import expect

from jituan.celery import app as celery_app
from reports.models import Report

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


@pytest.fixture(autouse=True)
def eager_worker(monkeypatch):
    """The live server runs in this process: let the worker's task run inline (on commit)."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def test_the_secretariat_generates_and_downloads_the_dispatch_report(page, live_server, tmp_path):
    sign_in(page, live_server, "mishu")
    page.locator("#main-nav").get_by_role("link", name="报告").click()
    form = page.get_by_test_id("generate-form")
    form.locator("select[name=kind]").select_option("dispatch")
    form.locator("input[name=year]").fill("2020")
    form.locator("input[name=month]").fill("13")
    form.get_by_role("button", name="生成").click()
    expect(page.locator("form .invalid-feedback, form .alert-danger").first).to_be_visible()
    assert not Report.objects.exists()

    form = page.get_by_test_id("generate-form")
    form.locator("input[name=month]").fill("5")
    form.get_by_role("button", name="生成").click()
    expect(page.get_by_test_id("report-status")).to_have_text("完成")
    report = Report.objects.get()
    expect(page.get_by_test_id("report-sha256")).to_have_text(report.sha256)
    with page.expect_download() as download:
        page.get_by_test_id("report-download").click()
    path = tmp_path / "dispatch.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "2020年5月重点工作调度通报" in text
    assert "安庆工业学校" in text
    assert "数据截至2020年6月5日24时" in text
    # Its Word version, from the same run: the secretariat edits it before issuing.
    expect(page.get_by_test_id("report-word-sha256")).to_have_text(report.word_sha256)
    with page.expect_download() as download:
        page.get_by_test_id("report-download-word").click()
    assert download.value.suggested_filename.endswith(".docx")
    path = tmp_path / "dispatch.docx"
    download.value.save_as(path)
    paragraphs = [paragraph.text for paragraph in Document(str(path)).paragraphs]
    assert "2020年5月重点工作调度通报" in paragraphs and "安职集团调度〔2020〕5号" in paragraphs

    # A draft until issued: nothing has gone to the council.
    expect(page.get_by_test_id("report-issue-state")).to_have_text("草稿，待签发")
    assert mail.outbox == []
    with page.expect_popup() as preview:
        page.get_by_test_id("report-preview").click()
    assert preview.value.url.endswith("?preview=1")
    preview.value.close()
    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first: "no" sends nothing
    page.get_by_test_id("report-issue").click()
    expect(page.get_by_test_id("report-issue-state")).to_have_text("草稿，待签发")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("report-issue").click()
    expect(page.get_by_test_id("report-issue-state")).to_contain_text("已签发")
    report.refresh_from_db()
    assert report.issued_by.username == "mishu"
    expect(page.get_by_test_id("report-issued")).to_contain_text(report.issued_by.get_full_name())
    expect(page.get_by_test_id("report-issue")).to_have_count(0)
    assert len(mail.outbox) == 1 and "签发" in mail.outbox[0].body


def test_leadership_sees_a_report_only_once_it_is_issued(page, live_server):
    from jituan.models import User
    from reports.services import generate, report_issue, request_report

    secretary = User.objects.get(username="mishu")
    draft = request_report(kind="dispatch", year=2020, month=5, user=secretary)
    generate(draft.pk)
    sign_in(page, live_server, "lingdao")
    page.goto(f"{live_server.url}/reports/")
    expect(page.get_by_test_id("report-archive")).to_contain_text("还没有生成过报告")
    report_issue(report=draft, user=secretary)
    page.reload()
    expect(page.get_by_test_id("report-archive")).to_contain_text("已签发")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_test_id("report-archive").get_by_role("link", name="月调度通报").first.click()
    expect(page.get_by_test_id("report-download")).to_be_visible()
    expect(page.get_by_test_id("draft-actions")).to_have_count(0)
    expect(page.get_by_test_id("issued-actions")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the report page overflows a phone: {width}px"


def test_leadership_reads_the_archive_without_generating(page, live_server):
    sign_in(page, live_server, "lingdao")
    page.goto(f"{live_server.url}/reports/")
    expect(page.get_by_test_id("report-archive")).to_be_visible()
    expect(page.get_by_test_id("generate-form")).to_have_count(0)
