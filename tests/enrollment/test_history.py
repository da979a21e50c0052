"""「历史记录」 on register records: who changed what and when, scoped like the records."""

import csv

import pytest
from django.urls import reverse

from enrollment.importers import run_quota_import
from enrollment.models import Enrollment, GraduateCount
from tests.factories import MemberFactory

from .test_quota_import import QUOTAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def quota_row(school_a):
    return Enrollment.objects.create(member=school_a, year=2020, level="secondary", quota=792)


def edit(client, row, **changes):
    data = {"member": row.member_id, "year": row.year, "level": row.level, "channel": row.channel}
    data |= {"quota": row.quota or "", "actual": row.actual or ""} | changes
    return client.post(reverse("enrollment:enrollment-update", args=[row.pk]), data)


def test_it_records_who_edited_a_record_through_its_register(client_for, liaison, quota_row):
    assert edit(client_for(liaison), quota_row, actual=780).status_code == 302
    latest = quota_row.history.first()
    assert (latest.history_type, latest.history_user, latest.actual) == ("~", liaison, 780)
    assert quota_row.history.last().history_user is None  # created outside any request


def test_the_history_page_shows_old_and_new_values_in_chinese(client_for, secretariat, quota_row):
    client = client_for(secretariat)
    edit(client, quota_row, quota=800, level="technician")
    response = client.get(reverse("enrollment:enrollment-history", args=[quota_row.pk]))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [entry.action for entry in entries] == ["修改", "新增"]
    assert [entry.by for entry in entries] == ["秘书处用户", "系统"]
    assert entries[0].changes == [("层次", "中职", "新技工"), ("招生计划", "792", "800")]
    assert ("成员单位", None, "安庆工业学校") in entries[1].changes
    body = response.content.decode()
    assert "历史记录" in body and "<del" in body and "新技工" in body
    assert entries[0].at.strftime("%Y") in body


def test_the_history_page_is_scoped_like_the_record(client_for, liaison, leadership, school_b):
    other = GraduateCount.objects.create(
        member=school_b, year=2020, graduates=300, employed_locally=60
    )
    url = reverse("enrollment:graduates-history", args=[other.pk])
    assert client_for(liaison).get(url).status_code == 404
    response = client_for(leadership).get(url)
    assert response.status_code == 200
    assert response.context["edit_url"] == ""  # leadership reads, never edits


def test_the_history_page_answers_only_get(client_for, secretariat, quota_row):
    url = reverse("enrollment:enrollment-history", args=[quota_row.pk])
    assert client_for(secretariat).post(url).status_code == 405


def test_the_register_and_the_edit_page_link_to_the_history(client_for, liaison, quota_row):
    client = client_for(liaison)
    url = reverse("enrollment:enrollment-history", args=[quota_row.pk])
    listing = client.get(reverse("enrollment:enrollment-list")).content.decode()
    assert "历史记录" in listing and url in listing
    assert (
        url
        in client.get(reverse("enrollment:enrollment-update", args=[quota_row.pk])).content.decode()
    )


def test_the_quota_import_records_the_importing_user(secretariat, school_a):
    row = Enrollment.objects.create(
        member=school_a, year=2020, level="secondary", quota=700, actual=760
    )
    with QUOTAS.open(encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            if line["member"] != school_a.name:
                MemberFactory(name=line["member"])
    assert run_quota_import(path=QUOTAS, year=2020, commit=True, user=secretariat).applied
    versions = Enrollment.history.filter(history_user=secretariat)
    assert versions.filter(history_type="+").count() == 13
    changed = versions.get(history_type="~")
    assert (changed.id, changed.quota, changed.actual) == (row.pk, 792, 760)
