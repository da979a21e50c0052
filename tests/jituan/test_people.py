import pytest
from django.urls import reverse

from jituan.models import User
from jituan.roles import Role

pytestmark = pytest.mark.django_db


def new_user(**overrides):
    return {
        "username": "xiaowang",
        "name": "王小明",
        "email": "wang@example.cn",
        "phone": "13800000000",
        "role": Role.LIAISON,
        "member": "",
        "password": "a-long-enough-password-2026",
        **overrides,
    }


def test_it_lets_the_admin_create_a_liaison(client_for, admin_user, school_a):
    client = client_for(admin_user)
    response = client.post(reverse("jituan:user-create"), new_user(member=school_a.pk))
    assert response.status_code == 302
    user = User.objects.get(username="xiaowang")
    assert user.role == Role.LIAISON
    assert user.member == school_a
    assert user.check_password("a-long-enough-password-2026")
    assert not user.is_staff


def test_it_refuses_a_liaison_without_a_member(client_for, admin_user):
    response = client_for(admin_user).post(reverse("jituan:user-create"), new_user())
    assert response.status_code == 200
    assert "联络员必须绑定一个成员单位" in response.content.decode()
    assert not User.objects.filter(username="xiaowang").exists()


def test_it_refuses_a_member_for_other_roles(client_for, admin_user, school_a):
    data = new_user(role=Role.LEADERSHIP, member=school_a.pk)
    response = client_for(admin_user).post(reverse("jituan:user-create"), data)
    assert "只有联络员绑定成员单位" in response.content.decode()
    assert not User.objects.filter(username="xiaowang").exists()


def test_it_refuses_a_weak_password(client_for, admin_user, school_a):
    data = new_user(member=school_a.pk, password="12345678")
    response = client_for(admin_user).post(reverse("jituan:user-create"), data)
    assert response.status_code == 200
    assert not User.objects.filter(username="xiaowang").exists()


def test_it_changes_a_role_and_keeps_the_password_when_left_empty(client_for, admin_user, liaison):
    url = reverse("jituan:user-update", args=[liaison.pk])
    data = new_user(username=liaison.username, role=Role.SECRETARIAT, password="", is_active="on")
    response = client_for(admin_user).post(url, data)
    assert response.status_code == 302
    liaison = User.objects.get(pk=liaison.pk)
    assert liaison.role == Role.SECRETARIAT
    assert liaison.member is None
    assert liaison.check_password("correct-horse-battery")


def test_it_makes_admins_staff(client_for, admin_user):
    data = new_user(role=Role.ADMIN)
    client_for(admin_user).post(reverse("jituan:user-create"), data)
    assert User.objects.get(username="xiaowang").is_staff


def test_it_lets_leadership_and_secretariat_read_but_not_edit_people(
    client_for, leadership, secretariat, liaison
):
    for user in (leadership, secretariat):
        client = client_for(user)
        response = client.get(reverse("jituan:user-list"), {"role": Role.LIAISON})
        assert response.status_code == 200
        assert list(response.context["table"].data) == [liaison]
        assert client.get(reverse("jituan:user-create")).status_code == 403
        url = reverse("jituan:user-update", args=[liaison.pk])
        assert client.post(url, new_user()).status_code == 403


def test_it_refuses_a_password_like_the_username(client_for, admin_user, school_a):
    data = new_user(member=school_a.pk, username="wangxiaoming2026", password="wangxiaoming2026")
    response = client_for(admin_user).post(reverse("jituan:user-create"), data)
    assert response.status_code == 200
    assert not User.objects.filter(username="wangxiaoming2026").exists()
