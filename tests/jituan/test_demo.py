import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from jituan.models import Member, User
from jituan.roles import Role

pytestmark = pytest.mark.django_db
QUOTAS = Path(__file__).parents[2] / "fixtures" / "reference" / "anqing-2020-enrollment-quotas.csv"


def test_it_loads_the_anqing_group_from_the_seeds():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    with QUOTAS.open(encoding="utf-8") as handle:
        schools = {row["member"]: row["location"] for row in csv.DictReader(handle)}
    loaded = {m.name: m.get_location_display() for m in Member.objects.filter(name__in=schools)}
    assert loaded == schools
    assert Member.objects.get(group_role="lead").name == "安庆职业技术学院"
    backbone = set(Member.objects.filter(group_role="backbone").values_list("name", flat=True))
    assert backbone == {"安庆技师学院", "安庆工业学校"}
    assert Member.objects.filter(group_role="consortium").count() == 2
    assert Member.objects.filter(kind="enterprise").exists()


def test_it_creates_one_user_per_role_and_binds_the_liaison():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    roles = {user.username: user.role for user in User.objects.all()}
    assert sorted(roles.values()) == sorted(Role)
    assert User.objects.get(username="lianluo").member.name == "安庆工业学校"


def test_it_is_idempotent(capsys):
    call_command("seed_demo")
    counts = (Member.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Member.objects.count(), User.objects.count()) == counts
    assert "lianluo" in capsys.readouterr().out


def test_every_indicator_of_the_demo_plans_has_a_value():
    """No 无数据 on the demo's 2020 and 2024 dashboards: every indicator has a source that
    fills it (the 2024 高职-only employment rate from graduates kept by level)."""
    from targets.models import Indicator
    from targets.selectors import plan_progress

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    without_value = {
        (progress.indicator.plan.year, progress.indicator.code)
        for progress in plan_progress(Indicator.objects.select_related("plan"))
        if progress.actual.group is None
    }
    assert without_value == set()
