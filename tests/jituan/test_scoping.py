"""A liaison never reads or changes another member's data, by any URL."""

import pytest
from django.urls import reverse

from jituan import selectors
from jituan.models import Member
from jituan.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_it_cuts_members_to_the_liaisons_own(liaison, school_a, school_b):
    assert list(selectors.members_for(liaison)) == [school_a]


def test_it_gives_everyone_else_every_member(
    secretariat, leadership, admin_user, school_a, school_b
):
    for user in (secretariat, leadership, admin_user):
        assert set(selectors.members_for(user)) == {school_a, school_b}


def test_it_gives_a_user_without_a_role_nothing(django_user_model, school_a):
    stranger = django_user_model.objects.create_user("stranger", password="x")
    assert not selectors.members_for(stranger).exists()


def test_it_gives_a_liaison_without_a_member_nothing(liaison, school_a):
    liaison.member = None
    assert not selectors.members_for(liaison).exists()


def test_it_lists_only_the_liaisons_member(client_for, liaison, school_a, school_b):
    response = client_for(liaison).get(reverse("jituan:member-list"))
    assert response.status_code == 200
    assert school_a.name in response.content.decode()
    assert school_b.name not in response.content.decode()


def test_it_answers_404_for_another_members_page(client_for, liaison, school_b):
    response = client_for(liaison).get(reverse("jituan:member-detail", args=[school_b.pk]))
    assert response.status_code == 404
    assert school_b.name not in response.content.decode()


def test_it_answers_404_for_another_members_edit_page(client_for, liaison, school_b):
    client = client_for(liaison)
    url = reverse("jituan:member-update", args=[school_b.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"name": "改名", "kind": "enterprise", "location": "urban"})
    assert response.status_code == 404
    school_b.refresh_from_db()
    assert school_b.name == "安徽化工学校"


def test_it_lets_a_liaison_read_but_not_edit_their_own_member(client_for, liaison, school_a):
    client = client_for(liaison)
    assert client.get(reverse("jituan:member-detail", args=[school_a.pk])).status_code == 200
    url = reverse("jituan:member-update", args=[school_a.pk])
    assert client.post(url, {"name": "改名"}).status_code == 403
    assert Member.objects.get(pk=school_a.pk).name == school_a.name


def test_it_keeps_liaisons_out_of_people_screens(client_for, liaison, secretariat):
    client = client_for(liaison)
    assert client.get(reverse("jituan:user-list")).status_code == 403
    assert client.get(reverse("jituan:user-update", args=[secretariat.pk])).status_code == 403


def test_it_shows_a_liaison_only_their_members_people(liaison, school_b):
    other = user_with_role(Role.LIAISON, member=school_b)
    assert other not in selectors.users_for(liaison)
    assert liaison in selectors.users_for(liaison)
