"""The task-breakdown sheet import: what it creates, updates, and refuses."""

import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from targets.exports import task_sheet_workbook
from targets.importers.task_sheet import parse_quarter
from targets.models import Milestone, Plan, Task
from targets.services import plan_import_tasks
from tests.sheets import FOUR, HEADER, task_rows, task_sheet

pytestmark = pytest.mark.django_db
SHAHE = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "reference"
    / "shahe-2020-task-breakdown.xlsx"
)


def two_tasks():
    return task_rows(1, "扩大招生规模", FOUR) + task_rows(2, "订单培养", FOUR, phone="0556-5301234")


def run(path, *, commit=True, year=2020):
    return plan_import_tasks(path=path, year=year, commit=commit)


def problems(result):
    return [problem["text"] for problem in result.preview["problems"]]


def nothing_written():
    return not Task.objects.exists() and not Milestone.objects.exists()


def test_it_imports_the_shahe_example_sheet():
    result = run(SHAHE)
    assert result.applied
    plan = Plan.objects.get(year=2020)
    assert plan.title == "沙河市教育局 2020 年职业教育产教融合任务分解一览表"
    assert plan.tasks.count() == 7
    task = plan.tasks.get(number="2")
    assert task.title == "新增一批相关专业"
    assert task.milestones_by_quarter()[1].startswith("拟完成计算机网络技术、美容美体2个新增专业")
    assert Milestone.objects.filter(task__plan=plan).count() == 28


def test_the_preview_warns_of_a_sheet_titled_for_another_year_and_of_tasks_without_members(
    client_for, secretariat, school_a
):
    preview = run(SHAHE, commit=False, year=2021).preview
    assert preview["title_year"] == 2020
    assert run(SHAHE, commit=False, year=2020).preview["title_year"] is None
    assert len(preview["without_members"]) == preview["without_members_total"] == 7
    assert preview["without_members"][1] == "2 新增一批相关专业"

    run(SHAHE)  # into 2020, as its title says
    plan = Plan.objects.get(year=2020)
    plan.tasks.get(number="2").responsible_members.add(school_a)
    assert "2 新增一批相关专业" not in run(SHAHE, commit=False).preview["without_members"]
    page = client_for(secretariat).get(plan.get_absolute_url()).content.decode()
    assert page.count('data-testid="task-without-members"') == 6


def test_it_previews_without_writing():
    result = run(SHAHE, commit=False)
    assert result.preview["counts"]["new"] == 7
    assert result.preview["new_plan"] is True
    assert not result.applied
    assert not Plan.objects.exists()


def test_it_changes_nothing_when_the_same_file_comes_again():
    run(SHAHE)
    stamps = list(Task.objects.order_by("pk").values_list("pk", "updated_at"))
    again = run(SHAHE)
    assert again.preview["counts"] == {"new": 0, "changed": 0, "unchanged": 7, "error": 0}
    assert list(Task.objects.order_by("pk").values_list("pk", "updated_at")) == stamps


def test_it_updates_a_task_matched_by_number_and_shows_old_and_new(tmp_path):
    run(task_sheet(tmp_path / "a.xlsx", two_tasks()))
    rows = task_rows(1, "持续扩大招生规模", ["下达招生计划。", *FOUR[1:]]) + task_rows(
        2, "订单培养", FOUR, phone="0556-5301234"
    )
    result = run(task_sheet(tmp_path / "b.xlsx", rows), commit=False)
    changed = {row["key"]: row for row in result.preview["rows"]}
    assert changed["1"]["status"] == "changed"
    assert {"field": "目标任务", "old": "扩大招生规模", "new": "持续扩大招生规模"} in changed["1"][
        "changes"
    ]
    assert {"field": "1季度形象进度", "old": "制定方案。", "new": "下达招生计划。"} in changed["1"][
        "changes"
    ]
    assert changed["2"]["status"] == "unchanged"
    run(task_sheet(tmp_path / "b.xlsx", rows))
    assert Task.objects.count() == 2
    assert Task.objects.get(number="1").milestones_by_quarter()[0] == "下达招生计划。"


def test_it_keeps_stored_values_where_the_sheet_is_blank(tmp_path):
    run(task_sheet(tmp_path / "a.xlsx", two_tasks()))
    rows = task_rows(1, "扩大招生规模", FOUR, leader=None, person=None, phone=None)
    result = run(task_sheet(tmp_path / "b.xlsx", rows))
    assert result.preview["counts"]["unchanged"] == 1
    assert Task.objects.get(number="1").supervising_leader == "王进"


def test_it_stores_phone_numbers_written_as_numbers_as_digits(tmp_path):
    run(task_sheet(tmp_path / "a.xlsx", two_tasks()))
    assert Task.objects.get(number="1").phone == "13800000000"
    assert Task.objects.get(number="2").phone == "0556-5301234"


def test_it_tolerates_spaces_full_width_headers_and_column_order(tmp_path):
    header = [
        "联系电话",
        " 序 号 ",
        "目标任务",
        "季\u3000度",
        "形象进度",
        "最新进展",
        "主管领导",
        "责任人员",
    ]
    rows = [[r[7], *r[:7]] for r in two_tasks()]
    rows += [[None] * 8, [None] * 8]  # blank trailing rows
    result = run(task_sheet(tmp_path / "a.xlsx", rows, header=header, merge=False))
    assert result.applied, problems(result)
    assert Task.objects.get(number="2").phone == "0556-5301234"


@pytest.mark.parametrize(
    ("written", "quarter"),
    [
        ("1季度", 1),
        ("第二季度", 2),
        ("三季度", 3),
        ("Q4", 4),
        (4, 4),
        (2.0, 2),
        ("２季度", 2),
        ("5季度", None),
        ("第五季度", None),
        (0, None),
        ("全年", None),
    ],
)
def test_it_reads_every_way_of_writing_a_quarter(written, quarter):
    assert parse_quarter(written) == quarter


def test_it_rejects_a_quarter_outside_one_to_four_with_its_cell(tmp_path):
    rows = two_tasks()
    rows[5][2] = "5季度"
    result = run(task_sheet(tmp_path / "a.xlsx", rows))
    assert problems(result) == [
        "工作表“Sheet”，第 9 行，第 C 列：“5季度”不是季度，请填写 1季度 至 4季度。"
    ]
    assert not result.applied
    assert nothing_written()


def test_it_rejects_formula_cells(tmp_path):
    rows = two_tasks()
    rows[0][3] = '=B4&"方案"'
    result = run(task_sheet(tmp_path / "a.xlsx", rows))
    assert "第 4 行，第 D 列：单元格是公式，请粘贴为数值后再导入。" in problems(result)[0]
    assert nothing_written()


def test_it_rejects_duplicate_task_numbers(tmp_path):
    rows = task_rows(1, "甲", FOUR) + task_rows(1, "乙", FOUR)
    result = run(task_sheet(tmp_path / "a.xlsx", rows))
    assert "任务序号 1 重复（首次出现在第 4 行）" in problems(result)[0]
    assert nothing_written()


def test_it_rejects_missing_required_columns(tmp_path):
    header = ["序号", "目标任务", "形象进度", "最新进展"]
    rows = [[1, "甲", "制定方案", None]]
    result = run(task_sheet(tmp_path / "a.xlsx", rows, header=header, merge=False))
    assert problems(result) == ["工作表“Sheet”，第 3 行：缺少必需的列：季度。"]
    assert nothing_written()


def test_it_rejects_a_sheet_without_tasks(tmp_path):
    result = run(task_sheet(tmp_path / "a.xlsx", [], merge=False))
    assert problems(result) == ["工作表“Sheet”：表头下面没有任务。"]
    assert not Plan.objects.exists()


def test_it_rejects_a_file_that_is_not_xlsx(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("序号,目标任务\n1,甲\n", encoding="utf-8")
    assert problems(run(path)) == ["这不是 Excel .xlsx 文件。"]


def test_it_rejects_a_corrupt_file(tmp_path):
    path = tmp_path / "broken.xlsx"
    good = task_sheet(tmp_path / "good.xlsx", two_tasks())
    path.write_bytes(good.read_bytes()[:2000])
    assert problems(run(path))[0].startswith("文件已损坏，无法读取")
    assert nothing_written()


def test_it_rejects_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert problems(run(path))[0].startswith("文件已损坏，无法读取")


def test_it_rejects_a_password_protected_file(tmp_path):
    path = tmp_path / "locked.xlsx"
    # Excel saves an encrypted workbook as an OLE compound file, not a zip.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    assert "设置了密码" in problems(run(path))[0]


def test_it_rejects_a_file_over_the_size_limit(tmp_path, settings):
    settings.JITUAN_IMPORT_MAX_BYTES = 1024 * 1024
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * (1024 * 1024))
    assert problems(run(path)) == ["文件超过 1 MB 的大小限制。"]
    assert nothing_written()


def test_it_writes_nothing_when_one_row_of_many_is_bad(tmp_path):
    rows = two_tasks() + task_rows(3, None, FOUR)
    rows[8][1] = None
    result = run(task_sheet(tmp_path / "a.xlsx", rows))
    assert result.preview["counts"]["new"] == 2
    assert result.preview["counts"]["error"] == 1
    assert nothing_written()


def test_it_round_trips_an_exported_plan(tmp_path):
    run(SHAHE)
    plan = Plan.objects.get()
    Task.objects.filter(number="3").update(latest_progress="已召开对接会。")
    path = tmp_path / "export.xlsx"
    task_sheet_workbook(plan).save(path)
    result = run(path, commit=False)
    assert result.preview["counts"] == {"new": 0, "changed": 0, "unchanged": 7, "error": 0}


def test_it_exports_merged_task_cells(tmp_path):
    from openpyxl import load_workbook

    run(SHAHE)
    path = tmp_path / "export.xlsx"
    task_sheet_workbook(Plan.objects.get()).save(path)
    sheet = load_workbook(path).active
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {"A4:A7", "B4:B7", "E4:E7", "H4:H7", "I4:I7", "J4:J7", "A1:J1"} <= merged
    assert [cell.value for cell in sheet[3]] == [*HEADER, "牵头单位", "协办单位"]


def test_the_command_imports_and_exits_non_zero_on_a_rejected_file(tmp_path, capsys):
    call_command("import_tasks", str(SHAHE), "--year", "2020", "--dry-run")
    assert not Plan.objects.exists()
    call_command("import_tasks", str(SHAHE), "--year", "2020")
    assert Task.objects.count() == 7
    bad = tmp_path / "bad.xlsx"
    shutil.copy(SHAHE, bad)
    bad.write_bytes(b"garbage")
    with pytest.raises(CommandError, match="文件被拒绝"):
        call_command("import_tasks", str(bad), "--year", "2020")
    assert "这不是 Excel .xlsx 文件" in capsys.readouterr().err


def test_the_blank_template_opens_on_its_table_and_imports_past_its_instructions(tmp_path):
    workbook = task_sheet_workbook(None)
    assert workbook.sheetnames == ["填表说明", "任务分解一览表"]
    assert workbook.active.title == "任务分解一览表"
    table = workbook["任务分解一览表"]
    table["A4"], table["B4"], table["D4"], table["D5"] = 1, "扩大招生规模", "制定方案", "招生"
    path = tmp_path / "filled.xlsx"
    workbook.save(path)
    result = run(path)
    assert result.applied
    assert (result.preview["sheet"], result.preview["skipped_sheets"]) == (
        "任务分解一览表",
        ["填表说明"],
    )
    task = Task.objects.get(number="1")
    assert task.title == "扩大招生规模"
    assert dict(task.milestones.values_list("quarter", "planned")) == {1: "制定方案", 2: "招生"}
