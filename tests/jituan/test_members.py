import pytest
from django.urls import reverse

from jituan.models import Member, MemberContact
from tests.factories import MemberContactFactory, MemberFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "安庆新能源职业学校",
    "short_name": "新能源",
    "kind": "secondary_vocational",
    "group_role": "member",
    "location": "county",
    "county": "怀宁县",
    "ownership": "private",
    "is_council_member": "on",
    "is_active": "on",
    "contacts-TOTAL_FORMS": "1",
    "contacts-INITIAL_FORMS": "0",
    "contacts-0-name": "林老师",
    "contacts-0-phone": "0556-1234567",
    "contacts-0-is_primary": "on",
}


def test_it_lists_members_for_the_secretariat(client_for, secretariat, school_a, school_b):
    response = client_for(secretariat).get(reverse("jituan:member-list"))
    assert response.status_code == 200
    assert {school_a, school_b} == set(response.context["table"].data)


def test_it_filters_members_by_location(client_for, secretariat, school_a, school_b):
    response = client_for(secretariat).get(reverse("jituan:member-list"), {"location": "county"})
    assert list(response.context["table"].data) == [school_b]


def test_it_searches_members_by_county(client_for, secretariat, school_a, school_b):
    response = client_for(secretariat).get(reverse("jituan:member-list"), {"q": "怀宁"})
    assert list(response.context["table"].data) == [school_b]


def test_it_sorts_and_paginates_members(client_for, secretariat):
    MemberFactory.create_batch(30)
    client = client_for(secretariat)
    first = client.get(reverse("jituan:member-list"), {"sort": "-name"})
    names = [row.record.name for row in first.context["table"].page.object_list]
    assert len(names) == 25
    assert names == sorted(names, reverse=True)
    second = client.get(reverse("jituan:member-list"), {"sort": "-name", "page": 2})
    assert len(second.context["table"].page.object_list) == 5


def test_it_lists_members_in_a_fixed_number_of_queries(
    client_for, secretariat, django_assert_max_num_queries
):
    for member in MemberFactory.create_batch(20):
        MemberContactFactory(member=member)
    client = client_for(secretariat)
    with django_assert_max_num_queries(12):
        client.get(reverse("jituan:member-list"))


def test_it_creates_a_member_with_a_contact(client_for, secretariat):
    response = client_for(secretariat).post(reverse("jituan:member-create"), VALID)
    member = Member.objects.get(name=VALID["name"])
    assert response.status_code == 302
    assert response["Location"] == member.get_absolute_url()
    assert (member.county, member.ownership) == ("怀宁县", "private")
    assert "民办" in client_for(secretariat).get(member.get_absolute_url()).content.decode()
    assert member.contacts.get().name == "林老师"


def test_it_refuses_a_county_member_without_a_county(client_for, secretariat):
    response = client_for(secretariat).post(
        reverse("jituan:member-create"), {**VALID, "county": ""}
    )
    assert response.status_code == 200
    assert "县域成员单位须填写所在县（市、区）" in response.content.decode()
    assert not Member.objects.exists()
    assert not MemberContact.objects.exists()


def test_it_refuses_a_duplicate_name_in_chinese(client_for, secretariat, school_a):
    data = {**VALID, "name": school_a.name}
    response = client_for(secretariat).post(reverse("jituan:member-create"), data)
    assert response.status_code == 200
    assert "已存在" in response.content.decode()
    assert Member.objects.count() == 1


def test_it_writes_nothing_when_a_contact_is_invalid(client_for, secretariat):
    data = {**VALID, "contacts-0-email": "不是邮箱"}
    response = client_for(secretariat).post(reverse("jituan:member-create"), data)
    assert response.status_code == 200
    assert not Member.objects.exists()


def test_it_edits_a_member_and_removes_a_contact(client_for, secretariat, school_a):
    contact = MemberContactFactory(member=school_a)
    data = {
        **VALID,
        "name": "安庆工业学校（新校区）",
        "location": "urban",
        "county": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "1",
        "contacts-0-id": str(contact.pk),
        "contacts-0-member": str(school_a.pk),
        "contacts-0-name": contact.name,
        "contacts-0-DELETE": "on",
    }
    url = reverse("jituan:member-update", args=[school_a.pk])
    response = client_for(secretariat).post(url, data)
    assert response.status_code == 302
    school_a.refresh_from_db()
    assert school_a.name == "安庆工业学校（新校区）"
    assert not school_a.contacts.exists()


def test_it_shows_the_member_page(client_for, secretariat, school_b):
    MemberContactFactory(member=school_b, name="何老师")
    response = client_for(secretariat).get(school_b.get_absolute_url())
    body = response.content.decode()
    assert "县域（怀宁县）" in body
    assert "何老师" in body


def test_it_lets_leadership_read_but_not_write(client_for, leadership, school_a):
    client = client_for(leadership)
    assert client.get(reverse("jituan:member-list")).status_code == 200
    assert client.get(school_a.get_absolute_url()).status_code == 200
    assert client.get(reverse("jituan:member-create")).status_code == 403
    assert client.post(reverse("jituan:member-create"), VALID).status_code == 403
    assert client.get(reverse("jituan:member-update", args=[school_a.pk])).status_code == 403
    assert Member.objects.count() == 1


def test_it_sends_anonymous_visitors_to_sign_in(client, school_a):
    for url in (reverse("home"), reverse("jituan:member-list"), school_a.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_exports_the_filtered_member_list_with_chinese_headers(
    client_for, secretariat, liaison, school_a, school_b
):
    import io

    from openpyxl import load_workbook

    MemberContactFactory(member=school_b, name="王主任", is_primary=True)
    Member.objects.filter(pk=school_b.pk).update(location="county", county="怀宁县")

    def rows(client, **query):
        response = client.get(reverse("jituan:member-export"), query)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    everything = rows(client_for(secretariat))
    assert everything[0][:3] == ["名称", "简称", "类型"]
    assert {row[0] for row in everything[1:]} == {school_a.name, school_b.name}
    county = rows(client_for(secretariat), location="county")
    assert [row[0] for row in county[1:]] == [school_b.name]
    assert "王主任" in county[1] and "县域" in county[1]
    assert [row[0] for row in rows(client_for(liaison))[1:]] == [school_a.name]  # their own only
