"""Quarterly submissions in the browser: the liaison fills, saves, uploads evidence and submits;
the secretariat returns and approves on the board; history, export, concurrent edits and who may
see or review what, against the real Anqing demo data (its 2020 Q4 is reopened for 安庆工业学校,
and so is its 2024 Q3, returned to the school)."""

import io
import re
import secrets

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from jituan.models import Member, User
from targets.models import Evidence, Plan, Submission, Task, TaskReport

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

OWN_SCHOOL = "安庆工业学校"
OTHER_SCHOOL = "安庆职业技术学院"
FIRST_PROGRESS = "第四季度已完成计划工作，形成总结报告。"
NEW_PROGRESS = "已开设订单班 2 个，学生 64 人。"
COMMENT = "请补充订单班人数。"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# The actions of the round above, as the history table lists them: newest first.
HISTORY = ["已通过", "已提交", "已退回", "已提交", "佐证材料变更", "保存草稿"]
CONFLICT = re.compile(r"在您打开本页之后，.+已保存了这份填报")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Keep uploaded evidence out of the project's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def open_page(browser):
    """Another signed-out browser context (its own cookies: a second user, or the same user
    in a second window), closed after the test."""
    contexts = []

    def new_page() -> Page:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 800})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def plan_2020() -> Plan:
    return Plan.objects.get(year=2020)


def fill_url(live_server) -> str:
    return f"{live_server.url}/report/{plan_2020().pk}/4/"


def progress_areas(page: Page):
    return page.locator("textarea[name$='-progress']")


def first_task_id(page: Page) -> int:
    name = progress_areas(page).first.get_attribute("name")
    return int(re.fullmatch(r"task-(\d+)-progress", name).group(1))


def success(page: Page):
    return page.locator("main .alert-success")


def open_board_cell(page: Page, live_server, member: str, quarter: int, code: str) -> None:
    # The board opens on 2024, the latest year under way: these cells are 2020's.
    page.goto(f"{live_server.url}/submissions/board/?plan={plan_2020().pk}")
    cell = page.locator(f"td[data-cell='{Member.objects.get(name=member).pk}-{quarter}']")
    expect(cell).to_have_attribute("data-code", code)
    cell.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/submissions/\d+/$"))
    expect(page.locator("main h1")).to_contain_text(f"{member} · 2020 年第 {quarter} 季度进展")


def history_actions(page: Page) -> list[str]:
    """The action column of the history table, newest first (without any note below it)."""
    cells = page.get_by_test_id("history").locator("tbody tr td:nth-child(4)")
    return [text.strip().splitlines()[0] for text in cells.all_inner_texts()]


def test_it_runs_a_whole_quarter_from_filling_through_return_to_approval(
    page, live_server, open_page, tmp_path
):
    plan = plan_2020()
    sign_in(page, live_server, "lianluo")
    page.on("dialog", lambda dialog: dialog.accept())  # yes to "submit to the secretariat?"
    # Their desk opens on the newest work: the 2024 Q3 report the secretariat sent back.
    page.locator("#main-nav").get_by_role("link", name="本季度填报").click()
    latest = Plan.objects.get(year=2024)
    expect(page).to_have_url(f"{live_server.url}/report/{latest.pk}/3/")
    expect(page.get_by_test_id("submission-status")).to_have_text("已退回")
    expect(page.get_by_test_id("returned-notice")).to_be_visible()
    # The whole round below is 2020's fourth quarter, reopened for them too.
    page.goto(fill_url(live_server))
    expect(page.get_by_test_id("deadline-state")).to_contain_text("重新开放")

    areas = progress_areas(page)
    assert areas.count() > 1
    for area in areas.all():
        area.fill(FIRST_PROGRESS)
    for select in page.locator("select[name$='-status']").all():
        select.select_option("done")
    # The school's indicators (its enrollment quota, and those of the tasks naming it) all come
    # from registers: nothing to type, each figure shown beside the report with its records.
    expect(page.locator("input[name$='-value']")).to_have_count(0)
    figures = page.get_by_test_id("register-figures")
    expect(figures).to_contain_text("集团院校总招生计划")
    enrollment = figures.locator("tr", has_text="集团院校总招生计划")
    expect(enrollment.get_by_role("link", name="台账记录")).to_have_attribute(
        "href", re.compile(r"/registers/enrollment/\?year=2020&member=\d+")
    )
    page.locator("button[name=save]").click()
    expect(success(page)).to_contain_text("已保存草稿")
    expect(page.get_by_test_id("submission-status")).to_have_text("草稿")
    expect(progress_areas(page).first).to_have_value(FIRST_PROGRESS)
    task_id = first_task_id(page)

    pdf = tmp_path / "第四季度佐证.pdf"
    pdf.write_bytes(PDF)
    page.set_input_files("input[name=file]", str(pdf))
    page.get_by_role("button", name="上传").click()
    expect(success(page)).to_contain_text("佐证材料已上传")
    expect(page.get_by_test_id("evidence-list")).to_contain_text(pdf.name)

    page.locator("button[name=submit]").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("已提交")
    expect(page.locator("button[name=submit]")).to_have_count(0)

    # The secretariat returns it with a comment on the first task.
    secretariat = open_page()
    sign_in(secretariat, live_server, "mishu")
    open_board_cell(secretariat, live_server, OWN_SCHOOL, 4, "submitted")
    comment = secretariat.locator("input[name^=comment-task-]").first
    expect(comment).to_have_attribute("name", f"comment-task-{task_id}")
    comment.fill(COMMENT)
    secretariat.locator("button[name=return]").click()
    expect(success(secretariat)).to_contain_text("已退回联络员")
    expect(secretariat).to_have_url(re.compile(r"/submissions/board/"))

    # The liaison sees why, fixes the row and submits again.
    page.reload()
    expect(page.get_by_test_id("returned-notice")).to_be_visible()
    expect(page.get_by_test_id("submission-status")).to_have_text("已退回")
    row = page.locator(f"[data-row=task-{task_id}]")
    expect(row.get_by_test_id("review-comment")).to_contain_text(COMMENT)
    expect(page.get_by_test_id("review-comment")).to_have_count(1)
    progress_areas(page).first.fill(NEW_PROGRESS)
    page.locator("button[name=submit]").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("已提交")

    # The secretariat sees what changed and approves.
    open_board_cell(secretariat, live_server, OWN_SCHOOL, 4, "submitted")
    changes = secretariat.get_by_test_id("changes")
    expect(changes).to_contain_text("最新进展")
    expect(changes.locator("del")).to_contain_text([FIRST_PROGRESS])
    expect(changes).to_contain_text(NEW_PROGRESS)
    secretariat.locator("button[name=approve]").click()
    expect(success(secretariat)).to_contain_text("已通过")
    cell = secretariat.locator(f"td[data-cell='{Member.objects.get(name=OWN_SCHOOL).pk}-4']")
    expect(cell).to_have_attribute("data-code", "approved")

    # The liaison sees the approval and the whole story in the history.
    page.reload()
    expect(page.get_by_test_id("submission-status")).to_have_text("已通过")
    expect(page.locator("button[name=save], button[name=submit]")).to_have_count(0)
    page.get_by_role("link", name="历史记录").click()
    expect(page).to_have_url(re.compile(r"/submissions/\d+/history/$"))
    expect(page.get_by_test_id("history").locator("tbody tr")).to_have_count(6)
    assert history_actions(page) == HISTORY

    # The approved progress becomes the task's 最新进展, in the database and in the export.
    task = Task.objects.get(pk=task_id)
    assert NEW_PROGRESS in task.latest_progress
    response = secretariat.request.get(f"{live_server.url}/plans/{plan.pk}/export.xlsx")
    assert response.ok
    sheet = load_workbook(io.BytesIO(response.body())).active
    assert sheet["E3"].value == "最新进展"
    cells = {row[0]: row[4] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    assert NEW_PROGRESS in (cells[task.number] or "")


def test_it_refuses_a_save_made_on_a_page_opened_before_someone_elses_save(
    page, live_server, open_page
):
    second = open_page()
    for window in (page, second):
        sign_in(window, live_server, "lianluo")
        window.goto(fill_url(live_server))
    task_id = first_task_id(page)
    assert first_task_id(second) == task_id

    progress_areas(page).first.fill("第一个窗口保存的进展。")
    page.locator("button[name=save]").click()
    expect(success(page)).to_contain_text("已保存草稿")

    typed = "第二个窗口里输入、尚未保存的进展。"
    progress_areas(second).first.fill(typed)
    with second.expect_response(lambda r: r.request.method == "POST") as response_info:
        second.locator("button[name=save]").click()
    assert response_info.value.status == 409
    expect(second.locator("main .alert-danger")).to_contain_text(CONFLICT)
    expect(success(second)).to_have_count(0)
    expect(progress_areas(second).first).to_have_value(typed)

    report = TaskReport.objects.get(
        submission__plan__year=2020,
        submission__member__name=OWN_SCHOOL,
        submission__quarter=4,
        task_id=task_id,
    )
    assert report.progress == "第一个窗口保存的进展。"
    assert report.submission.versions.count() == 1


def test_it_hides_another_schools_submission_history_and_evidence_from_the_liaison(
    page, live_server, open_page
):
    other = Submission.objects.get(plan__year=2020, member__name=OTHER_SCHOOL, quarter=1)
    own = Submission.objects.get(plan__year=2020, member__name=OWN_SCHOOL, quarter=1)
    evidence = Evidence(
        submission=other,
        token=secrets.token_hex(16),
        original_name="他校佐证.pdf",
        size=len(PDF),
        content_type="application/pdf",
        uploaded_by=User.objects.get(username="mishu"),
    )
    evidence.file.save("他校佐证.pdf", ContentFile(PDF), save=True)

    sign_in(page, live_server, "lianluo")
    response = page.goto(f"{live_server.url}/submissions/{own.pk}/")
    assert response.status == 200  # their own school's is open to them
    expect(page.locator("main h1")).to_contain_text(OWN_SCHOOL)

    for path in (
        f"/submissions/{other.pk}/",
        f"/submissions/{other.pk}/history/",
        evidence.get_absolute_url(),
    ):
        response = page.request.get(live_server.url + path)
        assert response.status == 404, path
        body = response.text()
        assert OTHER_SCHOOL not in body, path
        assert not body.startswith("%PDF"), path

    response = page.goto(f"{live_server.url}/submissions/{other.pk}/")
    expect(page.locator("main h1")).to_have_text("页面不存在")

    # The secretariat gets the same file: the 404s above are the liaison's scope, not a bad URL.
    secretariat = open_page()
    sign_in(secretariat, live_server, "mishu")
    response = secretariat.request.get(live_server.url + evidence.get_absolute_url())
    assert response.status == 200
    assert response.body() == PDF


def test_it_lets_leadership_read_the_board_and_a_submission_but_not_review_it(
    page, live_server, open_page
):
    submission = Submission.objects.get(plan__year=2020, member__name="安徽理工学校", quarter=3)
    assert submission.status == Submission.Status.SUBMITTED
    sign_in(page, live_server, "lingdao")
    open_board_cell(page, live_server, "安徽理工学校", 3, "submitted")
    expect(page).to_have_url(f"{live_server.url}/submissions/{submission.pk}/")
    expect(page.get_by_test_id("submission-status")).to_have_text("已提交")
    expect(page.get_by_test_id("task-reports").locator("tbody tr")).not_to_have_count(0)
    expect(page.locator("button[name=approve], button[name=return]")).to_have_count(0)
    expect(page.get_by_role("button", name="通过")).to_have_count(0)
    expect(page.get_by_role("button", name="退回修改")).to_have_count(0)
    expect(page.locator("input[name^=comment-]")).to_have_count(0)

    review = f"{live_server.url}/submissions/{submission.pk}/review/"
    form = {"version": str(submission.version), "approve": ""}

    def post(window: Page):
        token = next(c["value"] for c in window.context.cookies() if c["name"] == "csrftoken")
        return window.request.post(review, form=form, headers={"X-CSRFToken": token})

    response = post(page)
    assert response.status == 403
    assert "无权访问" in response.text()  # the role check, not a CSRF failure
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED

    # The same request from the secretariat goes through: the 403 above was the role's.
    secretariat = open_page()
    sign_in(secretariat, live_server, "mishu")
    secretariat.goto(f"{live_server.url}/submissions/{submission.pk}/")
    response = post(secretariat)
    assert response.ok
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
