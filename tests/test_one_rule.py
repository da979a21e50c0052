"""One member × indicator × year reads the same on every surface: the dashboard's card, drill-down
and heatmap, the indicator page, the plan page, the dispatch report (PDF data and Excel) and the
reward deductions. The case is the one that used to disagree: a multi-year rate (高职 local
employment, 40/42/45/50% for 2024–2027, the indicator's own target 50%)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enrollment.models import GraduateCount
from reports.dispatch import dispatch_report
from reports.documents import dispatch_workbook
from rewards.models import DeductionRule
from rewards.services import reward_summary
from targets.models import Indicator, Plan, Task, TrajectoryPoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_employment(school_a, school_b):
    plan = Plan.objects.create(year=2024, title="2024 年重点工作")
    task = Task.objects.create(plan=plan, number="1", title="提高本地就业率")
    task.responsible_members.set([school_a, school_b])
    indicator = Indicator.objects.create(
        plan=plan,
        code="local",
        name="高职本地就业率",
        unit="%",
        kind="rate",
        target=50,
        source="graduates.local_rate",
    )
    for year, target in ((2024, 40), (2025, 42), (2026, 45), (2027, 50)):
        TrajectoryPoint.objects.create(indicator=indicator, year=year, target=target)
    GraduateCount.objects.create(member=school_a, year=2024, graduates=200, employed_locally=82)
    GraduateCount.objects.create(member=school_b, year=2024, graduates=100, employed_locally=38)
    DeductionRule.objects.create(
        year=2024, kind="below_target", label="指标未达标", amount=10_000, threshold_percent=3
    )
    return indicator


# school_b: 38% against the 2024 point of 40% → 95.0% (against 50% it would be 76%).
TARGET, ACTUAL, COMPLETION = Decimal(40), Decimal("38.0"), Decimal("95.0")
# The group: 120 / 300 = 40.0% → 100.0%.
GROUP_ACTUAL, GROUP_COMPLETION = Decimal("40.0"), Decimal("100.0")


def test_one_member_reads_the_same_on_every_surface(
    local_employment, school_b, secretariat, client_for
):
    client = client_for(secretariat)
    pk = local_employment.pk

    drill = client.get(reverse("dashboard:indicator", args=[pk]))
    [row] = [r for r in drill.context["rows"] if r.member == school_b]
    assert (row.target, row.actual, row.completion) == (TARGET, ACTUAL, COMPLETION)
    assert row.state == "behind"
    card = drill.context["headline"]
    assert (card.target, card.actual.group, card.completion) == (
        TARGET,
        GROUP_ACTUAL,
        GROUP_COMPLETION,
    )

    heatmap = client.get(reverse("dashboard:api-heatmap"), {"year": 2024}).json()
    y = [m["id"] for m in heatmap["members"]].index(school_b.pk)
    [cell] = [c for c in heatmap["cells"] if c[1] == y]
    assert Decimal(str(cell[2])) == COMPLETION

    page = client.get(reverse("targets:indicator-detail", args=[pk]))
    [mine] = [r for r in page.context["member_rows"] if r["member"] == school_b]
    assert (mine["target"], mine["actual"], mine["completion"]) == (TARGET, ACTUAL, COMPLETION)
    progress = page.context["progress"]
    assert (progress.target, progress.completion) == (TARGET, GROUP_COMPLETION)
    assert "40%" in page.content.decode()

    plan_page = client.get(reverse("targets:plan-detail", args=[local_employment.plan.pk]))
    [total] = plan_page.context["totals"]
    assert (total.progress.target, total.progress.completion) == (TARGET, GROUP_COMPLETION)

    # The figures were recorded today (the test's now): a report with today's data shows them.
    report = dispatch_report(2024, 12, as_of=timezone.now())
    [line] = report.indicators
    assert (line.target, line.actual, line.completion) == (TARGET, GROUP_ACTUAL, GROUP_COMPLETION)
    sheet = dispatch_workbook(report)["量化指标"]
    assert [cell.value for cell in sheet[2]][:4] == ["高职本地就业率", 40.0, 40.0, 100.0]

    summary = reward_summary(2024)
    [deducted] = [r for r in summary.members if r.member == school_b]
    [deduction] = deducted.deductions
    assert "38" in deduction.basis and "40" in deduction.basis and "95" in deduction.basis
    # school_a reached 41% of 40%: no deduction (against 50% it would have lost 10,000).
    assert {r.member.pk for r in summary.members} == {school_b.pk}
