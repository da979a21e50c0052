"""The yearly reward/penalty summary (奖惩汇总): every rule of the year applied to the registers,
per member and for the payees outside the group, held against the year's reward fund.

A consortium or industry college earns its one-off award in the year it reached its level (kept
as level_year), so a provincial award is paid once; a national consortium earns the national award
only, and only provincial industry colleges are rewarded (the policy names no other level).

Only certified records (认定) are paid: a record not yet certified, changed since, or rejected is
listed apart with what it would earn (待认定) and counts in no total. Once the year's annual
assessment is confirmed, the year's grade rules raise or cut each member's total by its grade.

A member's total is its rewards less its deductions, never below zero: deductions reduce what the
fund pays, they do not bill a school. The fund pays the outside payees too, so they count in the
group total and are scaled with the members."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Assessment, Grade, MemberScore
from certification.selectors import RecordState, record_states
from jituan.history import records_as_of
from jituan.models import Member
from partnerships.models import Consortium, IndustryCollege, Level, OrderClass
from targets.board import board_rows, members_reporting_on
from targets.figures import Timeliness
from targets.models import Plan
from targets.selectors import plan_progress

from .models import DeductionRule, GradeRule, RewardFund, RewardRule, StudentIntake


@dataclass
class Line:
    """One rule applied once: what it is, what it was applied to, and the money."""

    rule: str
    basis: str
    amount: int


@dataclass
class MemberSummary:
    member: Member
    rewards: list[Line] = field(default_factory=list)
    deductions: list[Line] = field(default_factory=list)
    scaled_total: int | None = None

    @property
    def name(self) -> str:
        return self.member.name

    @property
    def rewards_total(self) -> int:
        return sum(line.amount for line in self.rewards)

    @property
    def deductions_total(self) -> int:
        return sum(line.amount for line in self.deductions)

    @property
    def total(self) -> int:
        return max(self.rewards_total - self.deductions_total, 0)

    @property
    def payable(self) -> int:
        return self.total if self.scaled_total is None else self.scaled_total


@dataclass
class OutsidePayee:
    """A payee outside the group: a city source school, or a consortium with no member."""

    name: str
    lines: list[Line] = field(default_factory=list)
    scaled_total: int | None = None

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def payable(self) -> int:
        return self.total if self.scaled_total is None else self.scaled_total


@dataclass
class PendingLine:
    """A reward a record would earn once certified (待认定): not paid, in no total."""

    payee: str
    member_pk: int | None
    line: Line
    state: RecordState

    @property
    def status(self) -> str:
        return self.state.label

    @property
    def reason(self) -> str:
        certification = self.state.certification
        return certification.reason if certification and self.state.state == "rejected" else ""


@dataclass
class RewardSummary:
    year: int
    fund: RewardFund | None
    members: list[MemberSummary]
    outside_payees: list[OutsidePayee]
    # The share of their totals every payee is paid, when scaled down to the fund.
    scale_factor: Decimal | None = None
    # Cut to one member for a liaison: the group figures below then mean nothing and are not shown.
    partial: bool = False
    # Rewards of records awaiting certification, in no total.
    pending: list[PendingLine] = field(default_factory=list)
    # The confirmed assessment whose grades the grade rules applied, if any.
    assessment: Assessment | None = None

    @property
    def pending_total(self) -> int:
        return sum(row.line.amount for row in self.pending)

    @property
    def reward_fund(self) -> int | None:
        return self.fund.reward_fund if self.fund else None

    @property
    def running_budget(self) -> int | None:
        return self.fund.running_budget if self.fund else None

    @property
    def members_total(self) -> int:
        return sum(row.total for row in self.members)

    @property
    def outside_total(self) -> int:
        return sum(payee.total for payee in self.outside_payees)

    @property
    def group_total(self) -> int:
        return self.members_total + self.outside_total

    @property
    def payable_total(self) -> int:
        payees = [*self.members, *self.outside_payees]
        return sum(payee.payable for payee in payees)

    @property
    def exceeds_fund(self) -> bool:
        return self.fund is not None and self.group_total > self.fund.reward_fund

    @property
    def excess(self) -> int:
        return max(self.group_total - self.reward_fund, 0) if self.fund else 0

    @property
    def scaled(self) -> bool:
        return self.scale_factor is not None

    @property
    def scale_percent(self) -> str:
        return floatformat(self.scale_factor * 100, 2) if self.scaled else ""

    @property
    def lines(self) -> list[tuple[str, Line]]:
        """Every line as (payee, line), deductions as negative amounts: the detail sheet."""
        rows = []
        for row in self.members:
            rows += [(row.name, line) for line in row.rewards]
            rows += [
                (row.name, Line(line.rule, line.basis, -line.amount)) for line in row.deductions
            ]
        for payee in self.outside_payees:
            rows += [(payee.name, line) for line in payee.lines]
        return rows


Payee = int | str  # a member's pk, or the name of a payee outside the group


def reward_summary(
    year: int,
    *,
    scale: bool | None = None,
    today: date | None = None,
    as_of: datetime | None = None,
) -> RewardSummary:
    """The summary of a year, in a fixed number of queries whatever the number of members.

    scale: pay every payee the same share so that the group fits the fund when it exceeds it;
    None takes the year's setting. as_of: read rules, registers, certifications, the assessment
    and approvals as recorded then (None: now), so an archived summary renders again with the
    same amounts. today: the day quarters count as missing from (by default as_of's day)."""
    today = today or (timezone.localdate(as_of) if as_of else timezone.localdate())
    fund = records_as_of(RewardFund, as_of).filter(year=year).first()
    paid, pending = _rewards(year, as_of)
    deductions = _deductions(year, today, as_of)
    members = [MemberSummary(m) for m in Member.objects.in_group_order()]
    by_pk = {row.member.pk: row for row in members}
    outside: dict[str, OutsidePayee] = {}
    for payee, line in paid:
        if isinstance(payee, int):
            by_pk[payee].rewards.append(line)
        else:
            outside.setdefault(payee, OutsidePayee(payee)).lines.append(line)
    for member_pk, line in deductions:
        by_pk[member_pk].deductions.append(line)
    assessment = _grade_lines(year, by_pk, as_of)
    summary = RewardSummary(
        year,
        fund,
        [row for row in members if row.rewards or row.deductions],
        [outside[name] for name in sorted(outside)],
        pending=[
            PendingLine(
                by_pk[payee].name if isinstance(payee, int) else payee,
                payee if isinstance(payee, int) else None,
                line,
                state,
            )
            for payee, line, state in pending
        ],
        assessment=assessment,
    )
    if summary.exceeds_fund and (fund.scale_to_fund if scale is None else scale):
        summary_scale(summary)
    return summary


def summary_scale(summary: RewardSummary) -> None:
    payees = [*summary.members, *summary.outside_payees]
    scaled = scale_to_fund([payee.total for payee in payees], summary.fund.reward_fund)
    for payee, amount in zip(payees, scaled, strict=True):
        payee.scaled_total = amount
    summary.scale_factor = Decimal(summary.fund.reward_fund) / Decimal(summary.group_total)


def scale_to_fund(totals: list[int], fund: int) -> list[int]:
    """Every total times fund / Σtotals, in whole yuan adding up exactly to the fund: each gets
    the whole part of its share, and the yuan left over go one each to the largest remainders
    (ties to the one listed first)."""
    whole = sum(totals)
    shares = [divmod(total * fund, whole) for total in totals]
    scaled = [quotient for quotient, _remainder in shares]
    left = fund - sum(scaled)
    by_remainder = sorted(range(len(totals)), key=lambda i: -shares[i][1])
    for i in by_remainder[:left]:
        scaled[i] += 1
    return scaled


# --- rewards: one function per kind of rule, each (payee, line) for every case it applies to.


def _rewards(
    year: int, as_of: datetime | None
) -> tuple[list[tuple[Payee, Line]], list[tuple[Payee, Line, RecordState]]]:
    """Every rule applied to the registers: the lines of certified records, which are paid, and
    the lines of the others with their certification state, which are not."""
    paid, pending = [], []
    for rule in sorted(records_as_of(RewardRule, as_of).filter(year=year), key=_policy_order):
        applied = REWARD_KINDS[rule.kind](rule, as_of)
        states = record_states([record for _payee, _line, record in applied], as_of=as_of)
        for payee, line, record in applied:
            state = states[record.id]
            if state.is_certified:
                paid.append((payee, line))
            else:
                pending.append((payee, line, state))
    return paid, pending


def _policy_order(rule) -> int:
    return RewardRule.Kind.values.index(rule.kind)


def class_rewards(rule: RewardRule, as_of=None) -> list[tuple[Payee, Line]]:
    classes = (
        records_as_of(OrderClass, as_of)
        .filter(year=rule.year, students__gte=rule.min_students or 0)
        .select_related("enterprise")
        .order_by("member_id", "enterprise__name", "major")
    )
    return [(c.member_id, Line(rule.label, _class_basis(c), rule.amount), c) for c in classes]


def _class_basis(order_class: OrderClass) -> str:
    return _("%(kind)s with %(enterprise)s, %(major)s, %(students)s students") % {
        "kind": order_class.get_kind_display(),
        "enterprise": order_class.enterprise,
        "major": order_class.major,
        "students": order_class.students,
    }


def source_school_rewards(rule: RewardRule, as_of=None) -> list[tuple[Payee, Line]]:
    intakes = (
        records_as_of(StudentIntake, as_of)
        .filter(year=rule.year, is_cross_city=False)
        .select_related("member")
    )
    return [
        (
            intake.source_school,
            Line(
                rule.label,
                _("%(students)s students sent to %(member)s × ¥%(amount)s")
                % {"students": intake.students, "member": intake.member, "amount": _yuan(rule)},
                intake.students * rule.amount,
            ),
            intake,
        )
        for intake in intakes.order_by("source_school", "member__name")
    ]


def cross_city_rewards(rule: RewardRule, as_of=None) -> list[tuple[Payee, Line]]:
    intakes = records_as_of(StudentIntake, as_of).filter(year=rule.year, is_cross_city=True)
    return [
        (
            intake.member_id,
            Line(
                rule.label,
                _("%(students)s cross-city students from %(school)s × ¥%(amount)s")
                % {
                    "students": intake.students,
                    "school": intake.source_school,
                    "amount": _yuan(rule),
                },
                intake.students * rule.amount,
            ),
            intake,
        )
        for intake in intakes.order_by("member_id", "source_school")
    ]


def consortium_rewards(rule: RewardRule, as_of=None, *, level: str) -> list[tuple[Payee, Line]]:
    consortia = records_as_of(Consortium, as_of).filter(level_year=rule.year, level=level)
    consortia = consortia.order_by("name")
    return [
        (c.member_id or c.name, Line(rule.label, _level_basis(c), rule.amount), c)
        for c in consortia
    ]


def college_rewards(rule: RewardRule, as_of=None) -> list[tuple[Payee, Line]]:
    colleges = records_as_of(IndustryCollege, as_of)
    colleges = colleges.filter(level_year=rule.year, level=Level.PROVINCIAL)
    return [
        (c.member_id, Line(rule.label, _level_basis(c), rule.amount), c)
        for c in colleges.order_by("member_id", "name")
    ]


def _level_basis(record) -> str:
    return _("%(name)s, %(level)s reached in %(year)s") % {
        "name": record.name,
        "level": record.get_level_display(),
        "year": record.level_year,
    }


def _yuan(rule) -> str:
    return f"{rule.amount:,}"


def _figure(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


REWARD_KINDS: dict[str, Callable[..., list[tuple[Payee, Line, object]]]] = {
    RewardRule.Kind.ORDER_CLASS: class_rewards,
    RewardRule.Kind.SOURCE_SCHOOL: source_school_rewards,
    RewardRule.Kind.CROSS_CITY: cross_city_rewards,
    RewardRule.Kind.PROVINCIAL_CONSORTIUM: partial(consortium_rewards, level=Level.PROVINCIAL),
    RewardRule.Kind.NATIONAL_CONSORTIUM: partial(consortium_rewards, level=Level.NATIONAL),
    RewardRule.Kind.PROVINCIAL_COLLEGE: college_rewards,
}


# --- the annual assessment's grades


def _grade_lines(year: int, by_pk: dict, as_of: datetime | None) -> Assessment | None:
    """Once the year's assessment is confirmed (by as_of), each member's grade rule applied to its
    total: a share added as a reward, or taken as a deduction. The confirmed assessment, if any."""
    assessment = (
        records_as_of(Assessment, as_of)
        .filter(year=year, status=Assessment.Status.CONFIRMED)
        .first()
    )
    if assessment is None:
        return None
    rules = {rule.grade: rule for rule in records_as_of(GradeRule, as_of).filter(year=year)}
    for score in records_as_of(MemberScore, as_of).filter(assessment_id=assessment.id):
        row, rule = by_pk.get(score.member_id), rules.get(score.grade)
        if row is None or rule is None or not rule.percent or not row.total:
            continue
        amount = (row.total * abs(rule.percent) + 50) // 100  # whole yuan, halves up
        basis = _(
            "%(year)s annual assessment %(grade)s (%(score)s points): %(percent)s%% of ¥%(total)s"
        ) % {
            "year": year,
            "grade": Grade(score.grade).label,
            "score": floatformat(score.score, -1),
            "percent": f"{rule.percent:+d}",
            "total": f"{row.total:,}",
        }
        (row.rewards if rule.percent > 0 else row.deductions).append(
            Line(rule.label, basis, amount)
        )
    return assessment


# --- deductions, from the year's plan: members without plan data get none.


def _deductions(year: int, today: date, as_of: datetime | None) -> list[tuple[int, Line]]:
    rules = {rule.kind: rule for rule in records_as_of(DeductionRule, as_of).filter(year=year)}
    plan = Plan.objects.filter(year=year).first() if rules else None
    if plan is None:
        return []
    lines = submission_deductions(plan, rules, today, as_of)
    if DeductionRule.Kind.BELOW_TARGET in rules:
        lines += indicator_deductions(plan, rules[DeductionRule.Kind.BELOW_TARGET], as_of)
    return lines


def submission_deductions(
    plan: Plan, rules: dict, today: date, as_of: datetime | None = None
) -> list[tuple[int, Line]]:
    """A line per quarter missing or submitted late, for the members who owe submissions."""
    missing = rules.get(DeductionRule.Kind.MISSING)
    late = rules.get(DeductionRule.Kind.LATE)
    if missing is None and late is None:
        return []
    lines = []
    for row in board_rows(plan, members_reporting_on(plan, Member.objects.all()), today):
        for cell in row.cells:
            quarter = _("%(year)s Q%(quarter)s") % {"year": plan.year, "quarter": cell.quarter}
            timeliness = cell.timeliness(as_of)
            if missing and timeliness == Timeliness.MISSING:
                basis = _("%(quarter)s not submitted") % {"quarter": quarter}
                lines.append((row.member.pk, Line(missing.label, basis, missing.amount)))
            elif late and timeliness == Timeliness.LATE:
                basis = _("%(quarter)s submitted late") % {"quarter": quarter}
                lines.append((row.member.pk, Line(late.label, basis, late.amount)))
    return lines


def indicator_deductions(
    plan: Plan, rule: DeductionRule, as_of: datetime | None = None
) -> list[tuple[int, Line]]:
    """A line per indicator a member reached less than (100 − threshold)% of its target in.

    An indicator without an actual value is not judged: the missing submission is its own
    deduction."""
    members = list(Member.objects.all())
    floor = Decimal(100 - rule.threshold_percent)
    lines = []
    indicators = plan.indicators.select_related("plan").prefetch_related("trajectory")
    for progress in plan_progress(indicators, as_of=as_of):
        indicator = progress.indicator
        for row in progress.member_rows(members):
            if row["completion"] is not None and row["completion"] < floor:
                lines.append(
                    (row["member"].pk, Line(rule.label, _below_basis(row, indicator), rule.amount))
                )
    return lines


def _below_basis(row: dict, indicator) -> str:
    return _("%(indicator)s: %(actual)s of %(target)s (%(completion)s%%, %(gap)s points short)") % {
        "indicator": indicator.name,
        "actual": _figure(row["actual"]),
        "target": _figure(row["target"]),
        "completion": floatformat(row["completion"], -1),
        "gap": floatformat(100 - row["completion"], -1),
    }
