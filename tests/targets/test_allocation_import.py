from decimal import Decimal
from pathlib import Path

import pytest

from targets.models import Allocation, Indicator, Plan
from targets.services import plan_import_allocations
from tests.factories import MemberFactory
from tests.sheets import allocation_sheet

pytestmark = pytest.mark.django_db
QUOTAS = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "reference"
    / "anqing-2020-enrollment-quotas.csv"
)


@pytest.fixture
def enrollment(db):
    plan = Plan.objects.create(year=2020, title="2020 年重点工作")
    return Indicator.objects.create(
        plan=plan, code="enrollment-plan", name="集团院校总招生计划", unit="人", target=13546
    )


@pytest.fixture
def anqing_schools(db):
    import csv

    with QUOTAS.open(encoding="utf-8") as handle:
        return [MemberFactory(name=row["member"]) for row in csv.DictReader(handle)]


def run(path, indicator=None, commit=True):
    return plan_import_allocations(path=path, year=2020, indicator=indicator, commit=commit)


def test_it_imports_the_2020_quota_table_adding_up_to_13546(enrollment, anqing_schools):
    result = run(QUOTAS, indicator=enrollment)
    assert result.applied, result.preview["problems"]
    assert Allocation.objects.count() == 14
    assert sum(a.target for a in Allocation.objects.all()) == Decimal(13546)
    assert result.preview["totals"][0]["adds_up"] is True
    assert Allocation.objects.get(member__name="安庆职业技术学院").target == 5400


def test_it_changes_nothing_on_a_second_import(enrollment, anqing_schools):
    run(QUOTAS, indicator=enrollment)
    again = run(QUOTAS, indicator=enrollment)
    assert again.preview["counts"] == {"new": 0, "changed": 0, "unchanged": 14, "error": 0}


def test_it_reports_unknown_member_names_and_writes_nothing(enrollment, anqing_schools, tmp_path):
    rows = [
        ("安庆工业学校", "集团院校总招生计划", 792),
        ("安庆不存在学校", "集团院校总招生计划", 100),
    ]
    result = run(allocation_sheet(tmp_path / "a.xlsx", rows))
    texts = [p["text"] for p in result.preview["problems"]]
    assert texts == [
        "工作表“Sheet”，第 3 行：没有名为“安庆不存在学校”的成员单位。"
        "请核对名称，或先在“成员单位”中添加。"
    ]
    assert not Allocation.objects.exists()


def test_it_matches_indicators_by_code_and_members_by_short_name(enrollment, tmp_path):
    MemberFactory(name="安庆工业学校", short_name="安庆工校")
    result = run(allocation_sheet(tmp_path / "a.xlsx", [("安庆工校", "enrollment-plan", "792")]))
    assert result.applied
    assert result.preview["totals"][0]["difference"] == "-12754"
    assert result.preview["totals"][0]["adds_up"] is False


def test_it_shows_a_changed_target_old_and_new(enrollment, tmp_path):
    member = MemberFactory(name="安庆工业学校")
    Allocation.objects.create(indicator=enrollment, member=member, target=700)
    rows = [("安庆工业学校", "enrollment-plan", 792)]
    result = run(allocation_sheet(tmp_path / "a.xlsx", rows), commit=False)
    assert result.preview["rows"][0]["changes"] == [{"field": "目标", "old": "700", "new": "792"}]
    assert Allocation.objects.get().target == 700


@pytest.mark.parametrize(
    ("target", "message"),
    [("很多", "目标值“很多”不是数字。"), (-5, "目标值不能为负数。"), ("=SUM(C1:C2)", "是公式")],
)
def test_it_refuses_targets_that_are_not_numbers(enrollment, tmp_path, target, message):
    MemberFactory(name="安庆工业学校")
    path = allocation_sheet(tmp_path / "a.xlsx", [("安庆工业学校", "enrollment-plan", target)])
    result = run(path)
    assert message in result.preview["problems"][0]["text"]
    assert not Allocation.objects.exists()


def test_it_refuses_a_member_listed_twice(enrollment, tmp_path):
    MemberFactory(name="安庆工业学校")
    rows = [("安庆工业学校", "enrollment-plan", 1), ("安庆工业学校", "enrollment-plan", 2)]
    result = run(allocation_sheet(tmp_path / "a.xlsx", rows))
    assert "与第 2 行的成员单位和指标重复" in result.preview["problems"][0]["text"]
    assert not Allocation.objects.exists()


def test_it_refuses_a_sheet_without_an_indicator_column_unless_one_is_chosen(enrollment, tmp_path):
    MemberFactory(name="安庆工业学校")
    path = allocation_sheet(tmp_path / "a.xlsx", [("安庆工业学校", 792)], header=("学校", "计划数"))
    assert "缺少必需的列：指标" in run(path).preview["problems"][0]["text"]
    assert run(path, indicator=enrollment).applied


def test_it_refuses_an_import_for_a_year_without_a_plan(tmp_path):
    path = allocation_sheet(tmp_path / "a.xlsx", [("安庆工业学校", "x", 1)])
    result = plan_import_allocations(path=path, year=2031, indicator=None, commit=True)
    assert "还没有 2031 年的计划" in result.preview["problems"][0]["text"]
