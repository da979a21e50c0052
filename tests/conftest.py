"""The shared cast: two member schools and one user per role (the liaison belongs to school_a)."""

import pytest

from jituan.roles import Role

from .factories import MemberFactory, user_with_role


@pytest.fixture
def school_a(db):
    return MemberFactory(name="安庆工业学校", short_name="安庆工校")


@pytest.fixture
def school_b(db):
    return MemberFactory(name="安徽化工学校", location="county", county="怀宁县")


@pytest.fixture
def secretariat(db):
    return user_with_role(Role.SECRETARIAT, username="mishu")


@pytest.fixture
def liaison(school_a):
    return user_with_role(Role.LIAISON, member=school_a, username="lianluo")


@pytest.fixture
def leadership(db):
    return user_with_role(Role.LEADERSHIP, username="lingdao")


@pytest.fixture
def admin_user(db):
    return user_with_role(Role.ADMIN, username="guanli")


@pytest.fixture
def client_for(client):
    """client_for(user) returns the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def pytest_configure(config):
    # Tests do not run collectstatic; test_static.py checks the production storage on its own.
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads of a test go to its own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
