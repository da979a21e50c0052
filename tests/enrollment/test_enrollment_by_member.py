"""The year's enrollment per member against its quota, worked out by hand."""

from decimal import Decimal

import pytest
from django.urls import reverse

from enrollment.models import Enrollment
from enrollment.selectors import enrollment_by_member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(school_a, school_b):
    # A: 2020 quota 800 + 200 over two levels, 900 + 150 enrolled; 2019 enrolled 1,000.
    # B: 2020 quota 500, 400 enrolled; 2019 enrolled 500.
    # C: 2020 quota 300, nothing enrolled yet; no 2019.
    rows = [
        (school_a, 2020, "secondary", "general", 800, 900),
        (school_a, 2020, "higher", "three_two", 200, 150),
        (school_a, 2019, "secondary", "all", 900, 1000),
        (school_b, 2020, "secondary", "all", 500, 400),
        (school_b, 2019, "secondary", "all", 500, 500),
        (MemberFactory(name="安庆技师学院"), 2020, "technician", "all", 300, None),
    ]
    for member, year, level, channel, quota, actual in rows:
        Enrollment.objects.create(
            member=member, year=year, level=level, channel=channel, quota=quota, actual=actual
        )


def by_name(lines):
    return {line.member.name: line for line in lines}


def test_it_adds_up_levels_and_channels_per_member(secretariat, figures):
    lines, group = enrollment_by_member(secretariat, 2020)
    a, b, c = (by_name(lines)[n] for n in ("安庆工业学校", "安徽化工学校", "安庆技师学院"))
    assert (a.quota, a.actual, a.last_year) == (1000, 1050, 1000)
    assert (a.completion, a.growth) == (Decimal("105.0"), Decimal("5.0"))
    assert (b.completion, b.growth) == (Decimal("80.0"), Decimal("-20.0"))
    assert (c.actual, c.completion, c.growth) == (None, None, None)
    # The group: 1,450 enrolled of 1,800 (80.6%, not the mean 92.5% of A and B); growth over A
    # and B, the members with both years: 1,450 against 1,500.
    assert (group.quota, group.actual) == (1800, 1450)
    assert group.completion == Decimal("80.6")
    assert (group.last_year, group.growth) == (1500, Decimal("-3.3"))


def test_a_liaison_sees_only_their_member(liaison, figures):
    lines, group = enrollment_by_member(liaison, 2020)
    assert [line.member for line in lines] == [liaison.member]
    assert (group.quota, group.actual) == (1000, 1050)


def test_the_page_shows_the_year_chosen(client_for, secretariat, figures):
    client = client_for(secretariat)
    page = client.get(reverse("enrollment:by-member"))
    assert page.context["year"] == 2020
    assert len(page.context["lines"]) == 3
    body = page.content.decode()
    assert "80.6%" in body and "-3.3" in body
    earlier = client.get(reverse("enrollment:by-member"), {"year": 2019})
    assert {line.member.name for line in earlier.context["lines"]} == {
        "安庆工业学校",
        "安徽化工学校",
    }


def test_a_liaison_cannot_see_another_member_by_the_year_or_any_parameter(
    client_for, liaison, figures
):
    page = client_for(liaison).get(reverse("enrollment:by-member"), {"member": 999, "year": "x"})
    assert [line.member for line in page.context["lines"]] == [liaison.member]
    assert "安徽化工学校" not in page.content.decode()


def test_it_needs_the_right_to_see_enrollment(client_for, django_user_model, db):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert client_for(nobody).get(reverse("enrollment:by-member")).status_code == 403
