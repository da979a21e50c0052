"""The demo plans, both read from fixtures/demo/anqing-plans.json: Anqing's 2020 key work
(安职集团〔2020〕2号) with its tasks, headline indicators and the enrollment quotas split among
the 14 schools; and the 2024–2027 city opinion (宜政秘〔2024〕91号) with its 19 key tasks and
targets. Each year has its first three quarters reported, in every state a submission can be
in. Idempotent."""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jituan.demo import demo_moment, demo_record
from jituan.models import Member

from . import notices
from .models import (
    Allocation,
    CategoryTarget,
    Indicator,
    Milestone,
    Plan,
    Task,
    TrajectoryPoint,
)
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
    members = list(
        schools if item["members"] == "schools" else Member.objects.filter(name__in=item["members"])
    )
    task.lead_member = _lead(plan, item, members)
    task_save(task=task, members=members)
    for quarter, planned in enumerate(item["milestones"], start=1):
        Milestone.objects.update_or_create(
            task=task, quarter=quarter, defaults={"planned": planned}
        )
    return task


def _lead(plan: Plan, item: dict, members: list[Member]) -> Member | None:
    """The 2024 opinion names first the unit that leads a task shared by several (牵头单位);
    a task for every school is led by the group's lead school."""
    if plan.year != 2024 or len(members) < 2:
        return None
    if item["members"] == "schools":
        first = next((m for m in members if m.group_role == Member.GroupRole.LEAD), None)
        return first or members[0]
    return next((m for m in members if m.name == item["members"][0]), None)


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
        "denominator_label": item.get("denominator_label", ""),
        "notes": item.get("notes", ""),
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
    for member, target in item.get("allocations", {}).items():
        # A short breakdown written into the plan itself (one part per member).
        demo_record(
            Allocation,
            lookup={"indicator": indicator, "member": Member.objects.get(name=member)},
            versions=[(approved, {"target": Decimal(target)})],
            save=_allocation_save,
        )
    for rule in item.get("category_targets", []):
        # A rule for a category of members (county schools 30% …), not one row per school.
        criteria = {name: rule.get(name, "") for name in ("kind", "location", "ownership")}
        demo_record(
            CategoryTarget,
            lookup={"indicator": indicator, **criteria},
            versions=[(approved, {"target": Decimal(rule["target"])})],
        )
    if "allocations_csv" in item:
        # The quota table goes in the way a secretariat would load it: through the importer.
        path = FIXTURES / item["allocations_csv"]
        run = plan_import_allocations(path=path, year=plan.year, indicator=indicator, commit=True)
        if not run.ok:
            raise ValueError(f"{path}: {run.preview['problems']}")
        _date_allocations(indicator, approved)
    return indicator


def _allocation_save(allocation: Allocation) -> None:
    allocation.full_clean()
    allocation.save()


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


# --- quarterly submissions: Q1–Q3 of each demo year in every state the board knows, so that its
# board, dispatch reports and dashboard have something to show (Q4 is still outstanding).


@dataclass(frozen=True)
class DemoYear:
    """How a demo year's quarterly reporting went."""

    # (member, quarter) → approved (the default), late, submitted, returned, draft or missing
    status: dict[tuple[str, int], str]
    # why the secretariat returned a member's report (default: RETURNED_BY_DEFAULT)
    returned: dict[str, str]
    # manual indicators: the share of a member's allocation reported by quarter
    shares: dict[int, Decimal]
    # the quarter the demo liaison may still report after it closed: a granted reopening
    reopened: tuple[int, str]
    # (member, task number, quarter) → why that task was reported behind
    behind: dict[tuple[str, str, int], str] = field(default_factory=dict)


RETURNED_BY_DEFAULT = "请补充订单班学生人数等量化数据。"

# 2020: members not named have Q1–Q3 approved and Q4 missing.
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
# 2024: the demo liaison's Q3 came back to them; one school has a draft it never sent.
DEMO_STATUS_2024 = {
    ("安庆工业学校", 3): "returned",
    ("桐城中华职业学校", 3): "returned",
    ("安庆技师学院", 3): "submitted",
    ("安徽化工学校", 3): "submitted",
    ("安庆高新技术产业开发区产教联合体", 3): "submitted",
    ("太湖职业技术学校", 1): "late",
    ("江淮工业学校", 2): "late",
    ("天柱山旅游学校", 2): "late",
    ("大别山科技学校", 2): "missing",
    ("安庆宣城科技学校", 3): "missing",
    ("宿松县中德职业技术学校", 3): "missing",
    ("皖江中等专业学校", 3): "draft",
}
DEMO_YEARS = {
    2020: DemoYear(
        status=DEMO_STATUS,
        returned={},
        shares={1: Decimal("0"), 2: Decimal("0.35"), 3: Decimal("0.96")},
        reopened=(4, "演示：补报 2020 年第四季度进展。"),
    ),
    2024: DemoYear(
        status=DEMO_STATUS_2024,
        returned={
            "安庆工业学校": "“双师型”教师评定只写了“已开展”，请补充评定人数和认定文件；"
            "校企合作班请写明班次和每班人数。",
            "桐城中华职业学校": "专业学院秋季开班情况请附招生名册和开班通知。",
        },
        # The consortia are founded in April: counted from the second quarter.
        shares={1: Decimal("0"), 2: Decimal("1"), 3: Decimal("1")},
        reopened=(3, "演示：退回修改 2024 年第三季度进展，补充佐证材料。"),
        behind={
            ("太湖职业技术学校", "4", 3): "A 类中职学校申报所需实训设备尚未采购到位，"
            "已列入第四季度采购计划。",
            ("天柱山旅游学校", "19", 3): "乡村振兴学院培训场地改造延期，高素质农民培育推迟至"
            "10 月开班。",
            ("安庆职业技术学院", "6", 2): "“双高计划”中期自评材料待省厅统一部署后报送。",
        },
    ),
}


@transaction.atomic
def demo_seed_submissions(*, year: int = 2020, entered_by, liaison) -> int:
    """The year's Q1–Q3 submissions as DEMO_YEARS tells, dated against the plan's schedule; a
    submission already there (a rerun, or one the demo's users have since worked on) is left
    alone."""
    from .board import members_reporting_on
    from .services.submissions import task_refresh_latest_progress

    plan = Plan.objects.get(year=year)
    demo = DEMO_YEARS[year]
    schedules = _demo_schedules(plan)
    count = 0
    for member in members_reporting_on(plan, Member.objects.all()):
        for quarter in (1, 2, 3):
            status = demo.status.get((member.name, quarter), "approved")
            if (
                status != "missing"
                and not plan.submissions.filter(member=member, quarter=quarter).exists()
            ):
                _demo_submission(plan, member, quarter, status, demo, schedules, entered_by)
                count += 1
    for task in plan.tasks.all():
        task_refresh_latest_progress(task)
    _demo_reopen(plan, demo, entered_by=entered_by, liaison=liaison)
    return count


def _demo_schedules(plan: Plan) -> dict:
    from .deadlines import schedules_for
    from .models import QuarterSchedule

    for quarter, schedule in schedules_for(plan).items():
        QuarterSchedule.objects.update_or_create(
            plan=plan,
            quarter=quarter,
            defaults={"due_on": schedule.due_on, "grace_days": schedule.grace_days},
        )
    return schedules_for(plan)


def _demo_submission(plan, member, quarter, status, demo, schedules, entered_by):
    from .models import Submission
    from .services.submissions import submission_start, version_record

    submission = submission_start(plan=plan, member=member, quarter=quarter)
    _demo_fill(submission, quarter, demo)
    if status == "draft":
        version_record(submission, "saved", entered_by, note="演示数据：草稿未报送")
        return submission
    late = status == "late"
    submitted = timezone.make_aware(
        datetime.combine(schedules[quarter].due_on + timedelta(days=4 if late else -2), time(16))
    )
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at, submission.submitted_by = submitted, entered_by
    submission.first_submitted_at = submitted
    submission.is_late = late
    if status in ("approved", "late", "returned"):
        returned = status == "returned"
        submission.status = Submission.Status.RETURNED if returned else Submission.Status.APPROVED
        submission.reviewed_at = submitted + timedelta(days=3)
        submission.reviewed_by = entered_by
        if returned:
            submission.review_comment = demo.returned.get(member.name, RETURNED_BY_DEFAULT)
    submission.save()
    version_record(submission, "submitted", entered_by, note="演示数据：秘书处代录")
    if submission.status != Submission.Status.SUBMITTED:
        version_record(submission, submission.status, entered_by, submission.review_comment)
    if submission.status == Submission.Status.RETURNED:
        notices.submission_reviewed(submission)  # the liaison's 站内消息, as a real return sends
    return submission


def _demo_reopen(plan, demo, *, entered_by, liaison) -> None:
    """Let the demo liaison still report a closed quarter of the year: a granted reopening."""
    from .models import ReopenRequest

    quarter, reason = demo.reopened
    request, created = ReopenRequest.objects.update_or_create(
        plan=plan,
        member=liaison.member,
        quarter=quarter,
        defaults={
            "reason": reason,
            "requested_by": liaison,
            "status": ReopenRequest.Status.GRANTED,
            "decided_by": entered_by,
            "decided_at": timezone.now(),
            "until": timezone.localdate() + timedelta(days=60),
        },
    )
    if created:
        notices.reopen_decided(request)


def _demo_fill(submission, quarter: int, demo: DemoYear) -> None:
    member = submission.member.name
    for report in submission.tasks.select_related("task").prefetch_related("task__milestones"):
        planned = report.task.milestones_by_quarter()[quarter - 1]
        deadline = report.task.deadline
        # A task is done only in the quarter its deadline falls in; before that it is on track.
        quarter_end = quarter_bounds(submission.plan.year, quarter)[1]
        finished = deadline is not None and deadline <= quarter_end
        behind = demo.behind.get((member, report.task.number, quarter), "")
        if behind:
            report.progress = f"未按计划完成：{planned}" if planned else "未按计划完成。"
            report.status, report.behind_reason = "behind", behind
        elif finished:
            report.progress = f"已完成：{planned}" if planned else "已按期完成。"
            report.status = "done"
        else:
            report.progress = f"已按计划推进：{planned}" if planned else "已按计划推进。"
            report.status = "on_track"
        report.save()
    for report in submission.indicators.select_related("indicator"):
        allocation = report.indicator.allocations.filter(member=submission.member).first()
        share = demo.shares[quarter]
        report.value = (allocation.target * share).quantize(Decimal(1)) if allocation else None
        report.not_applicable = allocation is None
        report.not_applicable_reason = "" if allocation else "本单位无此指标"
        report.save()


def demo_seed(stdout) -> None:
    from jituan.models import User

    for plan in demo_seed_plans():
        stdout.write(f"  {plan.year} {plan.document_number} {plan.title}")
    secretariat, liaison = User.objects.get(username="mishu"), User.objects.get(username="lianluo")
    for year in DEMO_YEARS:
        count = demo_seed_submissions(year=year, entered_by=secretariat, liaison=liaison)
        stdout.write(f"  {count} quarterly submissions of {year} added")
    stdout.write(f"  {demo_seed_monthly(secretariat=secretariat, liaison=liaison)} monthly entries")


# --- monthly progress: two 2024 tasks led by the demo liaison's school are reported monthly ---
DEMO_MONTHLY_2024 = {
    7: ("approved", "完成实训基地建设方案论证，报市发改委立项。"),
    8: ("approved", "基地主体工程招标完成，中标单位进场施工。"),
    9: ("approved", "主体工程完成 40%，同步采购首批实训设备。"),
    10: ("submitted", "主体工程完成 65%，设备采购合同已签订。"),
    11: ("draft", "主体工程完成 80%（草稿）。"),
}


def demo_seed_monthly(*, secretariat, liaison) -> int:
    """The demo liaison's school leads two of its 2024 tasks and reports them month by month:
    July to September approved, October waiting for review, November a draft (rerunnable)."""
    from .models import MonthlyEntry

    plan = Plan.objects.filter(year=2024).first()
    if plan is None or liaison.member is None:
        return 0
    tasks = plan.tasks.filter(responsible_members=liaison.member).order_by("position", "pk")
    count = 0
    for task in tasks[:2]:
        # In the demo story the school leads these two and reports them monthly.
        task.lead_member = liaison.member
        task.reporting_frequency = Task.Frequency.MONTHLY
        task.save(update_fields=["lead_member", "reporting_frequency"])
        for month, (status, text) in DEMO_MONTHLY_2024.items():
            moment = demo_moment(date(2024, month, 28))
            MonthlyEntry.objects.update_or_create(
                task=task,
                member=liaison.member,
                month=month,
                defaults={
                    "progress": text,
                    "status": status,
                    "submitted_by": liaison if status != "draft" else None,
                    "submitted_at": moment if status != "draft" else None,
                    "reviewed_by": secretariat if status == "approved" else None,
                    "reviewed_at": moment + timedelta(days=1) if status == "approved" else None,
                },
            )
            count += 1
    return count
