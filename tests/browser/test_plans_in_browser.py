"""Annual plans in the browser: reading a plan, importing and exporting task-breakdown sheets, and
what each role may see and do on a plan, against the real Anqing demo data."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db.models import Sum
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from enrollment.models import Enrollment
from jituan.celery import app as celery_app
from targets.models import ImportBatch, Plan, Task
from tests.sheets import FOUR, HEADER, task_rows, task_sheet

from .conftest import digits, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

SHAHE = Path(django_settings.BASE_DIR) / "fixtures/reference/shahe-2020-task-breakdown.xlsx"
ENROLLMENT = "集团院校总招生计划"
SHAHE_TITLE = "沙河市教育局 2020 年职业教育产教融合任务分解一览表"
OWN_SCHOOL = "安庆工业学校"


@pytest.fixture(autouse=True)
def eager_uploads(monkeypatch, settings, tmp_path):
    """The live server runs in this process: let the upload view's Celery task run inline (its
    on_commit fires normally under transactional_db), and keep uploaded files in tmp_path.

    setitem, not setattr: this pytest's setattr undoes through the instance __dict__, which
    celery's Settings (a mapping with attribute access) does not use, so its undo would fail."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    settings.MEDIA_ROOT = tmp_path / "media"


def plan_url(live_server, year: int) -> str:
    return f"{live_server.url}{Plan.objects.get(year=year).get_absolute_url()}"


def task_rows_in_table(page: Page):
    """The task table's task rows (section headings are rows of their own)."""
    return page.get_by_test_id("task-table").locator("tbody tr:not(.table-secondary)")


def task_numbers_in_table(page: Page) -> list[str]:
    return task_rows_in_table(page).locator("td:first-child").all_inner_texts()


def upload(page: Page, live_server, path: Path, year: int, kind: str = "tasks") -> None:
    page.goto(f"{live_server.url}/imports/new/")
    page.select_option("select[name=kind]", kind)
    page.fill("input[name=year]", str(year))
    page.set_input_files("input[name=file]", str(path))
    page.locator("main form button[type=submit]").click()


def preview_counts(page: Page) -> dict[str, int]:
    """The preview's count cards, {"新增": …, "变更": …, "未变": …, "错误": …}, once ready."""
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    counts = page.get_by_test_id("import-counts")
    expect(counts).to_be_visible()
    pairs = counts.locator(".card").evaluate_all(
        "cards => cards.map(card => [card.querySelector('.small').innerText,"
        " card.querySelector('.fs-4').innerText])"
    )
    return {label.strip(): int(value) for label, value in pairs}


def test_it_shows_the_secretariat_the_2020_plan_with_its_tasks_and_indicators(page, live_server):
    sign_in(page, live_server, "mishu")
    page.locator("#main-nav").get_by_role("link", name="年度计划").click()
    expect(page).to_have_url(f"{live_server.url}/plans/")
    page.locator("main table tbody tr").filter(has_text="2020").get_by_role("link").first.click()

    expect(page).to_have_url(plan_url(live_server, 2020))
    expect(page.locator("main .page-header")).to_contain_text("安职集团〔2020〕2号")
    expect(task_rows_in_table(page)).to_have_count(15)
    assert task_numbers_in_table(page)[:2] == ["（一）1", "（一）2"]

    indicators = page.get_by_test_id("indicator-table")
    expect(indicators.locator("tbody tr")).to_have_count(14)
    row = indicators.locator("tbody tr").filter(
        has=page.get_by_role("link", name=ENROLLMENT, exact=True)
    )
    expect(row).to_have_count(1)
    actual_enrollment = Enrollment.objects.filter(year=2020).aggregate(n=Sum("actual"))["n"]
    assert actual_enrollment
    assert digits(row.get_by_test_id("actual").inner_text()) == str(actual_enrollment)
    allocated = row.locator("td").nth(7)
    assert digits(allocated.inner_text()) == "13546"
    expect(allocated.locator(".badge.text-bg-success")).to_have_attribute(
        "title", "分解合计与目标一致"
    )
    expect(row.get_by_test_id("allocation-mismatch")).to_have_count(0)


def test_it_imports_a_task_sheet_for_a_new_year_and_changes_nothing_the_second_time(
    page, live_server
):
    assert not Plan.objects.filter(year=2019).exists()
    sign_in(page, live_server, "mishu")
    upload(page, live_server, SHAHE, 2019)

    assert preview_counts(page) == {"新增": 7, "变更": 0, "未变": 0, "错误": 0}
    expect(page.locator("main .alert-info")).to_have_text(
        "还没有 2019 年的计划：确认导入时将以表格标题新建。"
    )
    expect(page.get_by_test_id("import-problems")).to_have_count(0)
    assert not Plan.objects.filter(year=2019).exists()  # the preview writes nothing

    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_test_id("import-status")).to_have_text("已导入")  # written by the worker
    page.get_by_test_id("import-done").get_by_role("link").click()
    expect(page).to_have_url(plan_url(live_server, 2019))
    expect(page.locator("main h1")).to_have_text(SHAHE_TITLE)
    expect(task_rows_in_table(page)).to_have_count(7)
    assert task_numbers_in_table(page) == [str(number) for number in range(1, 8)]
    assert Task.objects.filter(plan__year=2019).count() == 7
    batch = ImportBatch.objects.get(year=2019)
    assert (batch.status, batch.committed_by.username) == (ImportBatch.Status.COMMITTED, "mishu")

    upload(page, live_server, SHAHE, 2019)
    assert preview_counts(page) == {"新增": 0, "变更": 0, "未变": 7, "错误": 0}
    expect(page.locator("main .alert-info")).to_have_count(0)
    assert Task.objects.filter(plan__year=2019).count() == 7


def test_it_lists_the_errors_of_a_bad_sheet_by_row_and_column_and_writes_nothing(
    page, live_server, tmp_path
):
    rows = task_rows("1", "甲任务", FOUR) + task_rows("2", "乙任务", FOUR)
    rows[5][2] = "5季度"  # task 2, second quarter: sheet row 3 + 6 = 9, column C
    bad = task_sheet(tmp_path / "bad.xlsx", rows)
    sign_in(page, live_server, "mishu")
    upload(page, live_server, bad, 2021)

    assert preview_counts(page)["错误"] == 1
    problems = page.get_by_test_id("import-problems")
    expect(problems.locator("li")).to_have_text(
        ["工作表“Sheet”，第 9 行，第 C 列：“5季度”不是季度，请填写 1季度 至 4季度。"]
    )
    expect(page.get_by_test_id("import-status")).to_have_text("有错误")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    expect(page.locator("main form[action$='/commit/']")).to_have_count(0)
    assert ImportBatch.objects.get(year=2021).status == ImportBatch.Status.REJECTED
    assert not Plan.objects.filter(year=2021).exists()

    text = tmp_path / "tasks.txt"
    text.write_text("序号,目标任务\n1,甲任务\n", encoding="utf-8")
    batches = ImportBatch.objects.count()
    upload(page, live_server, text, 2021)
    expect(page).to_have_url(f"{live_server.url}/imports/new/")
    expect(page.locator("main form")).to_contain_text("请上传 .xlsx 文件。")
    assert ImportBatch.objects.count() == batches
    assert not Plan.objects.filter(year=2021).exists()


def test_it_exports_the_task_sheet_and_imports_it_back_without_changes(page, live_server, tmp_path):
    sign_in(page, live_server, "mishu")
    page.goto(plan_url(live_server, 2020))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出任务分解表").click()
    download = download_info.value
    assert download.suggested_filename == "2020-任务分解一览表.xlsx"
    exported = tmp_path / download.suggested_filename
    download.save_as(exported)

    sheet = load_workbook(exported).active
    assert [cell.value for cell in sheet[3]] == [*HEADER, "牵头单位", "协办单位"]
    assert "A4:A7" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert sheet["A4"].value == "（一）1"

    upload(page, live_server, exported, 2020)
    assert preview_counts(page) == {"新增": 0, "变更": 0, "未变": 15, "错误": 0}
    expect(page.locator("main .alert-info")).to_have_count(0)


def test_it_shows_the_liaison_only_the_tasks_of_their_school(page, live_server):
    own = Task.objects.filter(plan__year=2020, responsible_members__name=OWN_SCHOOL)
    expected = list(own.order_by("position").values_list("number", flat=True))
    assert 0 < len(expected) < 15
    other = Task.objects.get(plan__year=2020, number="（三）")
    assert not other.responsible_members.filter(name=OWN_SCHOOL).exists()

    sign_in(page, live_server, "lianluo")
    page.goto(plan_url(live_server, 2020))
    expect(task_rows_in_table(page)).to_have_count(len(expected))
    assert task_numbers_in_table(page) == expected
    expect(page.get_by_test_id("task-table")).not_to_contain_text(other.title)

    response = page.goto(f"{live_server.url}/imports/new/")
    assert response.status == 403
    expect(page.locator("main form")).to_have_count(0)

    response = page.goto(f"{live_server.url}{other.get_absolute_url()}")
    assert response.status == 404
    expect(page.locator("main h1")).to_have_text("页面不存在")
    expect(page.locator("body")).not_to_contain_text(other.title)


def test_it_lets_leadership_read_a_plan_but_not_add_or_edit_tasks(page, live_server):
    plan = Plan.objects.get(year=2020)
    sign_in(page, live_server, "lingdao")
    page.goto(plan_url(live_server, 2020))
    expect(page.locator("main .page-header")).to_contain_text("安职集团〔2020〕2号")
    expect(task_rows_in_table(page)).to_have_count(15)
    main = page.locator("main")
    expect(main.get_by_role("link", name="新建任务")).to_have_count(0)
    expect(main.get_by_role("link", name="编辑")).to_have_count(0)
    expect(main.locator('a[href^="/tasks/new/"], a[href$="/edit/"]')).to_have_count(0)
    expect(main.get_by_role("link", name="导出任务分解表")).to_be_visible()

    response = page.goto(f"{live_server.url}/tasks/new/?plan={plan.pk}")
    assert response.status == 403
    expect(page.locator("main form")).to_have_count(0)
