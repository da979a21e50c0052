"""The dashboard's figures against the year worked by hand in conftest.py."""

from datetime import date
from decimal import Decimal

import pytest

from dashboard import selectors
from dashboard.selectors import State
from targets.models import Submission

pytestmark = pytest.mark.django_db

AFTER_THE_YEAR = date(2021, 3, 1)


def headlines(user, plan, today=AFTER_THE_YEAR, **filters):
    scope = selectors.dashboard_scope(user, plan, today=today, **filters)
    figures = selectors.plan_figures(user, scope)
    return {h.indicator.code: h for h in selectors.headlines(figures, scope)}


def test_the_group_headlines(year, leadership):
    rows = headlines(leadership, year["plan"])
    enroll, local, classes = rows["enroll"], rows["local"], rows["classes"]
    assert (enroll.target, enroll.actual.group, enroll.completion) == (1000, 960, Decimal("96.0"))
    assert enroll.state == State.BEHIND  # the year is over: anything short of 100% is behind
    assert (local.target, local.actual.group, local.completion) == (30, Decimal("22.5"), 75)
    # Only approved values count: B's submitted Q2 (9) is not in, A's latest approved Q2 is.
    assert (classes.actual.group, classes.completion) == (8, Decimal("80.0"))


def test_a_count_is_on_track_when_it_keeps_pace_with_the_year(year, leadership):
    # Two quarters ended by mid-July: 50% expected; 80% is on track, a rate is judged as it is.
    rows = headlines(leadership, year["plan"], today=date(2020, 7, 15))
    assert rows["classes"].expected == 50
    assert rows["classes"].state == State.ON_TRACK
    assert rows["local"].state == State.BEHIND
    assert headlines(leadership, year["plan"], today=date(2020, 2, 1))["classes"].expected == 0


def test_a_county_filter_re_adds_the_figures_of_the_county_members(year, leadership):
    rows = headlines(leadership, year["plan"], location="county")
    enroll, local, classes = rows["enroll"], rows["local"], rows["classes"]
    # B alone: its own quota 400 and 420 enrolled; its rate 60 / 300, not the group's.
    assert (enroll.target, enroll.actual.group, enroll.completion) == (400, 420, 105)
    assert enroll.state == State.REACHED
    assert (local.actual.group, local.completion) == (Decimal("20.0"), Decimal("66.7"))
    # Order classes were never split among members: no county target, so no completion.
    assert (classes.target, classes.actual.group, classes.completion) == (None, 3, None)
    assert classes.state == State.NO_DATA


def test_a_kind_filter_with_no_such_members_shows_nothing(year, leadership):
    rows = headlines(leadership, year["plan"], kind="technician")
    assert rows["enroll"].target == 0 and rows["enroll"].actual.group is None
    assert rows["local"].actual.group is None


def test_a_liaisons_dashboard_is_their_own_member(year, liaison):
    rows = headlines(liaison, year["plan"])
    assert (rows["enroll"].target, rows["enroll"].actual.group) == (600, 540)
    assert rows["local"].actual.group == Decimal("30.0")
    assert rows["classes"].actual.group == 5


def test_an_approval_shows_at_once(year, leadership, secretariat):
    pending = year["submissions"][("安徽化工学校", 2)]
    pending.status = Submission.Status.APPROVED
    pending.save()
    assert headlines(leadership, year["plan"])["classes"].actual.group == 5 + 9


def test_the_heatmap_holds_each_member_to_its_own_target(year, leadership):
    scope = selectors.dashboard_scope(leadership, year["plan"], today=AFTER_THE_YEAR)
    figures = selectors.plan_figures(leadership, scope)
    members = selectors.reporting_members(scope)
    data = selectors.heatmap(figures, members)
    names = [m["name"] for m in data["members"]]
    columns = [i["name"] for i in data["indicators"]]
    cells = {(columns[x], names[y]): value for x, y, value in data["cells"]}
    a, b = "安庆工校", "安徽化工学校"
    assert cells[("招生", a)] == 90.0 and cells[("招生", b)] == 105.0
    assert cells[("本地就业率", a)] == 100.0 and cells[("本地就业率", b)] == pytest.approx(66.7)
    # Order classes have no per-member targets: no column at all.
    assert "订单班" not in columns


def test_completeness_per_member_and_quarter(year, leadership):
    scope = selectors.dashboard_scope(leadership, year["plan"], today=AFTER_THE_YEAR)
    data = selectors.completeness(scope, selectors.reporting_members(scope))
    names = [m["name"] for m in data["members"]]
    codes = {(names[y], q + 1): code for q, y, code, _s in data["cells"]}
    assert codes[("安庆工校", 1)] == "approved"
    assert codes[("安徽化工学校", 2)] == "submitted"
    assert codes[("安徽化工学校", 3)] == "missing"
    q1, q2, q3, _q4 = data["quarters"]
    assert (q1["on_time_rate"], q2["on_time_rate"], q3["on_time_rate"]) == (100, 100, 0)


def test_trends_follow_an_indicator_and_its_trajectory_across_plans(year, leadership):
    scope = selectors.dashboard_scope(leadership, year["plan"], today=AFTER_THE_YEAR)
    indicators = selectors.plan_indicators(leadership, year["plan"])
    (trend,) = selectors.year_trends(leadership, scope, indicators)
    assert trend["name"] == "本地就业率"
    assert trend["points"] == [
        {"year": 2020, "target": 30.0, "actual": 22.5, "has_plan": True},
        {"year": 2024, "target": 40.0, "actual": 40.0, "has_plan": True},
        {"year": 2025, "target": 42.0, "actual": None, "has_plan": False},
    ]


def test_the_drill_down_puts_the_members_behind_first_with_their_sources(year, leadership):
    scope = selectors.dashboard_scope(leadership, year["plan"], today=AFTER_THE_YEAR)
    figures = selectors.plan_figures(leadership, scope)
    members = scope.members.in_group_order()
    rows = selectors.drill_rows(figures, year["enroll"], scope, members)
    assert [(r.member.name, r.state) for r in rows] == [
        ("安庆工业学校", State.BEHIND),
        ("安徽化工学校", State.REACHED),
    ]
    assert rows[0].records_url == (f"/registers/enrollment/?year=2020&member={rows[0].member.pk}")
    # Entered indicators point at the approved submission the value was read from.
    classes = selectors.drill_rows(figures, year["classes"], scope, members)
    approved_q2 = year["submissions"][("安庆工业学校", 2)]
    by_member = {r.member.name: r for r in classes}
    assert by_member["安庆工业学校"].records_url == f"/submissions/{approved_q2.pk}/"
    assert by_member["安庆工业学校"].target is None  # not split: no member target


def test_a_subsets_trend_is_held_to_its_own_allocations(year, leadership):
    year["enroll"].trajectory.create(year=2021, target=1100)
    scope = selectors.dashboard_scope(
        leadership, year["plan"], location="county", today=AFTER_THE_YEAR
    )
    indicators = selectors.plan_indicators(leadership, year["plan"])
    trends = {t["name"]: t["points"] for t in selectors.year_trends(leadership, scope, indicators)}
    # B's own 400 in 2020; the 2021 trajectory point was never split among members.
    assert trends["招生"] == [
        {"year": 2020, "target": 400.0, "actual": 420.0, "has_plan": True},
        {"year": 2021, "target": None, "actual": None, "has_plan": False},
    ]
    assert trends["本地就业率"][0] == {
        "year": 2020,
        "target": 30.0,
        "actual": 20.0,
        "has_plan": True,
    }
