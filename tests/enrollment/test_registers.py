"""The register screens: liaisons keep their own member's figures, and only theirs."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from enrollment.models import Enrollment, GraduateCount
from partnerships.models import CooperationAgreement, Enterprise, OrderClass

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(school_a, school_b):
    return [
        GraduateCount.objects.create(
            member=school_a, year=2020, graduates=100, employed_locally=30
        ),
        GraduateCount.objects.create(
            member=school_b, year=2020, graduates=300, employed_locally=60
        ),
    ]


def test_it_lists_figures_with_totals_for_the_secretariat(client_for, secretariat, figures):
    response = client_for(secretariat).get(reverse("enrollment:graduates-list"))
    assert len(response.context["table"].rows) == 2
    body = response.content.decode()
    assert "400" in body and "90" in body  # the totals row


def test_the_totals_row_never_adds_different_years(client_for, secretariat, figures, school_a):
    GraduateCount.objects.create(member=school_a, year=2021, graduates=250, employed_locally=70)
    client = client_for(secretariat)
    url = reverse("enrollment:graduates-list")
    footer = client.get(url).context["table"].columns["graduates"].footer
    assert footer == "2021 年合计：250<br>2020 年合计：400"
    assert "650" not in client.get(url).content.decode()
    one_year = client.get(url, {"year": 2021}).context["table"].columns["graduates"].footer
    assert one_year == "250"


def test_it_shows_a_liaison_only_their_figures(client_for, liaison, figures):
    client = client_for(liaison)
    rows = client.get(reverse("enrollment:graduates-list")).context["table"].data
    assert [r.member for r in rows] == [liaison.member]
    other = figures[1]
    assert client.get(reverse("enrollment:graduates-update", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("enrollment:graduates-update", args=[other.pk]),
        {"year": 2020, "graduates": 1, "employed_locally": 1},
    )
    assert response.status_code == 404
    assert GraduateCount.objects.get(pk=other.pk).graduates == 300


def test_a_liaisons_new_record_belongs_to_their_member(client_for, liaison, school_b):
    data = {
        "member": school_b.pk,
        "year": 2021,
        "level": "secondary",
        "graduates": 50,
        "employed_locally": 20,
    }
    response = client_for(liaison).post(reverse("enrollment:graduates-create"), data)
    assert response.status_code == 302
    assert GraduateCount.objects.get().member == liaison.member


def test_it_refuses_more_local_jobs_than_graduates_in_chinese(client_for, liaison):
    data = {"year": 2021, "level": "secondary", "graduates": 50, "employed_locally": 60}
    response = client_for(liaison).post(reverse("enrollment:graduates-create"), data)
    assert response.status_code == 200
    assert "不能多于毕业生人数" in response.content.decode()
    assert not GraduateCount.objects.exists()


def test_it_refuses_a_second_row_for_the_same_year_and_level(client_for, liaison, figures):
    data = {"year": 2020, "level": "secondary", "graduates": 50, "employed_locally": 20}
    response = client_for(liaison).post(reverse("enrollment:graduates-create"), data)
    assert "该成员单位在该年度、该层次已有记录。" in response.content.decode()
    assert GraduateCount.objects.count() == 2


@pytest.mark.parametrize(
    "stored, posted, message",
    [
        ("all", "general", "已录入“全部渠道”行"),
        ("general", "all", "已按招生渠道分列"),
    ],
)
def test_a_year_is_entered_for_all_channels_or_by_channel_never_both(
    client_for, liaison, stored, posted, message
):
    Enrollment.objects.create(
        member=liaison.member, year=2024, level="higher", channel=stored, actual=1000
    )
    data = {"year": 2024, "level": "higher", "channel": posted, "quota": 600, "actual": 580}
    response = client_for(liaison).post(reverse("enrollment:enrollment-create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Enrollment.objects.count() == 1
    data["level"] = "secondary"  # another level is another count
    assert (
        client_for(liaison).post(reverse("enrollment:enrollment-create"), data).status_code == 302
    )


def test_leadership_reads_but_does_not_write(client_for, leadership, figures):
    client = client_for(leadership)
    assert client.get(reverse("enrollment:graduates-list")).status_code == 200
    assert client.get(reverse("enrollment:graduates-create")).status_code == 403


def test_it_exports_the_filtered_list(client_for, liaison, figures):
    response = client_for(liaison).get(reverse("enrollment:graduates-export"), {"year": 2020})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:2] == ("年度", "成员单位")
    assert [row[1] for row in rows[1:]] == [liaison.member.name]


def test_the_overview_flags_what_policy_cares_about(client_for, secretariat, school_a, school_b):
    from datetime import timedelta

    from django.utils import timezone

    firm = Enterprise.objects.create(name="环新集团")
    OrderClass.objects.create(
        member=school_a, enterprise=firm, major="汽修", year=2020, students=20
    )
    OrderClass.objects.create(
        member=school_b, enterprise=firm, major="化工", year=2020, students=19
    )
    today = timezone.localdate()
    CooperationAgreement.objects.create(
        member=school_a,
        enterprise=firm,
        major="汽修",
        starts_on=today - timedelta(days=400),
        ends_on=today + timedelta(days=30),
    )
    response = client_for(secretariat).get(reverse("partnerships:overview"))
    assert [c.major for c in response.context["qualifying"]] == ["汽修"]
    assert [m["major"] for m in response.context["thin_majors"]] == ["汽修"]
    assert [a.major for a in response.context["expiring"]] == ["汽修"]
    qualifying = client_for(secretariat).get(
        reverse("partnerships:order-classes-list"), {"qualifies": "true"}
    )
    assert [c.major for c in qualifying.context["table"].data] == ["汽修"]


def test_liaisons_may_add_enterprises_but_not_change_them(client_for, liaison):
    firm = Enterprise.objects.create(name="环新集团")
    client = client_for(liaison)
    assert (
        client.post(reverse("partnerships:enterprises-create"), {"name": "新企业"}).status_code
        == 302
    )
    response = client.post(
        reverse("partnerships:enterprises-update", args=[firm.pk]), {"name": "改名"}
    )
    assert response.status_code == 403
    assert Enterprise.objects.get(pk=firm.pk).name == "环新集团"


def test_a_liaison_takes_back_their_own_record_and_its_history_keeps_it(
    client_for, liaison, figures
):
    own, other = figures
    client = client_for(liaison)
    edit = client.get(reverse("enrollment:graduates-update", args=[own.pk])).content.decode()
    assert reverse("enrollment:graduates-delete", args=[own.pk]) in edit
    assert client.get(reverse("enrollment:graduates-delete", args=[own.pk])).status_code == 405
    refused = client.post(reverse("enrollment:graduates-delete", args=[other.pk]))
    assert refused.status_code == 404
    response = client.post(reverse("enrollment:graduates-delete", args=[own.pk]), follow=True)
    assert "已删除" in response.content.decode()
    assert list(GraduateCount.objects.all()) == [other]
    deleted = GraduateCount.history.get(id=own.pk, history_type="-")
    assert deleted.history_user == liaison


def test_leadership_sees_no_edit_link_and_cannot_delete(client_for, leadership, liaison, figures):
    listing = client_for(leadership).get(reverse("enrollment:graduates-list")).content.decode()
    assert reverse("enrollment:graduates-update", args=[figures[0].pk]) not in listing
    own = client_for(liaison).get(reverse("enrollment:graduates-list")).content.decode()
    assert reverse("enrollment:graduates-update", args=[figures[0].pk]) in own
    url = reverse("enrollment:graduates-delete", args=[figures[0].pk])
    assert client_for(leadership).post(url).status_code == 403
    assert GraduateCount.objects.count() == 2


def test_an_enterprise_still_used_is_not_deleted_and_the_page_says_why(
    client_for, secretariat, school_a
):
    firm = Enterprise.objects.create(name="安庆石化")
    OrderClass.objects.create(
        member=school_a, enterprise=firm, major="化工", year=2020, students=30
    )
    response = client_for(secretariat).post(
        reverse("partnerships:enterprises-delete", args=[firm.pk]), follow=True
    )
    assert "仍被其他记录引用" in response.content.decode()
    assert Enterprise.objects.filter(pk=firm.pk).exists()
