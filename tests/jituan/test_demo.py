"""The Anqing demo: two live years, 2020 (安职集团〔2020〕2号) and 2024 (宜政秘〔2024〕91号), with
what the seeds say and enough figures around them for every screen to have something to show."""

import csv
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalChanges

from enrollment.models import Enrollment
from jituan.models import Member, User
from jituan.roles import Role
from partnerships.models import CertificatePilot, Consortium, IndustryCollege
from targets.deadlines import member_deadline_state
from targets.models import Allocation, Indicator, Plan, Submission, Task
from targets.selectors import default_plan
from targets.sources import actuals_for

pytestmark = pytest.mark.django_db
QUOTAS = Path(__file__).parents[2] / "fixtures" / "reference" / "anqing-2020-enrollment-quotas.csv"
# 安职集团〔2020〕2号, （一）8: the nine "1+X" certificate pilots it names.
NINE_PILOTS = {
    "汽车运用与维修",
    "Web前端开发",
    "建筑信息模型（BIM）",
    "物流管理",
    "网店运营推广",
    "工业机器人应用编程",
    "智能财税",
    "传感网应用开发",
    "云计算平台运维与开发",
}


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """Seeded once for the module, in a transaction rolled back at its end; every test of the
    module reads it (and undoes what it writes) inside."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=open("/dev/null", "w"))
        yield
        transaction.set_rollback(True)


def plan(year: int) -> Plan:
    return Plan.objects.get(year=year)


def test_it_loads_the_anqing_group_from_the_seeds():
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
    roles = {user.username: user.role for user in User.objects.all()}
    assert sorted(roles.values()) == sorted(Role)
    assert User.objects.get(username="lianluo").member.name == "安庆工业学校"


def test_it_is_idempotent(capsys):
    """A second run changes nothing, not even the registers' history."""
    tracked = [
        model
        for model in apps.get_models()
        if hasattr(model, "history") and not issubclass(model, HistoricalChanges)
    ]
    counted = [Member, User, Plan, Task, Indicator, Allocation, Submission, *tracked]

    def counts():
        return {model: model.objects.count() for model in counted} | {
            f"{model.__name__} history": model.history.count() for model in tracked
        }

    before = counts()
    call_command("seed_demo")
    assert counts() == before
    assert "lianluo" in capsys.readouterr().out


def test_every_indicator_of_the_demo_plans_has_a_value():
    """No 无数据 on the demo's 2020 and 2024 dashboards: every indicator has a source that
    fills it (the 2024 高职-only employment rate from graduates kept by level)."""
    from targets.selectors import plan_progress

    without_value = {
        (progress.indicator.plan.year, progress.indicator.code)
        for progress in plan_progress(Indicator.objects.select_related("plan"))
        if progress.actual.group is None
    }
    assert without_value == set()


# --- 2024: the opinion's key tasks, reported on -------------------------------------------------


def test_the_2024_plan_has_the_opinions_numbered_key_tasks_with_four_milestones():
    tasks = list(plan(2024).tasks.prefetch_related("milestones", "responsible_members"))
    assert [task.number for task in tasks] == [str(n) for n in range(1, 20)]
    titles = {task.title for task in tasks}
    assert {
        "改革集团现有实现形式",
        "强化集团自身能力建设",
        "推进校企协同育人",
        "强化专业及专业群建设",
        "提升毕业生本地就业创业率",
    } <= titles
    for task in tasks:
        assert all(task.milestones_by_quarter()), task
        assert task.deadline.year == 2024
        assert task.supervising_leader and task.responsible_person and task.phone
    lead = next(t for t in tasks if t.number == "1").responsible_members.all()
    assert {m.name for m in lead} >= {"安庆职业技术学院", "安庆技师学院", "安庆工业学校"}


def test_every_2024_indicator_belongs_to_a_task():
    linked = dict(plan(2024).indicators.values_list("code", "task__number"))
    assert linked == {
        "local-employment": "16",
        "higher-vocational-students": "15",
        "secondary-students": "15",
        "training": "18",
        "city-consortia": "9",
        "dual-qualified-share": "12",
        "majors-leading-industry": "13",
        "majors-two-enterprises": "11",
    }


def test_2024_has_submissions_in_every_state_in_its_first_three_quarters():
    submissions = plan(2024).submissions
    assert set(submissions.values_list("quarter", flat=True)) == {1, 2, 3}
    states = set(submissions.values_list("status", flat=True))
    assert states == {"approved", "submitted", "returned", "draft"}
    assert submissions.filter(status="approved", is_late=True).exists()
    assert not submissions.filter(status="returned", review_comment="").exists()
    for approved in submissions.filter(status="approved"):
        assert approved.first_submitted_at.year == approved.reviewed_at.year == 2024
    reporting = Member.objects.filter(tasks__plan__year=2024).distinct().count()
    missing = [q for q in (1, 2, 3) if submissions.filter(quarter=q).count() < reporting]
    assert missing, "some member has not reported a quarter"


def test_the_demo_liaison_has_a_returned_2024_report_they_can_still_fix():
    liaison = User.objects.get(username="lianluo")
    own = Submission.objects.get(plan__year=2024, member=liaison.member, quarter=3)
    assert own.status == Submission.Status.RETURNED and own.is_editable_by_liaison
    state = member_deadline_state(own.plan, liaison.member_id, 3, timezone.localdate())
    assert state.accepts_liaison


def test_the_2020_year_is_reported_as_before():
    submissions = plan(2020).submissions
    assert submissions.count() == 39
    assert submissions.filter(status="approved", is_late=True).count() == 2
    returned = submissions.get(status="returned")
    assert (returned.member.name, returned.quarter) == ("太湖职业技术学校", 3)


# --- the registers: 2019–2020 and 2023–2024 -------------------------------------------------------


def test_the_2019_expansion_intake_is_the_2020_plans_2312():
    expansion = Enrollment.objects.get(
        member__name="安庆职业技术学院", year=2019, level="higher", channel="expansion"
    )
    assert expansion.actual == 2312
    higher_2020 = Enrollment.objects.filter(year=2020, level="higher")
    assert set(higher_2020.values_list("channel", flat=True)) == {
        "general",
        "classified",
        "expansion",
    }
    assert sum(higher_2020.values_list("quota", flat=True)) == 5400
    assert sum(Enrollment.objects.filter(year=2020).values_list("quota", flat=True)) == 13546


def test_the_2024_trends_have_figures_in_more_than_one_year():
    indicators = plan(2024).indicators.select_related("plan")
    wanted = [(i, year) for i in indicators for year in range(2020, 2025)]
    actuals = actuals_for(wanted)
    with_values = {
        i.code: [year for year in range(2020, 2025) if actuals[(i.pk, year)].group is not None]
        for i in indicators
    }
    for code in ("training", "higher-vocational-students", "secondary-students"):
        assert len(with_values[code]) >= 2, (code, with_values[code])
    students = plan(2024).indicators.get(code="higher-vocational-students")
    assert 12_000 < actuals[(students.pk, 2023)].group < actuals[(students.pk, 2024)].group
    training = plan(2024).indicators.get(code="training")
    assert actuals[(training.pk, 2024)].group >= 40_000
    rate = plan(2024).indicators.get(code="local-employment")
    assert 38 <= actuals[(rate.pk, 2024)].group <= 41


# --- partnerships the seeds name ----------------------------------------------------------------


def test_the_2020_plans_nine_1x_pilots_are_there():
    pilots = set(CertificatePilot.objects.filter(year=2020).values_list("certificate", flat=True))
    assert pilots == NINE_PILOTS


def test_the_three_existing_industry_colleges_predate_the_opinion():
    existing = IndustryCollege.objects.filter(founded__lt=2024)
    assert set(existing.values_list("industry", flat=True)) == {"汽车", "化工", "数字"}
    assert existing.count() == 3


def test_both_city_consortia_have_a_target_in_the_2024_plan():
    consortia = Consortium.objects.filter(scope="city")
    assert consortia.count() == 2
    indicator = plan(2024).indicators.get(code="city-consortia")
    targets = dict(indicator.allocations.values_list("member__name", "target"))
    assert targets == {consortium.member.name: 1 for consortium in consortia}
    assert indicator.target == sum(targets.values())


# --- what the screens open on ---------------------------------------------------------------------


def test_the_dashboard_opens_on_2024_with_its_figures(client):
    assert default_plan(Plan.objects.all(), timezone.localdate()) == plan(2024)
    client.force_login(User.objects.get(username="lingdao"))
    page = client.get(reverse("dashboard:index"))
    assert page.context["plan"] == plan(2024)
    assert page.context["has_figures"]


def test_the_dual_qualified_share_is_one_rule_by_category_each_school_held_to_its_own():
    from targets.selectors import indicator_progress

    indicator = plan(2024).indicators.get(code="dual-qualified-share")
    assert indicator.category_targets.count() == 3
    assert not indicator.allocations.exists()
    progress = indicator_progress(indicator)
    held_to = {
        member.location: progress.member_target(member.pk)
        for member in Member.objects.schools().filter(is_active=True)
    }
    assert held_to == {"urban": 50, "county": 30}
    assert progress.actual.group is not None


def test_the_demo_liaison_has_their_returns_and_reopenings_in_their_messages():
    from jituan.models import Notification

    lianluo = User.objects.get(username="lianluo")
    kinds = set(Notification.objects.filter(recipient=lianluo).values_list("kind", flat=True))
    assert {"returned", "reopen_granted"} <= kinds
    # The demo's certifications were decided in July 2024: their messages are read.
    assert not Notification.objects.filter(recipient__username="mishu", read_at=None).exists()
