"""The plan, task, indicator, allocation and import screens: roles, scoping, the upload flow."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jituan.celery import app as celery_app
from targets.models import Allocation, ImportBatch, Indicator, Milestone, Plan, Task
from targets.tasks import import_commit
from tests.sheets import FOUR, task_rows, task_sheet

pytestmark = pytest.mark.django_db
SHAHE = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "reference"
    / "shahe-2020-task-breakdown.xlsx"
)


@pytest.fixture
def plan(db):
    return Plan.objects.create(
        year=2020, title="2020 年重点工作", document_number="安职集团〔2020〕2号"
    )


@pytest.fixture
def task_a(plan, school_a):
    task = Task.objects.create(plan=plan, number="1", title="扩大招生规模")
    task.responsible_members.add(school_a)
    Milestone.objects.create(task=task, quarter=1, planned="下达招生计划。")
    return task


@pytest.fixture
def task_b(plan, school_b):
    task = Task.objects.create(plan=plan, number="2", title="订单培养")
    task.responsible_members.add(school_b)
    return task


@pytest.fixture
def enrollment(plan, school_a, school_b):
    indicator = Indicator.objects.create(
        plan=plan, code="enrollment-plan", name="总招生计划", unit="人", target=1000
    )
    Allocation.objects.create(indicator=indicator, member=school_a, target=600)
    Allocation.objects.create(indicator=indicator, member=school_b, target=300)
    return indicator


@pytest.fixture
def eager(monkeypatch, django_capture_on_commit_callbacks):
    celery_app.conf.task_always_eager = True

    def upload(client, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("targets:import-create"), data)

    def commit(client, batch):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("targets:import-commit", args=[batch.pk]))

    upload.commit = commit
    yield upload
    celery_app.conf.task_always_eager = False


def xlsx(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_it_shows_the_plan_with_tasks_and_a_mismatched_allocation(
    client_for, secretariat, task_a, task_b, enrollment
):
    response = client_for(secretariat).get(reverse("targets:plan-detail", args=[task_a.plan.pk]))
    body = response.content.decode()
    assert "安职集团〔2020〕2号" in body
    assert "扩大招生规模" in body and "订单培养" in body
    assert 'data-testid="allocation-mismatch">差 -100' in body


def test_it_shows_a_liaison_only_their_members_tasks(client_for, liaison, task_a, task_b):
    client = client_for(liaison)
    body = client.get(reverse("targets:plan-detail", args=[task_a.plan.pk])).content.decode()
    assert "扩大招生规模" in body
    assert "订单培养" not in body
    tasks = client.get(reverse("targets:task-list")).context["table"].data
    assert list(tasks) == [task_a]
    assert client.get(task_a.get_absolute_url()).status_code == 200
    assert client.get(task_b.get_absolute_url()).status_code == 404


def test_it_shows_a_liaison_only_their_own_allocation(client_for, liaison, enrollment, school_b):
    client = client_for(liaison)
    allocations = client.get(reverse("targets:allocation-list")).context["table"].data
    assert [a.member for a in allocations] == [liaison.member]
    page = client.get(enrollment.get_absolute_url())
    assert list(page.context["allocations"]) == [Allocation.objects.get(member=liaison.member)]
    assert school_b.name not in page.content.decode()
    assert page.context["total"] is None


def test_it_answers_404_to_a_liaison_for_an_indicator_of_no_concern(client_for, liaison, plan):
    other = Indicator.objects.create(plan=plan, code="x", name="其他", unit="个", target=1)
    assert client_for(liaison).get(other.get_absolute_url()).status_code == 404


def test_it_keeps_liaisons_and_leadership_from_editing(client_for, liaison, leadership, task_a):
    for user in (liaison, leadership):
        client = client_for(user)
        assert client.get(reverse("targets:task-update", args=[task_a.pk])).status_code == 403
        create = reverse("targets:task-create") + f"?plan={task_a.plan.pk}"
        assert client.post(create, {"number": "9", "title": "新任务"}).status_code == 403
        assert client.get(reverse("targets:import-create")).status_code == 403
    assert Task.objects.count() == 1


def test_it_lets_leadership_export_the_plan(client_for, leadership, task_a):
    response = client_for(leadership).get(reverse("targets:plan-export", args=[task_a.plan.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A4"].value == "1"
    assert sheet["D4"].value == "下达招生计划。"


def test_it_creates_a_task_with_its_milestones(client_for, secretariat, plan, school_a):
    data = {
        "number": "（一）9",
        "position": 9,
        "title": "新增任务",
        "responsible_members": [school_a.pk],
        "milestones-TOTAL_FORMS": "4",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-quarter": "1",
        "milestones-0-planned": "启动。",
        "milestones-1-quarter": "4",
        "milestones-1-planned": "完成。",
    }
    url = reverse("targets:task-create") + f"?plan={plan.pk}"
    response = client_for(secretariat).post(url, data)
    task = Task.objects.get(number="（一）9")
    assert response.status_code == 302
    assert task.milestones_by_quarter() == ["启动。", "", "", "完成。"]
    assert list(task.responsible_members.all()) == [school_a]


def test_it_refuses_a_duplicate_task_number_in_chinese(client_for, secretariat, task_a):
    data = {
        "number": "1",
        "position": 1,
        "title": "重复",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
    }
    url = reverse("targets:task-create") + f"?plan={task_a.plan.pk}"
    response = client_for(secretariat).post(url, data)
    assert response.status_code == 200
    assert "本计划中已有这个序号的任务。" in response.content.decode()
    assert Task.objects.count() == 1


def test_it_edits_allocations_and_shows_the_new_total(client_for, secretariat, enrollment):
    allocation = Allocation.objects.get(target=300)
    rows = list(Allocation.objects.filter(indicator=enrollment).order_by("pk"))
    data = {"allocations-TOTAL_FORMS": "2", "allocations-INITIAL_FORMS": "2"}
    for index, row in enumerate(rows):
        data |= {
            f"allocations-{index}-id": row.pk,
            f"allocations-{index}-member": row.member_id,
            f"allocations-{index}-target": 400 if row == allocation else row.target,
        }
    url = reverse("targets:allocation-update", args=[enrollment.pk])
    assert client_for(secretariat).post(url, data).status_code == 302
    page = client_for(secretariat).get(enrollment.get_absolute_url()).content.decode()
    assert 'data-testid="allocation-mismatch"' not in page


def test_it_previews_then_commits_an_uploaded_sheet(client_for, secretariat, eager):
    client = client_for(secretariat)
    response = eager(client, kind="tasks", year=2020, file=xlsx(SHAHE))
    batch = ImportBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.preview["counts"]["new"] == 7
    assert not Task.objects.exists()
    preview_page = client.get(batch.get_absolute_url()).content.decode()
    assert "年的计划" in preview_page  # it will be created
    assert "7 项任务导入后没有责任单位" in preview_page
    assert "import-year-warning" not in preview_page  # the sheet says 2020, as chosen
    status = client.get(reverse("targets:import-status", args=[batch.pk])).json()
    assert status["finished"] is True and status["percent"] == 100
    committed = eager.commit(client, batch)  # written by the worker, not in the request
    assert Task.objects.count() == 7
    assert committed["Location"] == batch.get_absolute_url()
    batch.refresh_from_db()
    assert (batch.status, batch.committed_by) == (ImportBatch.Status.COMMITTED, secretariat)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert Plan.objects.get(year=2020).get_absolute_url() in page
    assert "年的计划" not in page  # no "there is no plan yet" once it has been created
    again = eager.commit(client, batch)
    assert again.status_code == 302
    assert Task.objects.count() == 7


def test_the_import_is_written_by_the_worker_and_the_page_follows_it(
    client_for, secretariat, eager, monkeypatch
):
    client = client_for(secretariat)
    eager(client, kind="tasks", year=2020, file=xlsx(SHAHE))
    batch = ImportBatch.objects.get()
    sent = []
    monkeypatch.setattr(import_commit, "apply_async", lambda args, **kwargs: sent.append(args[0]))
    eager.commit(client, batch)
    assert sent == [batch.pk] and not Task.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTING
    status = client.get(reverse("targets:import-status", args=[batch.pk])).json()
    assert status["finished"] is False and status["step"] == "正在写入计划…"
    assert "正在导入" in client.get(batch.get_absolute_url()).content.decode()
    eager.commit(client, batch)  # a second click while it waits sends nothing more
    assert sent == [batch.pk]
    import_commit(batch.pk)
    assert Task.objects.count() == 7
    assert import_commit(batch.pk) == ImportBatch.Status.COMMITTED  # a second delivery
    assert Task.objects.count() == 7


def test_it_shows_errors_and_refuses_to_commit_a_bad_sheet(
    client_for, secretariat, eager, tmp_path
):
    rows = task_rows(1, "甲", FOUR)
    rows[1][2] = "第五季度"
    client = client_for(secretariat)
    eager(client, kind="tasks", year=2020, file=xlsx(task_sheet(tmp_path / "bad.xlsx", rows)))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "第 5 行，第 C 列：“第五季度”不是季度" in page
    assert reverse("targets:import-commit", args=[batch.pk]) not in page
    client.post(reverse("targets:import-commit", args=[batch.pk]))
    assert not Plan.objects.exists()


def test_it_refuses_an_upload_of_the_wrong_type(client_for, secretariat, eager):
    text = SimpleUploadedFile("tasks.txt", "序号,目标任务".encode())
    response = eager(client_for(secretariat), kind="tasks", year=2020, file=text)
    assert response.status_code == 200
    assert "请上传 .xlsx 文件。" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_it_keeps_other_users_from_imports(client_for, secretariat, leadership, liaison, eager):
    eager(client_for(secretariat), kind="tasks", year=2020, file=xlsx(SHAHE))
    batch = ImportBatch.objects.get()
    for user in (leadership, liaison):
        client = client_for(user)
        assert client.get(batch.get_absolute_url()).status_code == 404
        assert client.post(reverse("targets:import-commit", args=[batch.pk])).status_code == 404
    assert not Task.objects.exists()


def test_it_serves_the_blank_template(client_for, admin_user):
    response = client_for(admin_user).get(reverse("targets:import-template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[3]][:4] == ["序号", "目标任务", "季度", "形象进度"]
    assert [sheet.cell(row=row, column=3).value for row in range(4, 8)] == [
        "1季度",
        "2季度",
        "3季度",
        "4季度",
    ]


def test_it_rejects_get_on_commit(client_for, secretariat):
    assert (
        client_for(secretariat).get(reverse("targets:import-commit", args=[1])).status_code == 405
    )


def test_it_sets_the_quarter_deadlines_on_the_plan_form(client_for, secretariat, plan):
    data = {
        "year": plan.year,
        "title": plan.title,
        "schedules-TOTAL_FORMS": "4",
        "schedules-INITIAL_FORMS": "0",
        "schedules-0-quarter": "1",
        "schedules-0-due_on": "2020-04-15",
        "schedules-0-grace_days": "5",
        # the empty rows as the browser sends them: the default grace days, nothing else
        **{f"schedules-{row}-grace_days": "10" for row in (1, 2, 3)},
    }
    response = client_for(secretariat).post(reverse("targets:plan-update", args=[plan.pk]), data)
    assert response.status_code == 302
    schedule = plan.schedules.get()
    assert (schedule.quarter, str(schedule.due_on), schedule.grace_days) == (1, "2020-04-15", 5)
