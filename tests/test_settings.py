import pytest
from django.core.exceptions import ImproperlyConfigured

from jituan.settings import env_bool, env_int, env_list


def test_it_reads_booleans(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False


def test_it_refuses_a_bad_boolean(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_it_refuses_a_bad_number(monkeypatch):
    monkeypatch.setenv("X_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUMBER"):
        env_int("X_NUMBER", 1)


def test_it_splits_lists(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.cn, b.cn,,")
    assert env_list("X_HOSTS", "") == ["a.cn", "b.cn"]


def test_it_defaults_to_no_server(monkeypatch):
    from django.conf import settings

    if "DATABASE_URL" not in __import__("os").environ:
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        assert settings.CELERY_BROKER_URL.startswith("sqla+sqlite:///")
