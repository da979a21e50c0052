"""The one rule per figure (targets.figures): targets, completion, marks, on time, task status."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from targets import figures
from targets.figures import Mark, TaskStatus, Timeliness
from targets.models import Indicator, Plan, TrajectoryPoint

SHANGHAI = ZoneInfo("Asia/Shanghai")
DONE, ON_TRACK, BEHIND, MISSING = TaskStatus.values


@pytest.fixture
def local_rate(db):
    plan = Plan.objects.create(year=2024, title="2024 年重点工作")
    indicator = Indicator.objects.create(
        plan=plan, code="local", name="高职本地就业率", unit="%", kind="rate", target=50
    )
    for year, target in ((2024, 40), (2025, 42), (2026, 45), (2027, 50)):
        TrajectoryPoint.objects.create(indicator=indicator, year=year, target=target)
    return indicator


@pytest.fixture
def enrollment(db):
    plan = Plan.objects.create(year=2020, title="2020 年重点工作")
    return Indicator.objects.create(
        plan=plan, code="enroll", name="招生", unit="人", kind="absolute", target=13546
    )


def test_a_multi_year_indicator_is_held_to_the_years_trajectory_point(local_rate):
    assert figures.year_target(local_rate) == Decimal(40)  # its plan's year, 2024
    assert figures.year_target(local_rate, 2026) == Decimal(45)
    assert figures.year_target(local_rate, 2030) == Decimal(50)  # no point: its own target


def test_a_member_is_held_to_its_allocation_else_the_years_rate(local_rate):
    assert figures.member_target(local_rate, 7, {7: Decimal(35)}) == Decimal(35)
    assert figures.member_target(local_rate, 8, {7: Decimal(35)}) == Decimal(40)


def test_a_count_is_never_split_by_guesswork(enrollment):
    assert figures.member_target(enrollment, 7, {7: Decimal(792)}) == Decimal(792)
    assert figures.member_target(enrollment, 8, {7: Decimal(792)}) is None


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        (Decimal(13708), Decimal(13546), Decimal("101.2")),
        (Decimal("31.4"), Decimal(30), Decimal("104.7")),
        (None, Decimal(30), None),
        (Decimal(5), None, None),
        (Decimal(5), Decimal(0), None),
    ],
)
def test_completion(value, target, expected):
    assert figures.completion(value, target) == expected


def test_a_count_is_expected_a_quarter_at_a_time_and_a_rate_at_once(enrollment, local_rate):
    assert figures.expected_completion(enrollment, 2020, date(2020, 2, 1)) == 0
    assert figures.expected_completion(enrollment, 2020, date(2020, 5, 31)) == 25
    assert figures.expected_completion(enrollment, 2020, date(2020, 12, 31)) == 75
    assert figures.expected_completion(enrollment, 2020, date(2021, 1, 5)) == 100
    assert figures.expected_completion(enrollment, 2020, date(2019, 12, 1)) == 0
    assert figures.expected_completion(local_rate, 2024, date(2024, 2, 1)) == 100


@pytest.mark.parametrize(
    ("done", "expected", "mark"),
    [
        (None, Decimal(25), Mark.NO_DATA),
        (Decimal(100), Decimal(100), Mark.REACHED),
        (Decimal(30), Decimal(25), Mark.ON_TRACK),
        (Decimal(20), Decimal(25), Mark.BEHIND),
    ],
)
def test_marks(done, expected, mark):
    assert figures.mark(done, expected) == mark


def test_the_marks_and_statuses_read_in_chinese():
    assert [str(label) for label in TaskStatus.labels] == ["完成", "正常", "滞后", "未报"]
    assert str(Mark.REACHED.label) == "已达成" and str(Mark.NO_DATA.label) == "无数据"
    assert str(Timeliness.ON_TIME.label) == "按时" and str(Timeliness.MISSING.label) == "未报送"


APRIL_10 = date(2020, 4, 10)


@pytest.mark.parametrize(
    ("submitted", "first", "late", "on", "as_of", "expected"),
    [
        (False, None, False, date(2020, 4, 1), None, Timeliness.NOT_DUE),
        (False, None, False, date(2020, 4, 11), None, Timeliness.MISSING),
        (True, datetime(2020, 4, 8, tzinfo=SHANGHAI), False, date(2020, 4, 30), None, "on_time"),
        (True, datetime(2020, 4, 14, tzinfo=SHANGHAI), True, date(2020, 4, 30), None, "late"),
        # submitted after the as-of time: not yet known then
        (
            True,
            datetime(2020, 6, 8, tzinfo=SHANGHAI),
            True,
            date(2020, 5, 31),
            datetime(2020, 6, 5, 23, 59, tzinfo=SHANGHAI),
            Timeliness.MISSING,
        ),
        (True, None, False, date(2020, 5, 31), datetime(2020, 6, 5, tzinfo=SHANGHAI), "on_time"),
    ],
)
def test_timeliness(submitted, first, late, on, as_of, expected):
    code = figures.timeliness(
        due_on=APRIL_10,
        on=on,
        submitted=submitted,
        first_submitted_at=first,
        is_late=late,
        as_of=as_of,
    )
    assert code == expected


def test_the_on_time_rate_counts_only_quarters_already_due():
    assert figures.on_time_rate(["on_time", "late", "missing", "not_due"]) == 33
    assert figures.on_time_rate(["not_due"]) is None


@pytest.mark.parametrize(
    ("latest", "responsible", "deadline", "expected"),
    [
        ({}, [1, 2], None, MISSING),
        ({1: "done", 2: "done"}, [1, 2], None, DONE),
        ({1: "done"}, [1, 2], None, ON_TRACK),  # 2 has not reported yet
        ({1: "done", 2: "behind"}, [1, 2], None, BEHIND),
        ({1: "on_track"}, [1], date(2020, 6, 30), BEHIND),  # past its deadline, not done
        ({1: "done"}, [1], date(2020, 6, 30), DONE),
        ({7: "on_track"}, [], None, ON_TRACK),  # the secretariat's own task
    ],
)
def test_task_status(latest, responsible, deadline, expected):
    assert figures.task_status(latest, responsible, deadline, date(2020, 7, 31)) == expected
