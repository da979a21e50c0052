"""Lead and assisting members of a task (牵头单位 / 协办单位): chosen among the responsible
members, carried by the task sheet both ways, and on the quarterly fill page the lead reads its
assisting members' notes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from jituan.roles import Role
from targets import selectors, services
from targets.exports import task_sheet_workbook
from targets.models import Milestone, Plan, Task, TaskReport
from targets.services import plan_import_tasks
from tests.factories import MemberFactory, user_with_role
from tests.sheets import FOUR, HEADER, task_rows, task_sheet

pytestmark = pytest.mark.django_db
WITH_MEMBERS = [*HEADER, "牵头单位", "协办单位"]


@pytest.fixture
def school_c(db):
    return MemberFactory(name="安庆技师学院", short_name="安庆技院")


@pytest.fixture
def led_task(plan, school_a, school_b, school_c):
    """School A leads; B and C assist."""
    task = Task.objects.create(plan=plan, number="1", title="扩大招生", lead_member=school_a)
    task.responsible_members.add(school_a, school_b, school_c)
    return task


def task_form(**changes):
    return {
        "number": "（一）9",
        "position": 9,
        "title": "新增任务",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
        **changes,
    }


# --- the task form ------------------------------------------------------------------------------


def test_it_refuses_a_lead_that_is_not_a_responsible_member(
    client_for, secretariat, plan, school_a, school_b
):
    data = task_form(responsible_members=[school_a.pk], lead_member=school_b.pk)
    url = reverse("targets:task-create") + f"?plan={plan.pk}"
    response = client_for(secretariat).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["lead_member"]
    assert not Task.objects.exists()


def test_it_refuses_to_drop_the_lead_from_the_responsible_members(
    client_for, secretariat, led_task, school_b
):
    data = task_form(
        number="1",
        title="扩大招生",
        responsible_members=[school_b.pk],
        lead_member=led_task.lead_member_id,
    )
    response = client_for(secretariat).post(
        reverse("targets:task-update", args=[led_task.pk]), data
    )
    assert response.status_code == 200
    assert response.context["form"].errors["lead_member"]
    assert led_task.responsible_members.count() == 3


def test_it_saves_the_lead_and_shows_lead_and_assisting_on_the_task_page(
    client_for, secretariat, plan, school_a, school_b
):
    data = task_form(responsible_members=[school_a.pk, school_b.pk], lead_member=school_b.pk)
    client = client_for(secretariat)
    response = client.post(reverse("targets:task-create") + f"?plan={plan.pk}", data)
    task = Task.objects.get()
    assert response.status_code == 302
    assert task.lead_member == school_b
    assert task.assisting_members == [school_a]
    page = client.get(task.get_absolute_url()).content.decode()
    assert 'data-testid="lead-member">安徽化工学校<' in page
    assert 'data-testid="assisting-members">安庆工业学校<' in page
    plan_page = client.get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="task-lead"' in plan_page


def test_the_service_refuses_a_lead_outside_the_members(plan, school_a, school_b):
    task = Task(plan=plan, number="1", title="扩大招生", lead_member=school_b)
    with pytest.raises(ValidationError) as refused:
        services.task_save(task=task, members=[school_a])
    assert "lead_member" in refused.value.message_dict
    assert not Task.objects.exists()


# --- import and export --------------------------------------------------------------------------


def sheet_with_members(tmp_path, *tasks):
    """tasks: (number, title, lead, assisting) each; the member cells on the task's first row."""
    rows = []
    for number, title, lead, assisting in tasks:
        four = task_rows(number, title, FOUR)
        four[0] += [lead, assisting]
        rows += [row if len(row) == 10 else [*row, None, None] for row in four]
    return task_sheet(tmp_path / "tasks.xlsx", rows, header=WITH_MEMBERS)


def run(path, *, commit=True, year=2020):
    return plan_import_tasks(path=path, year=year, commit=commit)


def problems(result):
    return [(p["text"], p.get("row"), p.get("column")) for p in result.preview["problems"]]


def test_it_imports_the_lead_and_assisting_members_of_a_new_task(
    tmp_path, school_a, school_b, school_c
):
    path = sheet_with_members(tmp_path, (1, "扩大招生规模", "安庆工校", "安徽化工学校，安庆技院"))
    result = run(path)
    assert result.applied
    task = Task.objects.get()
    assert task.lead_member == school_a
    assert set(task.responsible_members.all()) == {school_a, school_b, school_c}
    assert result.preview["without_members_total"] == 0


def test_it_shows_a_changed_lead_old_to_new_and_applies_it(tmp_path, school_a, school_b, school_c):
    run(sheet_with_members(tmp_path, (1, "扩大招生规模", "安庆工业学校", "安徽化工学校")))
    path = sheet_with_members(
        tmp_path, (1, "扩大招生规模", "安徽化工学校", "安庆工业学校、安庆技师学院")
    )
    preview = run(path, commit=False).preview
    assert preview["counts"]["changed"] == 1
    changes = {c["field"]: (c["old"], c["new"]) for c in preview["rows"][0]["changes"]}
    assert changes["牵头单位"] == ("安庆工业学校", "安徽化工学校")
    assert changes["协办单位"] == ("安徽化工学校", "安庆工业学校、安庆技师学院")
    run(path)
    task = Task.objects.get()
    assert task.lead_member == school_b
    assert set(task.assisting_members) == {school_a, school_c}


def test_blank_member_cells_keep_what_is_stored(tmp_path, led_task, school_a, school_b):
    # A sheet naming a new lead only: the stored assisting members stay, less the new lead;
    # the lead it replaces assists, and the preview says so.
    path = sheet_with_members(tmp_path, (1, "扩大招生", "安徽化工学校", None))
    result = run(path, year=led_task.plan.year)
    assert result.applied
    changes = {c["field"]: (c["old"], c["new"]) for c in result.preview["rows"][0]["changes"]}
    assert changes["协办单位"] == ("安庆技师学院、安徽化工学校", "安庆工业学校、安庆技师学院")
    led_task.refresh_from_db()
    assert led_task.lead_member == school_b
    assert {m.name for m in led_task.assisting_members} == {"安庆工业学校", "安庆技师学院"}
    path = sheet_with_members(tmp_path, (1, "扩大招生", None, None))
    assert run(path, commit=False, year=led_task.plan.year).preview["counts"]["unchanged"] == 1


def test_it_refuses_an_unknown_member_name_on_its_cell_and_writes_nothing(
    tmp_path, school_a, school_b
):
    path = sheet_with_members(
        tmp_path,
        (1, "扩大招生规模", "安庆工业学校", None),
        (2, "订单培养", "安庆工业学校", "安徽化工学校、不存在学校"),
    )
    result = run(path)
    assert not result.applied
    [(text, row, column)] = problems(result)
    assert "不存在学校" in text
    assert (row, column) == (8, "J")
    assert not Task.objects.exists() and not Milestone.objects.exists()
    assert not Plan.objects.exists()


def test_it_refuses_a_lead_also_listed_as_assisting(tmp_path, school_a, school_b):
    path = sheet_with_members(
        tmp_path, (1, "扩大招生规模", "安庆工业学校", "安庆工校、安徽化工学校")
    )
    result = run(path)
    assert not result.applied
    [(text, row, column)] = problems(result)
    assert "安庆工业学校" in text and (row, column) == (4, "J")
    assert not Task.objects.exists()


def test_it_refuses_the_stored_lead_listed_as_assisting_when_the_lead_cell_is_blank(
    tmp_path, led_task
):
    path = sheet_with_members(tmp_path, (1, "扩大招生", None, "安庆工业学校"))
    result = run(path, year=led_task.plan.year)
    assert not result.applied
    assert problems(result)[0][1:] == (4, "J")
    assert led_task.responsible_members.count() == 3


def test_importing_an_exported_plan_with_leads_changes_nothing(tmp_path, led_task):
    path = tmp_path / "export.xlsx"
    task_sheet_workbook(led_task.plan).save(path)
    sheet = load_workbook(path).active
    assert [cell.value for cell in sheet[3]] == WITH_MEMBERS
    assert sheet["I4"].value == "安庆工业学校"
    assert set(sheet["J4"].value.split("、")) == {"安徽化工学校", "安庆技师学院"}
    assert {"I4:I7", "J4:J7"} <= {str(merged) for merged in sheet.merged_cells.ranges}
    result = run(path, commit=False, year=led_task.plan.year)
    assert result.preview["counts"] == {"new": 0, "changed": 0, "unchanged": 1, "error": 0}


def test_the_blank_template_has_the_member_columns():
    sheet = task_sheet_workbook(None)["任务分解一览表"]
    assert [cell.value for cell in sheet[3]] == WITH_MEMBERS


# --- the fill page ------------------------------------------------------------------------------


def note(plan, member, task, text, *, status="draft"):
    submission = services.submission_start(plan=plan, member=member, quarter=1)
    submission.tasks.filter(task=task).update(progress=text)
    submission.status = status
    submission.save(update_fields=["status"])
    return submission


@pytest.fixture
def notes(plan, led_task, school_b, school_c):
    note(plan, school_b, led_task, "化校：已联系三家企业。")
    note(plan, school_c, led_task, "技院：已提交方案。", status="submitted")


def fill_page(client, plan):
    return client.get(reverse("targets:submission-fill", args=[plan.pk, 1])).content.decode()


def test_the_lead_sees_its_assisting_members_notes(client_for, liaison, plan, notes):
    page = fill_page(client_for(liaison), plan)
    assert 'data-testid="lead-label"' in page
    assert page.count('data-testid="assisting-note"') == 2
    assert "化校：已联系三家企业。" in page and "技院：已提交方案。" in page
    assert "安徽化工学校" in page and "安庆技师学院" in page


def test_an_assisting_member_writes_a_note_for_the_lead_and_reads_no_other(
    client_for, plan, notes, school_b
):
    liaison_b = user_with_role(Role.LIAISON, member=school_b, username="huaxiao")
    page = fill_page(client_for(liaison_b), plan)
    assert 'data-testid="assisting-label"' in page and "安庆工业学校" in page
    assert 'data-testid="assisting-notes"' not in page
    assert "技院：已提交方案。" not in page
    assert selectors.assisting_notes_for(liaison_b, plan=plan, quarter=1) == {}


def test_a_liaison_of_an_unrelated_member_sees_no_notes(client_for, plan, notes):
    other = MemberFactory(name="太湖职业技术学校")
    own = Task.objects.create(plan=plan, number="2", title="订单培养", lead_member=other)
    own.responsible_members.add(other)
    liaison = user_with_role(Role.LIAISON, member=other, username="taihu")
    page = fill_page(client_for(liaison), plan)
    assert "化校：已联系三家企业。" not in page and "扩大招生" not in page
    assert selectors.assisting_notes_for(liaison, plan=plan, quarter=1) == {}


def test_the_selector_gives_the_lead_the_notes_of_that_task_only(
    plan, led_task, liaison, school_b, notes
):
    other = Task.objects.create(plan=plan, number="2", title="订单培养", lead_member=school_b)
    other.responsible_members.add(school_b, led_task.lead_member)
    # School A's own progress on the task it leads, and its note on the task B leads: neither
    # is a note for A.
    own = services.submission_start(plan=plan, member=led_task.lead_member, quarter=1)
    assert TaskReport.objects.filter(submission=own).update(progress="工校写的") == 2
    found = selectors.assisting_notes_for(liaison, plan=plan, quarter=1)
    assert list(found) == [led_task.pk]
    assert {r.submission.member.name for r in found[led_task.pk]} == {
        "安庆技师学院",
        "安徽化工学校",
    }
