"""The work desk (工作台): each role opens on its own work, every item links to where it is done."""

from datetime import timedelta

import pytest
from django.urls import reverse

from jituan.models import User
from supervision.services import lights_compute
from targets.models import ImportBatch, QuarterSchedule, ReopenRequest

from .conftest import TODAY, return_

pytestmark = pytest.mark.django_db


def desk(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def counts(response) -> dict[str, int]:
    return {item.key: item.count for item in response.context["items"]}


def test_it_counts_the_secretariats_work(
    client_for, secretariat, submitted, liaison, school_b, plan
):
    ReopenRequest.objects.create(
        plan=plan, member=liaison.member, quarter=2, reason="补报", requested_by=liaison
    )
    ImportBatch.objects.create(
        kind="tasks",
        year=TODAY.year,
        original_name="任务.xlsx",
        status="previewed",
        uploaded_by=secretariat,
    )
    # Quarter 1 was due yesterday: school_a submitted, school_b is late.
    QuarterSchedule.objects.filter(plan=plan, quarter=1).update(due_on=TODAY - timedelta(days=1))
    lights_compute(plan=plan, today=TODAY)  # school_b's task light turns red
    response = desk(client_for(secretariat))
    assert counts(response) == {
        "review": 1,
        "reopen": 1,
        "late": 1,
        "red": 1,
        "instructions": 0,
        "certification": 0,
        "imports": 1,
        "reports": 0,
    }


def test_it_links_each_desk_item_to_a_page_the_role_may_open(
    client_for, secretariat, admin_user, submitted
):
    for user in (secretariat, admin_user):
        client = client_for(user)
        for item in desk(client).context["items"]:
            assert client.get(item.url).status_code == 200, (user, item.url)


def test_it_counts_the_admins_people_and_imports(client_for, admin_user):
    User.objects.create_user(username="nobody", password="x")  # no role yet
    User.objects.create_user(username="gone", password="x", is_active=False)
    response = desk(client_for(admin_user))
    assert counts(response) == {"no-role": 1, "inactive": 1, "imports": 0}


def test_it_sends_leadership_to_the_dashboard(client_for, leadership):
    response = client_for(leadership).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:index")


def test_it_shows_the_liaison_their_quarter_and_what_was_returned(
    client_for, liaison, submitted, secretariat
):
    return_(submitted, secretariat, comment="请补充人数")
    response = desk(client_for(liaison))
    body = response.content.decode()
    found = response.context["desk"]
    assert found.quarter == 1 and found.deadline.code == "due_soon"
    assert [s.pk for s, rows in found.returned] == [submitted.pk]
    assert "请补充人数" in body and "进展写得太简略" in body
    assert body.count('data-testid="desk-member-card"') == 1
    assert client_for(liaison).get(found.fill_url).status_code == 200


def test_it_never_shows_a_liaison_another_members_returns(
    client_for, liaison_b, submitted, secretariat
):
    return_(submitted, secretariat, comment="甲校的审核意见")
    response = desk(client_for(liaison_b))
    assert response.context["desk"].returned == []
    assert "甲校的审核意见" not in response.content.decode()
    assert "安庆工业学校" not in response.content.decode()


def test_it_shows_the_unread_badge_in_the_navigation(client_for, liaison, submitted, secretariat):
    return_(submitted, secretariat)
    body = desk(client_for(liaison)).content.decode()
    assert 'data-testid="unread-count">1<' in body
