"""The demo plans: Anqing's 2020 key work (安职集团〔2020〕2号) with its tasks, headline indicators
and the enrollment quotas split among the 14 schools, and the 2024–2027 city targets. Idempotent."""

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from jituan.demo import demo_moment, demo_record
from jituan.models import Member

from .models import Allocation, Indicator, Milestone, Plan, Task, TrajectoryPoint
from .models.submissions import quarter_bounds
from .services import indicator_save, plan_import_allocations, plan_save, task_save

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
PLANS_JSON = FIXTURES / "demo" / "anqing-plans.json"


@transaction.atomic
def demo_seed_plans() -> list[Plan]:
    data = json.loads(PLANS_JSON.read_text(encoding="utf-8"))
    return [_plan(item) for item in data["plans"]]


def _plan(item: dict) -> Plan:
    plan = Plan.objects.filter(year=item["year"]).first() or Plan(year=item["year"])
    plan.title = item["title"]
    plan.document_number = item["document_number"]
    plan.approved_on = date.fromisoformat(item["approved_on"]) if item["approved_on"] else None
    plan.summary = item["summary"]
    plan_save(plan=plan)
    schools = list(Member.objects.schools())
    for position, task in enumerate(item["tasks"], start=1):
        _task(plan, position, task, schools)
    for position, indicator in enumerate(item["indicators"], start=1):
        _indicator(plan, position, indicator)
    return plan


def _task(plan: Plan, position: int, item: dict, schools: list[Member]) -> Task:
    task = Task.objects.filter(plan=plan, number=item["number"]).first()
    task = task or Task(plan=plan, number=item["number"])
    task.position = position
    task.section = item["section"]
    task.title = item["title"]
    task.description = item["description"]
    task.supervising_leader = item["leader"]
    task.responsible_person = item["person"]
    task.phone = item["phone"]
    task.deadline = date.fromisoformat(item["deadline"])
    members = (
        schools if item["members"] == "schools" else Member.objects.filter(name__in=item["members"])
    )
    task_save(task=task, members=members)
    for quarter, planned in enumerate(item["milestones"], start=1):
        Milestone.objects.update_or_create(
            task=task, quarter=quarter, defaults={"planned": planned}
        )
    return task


def _indicator(plan: Plan, position: int, item: dict) -> Indicator:
    # Targets and their breakdown are known from the plan's approval (history dated so).
    approved = plan.approved_on or date(plan.year, 3, 15)
    values = {
        "position": position,
        "name": item["name"],
        "unit": item["unit"],
        "kind": item["kind"],
        "baseline": item.get("baseline"),
        "target": Decimal(item["target"]),
        "task": plan.tasks.filter(number=item.get("task")).first(),
        "source": item.get("source", ""),
    }
    indicator = demo_record(
        Indicator,
        lookup={"plan": plan, "code": item["code"]},
        versions=[(approved, values)],
        save=lambda indicator: indicator_save(indicator=indicator),
    )
    for year, target in item.get("trajectory", {}).items():
        demo_record(
            TrajectoryPoint,
            lookup={"indicator": indicator, "year": int(year)},
            versions=[(approved, {"target": Decimal(target)})],
        )
    if "allocations_csv" in item:
        # The quota table goes in the way a secretariat would load it: through the importer.
        path = FIXTURES / item["allocations_csv"]
        run = plan_import_allocations(path=path, year=plan.year, indicator=indicator, commit=True)
        if not run.ok:
            raise ValueError(f"{path}: {run.preview['problems']}")
        _date_allocations(indicator, approved)
    return indicator


def _date_allocations(indicator: Indicator, day: date) -> None:
    """The demo's quota table was loaded when the plan was approved: the first version of each
    of the indicator's allocations is dated that day, whatever wrote it (the import, with
    today's date, or the migration that started history)."""
    moment = demo_moment(day)
    undated = Allocation.objects.filter(indicator=indicator).exclude(
        pk__in=Allocation.history.filter(history_date__lte=moment).values("id")
    )
    first = Allocation.history.filter(id__in=undated.values("pk"), history_type="+")
    first.update(history_date=moment)
    unrecorded = list(undated.exclude(pk__in=Allocation.history.values("id")))
    Allocation.history.bulk_history_create(unrecorded, default_date=moment)


# --- quarterly submissions of 2020: a year that has run, so that the board has something to show.

# (member, quarter) → status; members not named have Q1–Q3 approved and Q4 missing.
DEMO_STATUS = {
    ("安徽化工学校", 2): "late",
    ("安徽理工学校", 3): "submitted",
    ("安庆技师学院", 3): "submitted",
    ("江淮工业学校", 3): "missing",
    ("江淮工业学校", 2): "late",
    ("太湖职业技术学校", 3): "returned",
    ("宿松县中德职业技术学校", 3): "missing",
    ("安庆宣城科技学校", 1): "missing",
}


@transaction.atomic
def demo_seed_submissions(*, entered_by, liaison) -> int:
    from django.utils import timezone

    from .board import members_reporting_on
    from .deadlines import schedules_for
    from .models import QuarterSchedule, ReopenRequest, Submission
    from .services.submissions import submission_start, task_refresh_latest_progress, version_record

    plan = Plan.objects.get(year=2020)
    for quarter, schedule in schedules_for(plan).items():
        QuarterSchedule.objects.update_or_create(
            plan=plan,
            quarter=quarter,
            defaults={"due_on": schedule.due_on, "grace_days": schedule.grace_days},
        )
    count = 0
    schedules = schedules_for(plan)
    for member in members_reporting_on(plan, Member.objects.all()):
        for quarter in (1, 2, 3):
            status = DEMO_STATUS.get((member.name, quarter), "approved")
            if (
                status == "missing"
                or Submission.objects.filter(plan=plan, member=member, quarter=quarter).exists()
            ):
                continue
            submission = submission_start(plan=plan, member=member, quarter=quarter)
            _demo_fill(submission, quarter)
            due = schedules[quarter].due_on
            late = status == "late"
            submitted = timezone.make_aware(
                timezone.datetime.combine(
                    due + timedelta(days=4 if late else -2), timezone.datetime.min.time()
                )
            ).replace(hour=16)
            submission.status = Submission.Status.SUBMITTED
            submission.submitted_at, submission.submitted_by = submitted, entered_by
            submission.first_submitted_at = submitted
            submission.is_late = late
            if status in ("approved", "late", "returned"):
                submission.status = (
                    Submission.Status.RETURNED
                    if status == "returned"
                    else Submission.Status.APPROVED
                )
                submission.reviewed_at = submitted + timedelta(days=3)
                submission.reviewed_by = entered_by
                if status == "returned":
                    submission.review_comment = "请补充订单班学生人数等量化数据。"
            submission.save()
            version_record(submission, "submitted", entered_by, note="演示数据：秘书处代录")
            if submission.status != Submission.Status.SUBMITTED:
                version_record(submission, submission.status, entered_by, submission.review_comment)
            count += 1
    for task in plan.tasks.all():
        task_refresh_latest_progress(task)
    # Let the demo liaison report the last quarter of the demo year: a granted reopening.
    ReopenRequest.objects.update_or_create(
        plan=plan,
        member=liaison.member,
        quarter=4,
        defaults={
            "reason": "演示：补报 2020 年第四季度进展。",
            "requested_by": liaison,
            "status": ReopenRequest.Status.GRANTED,
            "decided_by": entered_by,
            "decided_at": timezone.now(),
            "until": timezone.localdate() + timedelta(days=60),
        },
    )
    return count


def _demo_fill(submission, quarter: int) -> None:
    for report in submission.tasks.select_related("task").prefetch_related("task__milestones"):
        planned = report.task.milestones_by_quarter()[quarter - 1]
        deadline = report.task.deadline
        # A task is done only in the quarter its deadline falls in; before that it is on track.
        quarter_end = quarter_bounds(submission.plan.year, quarter)[1]
        finished = deadline is not None and deadline <= quarter_end
        if finished:
            report.progress = f"已完成：{planned}" if planned else "已按期完成。"
        else:
            report.progress = f"已按计划推进：{planned}" if planned else "已按计划推进。"
        report.status = "done" if finished else "on_track"
        report.save()
    for report in submission.indicators.select_related("indicator"):
        allocation = report.indicator.allocations.filter(member=submission.member).first()
        share = {1: Decimal("0"), 2: Decimal("0.35"), 3: Decimal("0.96")}[quarter]
        report.value = (allocation.target * share).quantize(Decimal(1)) if allocation else None
        report.not_applicable = allocation is None
        report.not_applicable_reason = "" if allocation else "本单位无此指标"
        report.save()


def demo_seed(stdout) -> None:
    from jituan.models import User

    for plan in demo_seed_plans():
        stdout.write(f"  {plan.year} {plan.document_number} {plan.title}")
    count = demo_seed_submissions(
        entered_by=User.objects.get(username="mishu"), liaison=User.objects.get(username="lianluo")
    )
    stdout.write(f"  {count} quarterly submissions of 2020 added")
