"""Reports in the browser on the Anqing demo: the secretariat generates the month's dispatch
report and downloads it; leadership reads the archive."""

import subprocess

import pytest
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


def test_leadership_reads_the_archive_without_generating(page, live_server):
    sign_in(page, live_server, "lingdao")
    page.goto(f"{live_server.url}/reports/")
    expect(page.get_by_test_id("report-archive")).to_be_visible()
    expect(page.get_by_test_id("generate-form")).to_have_count(0)
