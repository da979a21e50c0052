import pytest

from jituan.celery import app

pytestmark = pytest.mark.django_db


def test_it_reports_database_and_broker_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_it_answers_503_when_the_broker_is_down(client, monkeypatch):
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    # Celery reads CELERY_BROKER_URL from the environment first. Patched second, so that undoing
    # the setattr above restores the real URL, not this one.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "ok", "broker": "down"}
    assert "127.0.0.1" not in response.content.decode()  # the detail goes to the log only


def test_it_says_the_database_is_down_without_its_address(client, monkeypatch, caplog):
    from django.db import connection

    def refuse(*args, **kwargs):
        raise OSError("could not connect to server at db.internal:5432")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert "db.internal" not in response.content.decode()
    assert "db.internal" in caplog.text


def test_it_rejects_post(client):
    assert client.post("/healthz").status_code == 405
