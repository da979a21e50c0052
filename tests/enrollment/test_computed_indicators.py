"""Indicators computed from the registers, checked against figures worked out by hand."""

from decimal import Decimal

import pytest

from enrollment.models import Enrollment, GraduateCount, TeacherCount
from partnerships.models import Enterprise, OrderClass, TrainingBase
from targets.figures import completion, year_target
from targets.models import Indicator, Plan
from targets.sources import indicator_actual

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(db):
    return Plan.objects.create(year=2020, title="2020 年重点工作")


def indicator(plan, source, kind="rate", target=30, unit="%"):
    return Indicator.objects.create(
        plan=plan, code=source, name=source, unit=unit, kind=kind, target=target, source=source
    )


def test_the_group_employment_rate_is_weighted_not_averaged(plan, school_a, school_b):
    # A: 30 of 100 local (30%), B: 60 of 300 (20%). Average of rates 25%; the group is 90/400.
    GraduateCount.objects.create(member=school_a, year=2020, graduates=100, employed_locally=30)
    GraduateCount.objects.create(member=school_b, year=2020, graduates=300, employed_locally=60)
    actual = indicator_actual(indicator(plan, "graduates.local_rate"))
    assert actual.group == Decimal("22.5")
    assert actual.per_member == {school_a.pk: Decimal("30.0"), school_b.pk: Decimal("20.0")}
    # 22.5 of 30
    assert completion(actual.group, year_target(plan.indicators.get())) == Decimal("75.0")


def test_enrollment_growth_is_over_the_group_totals(plan, school_a, school_b):
    # A 100 → 120 (+20%), B 200 → 220 (+10%): the group 300 → 340 is +13.3%, not +15%.
    for member, before, now in ((school_a, 100, 120), (school_b, 200, 220)):
        Enrollment.objects.create(member=member, year=2019, level="secondary", actual=before)
        Enrollment.objects.create(member=member, year=2020, level="secondary", actual=now)
    actual = indicator_actual(indicator(plan, "enrollment.growth", kind="growth", target=20))
    assert actual.group == Decimal("13.3")
    assert actual.per_member[school_a.pk] == Decimal("20.0")
    assert completion(actual.group, year_target(plan.indicators.get())) == Decimal("66.5")


def test_enrollment_total_sums_levels_and_channels(plan, school_a):
    Enrollment.objects.create(
        member=school_a, year=2020, level="higher", channel="general", quota=300, actual=280
    )
    Enrollment.objects.create(
        member=school_a, year=2020, level="higher", channel="expansion", quota=100, actual=130
    )
    actual = indicator_actual(indicator(plan, "enrollment.total", "absolute", 400, "人"))
    assert actual.group == Decimal(410)
    assert Enrollment.objects.get(channel="general").completion == 93.3


def test_dual_qualified_growth_and_share(plan, school_a, school_b):
    TeacherCount.objects.create(member=school_a, year=2019, full_time=100, dual_qualified=40)
    TeacherCount.objects.create(member=school_a, year=2020, full_time=100, dual_qualified=46)
    TeacherCount.objects.create(member=school_b, year=2019, full_time=50, dual_qualified=10)
    TeacherCount.objects.create(member=school_b, year=2020, full_time=50, dual_qualified=10)
    growth = indicator_actual(indicator(plan, "teachers.dual_growth", "growth", 10))
    assert growth.group == Decimal("12.0")  # 50 → 56
    share = indicator_actual(indicator(plan, "teachers.dual_share", "rate", 50))
    assert share.group == Decimal("37.3")  # 56 / 150
    assert share.per_member == {school_a.pk: Decimal("46.0"), school_b.pk: Decimal("20.0")}


def test_order_classes_and_training_bases_are_counted_for_the_year(plan, school_a, school_b):
    firm = Enterprise.objects.create(name="环新集团")
    OrderClass.objects.create(
        member=school_a, enterprise=firm, major="汽修", year=2020, students=25
    )
    OrderClass.objects.create(
        member=school_a, enterprise=firm, major="机电", year=2020, students=12
    )
    OrderClass.objects.create(
        member=school_b, enterprise=firm, major="化工", year=2019, students=40
    )
    TrainingBase.objects.create(name="公共实训中心", kind="public", member=school_a, year=2020)
    TrainingBase.objects.create(name="共享实验室", kind="shared_lab", member=school_b, year=2020)
    classes = indicator_actual(indicator(plan, "partnerships.order_classes", "absolute", 20, "个"))
    assert (classes.group, classes.per_member) == (Decimal(2), {school_a.pk: Decimal(2)})
    qualifying = indicator_actual(indicator(plan, "partnerships.qualifying_classes", "absolute", 1))
    assert qualifying.group == Decimal(1)
    bases = indicator_actual(indicator(plan, "partnerships.training_bases.public", "absolute", 10))
    assert bases.group == Decimal(1)
    public = plan.indicators.get(code="partnerships.training_bases.public")
    assert completion(bases.group, year_target(public)) == Decimal("10.0")


def test_it_refuses_an_unknown_source(plan):
    from django.core.exceptions import ValidationError

    bad = Indicator(plan=plan, code="x", name="x", unit="个", target=1, source="nowhere")
    with pytest.raises(ValidationError, match="source"):
        bad.full_clean()


def test_it_changes_when_a_liaison_changes_their_figures(plan, school_a, school_b):
    figures = GraduateCount.objects.create(
        member=school_a, year=2020, graduates=100, employed_locally=30
    )
    rate = indicator(plan, "graduates.local_rate")
    assert indicator_actual(rate).group == Decimal("30.0")
    figures.employed_locally = 45
    figures.save()
    assert indicator_actual(rate).group == Decimal("45.0")


def test_each_member_is_held_to_its_own_allocation_or_the_group_rate(plan, school_a, school_b):
    from targets.models import Allocation
    from targets.selectors import indicator_progress

    GraduateCount.objects.create(member=school_a, year=2020, graduates=100, employed_locally=24)
    GraduateCount.objects.create(member=school_b, year=2020, graduates=100, employed_locally=36)
    rate = indicator(plan, "graduates.local_rate")  # 30% for everyone
    rows = {r["member"]: r for r in indicator_progress(rate).member_rows([school_a, school_b])}
    assert (rows[school_a]["target"], rows[school_a]["completion"]) == (30, Decimal("80.0"))
    assert rows[school_b]["completion"] == Decimal("120.0")

    firm = Enterprise.objects.create(name="环新集团")
    for member in (school_a, school_b):
        OrderClass.objects.create(
            member=member, enterprise=firm, major="汽修", year=2020, students=25
        )
    classes = indicator(plan, "partnerships.order_classes", "absolute", 20, "个")
    Allocation.objects.create(indicator=classes, member=school_a, target=4)
    rows = {r["member"]: r for r in indicator_progress(classes).member_rows([school_a, school_b])}
    assert rows[school_a]["completion"] == Decimal("25.0")  # 1 of its own 4
    assert (rows[school_b]["target"], rows[school_b]["completion"]) == (None, None)
