"""A large synthetic group for trying the dashboard at size: members × years × tasks, with every
member reporting on every task each quarter (500 × 5 × 100 gives about a million task reports),
register figures every indicator is computed from, and allocations that add up.

Rows go in with bulk inserts, a year at a time, so memory stays flat; register rows with their
history (bulk inserts send no signals), dated as the year would have gone. The random generator
is seeded: the same arguments build the same group."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from enrollment.models import Enrollment, GraduateCount, TeacherCount
from jituan.demo import demo_moment
from jituan.models import Member
from partnerships.models import Enterprise, OrderClass, TrainingBase
from targets.models import (
    Allocation,
    Indicator,
    IndicatorReport,
    Milestone,
    Plan,
    QuarterSchedule,
    Submission,
    Task,
    TaskReport,
    TrajectoryPoint,
)
from targets.models.submissions import DEFAULT_DUE_AFTER_QUARTER_DAYS, quarter_bounds

NAME_PREFIX = "合成"
COUNTIES = ["桐城市", "怀宁县", "潜山市", "太湖县", "宿松县", "望江县", "岳西县"]
KINDS = [
    (Member.Kind.HIGHER_VOCATIONAL, "高职", 0.1),
    (Member.Kind.SECONDARY_VOCATIONAL, "中职", 0.6),
    (Member.Kind.TECHNICIAN, "技工", 0.3),
]
LEVEL_OF_KIND = {
    Member.Kind.HIGHER_VOCATIONAL: Enrollment.Level.HIGHER,
    Member.Kind.SECONDARY_VOCATIONAL: Enrollment.Level.SECONDARY,
    Member.Kind.TECHNICIAN: Enrollment.Level.TECHNICIAN,
}
# (code, name, unit, kind, target, source); targets of allocated indicators are their sums.
INDICATORS = [
    ("enrollment", "集团院校总招生计划", "人", "absolute", None, "enrollment.total"),
    ("enrollment-growth", "职业院校招生增长", "%", "growth", 20, "enrollment.growth"),
    ("dual-qualified-growth", "双师型教师增长", "%", "growth", 10, "teachers.dual_growth"),
    ("local-employment", "毕业生本地就业率", "%", "rate", 30, "graduates.local_rate"),
    ("order-classes", "校企合作订单班", "个", "absolute", 400, "partnerships.order_classes"),
    ("public-bases", "公共实训基地", "个", "absolute", 60, "partnerships.training_bases.public"),
    ("new-teachers", "招聘引进专业教师", "人", "absolute", None, ""),
    ("training", "各类社会培训", "人次", "absolute", None, ""),
    ("research-topics", "立项研究课题", "个", "absolute", None, ""),
    ("satisfaction", "企业满意度", "%", "rate", 90, ""),
]
MANUAL = [i for i in INDICATORS if not i[5]]
PHRASES = ["已按计划推进。", "完成阶段任务，正在总结。", "受场地影响略有滞后，已调整方案。"]
BATCH = 5000


@dataclass
class SeedResult:
    members: int
    plans: int
    tasks: int
    submissions: int
    task_reports: int
    indicator_reports: int

    @property
    def submission_values(self) -> int:
        return self.task_reports + self.indicator_reports


class SeedRefused(Exception):
    pass


def seed_synthetic(
    *,
    members: int,
    years: int,
    tasks: int,
    first_year: int | None = None,
    today: date | None = None,
    seed: int = 2020,
    progress=lambda message: None,
) -> SeedResult:
    today = today or timezone.localdate()
    first_year = first_year if first_year is not None else today.year - years + 1
    year_range = list(range(first_year, first_year + years))
    if members < 1 or years < 1 or tasks < 1:
        raise SeedRefused(_("Members, years and tasks must each be at least 1."))
    taken = sorted(Plan.objects.filter(year__in=year_range).values_list("year", flat=True))
    if taken:
        raise SeedRefused(
            _("There are already plans for %(years)s; choose other years with --first-year.")
            % {"years": "、".join(map(str, taken))}
        )
    rng = random.Random(seed)
    group = _members(
        members, rng, first=Member.objects.filter(name__startswith=NAME_PREFIX).count()
    )
    enterprises = bulk_create_with_history(
        [
            Enterprise(name=f"{NAME_PREFIX}企业{first_year}-{n:02d}", industry="制造")
            for n in range(50)
        ],
        Enterprise,
        default_date=demo_moment(date(first_year - 1, 1, 15)),
    )
    progress(_("%(n)s members") % {"n": len(group)})
    result = SeedResult(len(group), 0, 0, 0, 0, 0)
    for year in [first_year - 1, *year_range]:  # the year before: the base of growth figures
        _registers(year, group, enterprises, rng)
    for year in year_range:
        with transaction.atomic():
            _year(year, group, tasks, today, rng, result)
        progress(
            _("%(year)s: %(n)s submission values so far")
            % {"year": year, "n": f"{result.submission_values:,}"}
        )
    with connection.cursor() as cursor:  # fresh planner statistics after a bulk load
        cursor.execute("ANALYZE")
    return result


def _members(count: int, rng: random.Random, first: int) -> list[Member]:
    """Numbered on from an earlier synthetic group's members, if any."""
    rows = []
    for n in range(first + 1, first + count + 1):
        kind, short, _weight = rng.choices(KINDS, weights=[k[2] for k in KINDS])[0]
        county = rng.choice(COUNTIES) if rng.random() < 0.4 else ""
        rows.append(
            Member(
                name=f"{NAME_PREFIX}{short}学校{n:04d}",
                short_name=f"{short}{n:04d}",
                kind=kind,
                location=Member.Location.COUNTY if county else Member.Location.URBAN,
                county=county,
            )
        )
    return Member.objects.bulk_create(rows, batch_size=BATCH)


def _registers(year, group, enterprises, rng):
    enrollment, teachers, graduates, classes, bases = [], [], [], [], []
    for member in group:
        quota = rng.randrange(100, 1500, 10)
        enrollment.append(
            Enrollment(
                member=member,
                year=year,
                level=LEVEL_OF_KIND[member.kind],
                quota=quota,
                actual=round(quota * rng.uniform(0.8, 1.15)),
            )
        )
        full_time = rng.randrange(40, 400)
        teachers.append(
            TeacherCount(
                member=member,
                year=year,
                full_time=full_time,
                dual_qualified=round(full_time * rng.uniform(0.3, 0.7)),
            )
        )
        count = rng.randrange(100, 1200)
        graduates.append(
            GraduateCount(
                member=member,
                year=year,
                graduates=count,
                employed_locally=round(count * rng.uniform(0.15, 0.45)),
            )
        )
        for _n in range(rng.choice([0, 0, 1, 1, 2])):
            classes.append(
                OrderClass(
                    member=member,
                    enterprise=rng.choice(enterprises),
                    major="机电一体化",
                    year=year,
                    students=rng.randrange(12, 50),
                )
            )
        if rng.random() < 0.1:
            bases.append(
                TrainingBase(
                    name=f"{member.short_name}实训基地{year}",
                    kind=TrainingBase.Kind.PUBLIC,
                    member=member,
                    year=year,
                )
            )
    _enrollment_insert(year, enrollment)
    for model, rows, day in (
        (TeacherCount, teachers, date(year, 12, 15)),
        (GraduateCount, graduates, date(year, 8, 31)),
        (OrderClass, classes, date(year, 4, 1)),
        (TrainingBase, bases, date(year, 4, 1)),
    ):
        bulk_create_with_history(rows, model, batch_size=BATCH, default_date=demo_moment(day))


def _enrollment_insert(year: int, rows: list[Enrollment]) -> None:
    """Two versions of each row, as a year goes: the quota in spring, actual enrollment in
    autumn (what a report as of June reads, what one as of December)."""
    created = Enrollment.objects.bulk_create(rows, batch_size=BATCH)
    actual = [row.actual for row in created]
    for row in created:
        row.actual = None
    spring = demo_moment(date(year, 3, 15))
    Enrollment.history.bulk_history_create(created, batch_size=BATCH, default_date=spring)
    for row, value in zip(created, actual, strict=True):
        row.actual = value
    autumn = demo_moment(date(year, 9, 30))
    Enrollment.history.bulk_history_create(
        created, batch_size=BATCH, update=True, default_date=autumn
    )


def _year(year, group, task_count, today, rng, result):
    plan = Plan.objects.create(
        year=year, title=f"{NAME_PREFIX}职业教育集团 {year} 年重点工作", document_number=""
    )
    result.plans += 1
    tasks = Task.objects.bulk_create(
        Task(
            plan=plan,
            number=str(n),
            position=n,
            section="合成任务",
            title=f"{year} 年重点任务 {n}",
            deadline=date(year, rng.choice([6, 9, 12]), 30 if rng.random() < 0.5 else 1),
        )
        for n in range(1, task_count + 1)
    )
    result.tasks += len(tasks)
    Milestone.objects.bulk_create(
        (
            Milestone(task=t, quarter=q, planned=f"第{q}季度形象进度")
            for t in tasks
            for q in range(1, 5)
        ),
        batch_size=BATCH,
    )
    through = Task.responsible_members.through
    through.objects.bulk_create(
        (through(task_id=t.pk, member_id=m.pk) for t in tasks for m in group), batch_size=BATCH
    )
    indicators = _indicators(plan, group, rng)
    for quarter in range(1, 5):
        _, last = quarter_bounds(year, quarter)
        QuarterSchedule.objects.create(
            plan=plan, quarter=quarter, due_on=last + timedelta(days=DEFAULT_DUE_AFTER_QUARTER_DAYS)
        )
    manual = [i for i in indicators if not i.source]
    for quarter in range(1, 5):
        _first, last = quarter_bounds(year, quarter)
        due = last + timedelta(days=DEFAULT_DUE_AFTER_QUARTER_DAYS)
        if due >= today:
            continue  # not due yet: nobody has reported
        _quarter(plan, quarter, due, group, tasks, manual, rng, result)


def _indicators(plan, group, rng) -> list[Indicator]:
    approved = demo_moment(date(plan.year, 3, 15))  # targets known from the plan's approval
    indicators = []
    for position, (code, name, unit, kind, target, source) in enumerate(INDICATORS, start=1):
        shares = {}
        if target is None:  # split among members: the target is what the shares add up to
            low, high = {"enrollment": (100, 1500), "training": (50, 400)}.get(code, (1, 6))
            shares = {m.pk: Decimal(rng.randrange(low, high)) for m in group}
            target = sum(shares.values())
        indicator = Indicator(
            plan=plan,
            code=code,
            name=name,
            unit=unit,
            kind=kind,
            target=Decimal(target),
            position=position,
            source=source,
        )
        indicator._history_date = approved
        indicator.save()
        if code == "local-employment":
            bulk_create_with_history(
                [
                    TrajectoryPoint(indicator=indicator, year=plan.year + n, target=30 + 2 * n)
                    for n in range(4)
                ],
                TrajectoryPoint,
                default_date=approved,
            )
        bulk_create_with_history(
            [Allocation(indicator=indicator, member_id=m, target=t) for m, t in shares.items()],
            Allocation,
            batch_size=BATCH,
            default_date=approved,
        )
        indicator.shares = shares
        indicators.append(indicator)
    return indicators


def _quarter(plan, quarter, due, group, tasks, manual, rng, result):
    submitted_at = timezone.make_aware(datetime.combine(due, time(9)))
    rows = []
    for member in group:
        roll = rng.random()
        if roll < 0.04:
            continue  # missing
        status = Submission.Status.APPROVED
        if roll < 0.08:
            status = Submission.Status.SUBMITTED
        elif roll < 0.10:
            status = Submission.Status.RETURNED
        late = rng.random() < 0.1
        submitted = submitted_at + timedelta(days=rng.randrange(3, 9) if late else -2)
        rows.append(
            Submission(
                plan=plan,
                member=member,
                quarter=quarter,
                status=status,
                submitted_at=submitted,
                first_submitted_at=submitted,
                is_late=late,
                reviewed_at=submitted_at + timedelta(days=12),
            )
        )
    submissions = Submission.objects.bulk_create(rows, batch_size=BATCH)
    result.submissions += len(submissions)
    for start in range(0, len(submissions), 50):
        chunk = submissions[start : start + 50]
        reports = [
            TaskReport(
                submission=s,
                task=t,
                progress=rng.choice(PHRASES),
                status=rng.choices(["done", "on_track", "behind"], weights=[3, 6, 1])[0],
            )
            for s in chunk
            for t in tasks
        ]
        TaskReport.objects.bulk_create(reports, batch_size=BATCH)
        result.task_reports += len(reports)
        values = [
            IndicatorReport(submission=s, indicator=i, value=_value(i, s, quarter, rng))
            for s in chunk
            for i in manual
        ]
        IndicatorReport.objects.bulk_create(values, batch_size=BATCH)
        result.indicator_reports += len(values)


def _value(indicator, submission, quarter, rng) -> Decimal:
    if indicator.kind == Indicator.Kind.RATE:
        return Decimal(rng.randrange(70, 100))
    share = indicator.shares[submission.member_id]
    # Cumulative to date: about a quarter of the member's share per quarter, some ahead.
    return (share * Decimal(quarter) / 4 * Decimal(rng.uniform(0.6, 1.2))).quantize(Decimal(1))
