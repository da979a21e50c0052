"""Demo registers for the 14 Anqing schools: the 2020 quotas from the plan, and plausible actual
enrollment (2019–2020, 高职 by channel), teachers (2019–2020, 2023–2024), graduates (2019–2020,
2023–2024) and students on roll (2023–2024). Figures the seeds state are used as stated (the 2019
高职 expansion intake of 2,312); the others are invented but stable (seeded by the school's
name), sized so that the demo shows growth, shares and rates near the plans' targets. Each
record's history is dated when it would have been entered: quotas when the year's plan is
approved, actual enrollment on 30 September, graduates' employment on 31 August, teachers on
15 December, students on roll on 15 October."""

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
Channel = Enrollment.Channel

# 高职 intake by channel (the 2020 plan's 5,400 is "含普招、分类招生和社会扩招"): shares of the
# year's total, 普招 taking the rest. The 2019 social-expansion intake is the 2020 plan's own
# figure: "2019 年集团高职扩招实现招生 2312 人" (二、（三）做好高职扩招人才培养工作).
EXPANSION_2019 = 2312
HIGHER_CHANNEL_SHARES = {
    2019: {Channel.CLASSIFIED: 0.20},
    2020: {Channel.CLASSIFIED: 0.22, Channel.EXPANSION: 0.28},
}

# The group's students on roll per level, counted each October (宜政秘〔2024〕91号: 高职 ≥ 14,000
# and 中职 ≥ 10,000 by 2027), split among the level's schools; other levels: three cohorts.
ON_ROLL = {
    Enrollment.Level.HIGHER: {2023: 12_786, 2024: 13_612},
    Enrollment.Level.SECONDARY: {2023: 9_284, 2024: 9_717},
}
# 高职 graduates and those employed locally (the opinion: 40% in 2024, 42/45/50% to 2027).
HIGHER_GRADUATES = {2023: (4_086, 1_561), 2024: (4_312, 1_751)}


@transaction.atomic
def demo_seed_registers() -> int:
    with QUOTAS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    on_roll = _students_on_roll(rows)
    for row in rows:
        member = Member.objects.get(name=row["member"])
        level = LEVELS[row["level"]]
        _school(member, level, int(row["quota"]), random.Random(member.name))
        for year, students in on_roll[member.name].items():
            demo_record(
                StudentsOnRoll,
                lookup={"member": member, "year": year, "level": level},
                versions=[(date(year, 10, 15), {"students": students})],
            )
    return len(rows)


def _school(member: Member, level: str, quota: int, rng: random.Random) -> None:
    actual = round(quota * rng.uniform(0.88, 1.08))
    last_year = round(actual / rng.uniform(1.02, 1.25))
    for year, planned, enrolled in (
        (2020, quota, actual),
        (2019, round(last_year * 1.05), last_year),
    ):
        _enrollment(member, year, level, planned, enrolled)
    full_time = max(20, round(quota / rng.uniform(9, 14)))
    dual_2019 = round(full_time * rng.uniform(0.30, 0.50))
    dual_2020 = min(full_time, round(dual_2019 * rng.uniform(1.04, 1.16)))
    _teachers(member, full_time, dual_2019, dual_2020)
    graduates = round(last_year * rng.uniform(0.75, 0.92))
    later = random.Random(f"{member.name}毕业生")
    for year, rate in (
        (2019, rng.uniform(0.16, 0.24)),
        (2020, rng.uniform(0.22, 0.38)),
        (2023, later.uniform(0.32, 0.40)),
        (2024, later.uniform(0.36, 0.44)),
    ):
        counted = (graduates, round(graduates * rate))
        if level == Enrollment.Level.HIGHER:
            counted = HIGHER_GRADUATES.get(year, counted)
        # Where the year's graduates found work is known by the end of August.
        demo_record(
            GraduateCount,
            lookup={"member": member, "year": year, "level": level},
            versions=[
                (date(year, 8, 31), {"graduates": counted[0], "employed_locally": counted[1]})
            ],
        )


def _enrollment(member: Member, year: int, level: str, quota: int, actual: int) -> None:
    """The year's quota and actual enrollment, one row per channel. Quotas are known when the
    plan is approved, actual enrollment in the autumn."""
    channels = _by_channel(level, year, quota, actual)
    if len(channels) > 1:  # a demo seeded before channels were kept: its all-channel row goes
        Enrollment.objects.filter(
            member=member, year=year, level=level, channel=Channel.ALL
        ).delete()
    for channel, (planned, enrolled) in channels.items():
        demo_record(
            Enrollment,
            lookup={"member": member, "year": year, "level": level, "channel": channel},
            versions=[
                (_quotas_known(year), {"quota": planned, "actual": None}),
                (date(year, 9, 30), {"actual": enrolled}),
            ],
        )


def _by_channel(level: str, year: int, quota: int, actual: int) -> dict[str, tuple[int, int]]:
    """(quota, actual) per channel: 高职 by 普招 / 分类招生 / 社会扩招, the quota split as the
    intake is; other levels in one row."""
    if level != Enrollment.Level.HIGHER or year not in HIGHER_CHANNEL_SHARES:
        return {Channel.ALL: (quota, actual)}
    actuals = {c: round(actual * share) for c, share in HIGHER_CHANNEL_SHARES[year].items()}
    if year == 2019:
        actuals[Channel.EXPANSION] = EXPANSION_2019
    actuals = {Channel.GENERAL: actual - sum(actuals.values()), **actuals}
    quotas = {c: round(quota * n / actual) for c, n in actuals.items() if c != Channel.GENERAL}
    quotas[Channel.GENERAL] = quota - sum(quotas.values())
    return {c: (quotas[c], n) for c, n in actuals.items()}


def _teachers(member: Member, full_time: int, dual_2019: int, dual_2020: int) -> None:
    """Full-time and dual-qualified teachers, counted in December: 2019–2020 for the 2020 plan's
    +10%, and 2023–2024, the dual-qualified share rising under the 2024 opinion."""
    later = random.Random(f"{member.name}教师")
    full_2023 = round(full_time * later.uniform(1.04, 1.12))
    dual_2023 = min(
        full_2023, round(full_2023 * (dual_2020 / full_time + later.uniform(0.06, 0.12)))
    )
    full_2024 = round(full_2023 * later.uniform(1.0, 1.04))
    dual_2024 = min(full_2024, round(dual_2023 * later.uniform(1.05, 1.12)))
    for year, full, dual in (
        (2019, full_time, dual_2019),
        (2020, full_time, dual_2020),
        (2023, full_2023, dual_2023),
        (2024, full_2024, dual_2024),
    ):
        demo_record(
            TeacherCount,
            lookup={"member": member, "year": year},
            versions=[(date(year, 12, 15), {"full_time": full, "dual_qualified": dual})],
        )


def _students_on_roll(rows: list[dict]) -> dict[str, dict[int, int]]:
    """Each school's students on roll in 2023 and 2024: its level's group total (ON_ROLL) split
    in proportion to about three cohorts of its quota (the largest school taking what rounding
    leaves, so that the parts add up), or those three cohorts where the level has no total."""
    cohorts = {
        row["member"]: int(row["quota"]) * random.Random(f"{row['member']}在校生").uniform(2.5, 2.8)
        for row in rows
    }
    levels = {row["member"]: LEVELS[row["level"]] for row in rows}
    result: dict[str, dict[int, int]] = {}
    for school, level in levels.items():
        if level not in ON_ROLL:
            on_roll = round(cohorts[school])
            result[school] = {2023: round(on_roll * 0.96), 2024: on_roll}
    for level, totals in ON_ROLL.items():
        schools = sorted((s for s in levels if levels[s] == level), key=lambda s: -cohorts[s])
        level_cohorts = sum(cohorts[s] for s in schools)
        for school in schools:
            share = cohorts[school] / level_cohorts
            result[school] = {year: round(total * share) for year, total in totals.items()}
        for year, total in totals.items():
            result[schools[0]][year] += total - sum(result[s][year] for s in schools)
    return result


def _quotas_known(year: int) -> date:
    plan = Plan.objects.filter(year=year).first()
    return plan.approved_on if plan and plan.approved_on else date(year, 3, 15)


def demo_seed(stdout) -> None:
    stdout.write(f"  {demo_seed_registers()} schools' enrollment, teachers and graduates")
