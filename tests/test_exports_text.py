"""Every Excel export writes text as text: a field "=1+1" or "=HYPERLINK(…)" is never a live
formula, and characters no .xlsx can hold (a pasted Word line break U+000B …) never break one."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessment.models import Assessment, Criterion, MemberScore
from jituan.registers import record_save
from partnerships.models import Enterprise
from reports.documents import build
from rewards.exports import reward_workbook
from rewards.models import RewardFund, RewardRule, StudentIntake
from rewards.services import reward_summary
from targets.exports import task_sheet_workbook, workbook_bytes
from targets.models import Plan, Submission, Task, TaskReport
from targets.services.submissions import _rows_update
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
FORMULA = "=1+1"
LINK = '=HYPERLINK("http://example.com/steal","点此查看")'
JULY_20 = datetime(2020, 7, 20, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


def cells(content: bytes) -> dict:
    """{value: data_type} of every non-empty cell of every sheet; no cell may be a formula."""
    found = {}
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if cell.value is not None:
                    found[cell.value] = cell.data_type
    return found


def assert_text(content: bytes, *texts: str) -> dict:
    found = cells(content)
    for text in texts:
        assert found.get(text) == "s", (text, found.get(text))
    return found


@pytest.fixture
def plan(school_a, school_b):
    plan = Plan.objects.create(year=2020, title="2020 年重点工作")
    task = Task.objects.create(
        plan=plan,
        number="1",
        title=FORMULA,
        supervising_leader=LINK,
        latest_progress="安庆工校：甲校进展\n安徽化工学校：乙校内部情况",
        position=1,
    )
    task.responsible_members.set([school_a, school_b])
    return plan


def approved(plan, member, quarter, progress):
    submission = Submission.objects.create(
        plan=plan,
        member=member,
        quarter=quarter,
        status=Submission.Status.APPROVED,
        submitted_at=JULY_20.replace(month=quarter * 3),
        reviewed_at=JULY_20.replace(month=quarter * 3),
    )
    for task in plan.tasks.all():
        TaskReport.objects.create(
            submission=submission, task=task, status="on_track", progress=progress
        )
    return submission


# --- registers ---------------------------------------------------------------------------------


def test_a_register_export_writes_formulas_as_text(client_for, secretariat):
    Enterprise.objects.create(name=FORMULA, industry=LINK)
    response = client_for(secretariat).get(reverse("partnerships:enterprises-export"))
    assert_text(response.content, FORMULA, LINK)


def test_a_record_saved_with_a_word_line_break_keeps_a_line_break(secretariat):
    record = record_save(
        record=Enterprise(name="甲\x0b乙", industry="机\x01电\ufffe"), user=secretariat
    )
    record.refresh_from_db()
    assert (record.name, record.industry) == ("甲\n乙", "机电")


def test_a_record_posted_with_control_characters_is_stored_clean_and_exports(client_for, liaison):
    client = client_for(liaison)
    response = client.post(
        reverse("partnerships:enterprises-create"), {"name": "环新\x0b集团", "industry": "汽\x1f车"}
    )
    assert response.status_code == 302
    assert Enterprise.objects.filter(name="环新\n集团", industry="汽车").exists()
    export = client.get(reverse("partnerships:enterprises-export"))
    assert_text(export.content, "环新\n集团")


def test_a_register_export_opens_whatever_control_characters_the_database_holds(
    client_for, secretariat
):
    # Written past the forms (an old row, a raw import); PostgreSQL cannot hold NUL at all.
    nul = "" if connection.vendor == "postgresql" else "\x00"
    Enterprise.objects.create(name=f"老\x0b数据{nul}", industry="\x0c化工")
    response = client_for(secretariat).get(reverse("partnerships:enterprises-export"))
    assert response.status_code == 200
    assert_text(response.content, "老\n数据", "\n化工")


# --- targets -----------------------------------------------------------------------------------


def test_the_plan_export_writes_formulas_as_text(client_for, secretariat, plan):
    Task.objects.filter(plan=plan).update(responsible_person="张\x0b三")
    response = client_for(secretariat).get(reverse("targets:plan-export", args=[plan.pk]))
    assert response.status_code == 200
    assert_text(response.content, FORMULA, LINK, "张\n三")
    template = client_for(secretariat).get(reverse("targets:import-template"))
    cells(template.content)


def test_a_liaisons_plan_export_shows_only_their_own_latest_approved_progress(
    plan, liaison, school_a, school_b, secretariat
):
    approved(plan, school_a, 1, "甲校一季度")
    approved(plan, school_a, 2, "甲校二季度")
    approved(plan, school_b, 2, "乙校内部情况")
    tasks = plan.tasks.all()

    mine = cells(workbook_bytes(task_sheet_workbook(plan, tasks=tasks, user=liaison)))
    assert "甲校二季度" in mine
    assert not [v for v in mine if isinstance(v, str) and ("乙校" in v or "甲校一" in v)]

    everyone = cells(workbook_bytes(task_sheet_workbook(plan, tasks=tasks, user=secretariat)))
    assert "安庆工校：甲校进展\n安徽化工学校：乙校内部情况" in everyone


def test_the_submissions_export_writes_formulas_as_text(client_for, secretariat, plan):
    member = MemberFactory(name=LINK)
    Submission.objects.create(plan=plan, member=member, quarter=1)
    response = client_for(secretariat).get(reverse("targets:submission-export"))
    assert_text(response.content, LINK)


def test_submission_rows_are_stored_without_control_characters(plan, school_a):
    submission = Submission.objects.create(plan=plan, member=school_a, quarter=1)
    task = plan.tasks.get()
    TaskReport.objects.create(submission=submission, task=task)
    rows = {
        task.pk: {"progress": "完成\x0b招生\x02", "status": "behind", "behind_reason": "\x0c场地"}
    }
    assert _rows_update(submission, rows, {}, require_complete=False) == {}
    report = TaskReport.objects.get()
    assert (report.progress, report.behind_reason) == ("完成\n招生", "场地")


# --- reports and rewards -----------------------------------------------------------------------


def test_the_dispatch_workbook_writes_formulas_as_text(plan, school_a):
    approved(plan, school_a, 2, LINK)
    content = build("dispatch", year=2020, month=7, format="xlsx", as_of=JULY_20).content
    found = assert_text(content, FORMULA)
    assert any(isinstance(v, str) and LINK in v and found[v] == "s" for v in found)


def test_the_dispatch_workbook_renders_data_with_control_characters(plan, school_a):
    school_a.name = "安庆\x0b工业学校"
    school_a.short_name = "安庆\x0b工校"
    school_a.save()
    approved(plan, school_a, 2, "完成\x0b招生\x08")
    content = build("dispatch", year=2020, month=7, format="xlsx", as_of=JULY_20).content
    found = cells(content)
    assert "安庆\n工业学校" in found
    assert any(isinstance(v, str) and "完成\n招生" in v for v in found)


def test_the_reward_summary_writes_formulas_as_text(school_a):
    RewardFund.objects.create(year=2024, reward_fund=5_000_000, running_budget=500_000)
    RewardRule.objects.create(year=2024, kind="source_school", label=LINK, amount=500)
    StudentIntake.objects.create(member=school_a, year=2024, source_school=FORMULA, students=10)
    summary = reward_summary(2024, today=date(2024, 11, 1))
    buffer = io.BytesIO()
    reward_workbook(summary).save(buffer)
    assert_text(buffer.getvalue(), FORMULA, LINK)


def test_every_register_export_has_chinese_headers(client_for, secretariat):
    """A totals column once exported its header in English ("Students"): every header of every
    register's export is Chinese."""
    import re

    from tests.test_properties import REGISTERS

    client = client_for(secretariat)
    for register in REGISTERS:
        url = reverse(f"{register.app}:{register.slug}-export")
        sheet = load_workbook(io.BytesIO(client.get(url).content)).worksheets[0]
        headers = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
        english = [h for h in headers if re.search(r"[A-Za-z]{2,}", str(h))]
        assert headers and not english, (register.slug, english)


def latin_words(content: bytes) -> list:
    """Every text cell of every sheet holding a Latin word (2+ letters), with where it is."""
    import re

    found = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        found += [
            (sheet.title, value) for value in [sheet.title] if re.search("[A-Za-z]{2}", value)
        ]
        for row in sheet.iter_rows(values_only=True):
            found += [
                (sheet.title, value)
                for value in row
                if isinstance(value, str) and re.search(r"[A-Za-z]{2,}", value)
            ]
    return found


def test_every_generated_workbook_reads_in_chinese(client_for, secretariat, school_a):
    """Headers, sheet names and every label of the workbooks the app writes, on Chinese data:
    the plan, the import template, the submissions, the members, the dispatch report and the
    reward summary (the registers: test_every_register_export_has_chinese_headers)."""
    plan = Plan.objects.create(year=2020, title="2020 年重点工作")
    task = Task.objects.create(plan=plan, number="1", title="招生", responsible_person="张三")
    task.responsible_members.set([school_a])
    approved(plan, school_a, 2, "完成招生")
    Submission.objects.create(plan=plan, member=MemberFactory(name="乙校"), quarter=1)
    RewardFund.objects.create(year=2020, reward_fund=5_000_000, running_budget=500_000)
    RewardRule.objects.create(year=2020, kind="source_school", label="生源奖励", amount=500)
    StudentIntake.objects.create(member=school_a, year=2020, source_school="丙校", students=10)
    client = client_for(secretariat)
    workbooks = {
        name: client.get(reverse(name, args=args)).content
        for name, args in (
            ("targets:plan-export", [plan.pk]),
            ("targets:import-template", []),
            ("targets:submission-export", []),
            ("jituan:member-export", []),
        )
    }
    workbooks["dispatch"] = build(
        "dispatch", year=2020, month=7, format="xlsx", as_of=JULY_20
    ).content
    buffer = io.BytesIO()
    reward_workbook(reward_summary(2020, today=date(2020, 11, 1))).save(buffer)
    workbooks["rewards"] = buffer.getvalue()
    assessment = Assessment.objects.create(year=2020, status="confirmed", confirmed_at=JULY_20)
    Criterion.objects.create(assessment=assessment, kind="tasks", label="任务完成情况", weight=100)
    MemberScore.objects.create(
        assessment=assessment,
        member=school_a,
        computed=80,
        score=80,
        rank=1,
        grade="good",
        basis=[
            {
                "kind": "tasks",
                "label": "任务完成情况",
                "weight": 100,
                "points": "80.0",
                "basis": "完成 5 项任务中的 4 项",
            }
        ],
    )
    workbooks["assessment"] = build(
        "assessment", year=2020, month=None, format="xlsx", as_of=timezone.now()
    ).content
    assert all(content[:2] == b"PK" for content in workbooks.values()), workbooks.keys()
    english = {name: latin_words(content) for name, content in workbooks.items()}
    assert not {name: words for name, words in english.items() if words}
