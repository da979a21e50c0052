"""A liaison reads their own school's progress and figures, never the group's or another
school's; every response carries a Content-Security-Policy."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from targets.models import (
    Allocation,
    Indicator,
    IndicatorReport,
    Plan,
    Submission,
    Task,
    TaskReport,
)
from targets.services.submissions import task_refresh_latest_progress

pytestmark = pytest.mark.django_db

A_TEXT = "安庆工校已下达招生计划"
B_TEXT = "化工学校订单班签约完成"


@pytest.fixture
def plan(db):
    return Plan.objects.create(year=2020, title="2020 年重点工作")


@pytest.fixture
def shared_task(plan, school_a, school_b):
    """A task both schools answer for, each with an approved report."""
    task = Task.objects.create(plan=plan, number="1", title="扩大招生规模")
    task.responsible_members.add(school_a, school_b)
    for member, text, status in ((school_a, A_TEXT, "on_track"), (school_b, B_TEXT, "done")):
        TaskReport.objects.create(
            submission=approved(plan, member), task=task, progress=text, status=status
        )
    task_refresh_latest_progress(task)
    task.refresh_from_db()
    return task


@pytest.fixture
def enrollment(plan, school_a, school_b):
    """Target 10,000: A has 6,100 and reached 6,250; B has 3,300 and reached 3,170."""
    indicator = Indicator.objects.create(
        plan=plan, code="enrollment-plan", name="总招生计划", unit="人", target=10000
    )
    for member, target, value in ((school_a, 6100, 6250), (school_b, 3300, 3170)):
        Allocation.objects.create(indicator=indicator, member=member, target=target)
        IndicatorReport.objects.create(
            submission=approved(plan, member), indicator=indicator, value=Decimal(value)
        )
    return indicator


def approved(plan, member) -> Submission:
    submission, _created = Submission.objects.get_or_create(
        plan=plan, member=member, quarter=1, defaults={"status": Submission.Status.APPROVED}
    )
    return submission


def shows(body: str, number: str) -> bool:
    """The figure anywhere on the page, with or without its grouping comma."""
    return re.search(rf"(?<![\d.]){number.replace(',', ',?')}(?![\d])", body) is not None


def test_it_shows_a_liaison_only_their_schools_progress_on_a_shared_task(
    client_for, liaison, shared_task
):
    assert B_TEXT in shared_task.latest_progress  # the joined text the page used to show
    response = client_for(liaison).get(shared_task.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert A_TEXT in body
    assert B_TEXT not in body
    assert "安徽化工学校：" not in body  # how the joined text names B's line


def test_it_shows_the_secretariat_every_schools_progress(client_for, secretariat, shared_task):
    body = client_for(secretariat).get(shared_task.get_absolute_url()).content.decode()
    assert A_TEXT in body and B_TEXT in body


def test_it_still_shows_the_secretariat_imported_progress_without_reports(
    client_for, secretariat, liaison, plan, school_a
):
    task = Task.objects.create(plan=plan, number="2", title="订单培养", latest_progress="已对接")
    task.responsible_members.add(school_a)
    assert "已对接" in client_for(secretariat).get(task.get_absolute_url()).content.decode()
    assert "已对接" not in client_for(liaison).get(task.get_absolute_url()).content.decode()


def test_it_shows_a_liaison_only_their_schools_figures_on_the_plan(client_for, liaison, enrollment):
    response = client_for(liaison).get(reverse("targets:plan-detail", args=[enrollment.plan.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert shows(body, "6,100") and shows(body, "6,250") and "102.5%" in body
    for group_or_b in ("10,000", "9,420", "94.2", "9,400", "3,300", "3,170", "96.1"):
        assert not shows(body, group_or_b), group_or_b


def test_it_shows_the_secretariat_the_group_figures_on_the_plan(
    client_for, secretariat, enrollment
):
    url = reverse("targets:plan-detail", args=[enrollment.plan.pk])
    body = client_for(secretariat).get(url).content.decode()
    assert shows(body, "9,420") and "94.2%" in body and shows(body, "9,400")


@pytest.mark.parametrize("url", ["/login/", "/static/js/dashboard.js"])
def test_it_sends_a_content_security_policy(client, url):
    policy = client.get(url).headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]


def test_it_sends_the_policy_on_signed_in_pages(client_for, leadership):
    response = client_for(leadership).get(reverse("dashboard:index"))
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
