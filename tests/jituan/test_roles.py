import pytest
from django.contrib.auth.models import Group

from jituan.roles import Role
from jituan.services import roles_sync

pytestmark = pytest.mark.django_db


def codenames(role):
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


def test_it_creates_one_group_per_role():
    roles_sync()
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_it_gives_leadership_only_view_permissions():
    roles_sync()
    permissions = codenames(Role.LEADERSHIP)
    assert "view_member" in permissions
    # Their only write: a leader's instruction (领导批示).
    writes = [codename for codename in permissions if not codename.startswith("view_")]
    assert writes == ["add_instruction"]


def test_it_lets_only_the_secretariat_and_admin_change_members():
    roles_sync()
    assert "change_member" in codenames(Role.SECRETARIAT)
    assert "change_member" not in codenames(Role.LIAISON)
    assert "add_user" not in codenames(Role.SECRETARIAT)
    assert "add_user" in codenames(Role.ADMIN)


def test_it_is_idempotent():
    roles_sync()
    before = codenames(Role.SECRETARIAT)
    roles_sync()
    assert codenames(Role.SECRETARIAT) == before
    assert Group.objects.filter(name=Role.SECRETARIAT).count() == 1


def test_it_shows_each_role_its_navigation(
    client_for, secretariat, liaison, leadership, admin_user
):
    planning = [
        "/plans/",
        "/tasks/",
        "/indicators/",
        "/submissions/",
        "/registers/partnerships/",
        "/certification/",  # 认定, right after the registers
    ]
    expected = {
        secretariat: [
            "/",
            "/dashboard/",
            "/members/",
            "/submissions/board/",
            "/supervision/lights/",
            "/assessment/",  # 考核, right after supervision
            *planning,
            "/reports/",
            "/imports/",
            "/people/",
        ],
        leadership: [
            "/",
            "/dashboard/",
            "/members/",
            "/submissions/board/",
            "/supervision/lights/",
            "/assessment/",  # 考核, right after supervision
            *planning,
            "/reports/",
            "/people/",
        ],
        admin_user: [
            "/",
            "/dashboard/",
            "/members/",
            "/submissions/board/",
            "/supervision/lights/",
            "/assessment/",  # 考核, right after supervision
            *planning,
            "/reports/",
            "/imports/",
            "/people/",
            "/admin/",
        ],
        liaison: [
            "/",
            "/dashboard/",
            f"/members/{liaison.member_id}/",
            "/report/",
            "/supervision/lights/",
            "/assessment/",  # 考核, right after supervision
            *planning,
        ],
    }
    for user, urls in expected.items():
        navigation = client_for(user).get("/members/").context["navigation"]
        assert [item["url"] for item in navigation] == urls, user
