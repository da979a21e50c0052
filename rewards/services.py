"""The yearly reward/penalty summary (奖惩汇总): every rule of the year applied to the registers,
per member and for the payees outside the group, held against the year's reward fund.

Rules that need a year the registers do not keep: consortia and industry colleges record their
current level and the year they were founded, not the year the level was reached. The policy
rewards those 建成 (built) at a level, so a consortium or college earns its one-off award in the
year it was founded, at the level it holds now; a national consortium earns the national award
only, and only provincial industry colleges are rewarded (the policy names no other level).

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

from jituan.history import records_as_of
from jituan.models import Member
from partnerships.models import Consortium, IndustryCollege, Level, OrderClass
from targets.board import board_rows, members_reporting_on
from targets.figures import Timeliness
from targets.models import Plan
from targets.selectors import plan_progress

from .models import DeductionRule, RewardFund, RewardRule, StudentIntake


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
class RewardSummary:
    year: int
    fund: RewardFund | None
    members: list[MemberSummary]
    outside_payees: list[OutsidePayee]
    # The share of their totals every payee is paid, when scaled down to the fund.
    scale_factor: Decimal | None = None
    # Cut to one member for a liaison: the group figures below then mean nothing and are not shown.
    partial: bool = False

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
    None takes the year's setting. as_of: read rules, registers and approvals as recorded then
    (None: now), so an archived summary renders again with the same amounts. today: the day
    quarters count as missing from (by default as_of's day)."""
    today = today or (timezone.localdate(as_of) if as_of else timezone.localdate())
    fund = records_as_of(RewardFund, as_of).filter(year=year).first()
    rewards = _rewards(year, as_of)
    deductions = _deductions(year, today, as_of)
    members = [MemberSummary(m) for m in Member.objects.in_group_order()]
    by_pk = {row.member.pk: row for row in members}
    outside: dict[str, OutsidePayee] = {}
    for payee, line in rewards:
        if isinstance(payee, int):
            by_pk[payee].rewards.append(line)
        else:
            outside.setdefault(payee, OutsidePayee(payee)).lines.append(line)
    for member_pk, line in deductions:
        by_pk[member_pk].deductions.append(line)
    summary = RewardSummary(
        year,
        fund,
        [row for row in members if row.rewards or row.deductions],
        [outside[name] for name in sorted(outside)],
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


def _rewards(year: int, as_of: datetime | None) -> list[tuple[Payee, Line]]:
    lines = []
    for rule in sorted(records_as_of(RewardRule, as_of).filter(year=year), key=_policy_order):
        lines += REWARD_KINDS[rule.kind](rule, as_of)
    return lines


def _policy_order(rule) -> int:
    return RewardRule.Kind.values.index(rule.kind)


def class_rewards(rule: RewardRule, as_of=None) -> list[tuple[Payee, Line]]:
    classes = (
        records_as_of(OrderClass, as_of)
        .filter(year=rule.year, students__gte=rule.min_students or 0)
        .select_related("enterprise")
        .order_by("member_id", "enterprise__name", "major")
    )
    return [(c.member_id, Line(rule.label, _class_basis(c), rule.amount)) for c in classes]


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
        )
        for intake in intakes.order_by("member_id", "source_school")
    ]


def consortium_rewards(rule: RewardRule, as_of=None, *, level: str) -> list[tuple[Payee, Line]]:
    consortia = records_as_of(Consortium, as_of).filter(founded=rule.year, level=level)
    consortia = consortia.order_by("name")
    return [
        (c.member_id or c.name, Line(rule.label, _founded_basis(c), rule.amount)) for c in consortia
    ]


def college_rewards(rule: RewardRule, as_of=None) -> list[tuple[Payee, Line]]:
    colleges = records_as_of(IndustryCollege, as_of)
    colleges = colleges.filter(founded=rule.year, level=Level.PROVINCIAL)
    return [
        (c.member_id, Line(rule.label, _founded_basis(c), rule.amount))
        for c in colleges.order_by("member_id", "name")
    ]


def _founded_basis(record) -> str:
    return _("%(name)s, %(level)s, founded %(year)s") % {
        "name": record.name,
        "level": record.get_level_display(),
        "year": record.founded,
    }


def _yuan(rule) -> str:
    return f"{rule.amount:,}"


def _figure(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


REWARD_KINDS: dict[str, Callable[..., list[tuple[Payee, Line]]]] = {
    RewardRule.Kind.ORDER_CLASS: class_rewards,
    RewardRule.Kind.SOURCE_SCHOOL: source_school_rewards,
    RewardRule.Kind.CROSS_CITY: cross_city_rewards,
    RewardRule.Kind.PROVINCIAL_CONSORTIUM: partial(consortium_rewards, level=Level.PROVINCIAL),
    RewardRule.Kind.NATIONAL_CONSORTIUM: partial(consortium_rewards, level=Level.NATIONAL),
    RewardRule.Kind.PROVINCIAL_COLLEGE: college_rewards,
}


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
