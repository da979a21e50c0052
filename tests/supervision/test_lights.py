"""The traffic lights: one rule from the calendar and the reports, stored with a history that
changes only when a colour does, and shown to each role as far as it may see."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jituan.roles import Role
from supervision.lights import Report, verdict
from supervision.models import Light, LightChange, SupervisionPolicy, TaskLight
from supervision.selectors import lights_on
from supervision.services import lights_compute, live_plans
from targets.models import Plan, QuarterSchedule, Submission, Task, TaskReport
from tests.factories import user_with_role

DUE = {1: date(2024, 4, 10), 2: date(2024, 7, 10), 3: date(2024, 10, 10), 4: date(2025, 1, 10)}


def light_of(reports=None, *, today, deadline=None, quarters=(1, 2, 3, 4), yellow_days=7):
    task = Task(number="1", title="扩大招生", deadline=deadline)
    return verdict(
        task=task,
        milestone_quarters=set(quarters),
        due_dates=DUE,
        reports=reports or {},
        today=today,
        yellow_days=yellow_days,
    )


def report(quarter, submission_status="approved", status="on_track", reason=""):
    return {quarter: Report(quarter, submission_status, status, reason)}


def test_on_track_is_green_until_the_report_is_days_away_then_yellow():
    assert light_of(today=date(2024, 3, 1)).light == Light.GREEN
    green = light_of(today=date(2024, 4, 2))
    assert (green.light, green.reason) == (Light.GREEN, "按计划推进")
    yellow = light_of(today=date(2024, 4, 3))
    assert yellow.light == Light.YELLOW
    assert yellow.reason == "第1季度进展 2024-04-10 截止，还有 7 天，尚未报送"
    assert yellow.due_on == DUE[1]


def test_the_yellow_window_is_the_policy_s():
    assert light_of(today=date(2024, 3, 27), yellow_days=14).light == Light.YELLOW
    assert light_of(today=date(2024, 3, 27), yellow_days=7).light == Light.GREEN


def test_a_report_not_in_after_its_due_date_is_red_with_the_days_late():
    red = light_of(today=date(2024, 4, 13))
    assert (red.light, red.reason, red.due_on) == (
        Light.RED,
        "第1季度进展逾期未报（截止 2024-04-10）",
        DUE[1],
    )
    # A draft or a returned report is not in; a submitted one is, approved or not yet.
    assert light_of(report(1, "returned"), today=date(2024, 4, 13)).light == Light.RED
    assert light_of(report(1, "submitted"), today=date(2024, 4, 13)).light == Light.GREEN


def test_only_quarters_with_a_milestone_are_chased():
    assert light_of(today=date(2024, 4, 13), quarters=(3, 4)).light == Light.GREEN


def test_a_member_reporting_behind_is_yellow_with_its_reason():
    behind = light_of(report(1, status="behind", reason="实训基地未验收"), today=date(2024, 5, 1))
    assert (behind.light, behind.reason) == (Light.YELLOW, "第1季度报告滞后：实训基地未验收")


def test_done_is_green_whatever_comes_after():
    done = light_of(report(2, status="done"), today=date(2025, 3, 1))
    assert (done.light, done.reason, done.due_on) == (Light.GREEN, "已完成", None)


def test_a_passed_deadline_without_completion_is_red():
    late = light_of(report(1), today=date(2024, 6, 2), deadline=date(2024, 6, 1), quarters=(1,))
    assert (late.light, late.reason) == (Light.RED, "已过完成期限 2024-06-01，尚未报告完成")


@pytest.fixture
def plan(db):
    plan = Plan.objects.create(year=2024, title="重点工作")
    for quarter, due_on in DUE.items():
        QuarterSchedule.objects.create(plan=plan, quarter=quarter, due_on=due_on)
    return plan


@pytest.fixture
def task(plan, school_a, school_b):
    task = Task.objects.create(plan=plan, number="1", title="扩大招生")
    task.responsible_members.add(school_a, school_b)
    for quarter in range(1, 5):
        task.milestones.create(quarter=quarter, planned=f"第{quarter}阶段")
    return task


def test_computing_stores_each_member_s_light_and_keeps_history_of_changes(
    plan, task, school_a, school_b
):
    lights_compute(plan=plan, today=date(2024, 3, 1))
    lights_compute(plan=plan, today=date(2024, 3, 2))  # same colours: no new history
    assert LightChange.objects.count() == 2
    assert set(TaskLight.objects.values_list("member__name", "light", "since")) == {
        (school_a.name, Light.GREEN, date(2024, 3, 1)),
        (school_b.name, Light.GREEN, date(2024, 3, 1)),
    }
    submission = Submission.objects.create(
        plan=plan,
        member=school_a,
        quarter=1,
        status=Submission.Status.SUBMITTED,
        first_submitted_at=timezone.make_aware(datetime(2024, 4, 9, 10)),
    )
    TaskReport.objects.create(submission=submission, task=task, status="on_track")
    result = lights_compute(plan=plan, today=date(2024, 4, 20))
    assert result == {"lights": 2, "changed": 1}
    late = TaskLight.objects.get(member=school_b)
    assert (late.light, late.since, late.due_on, late.held_label) == (
        Light.RED,
        date(2024, 4, 20),
        DUE[1],
        "今天起",
    )
    lights_compute(plan=plan, today=date(2024, 5, 11))
    late.refresh_from_db()
    assert (late.since, late.held_label) == (date(2024, 4, 20), "已持续 3 周")
    assert TaskLight.objects.get(member=school_a).light == Light.GREEN
    history = LightChange.objects.filter(member=school_b).order_by("changed_on")
    assert [(c.previous, c.light, c.changed_on) for c in history] == [
        ("", Light.GREEN, date(2024, 3, 1)),
        (Light.GREEN, Light.RED, date(2024, 4, 20)),
    ]


def test_a_member_no_longer_responsible_loses_its_light(plan, task, school_b):
    lights_compute(plan=plan, today=date(2024, 3, 1))
    task.responsible_members.remove(school_b)
    lights_compute(plan=plan, today=date(2024, 3, 2))
    assert list(TaskLight.objects.values_list("member", flat=True)) == [
        task.responsible_members.get().pk
    ]


def test_the_policy_is_data(plan, task):
    SupervisionPolicy.objects.create(yellow_days=30)
    lights_compute(plan=plan, today=date(2024, 3, 15))
    assert set(TaskLight.objects.values_list("light", flat=True)) == {Light.YELLOW}


def test_live_plans_are_this_year_s_and_last_year_s_until_its_last_reports_close(plan):
    this_year = Plan.objects.create(year=2025, title="新一年")
    assert set(live_plans(date(2025, 1, 5))) == {plan, this_year}
    assert live_plans(date(2025, 6, 1)) == [this_year]


def test_the_lights_page_shows_a_liaison_only_their_own_member(
    plan, task, school_a, school_b, liaison, secretariat, client_for
):
    lights_compute(plan=plan, today=date(2024, 4, 20))
    page = client_for(liaison).get(reverse("supervision:light-list")).content.decode()
    assert school_a.name in page and school_b.name not in page
    page = client_for(secretariat).get(reverse("supervision:light-list")).content.decode()
    assert school_a.name in page and school_b.name in page
    assert "第1季度进展逾期未报（截止 2024-04-10）" in page
    leadership = user_with_role(Role.LEADERSHIP, username="lingdao_x")
    response = client_for(leadership).get(
        reverse("supervision:light-list"), {"plan": plan.pk, "light": "red"}
    )
    assert response.context["counts"] == {"green": 0, "yellow": 0, "red": 2}
    assert [light.light for light in response.context["lights"]] == [Light.RED, Light.RED]


def test_a_member_s_light_is_its_worst_task_s(plan, task, school_a, secretariat, client_for):
    other = Task.objects.create(
        plan=plan, number="2", title="订单培养", deadline=date(2024, 12, 31)
    )
    other.responsible_members.add(school_a)
    lights_compute(plan=plan, today=date(2024, 4, 5))
    response = client_for(secretariat).get(reverse("supervision:light-list"))
    rows = {row["member"].name: row for row in response.context["members"]}
    assert rows[school_a.name]["light"] == Light.YELLOW
    assert rows[school_a.name]["counts"] == {"green": 0, "yellow": 2, "red": 0}


def test_a_past_day_s_lights_see_only_the_reports_in_by_then(plan, task, school_a):
    submission = Submission.objects.create(
        plan=plan,
        member=school_a,
        quarter=1,
        status=Submission.Status.APPROVED,
        first_submitted_at=timezone.make_aware(datetime(2024, 4, 15, 10)),
        reviewed_at=timezone.make_aware(datetime(2024, 4, 20, 10)),
    )
    TaskReport.objects.create(submission=submission, task=task, status="done")
    lights_compute(plan=plan, today=date(2024, 4, 12))
    assert TaskLight.objects.get(member=school_a).light == Light.RED  # not in yet
    lights_compute(plan=plan, today=date(2024, 4, 16))
    assert TaskLight.objects.get(member=school_a).light == Light.GREEN  # in, not yet approved
    lights_compute(plan=plan, today=date(2024, 4, 21))
    assert TaskLight.objects.get(member=school_a).reason == "已完成"  # approved: done


def test_the_lights_of_a_past_day_come_from_the_history(plan, task, school_a, school_b):
    for day in (date(2024, 3, 1), date(2024, 4, 5), date(2024, 4, 20)):
        lights_compute(plan=plan, today=day)
    on = {(c.member.name, c.light, c.changed_on) for c in lights_on(plan, date(2024, 4, 10))}
    assert on == {
        (school_a.name, Light.YELLOW, date(2024, 4, 5)),
        (school_b.name, Light.YELLOW, date(2024, 4, 5)),
    }
    assert {c.light for c in lights_on(plan, date(2024, 4, 30))} == {Light.RED}
    assert lights_on(plan, date(2024, 2, 1)) == []


def test_the_dispatch_report_shows_the_lights_of_its_month(plan, task, school_a, school_b):
    from django.template.loader import render_to_string

    from reports.dispatch import dispatch_report
    from reports.documents import dispatch_context

    for day in (date(2024, 3, 1), date(2024, 4, 5), date(2024, 4, 20), date(2024, 5, 3)):
        lights_compute(plan=plan, today=day)
    march = dispatch_report(2024, 3)
    assert march.light_counts == {"red": 0, "yellow": 0, "green": 2}
    april = dispatch_report(2024, 4)
    assert april.light_counts == {"red": 2, "yellow": 0, "green": 0}
    html = render_to_string("reports/dispatch.html", dispatch_context(april))
    assert "六、督办亮灯情况" in html
    assert "红灯2项，黄灯0项，绿灯0项" in html
    assert "第1季度进展逾期未报（截止 2024-04-10）" in html
    assert "已逾期" not in html  # a count of days written on 4-20 would be stale on 4-30
    assert "4月20日" in html


def test_the_liaison_desk_lists_their_own_red_and_yellow_tasks(
    plan, task, school_a, school_b, liaison, client_for
):
    lights_compute(plan=plan, today=date(2024, 4, 20))
    TaskLight.objects.filter(member=school_b).update(reason="乙校的原因")
    response = client_for(liaison).get(reverse("home"))
    page = response.content.decode()
    assert "第1季度进展逾期未报（截止 2024-04-10）" in page
    assert "乙校的原因" not in page
