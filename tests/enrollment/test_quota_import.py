import csv
from pathlib import Path

import pytest

from enrollment.importers import run_quota_import
from enrollment.models import Enrollment
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
def schools(db):
    with QUOTAS.open(encoding="utf-8") as handle:
        return [MemberFactory(name=row["member"]) for row in csv.DictReader(handle)]


def problems(run):
    return [p["text"] for p in run.preview["problems"]]


def test_it_imports_the_2020_quota_table(schools):
    run = run_quota_import(path=QUOTAS, year=2020, commit=True)
    assert run.applied, problems(run)
    assert sum(e.quota for e in Enrollment.objects.filter(year=2020)) == 13546
    technician = Enrollment.objects.get(member__name="安庆技师学院")
    assert (technician.level, technician.quota) == ("technician", 660)
    again = run_quota_import(path=QUOTAS, year=2020, commit=True)
    assert again.preview["counts"]["unchanged"] == 14


def test_it_keeps_actual_enrollment_when_a_quota_changes(schools, tmp_path):
    Enrollment.objects.create(member=schools[0], year=2020, level="higher", quota=5000, actual=5100)
    path = allocation_sheet(
        tmp_path / "q.xlsx",
        [("安庆职业技术学院", "高职", 5400)],
        header=("学校", "层次", "招生计划"),
    )
    run = run_quota_import(path=path, year=2020, commit=True)
    assert run.preview["rows"][0]["changes"] == [{"field": "招生计划", "old": 5000, "new": 5400}]
    assert Enrollment.objects.values_list("quota", "actual").get() == (5400, 5100)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("不存在学校", "中职", 100), "没有名为“不存在学校”的成员单位"),
        (("安庆工业学校", "本科", 100), "层次须为 高职、中职 或 新技工"),
        (("安庆工业学校", "中职", "约八百"), "招生计划“约八百”不是整数"),
        (("安庆工业学校", "中职", "=A1*2"), "公式"),
    ],
)
def test_it_rejects_bad_rows_and_writes_nothing(schools, tmp_path, row, message):
    rows = [("安徽化工学校", "中职", 468), row]
    path = allocation_sheet(tmp_path / "q.xlsx", rows, header=("学校", "层次", "招生计划"))
    run = run_quota_import(path=path, year=2020, commit=True)
    assert message in problems(run)[0]
    assert "第 3 行" in problems(run)[0]
    assert not Enrollment.objects.exists()


def test_it_rejects_a_row_for_another_year(schools):
    run = run_quota_import(path=QUOTAS, year=2021, commit=True)
    assert "这一行是 2020 年的数据，本次导入的是 2021 年" in problems(run)[0]
    assert not Enrollment.objects.exists()


def test_it_reads_channels_and_labels_rows_in_chinese(schools, tmp_path):
    path = allocation_sheet(
        tmp_path / "q.xlsx",
        [("安庆工业学校", "中职", "普招", 600), ("安庆工业学校", "高职", "3+2", 192)],
        header=("学校", "层次", "招生渠道", "招生计划"),
    )
    run = run_quota_import(path=path, year=2020, commit=True)
    assert run.applied, problems(run)
    assert [row["label"] for row in run.preview["rows"]] == [
        "安庆工业学校 · 中职 · 普招",
        "安庆工业学校 · 高职 · 3+2",
    ]
    assert set(Enrollment.objects.values_list("level", "channel", "quota")) == {
        ("secondary", "general", 600),
        ("higher", "three_two", 192),
    }


def test_a_csv_problem_names_the_row_not_a_sheet(schools, tmp_path):
    path = tmp_path / "upload-3f2a.csv"
    path.write_text("member,level,quota\n安庆工业学校,中职,\n", encoding="utf-8")
    run = run_quota_import(path=path, year=2020, commit=True)
    assert problems(run) == ["第 2 行：招生计划为空。"]
    assert not Enrollment.objects.exists()


def test_the_preview_checks_the_total_against_the_plans_enrollment_target(schools):
    from targets.models import Indicator, Plan

    plan = Plan.objects.create(year=2020, title="2020 年重点工作")
    Indicator.objects.create(
        plan=plan,
        code="zs",
        name="集团院校总招生计划",
        unit="人",
        target=13500,
        source="enrollment.total",
    )
    run = run_quota_import(path=QUOTAS, year=2020, commit=False)
    assert run.preview["totals"] == [
        {
            "indicator": "集团院校总招生计划",
            "target": 13500,
            "allocated": 13546,
            "difference": 46,
            "adds_up": False,
        }
    ]


def test_a_quota_over_the_plausible_bound_is_an_error_in_the_preview(tmp_path, db, school_a):
    from enrollment.importers import run_quota_import
    from enrollment.models import Enrollment

    path = tmp_path / "quotas.csv"
    path.write_text(f"成员单位,层次,招生计划\n{school_a.name},中职,1000000\n", encoding="utf-8")
    run = run_quota_import(path=path, year=2020, commit=True)
    assert not run.ok, run
    assert any("不能超过" in problem["message"] for problem in run.preview["problems"])
    assert not Enrollment.objects.exists()
