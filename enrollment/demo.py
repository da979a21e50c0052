"""Demo registers for the 14 Anqing schools: the 2020 quotas from the plan, and plausible actual
enrollment (2019–2020), teachers and graduates. The actual figures are invented but stable
(seeded by the school's name), so that the demo shows growth, shares and rates. Each record's
history is dated when it would have been entered: quotas when the year's plan is approved,
actual enrollment on 30 September, graduates' employment on 31 August, teachers on 15 December,
students on roll (2023–2024) on 15 October."""

import csv
import random
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from jituan.demo import demo_record
from jituan.models import Member
from targets.models import Plan

from .models import Enrollment, GraduateCount, StudentsOnRoll, TeacherCount

QUOTAS = Path(settings.BASE_DIR) / "fixtures" / "reference" / "anqing-2020-enrollment-quotas.csv"
LEVELS = {
    "高职": Enrollment.Level.HIGHER,
    "中职": Enrollment.Level.SECONDARY,
    "新技工": Enrollment.Level.TECHNICIAN,
}


@transaction.atomic
def demo_seed_registers() -> int:
    with QUOTAS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        member = Member.objects.get(name=row["member"])
        _school(member, LEVELS[row["level"]], int(row["quota"]), random.Random(member.name))
    return len(rows)


def _school(member: Member, level: str, quota: int, rng: random.Random) -> None:
    actual = round(quota * rng.uniform(0.88, 1.08))
    last_year = round(actual / rng.uniform(1.02, 1.25))
    for year, planned, enrolled in (
        (2020, quota, actual),
        (2019, round(last_year * 1.05), last_year),
    ):
        # Quotas are known when the plan is approved, actual enrollment in the autumn.
        demo_record(
            Enrollment,
            lookup={
                "member": member,
                "year": year,
                "level": level,
                "channel": Enrollment.Channel.ALL,
            },
            versions=[
                (_quotas_known(year), {"quota": planned, "actual": None}),
                (date(year, 9, 30), {"actual": enrolled}),
            ],
        )
    # Students on roll: about three cohorts, counted in mid-October (the 2024 plan's figures).
    on_roll = round(quota * random.Random(f"{member.name}在校生").uniform(2.5, 2.8))
    for year, students in ((2023, round(on_roll * 0.96)), (2024, on_roll)):
        demo_record(
            StudentsOnRoll,
            lookup={"member": member, "year": year, "level": level},
            versions=[(date(year, 10, 15), {"students": students})],
        )
    full_time = max(20, round(quota / rng.uniform(9, 14)))
    dual_2019 = round(full_time * rng.uniform(0.30, 0.50))
    for year, dual in (
        (2019, dual_2019),
        (2020, min(full_time, round(dual_2019 * rng.uniform(1.04, 1.16)))),
    ):
        demo_record(
            TeacherCount,
            lookup={"member": member, "year": year},
            versions=[(date(year, 12, 15), {"full_time": full_time, "dual_qualified": dual})],
        )
    graduates = round(last_year * rng.uniform(0.75, 0.92))
    later = random.Random(f"{member.name}毕业生")
    for year, rate in (
        (2019, rng.uniform(0.16, 0.24)),
        (2020, rng.uniform(0.22, 0.38)),
        # The 2024 plan: 高职 local employment 40/42/45/50% over 2024–27.
        (2023, later.uniform(0.32, 0.40)),
        (2024, later.uniform(0.36, 0.44)),
    ):
        # Where the year's graduates found work is known by the end of August.
        demo_record(
            GraduateCount,
            lookup={"member": member, "year": year, "level": level},
            versions=[
                (
                    date(year, 8, 31),
                    {"graduates": graduates, "employed_locally": round(graduates * rate)},
                )
            ],
        )


def _quotas_known(year: int) -> date:
    plan = Plan.objects.filter(year=year).first()
    return plan.approved_on if plan and plan.approved_on else date(year, 3, 15)


def demo_seed(stdout) -> None:
    stdout.write(f"  {demo_seed_registers()} schools' enrollment, teachers and graduates")
