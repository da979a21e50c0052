"""Rates and growth per member: a target by category set once (Lanzhou's dual-qualified share:
county and private schools ≥ 30%, urban public schools ≥ 50%) holds each member to its own;
allocations of rates on screen and by import; rates members report are weighted by the base
they give with them, never averaged."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jituan.models import Member
from targets import services
from targets.models import (
    Allocation,
    CategoryTarget,
    Indicator,
    IndicatorReport,
    Submission,
    Task,
)
from targets.selectors import indicator_progress, member_targets, targets_of_member
from targets.services import plan_import_allocations
from targets.sources import indicator_actual
from tests.factories import MemberFactory, user_with_role
from tests.sheets import allocation_sheet

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def dual_share(plan):
    return Indicator.objects.create(
        plan=plan,
        code="dual-share",
        name="“双师型”教师占专业教师比例",
        unit="%",
        kind="rate",
        target=40,
        denominator_label="专业教师数",
    )


@pytest.fixture
def schools(db):
    return {
        "city": MemberFactory(name="市属公办职校", location="urban"),
        "county": MemberFactory(name="县区职校", location="county", county="榆中县"),
        "private": MemberFactory(name="城区民办职校", location="urban", ownership="private"),
        "higher": MemberFactory(
            name="市属高职", kind=Member.Kind.HIGHER_VOCATIONAL, location="urban"
        ),
        "enterprise": MemberFactory(name="合作企业", kind=Member.Kind.ENTERPRISE, location="urban"),
    }


LANZHOU = [
    {"location": "county", "target": "30"},
    {"ownership": "private", "target": "30"},
    {"location": "urban", "ownership": "public", "target": "50"},
]


def category_post(indicator, rows, allocations=()):
    data = {
        "allocations-TOTAL_FORMS": len(allocations),
        "allocations-INITIAL_FORMS": 0,
        "categories-TOTAL_FORMS": len(rows),
        "categories-INITIAL_FORMS": 0,
    }
    for n, row in enumerate(allocations):
        data |= {f"allocations-{n}-{key}": value for key, value in row.items()}
    for n, row in enumerate(rows):
        defaults = {"kind": "", "location": "", "ownership": ""}
        data |= {f"categories-{n}-{key}": value for key, value in {**defaults, **row}.items()}
    return data


def edit_url(indicator):
    return reverse("targets:allocation-update", args=[indicator.pk])


def test_a_rule_by_category_is_set_once_and_each_member_is_held_to_its_own(
    client_for, secretariat, dual_share, schools
):
    response = client_for(secretariat).post(
        edit_url(dual_share), category_post(dual_share, LANZHOU)
    )
    assert response.status_code == 302, response.content.decode()
    assert CategoryTarget.objects.filter(indicator=dual_share).count() == 3

    progress = indicator_progress(dual_share)
    held_to = {name: progress.member_target(m.pk) for name, m in schools.items()}
    assert held_to == {
        "city": Decimal(50),
        "county": Decimal(30),
        "private": Decimal(30),  # urban, but private: the public rule does not fit it
        "higher": Decimal(50),
        "enterprise": Decimal(40),  # rules without a kind are for schools: the year's target
    }
    # The same rule wherever a member's target is shown: its own quarterly form.
    own = targets_of_member([dual_share], schools["county"])
    assert own == {dual_share.pk: Decimal(30)}


def test_the_most_specific_rule_wins_and_an_allocation_overrides_every_rule(
    client_for, secretariat, dual_share, schools
):
    rows = [*LANZHOU, {"kind": "higher_vocational", "location": "urban", "target": "60"}]
    allocation = [{"member": schools["city"].pk, "target": "45", "notes": "单独核定"}]
    client_for(secretariat).post(edit_url(dual_share), category_post(dual_share, rows, allocation))
    progress = indicator_progress(dual_share)
    assert progress.member_target(schools["higher"].pk) == 60  # kind + location beats location
    assert progress.member_target(schools["city"].pk) == 45
    assert Allocation.objects.get(member=schools["city"]).target == 45


@pytest.mark.parametrize(
    "rows, message",
    [
        ([{"target": "30"}], "请至少选择类型、区域或办学性质之一"),
        ([{"location": "county", "target": "130"}], "百分比须在 0 到 100 之间"),
        ([{"location": "county", "target": "-5"}], "数值不能为负数"),
        ([{"location": "county", "target": "abc"}], "输入一个数字"),
        (
            [{"location": "county", "target": "30"}, {"location": "county", "target": "35"}],
            "请修正重复的数据",
        ),
    ],
)
def test_a_bad_rule_is_refused_in_chinese_and_nothing_is_written(
    client_for, secretariat, dual_share, schools, rows, message
):
    good = {"member": schools["city"].pk, "target": "45", "notes": ""}
    response = client_for(secretariat).post(
        edit_url(dual_share), category_post(dual_share, rows, [good])
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CategoryTarget.objects.exists()
    assert not Allocation.objects.exists()  # the valid half is not saved either


def test_a_count_is_never_given_a_rule_by_category(plan, schools):
    count = Indicator.objects.create(plan=plan, code="enroll", name="招生", unit="人", target=900)
    rule = CategoryTarget(indicator=count, location="county", target=100)
    with pytest.raises(Exception, match="分类目标仅适用于比率和增长率指标"):
        rule.full_clean()


def test_a_rate_is_allocated_on_screen_within_0_to_100(
    client_for, secretariat, dual_share, schools
):
    client = client_for(secretariat)
    too_high = [{"member": schools["county"].pk, "target": "120", "notes": ""}]
    response = client.post(edit_url(dual_share), category_post(dual_share, [], too_high))
    assert "百分比须在 0 到 100 之间" in response.content.decode()
    assert not Allocation.objects.exists()
    fine = [{"member": schools["county"].pk, "target": "35", "notes": ""}]
    assert client.post(edit_url(dual_share), category_post(dual_share, [], fine)).status_code == 302
    assert indicator_progress(dual_share).member_target(schools["county"].pk) == 35


def test_a_rate_allocation_sheet_imports_percentages(tmp_path, dual_share, schools):
    sheet = allocation_sheet(
        tmp_path / "双师比例.xlsx",
        [("县区职校", "dual-share", "30%"), ("市属公办职校", "dual-share", 50)],
    )
    result = plan_import_allocations(path=sheet, year=TODAY.year, indicator=None, commit=True)
    assert result.applied, result.preview["problems"]
    assert dict(Allocation.objects.values_list("member__name", "target")) == {
        "县区职校": Decimal(30),
        "市属公办职校": Decimal(50),
    }


def test_a_rate_above_100_in_a_sheet_is_refused_and_nothing_is_written(
    tmp_path, dual_share, schools
):
    sheet = allocation_sheet(
        tmp_path / "双师比例.xlsx",
        [("县区职校", "dual-share", "130%"), ("市属公办职校", "dual-share", 50)],
    )
    result = plan_import_allocations(path=sheet, year=TODAY.year, indicator=None, commit=True)
    assert not result.applied
    assert "百分比须在 0 到 100 之间" in str(result.preview["problems"])
    assert not Allocation.objects.exists()


def test_a_rule_as_of_a_date_is_the_rule_recorded_by_then(dual_share, schools):
    rule = CategoryTarget.objects.create(indicator=dual_share, location="county", target=25)
    before = timezone.now()
    rule.target = 30
    rule.save()
    county = schools["county"].pk
    assert member_targets([dual_share], as_of=before)[dual_share.pk][county] == 25
    assert member_targets([dual_share])[dual_share.pk][county] == 30


# --- rates members report, with their bases -------------------------------------------------


def approve(plan, member, value, base, reviewer):
    submission = services.submission_start(plan=plan, member=member, quarter=1)
    report = submission.indicators.get()
    report.value, report.denominator = value, base
    report.full_clean()
    report.save()
    Submission.objects.filter(pk=submission.pk).update(
        status="approved", reviewed_at=timezone.now(), reviewed_by=reviewer
    )


def test_members_rates_are_weighted_by_their_bases_not_averaged(
    plan, dual_share, schools, secretariat
):
    task = Task.objects.create(plan=plan, number="6", title="建设“双师型”教师队伍")
    task.responsible_members.add(schools["city"], schools["county"])
    dual_share.task = task
    dual_share.save()
    approve(plan, schools["city"], Decimal(50), Decimal(10), secretariat)  # 5 of 10
    approve(plan, schools["county"], Decimal(20), Decimal(40), secretariat)  # 8 of 40
    actual = indicator_actual(dual_share)
    assert actual.group == Decimal("26.0")  # 13 of 50, not (50 + 20) / 2 = 35
    assert actual.per_member == {
        schools["city"].pk: Decimal("50.0"),
        schools["county"].pk: Decimal("20.0"),
    }
    assert actual.restricted_to([schools["county"].pk]).group == Decimal("20.0")


def test_a_rate_without_its_base_or_above_100_is_refused(plan, dual_share, school_a):
    report = IndicatorReport(indicator=dual_share, value=Decimal(40))
    with pytest.raises(Exception, match="请填写该比率的基数（专业教师数）"):
        report.clean()
    report = IndicatorReport(indicator=dual_share, value=Decimal(140), denominator=10)
    with pytest.raises(Exception, match="百分比须在 0 到 100 之间"):
        report.clean()


def test_the_quarterly_form_asks_the_liaison_for_the_base_and_keeps_what_was_typed(
    client_for, plan, dual_share, school_a
):
    task = Task.objects.create(plan=plan, number="6", title="建设“双师型”教师队伍")
    task.responsible_members.add(school_a)
    dual_share.task = task
    dual_share.save()
    liaison = user_with_role("liaison", member=school_a)
    client = client_for(liaison)
    url = reverse("targets:submission-fill", args=[plan.pk, 1])
    page = client.get(url).content.decode()
    assert "专业教师数" in page and "比率（%）" in page
    data = {
        "version": 0,
        f"task-{task.pk}-progress": "已开展教师企业实践",
        f"task-{task.pk}-status": "on_track",
        f"indicator-{dual_share.pk}-value": "45",
        f"indicator-{dual_share.pk}-denominator": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "请填写该比率的基数" in body and 'value="45"' in body
    assert not IndicatorReport.objects.filter(value__isnull=False).exists()
    data[f"indicator-{dual_share.pk}-denominator"] = "60"
    assert client.post(url, data).status_code == 302
    report = IndicatorReport.objects.get()
    assert (report.value, report.denominator) == (Decimal(45), Decimal(60))
