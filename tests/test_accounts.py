"""Accounts: login throttling, the administrator role's limits in the Django admin, and the
production security settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.urls import reverse

from .factories import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db


# --- login throttling ------------------------------------------------------------------------


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_it_locks_a_username_after_five_wrong_passwords(client, secretariat):
    for _ in range(4):
        assert sign_in(client, "mishu", "wrong").status_code == 200
    response = sign_in(client, "mishu", "wrong")
    assert response.status_code == 429
    assert "登录已锁定" in response.content.decode()
    assert "15 分钟" in response.content.decode()
    # Locked: even the right password is refused, and nobody is signed in.
    response = sign_in(client, "mishu", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_locked_user_still_signs_in_from_another_address(client, secretariat):
    for _ in range(5):
        sign_in(client, "mishu", "wrong", address="203.0.113.7")
    response = sign_in(client, "mishu", PASSWORD, address="198.51.100.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(secretariat.pk)


def test_a_colleague_behind_the_same_address_is_not_locked(client, secretariat, leadership):
    for _ in range(5):
        sign_in(client, "mishu", "wrong")
    assert sign_in(client, "lingdao", PASSWORD).status_code == 302


def test_a_right_password_before_the_limit_starts_the_count_again(client, secretariat):
    for _ in range(4):
        sign_in(client, "mishu", "wrong")
    assert sign_in(client, "mishu", PASSWORD).status_code == 302
    client.logout()
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "mishu", "wrong").status_code == 200


# --- the administrator role in the Django admin --------------------------------------------------


def change_url(user):
    return reverse("admin:jituan_user_change", args=[user.pk])


def test_the_administrator_cannot_make_itself_a_superuser(client_for, admin_user):
    client = client_for(admin_user)
    page = client.get(change_url(admin_user))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    data = {
        key: value
        for key, value in form.initial.items()
        if key in form.fields and value is not None and key != "groups"
    }
    permission = Permission.objects.get(codename="delete_permission")
    data.update(
        is_superuser="on",
        user_permissions=[permission.pk],
        groups=[group.pk for group in admin_user.groups.all()],
        date_joined_0=admin_user.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=admin_user.date_joined.strftime("%H:%M:%S"),
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("password", None)
    response = client.post(change_url(admin_user), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    assert not admin_user.user_permissions.exists()


def test_the_administrator_cannot_take_over_a_superuser(client_for, admin_user, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="a-long-passphrase-1")
    client = client_for(admin_user)
    assert client.get(change_url(root)).status_code == 200  # may look
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client.post(password_url, {"password1": "taken-over-9", "password2": "taken-over-9"})
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password("a-long-passphrase-1")
    response = client.post(reverse("admin:jituan_user_delete", args=[root.pk]), {"post": "yes"})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:jituan_user_changelist"),
        {"action": "delete_selected", "_selected_action": [root.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert django_user_model.objects.filter(pk=root.pk).exists()


def test_a_superuser_still_manages_superusers(client_for, admin_user, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="a-long-passphrase-1")
    page = client_for(root).get(change_url(admin_user))
    assert "is_superuser" in page.context["adminform"].form.fields


# --- production settings -----------------------------------------------------------------------


def test_the_production_settings_pass_the_deploy_check(tmp_path):
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "JITUAN_VAR_DIR": str(tmp_path),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_SECURE_COOKIES": "true",
        "DJANGO_ALLOWED_HOSTS": "jituan.example.cn",
        "JITUAN_PROXY_COUNT": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_redirects_to_https_and_sends_hsts_but_not_the_health_check(settings, client):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    assert client.get("/healthz").status_code in (200, 503)
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    secure = client.get(reverse("login"), secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=3600")


# --- password hashing ------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2id_at_owasp_s_minimum(secretariat):
    secretariat.set_password("另一个口令-2026")
    secretariat.save()
    assert secretariat.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert secretariat.check_password("另一个口令-2026")


def test_a_pbkdf2_password_from_before_is_upgraded_at_login(client, secretariat):
    from django.contrib.auth.hashers import make_password

    secretariat.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    secretariat.save()
    assert sign_in(client, secretariat.username, PASSWORD).status_code == 302
    secretariat.refresh_from_db()
    assert secretariat.password.startswith("argon2$argon2id$")
