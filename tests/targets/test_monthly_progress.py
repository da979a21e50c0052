"""Tasks reported monthly: the lead member writes each month's progress, the secretariat
reviews it like a submission, the month's dispatch report reads it and the quarter's report
shows it."""

from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jituan.roles import Role
from reports.dispatch import dispatch_report
from reports.documents import dispatch_context
from targets.models import MonthlyEntry, Plan, QuarterSchedule, Task
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1  # a year whose every month has begun


@pytest.fixture
def plan(db):
    plan = Plan.objects.create(year=YEAR, title="重点工作")
    for quarter in range(1, 5):
        QuarterSchedule.objects.create(
            plan=plan, quarter=quarter, due_on=date(YEAR, 3 * quarter, 28)
        )
    return plan


@pytest.fixture
def task(plan, school_a, school_b):
    task = Task.objects.create(
        plan=plan,
        number="5",
        title="建设公共实训基地",
        reporting_frequency=Task.Frequency.MONTHLY,
        lead_member=school_a,
    )
    task.responsible_members.add(school_a, school_b)
    return task


def fill(client, plan, month, text, *, submit=True, task=None):
    data = {f"progress-{task.pk}": text} if task else {}
    data["submit" if submit else "save"] = "1"
    return client.post(reverse("targets:monthly-fill", args=[plan.pk, month]), data)


def test_the_lead_reports_its_month_and_the_secretariat_approves_it(
    plan, task, liaison, secretariat, client_for
):
    response = fill(client_for(liaison), plan, 2, "完成基地选址论证。", task=task)
    assert response.status_code == 302
    entry = MonthlyEntry.objects.get()
    assert (entry.month, entry.status, entry.submitted_by) == (2, "submitted", liaison)
    review = reverse("targets:monthly-review", args=[entry.pk])
    client_for(secretariat).post(review, {"return": "1", "comment": ""})
    entry.refresh_from_db()
    assert entry.status == "submitted"  # returning needs a comment: nothing changed
    client_for(secretariat).post(review, {"approve": "1"})
    entry.refresh_from_db()
    assert (entry.status, entry.reviewed_by) == ("approved", secretariat)


def test_the_month_s_dispatch_report_reads_the_approved_entry(plan, task, liaison, secretariat):
    from targets.services import monthly_entries_save, monthly_entry_review

    [entry] = monthly_entries_save(
        plan=plan,
        member=task.lead_member,
        month=2,
        texts={task.pk: "完成基地选址论证。"},
        user=liaison,
        submit=True,
    )
    monthly_entry_review(entry=entry, approve=True, comment="", user=secretariat)
    february = dispatch_report(YEAR, 2, as_of=timezone.now())
    [line] = february.tasks
    assert line.month_progress == [
        (task.lead_member.short_name or task.lead_member.name, "完成基地选址论证。")
    ]
    html = render_to_string("reports/dispatch.html", dispatch_context(february))
    assert "完成基地选址论证。" in html
    assert dispatch_report(YEAR, 3, as_of=timezone.now()).tasks[0].month_progress == []
    # Approved after February's cut-off: not in the report as it was issued then.
    assert dispatch_report(YEAR, 2).tasks[0].month_progress == []


def test_an_assisting_member_reports_no_month_and_another_liaison_sees_none(
    plan, task, liaison, school_b, client_for
):
    fill(client_for(liaison), plan, 1, "一月进展。", task=task)
    liaison_b = user_with_role(Role.LIAISON, member=school_b, username="lianluo_b2")
    client = client_for(liaison_b)
    page = client.get(reverse("targets:monthly-fill", args=[plan.pk, 1]))
    assert page.status_code == 200 and page.context["rows"] == []
    fill(client, plan, 1, "代报", task=task)  # not a task it reports: nothing is read
    listing = client.get(reverse("targets:monthly-list")).content.decode()
    assert "一月进展。" not in listing
    assert MonthlyEntry.objects.get().progress == "一月进展。"


@pytest.mark.parametrize(
    "month, text, message",
    [(2, "  ", "请先填写本月进展再报送。"), (13, "进展", None)],
)
def test_a_blank_month_or_one_out_of_range_is_refused_and_nothing_written(
    plan, task, liaison, client_for, month, text, message
):
    response = fill(client_for(liaison), plan, month, text, task=task)
    if message:
        assert response.status_code == 400 and message in response.content.decode()
    else:
        assert response.status_code == 404
    assert not MonthlyEntry.objects.exists()


def test_a_month_that_has_not_begun_is_refused(task, liaison, client_for, school_a):
    future = Plan.objects.create(year=timezone.localdate().year + 1, title="明年")
    future_task = Task.objects.create(
        plan=future,
        number="1",
        title="明年任务",
        reporting_frequency="monthly",
        lead_member=school_a,
    )
    future_task.responsible_members.add(school_a)
    response = fill(client_for(liaison), future, 1, "提前", task=future_task)
    assert response.status_code == 400
    assert "尚未开始" in response.content.decode()
    assert not MonthlyEntry.objects.exists()


def test_the_quarter_s_report_shows_the_months_so_nothing_is_typed_twice(
    plan, task, liaison, client_for
):
    for month, text in ((1, "一月进展。"), (2, "二月进展。"), (4, "四月进展。")):
        fill(client_for(liaison), plan, month, text, task=task, submit=False)
    # The quarter still open, so that its form shows.
    QuarterSchedule.objects.filter(plan=plan, quarter=1).update(
        due_on=timezone.localdate() + timedelta(days=30)
    )
    page = client_for(liaison).get(reverse("targets:submission-fill", args=[plan.pk, 1]))
    text = page.content.decode()
    assert "一月进展。" in text and "二月进展。" in text and "四月进展。" not in text
