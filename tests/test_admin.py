import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from simple_history.models import HistoricalChanges


def test_every_model_of_ours_is_in_the_admin():
    # Historical versions are not models of their own in the admin: each record's 「历史记录」.
    ours = [
        m
        for m in apps.get_models()
        if m._meta.app_label in ("jituan", "targets", "assessment", "certification")
        and not issubclass(m, HistoricalChanges)
    ]
    assert [m.__name__ for m in ours if m not in admin.site._registry] == []


@pytest.mark.django_db
def test_the_admin_lists_open_for_an_administrator(client_for, admin_user):
    admin_user.is_superuser = True
    admin_user.save()
    client = client_for(admin_user)
    for model in admin.site._registry:
        if model._meta.app_label in ("jituan", "targets", "assessment", "certification"):
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert client.get(url).status_code == 200, url
