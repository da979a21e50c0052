"""Nothing the liaison typed is lost on the fill page: evidence goes up without leaving the page,
and leaving it with unsaved entries asks first. Against the Anqing demo data, whose 2024 Q3 the
secretariat returned to 安庆工业学校 and reopened for it."""

import re

import pytest
from playwright.sync_api import Page, expect

from targets.models import Evidence, Plan, TaskReport

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

OWN_SCHOOL = "安庆工业学校"
FIRST = "任务一：本季度新增合作企业 3 家。"
SECOND = "任务二：完成实训基地建设方案论证。"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Keep uploaded evidence out of the project's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


def open_returned_quarter(page: Page, live_server) -> None:
    sign_in(page, live_server, "lianluo")
    plan = Plan.objects.get(year=2024)
    page.goto(f"{live_server.url}/report/{plan.pk}/3/")
    expect(page.get_by_test_id("submission-status")).to_have_text("已退回")


def progress(page: Page, index: int):
    return page.locator("textarea[name$='-progress']").nth(index)


def task_id(page: Page, index: int) -> int:
    name = progress(page, index).get_attribute("name")
    return int(re.fullmatch(r"task-(\d+)-progress", name).group(1))


def stored_progress(task: int) -> str:
    return TaskReport.objects.get(
        submission__plan__year=2024,
        submission__member__name=OWN_SCHOOL,
        submission__quarter=3,
        task_id=task,
    ).progress


def test_it_keeps_typed_progress_through_an_evidence_upload(page, live_server, tmp_path):
    open_returned_quarter(page, live_server)
    assert page.locator("textarea[name$='-progress']").count() > 1
    first, second = task_id(page, 0), task_id(page, 1)
    page.evaluate("window.notReloaded = true")

    progress(page, 0).fill(FIRST)
    pdf = tmp_path / "合作协议.pdf"
    pdf.write_bytes(PDF)
    page.set_input_files("input[name=file]", str(pdf))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_test_id("evidence-message").locator(".alert-success")).to_contain_text(
        "佐证材料已上传"
    )
    expect(page.get_by_test_id("evidence-list")).to_contain_text(pdf.name)
    expect(page.locator("main .alert-success")).to_have_count(1)
    assert page.evaluate("window.notReloaded") is True  # the page was never left
    assert Evidence.objects.filter(original_name=pdf.name).exists()
    progress(page, 1).fill(SECOND)
    expect(progress(page, 0)).to_have_value(FIRST)
    expect(progress(page, 1)).to_have_value(SECOND)

    page.locator("button[name=save]").click()  # sending the form itself asks nothing
    expect(page.locator("main .alert-success")).to_contain_text("已保存草稿")
    expect(progress(page, 0)).to_have_value(FIRST)
    expect(progress(page, 1)).to_have_value(SECOND)
    assert (stored_progress(first), stored_progress(second)) == (FIRST, SECOND)


def test_it_shows_a_refused_upload_inline_and_keeps_what_was_typed(page, live_server, tmp_path):
    open_returned_quarter(page, live_server)
    progress(page, 0).fill(FIRST)
    text = tmp_path / "说明.txt"
    text.write_text("not evidence")
    page.set_input_files("input[name=file]", str(text))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_test_id("evidence-message").locator(".alert-danger")).to_contain_text("PDF")
    expect(progress(page, 0)).to_have_value(FIRST)


def test_it_asks_before_leaving_the_page_with_unsaved_progress(page, live_server):
    open_returned_quarter(page, live_server)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    url = page.url
    page.get_by_role("link", name="历史记录").click()  # nothing typed: leaves without asking
    expect(page).to_have_url(re.compile(r"/history/$"))
    assert dialogs == []

    page.goto(url)
    progress(page, 0).fill(FIRST)
    with page.expect_event("dialog"):
        page.get_by_role("link", name="历史记录").click()
    expect(progress(page, 0)).to_have_value(FIRST)
    assert dialogs == ["beforeunload"]
    assert page.url == url


def test_it_asks_before_submitting_and_keeps_the_text_when_the_answer_is_no(page, live_server):
    open_returned_quarter(page, live_server)
    answers = iter([False, True])
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept() if next(answers) else dialog.dismiss()

    page.on("dialog", answer)
    progress(page, 0).fill(FIRST)
    with page.expect_event("dialog"):
        page.locator("button[name=submit]").click()
    expect(progress(page, 0)).to_have_value(FIRST)
    expect(page.get_by_test_id("submission-status")).to_have_text("已退回")

    page.locator("button[name=submit]").click()  # yes this time: sent, and no "leave?" asked
    expect(page.get_by_test_id("submission-status")).to_have_text("已提交")
    assert dialogs == ["confirm", "confirm"]
    assert stored_progress(task_id(page, 0)) == FIRST
