"""A register's rate column shows, in its totals row, the weighted rate of the rows shown
(Σpart / Σwhole, one per year like the sums), and figures are written one way."""

import pytest
from django.urls import reverse

from enrollment.models import Enrollment, GraduateCount, TeacherCount
from jituan.numbers import figure, percent

pytestmark = pytest.mark.django_db


def footer(client, name, column, **query):
    return client.get(reverse(name), query).context["table"].columns[column].footer


def test_the_rate_columns_total_the_weighted_rate(client_for, secretariat, school_a, school_b):
    GraduateCount.objects.create(member=school_a, year=2020, graduates=100, employed_locally=30)
    GraduateCount.objects.create(member=school_b, year=2020, graduates=300, employed_locally=60)
    GraduateCount.objects.create(member=school_a, year=2021, graduates=200, employed_locally=150)
    TeacherCount.objects.create(member=school_a, year=2020, full_time=300, dual_qualified=191)
    Enrollment.objects.create(
        member=school_a, year=2020, level="secondary", channel="general", quota=1200, actual=1100
    )
    client = client_for(secretariat)
    assert footer(client, "enrollment:graduates-list", "rate", year=2020) == "22.5"  # 90 / 400
    both = footer(client, "enrollment:graduates-list", "rate")
    assert both == "2021 年合计：75.0<br>2020 年合计：22.5"
    assert footer(client, "enrollment:teachers-list", "share") == "63.7"
    assert footer(client, "enrollment:enrollment-list", "completion") == "91.7"
    assert footer(client, "enrollment:enrollment-list", "quota") == "1,200"


def test_a_liaisons_enrollment_total_is_their_members_not_the_groups(client_for, liaison):
    Enrollment.objects.create(
        member=liaison.member, year=2020, level="secondary", channel="general", quota=10, actual=9
    )
    page = client_for(liaison).get(reverse("enrollment:by-member"), {"year": 2020})
    footer = page.content.decode().split('data-testid="group-line"')[1].split("</tr>")[0]
    assert "合计" in footer and "集团" not in footer


def test_one_number_format():
    from decimal import Decimal

    assert [figure(13546), figure(Decimal("5400.00")), figure(Decimal("1234.50"))] == [
        "13,546",
        "5,400",
        "1,234.5",
    ]
    assert [percent(63.66), percent(Decimal("100")), percent(None)] == ["63.7", "100.0", "—"]
