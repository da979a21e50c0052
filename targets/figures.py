"""One rule per figure. Every screen, report, export and deduction that shows a member's target,
a completion, an on-track mark, whether a submission came on time or a task's status calls these
functions; none works them out again.

The rules, decided once:

- **Target of an indicator in a year** (`year_target`): the indicator's trajectory point for that
  year when it has one (local employment 40/42/45/50% for 2024–2027), else its own target.
- **A member's target** (`member_target`): the member's allocation when it has one; else, for a
  rate or a growth, the target of its category (`category_target`: the most specific rule that
  fits its kind, location and ownership, the highest of equally specific ones), else the year's
  target (every school is held to 30% local employment); a count is never split by guesswork, so
  a member without an allocation of a count has no target.
- **Completion**: actual ÷ target in %, one decimal, for counts, rates and growth points alike.
- **Expected by now** (`expected_completion`): rates and growth are judged as they stand (100%);
  a count grows with the year, a quarter at a time (25% after Q1 …), and is due in full once the
  year is over. The mark is 已达成 at 100%, 正常 at or above the expected share, else 滞后, and
  无数据 without a figure.
- **On time** (`timeliness`): a quarter not yet due is 未到期; one submitted (first submission) by
  the as-of time is 按时 or 逾期 by its deadline; a due quarter without a submission is 未报.
- **Task status** (`task_status`): 未报 when nobody concerned has an approved report; 完成 when
  every responsible member (or, for the secretariat's own tasks, everyone who reported) says done;
  滞后 when someone says behind or the deadline has passed without it done; else 正常."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from jituan.models import Member

HUNDRED = Decimal(100)


class TaskStatus(models.TextChoices):
    DONE = "done", _("Done")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    MISSING = "missing", _("Not reported")


class Mark(models.TextChoices):
    """Where an indicator stands against what is expected by now."""

    REACHED = "done", _("Reached")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    NO_DATA = "no_data", _("No figures")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSING = "missing", _("Not submitted")
    NOT_DUE = "not_due", _("Not due yet")


# --- targets and completion ------------------------------------------------------------------


def year_target(indicator, year: int | None = None) -> Decimal:
    """The group's target for the year (the indicator's plan year by default). Reads prefetched
    trajectory points when there are any."""
    year = indicator.plan.year if year is None else year
    for point in indicator.trajectory.all():
        if point.year == year:
            return point.target
    return indicator.target


def member_target(
    indicator, member_id: int, allocations: dict[int, Decimal], year: int | None = None
) -> Decimal | None:
    """allocations: member -> its allocated target of this indicator."""
    if member_id in allocations:
        return allocations[member_id]
    return None if indicator.is_allocatable else year_target(indicator, year)


def category_target(rules, member) -> Decimal | None:
    """rules: (criteria, target) pairs, criteria a dict of kind/location/ownership values. A rule
    without a kind is for schools only. The most specific rule that fits the member wins; of
    equally specific ones, the highest target (the member is held to each rule that fits it)."""
    best: tuple[int, Decimal] | None = None
    for criteria, target in rules:
        if "kind" not in criteria and member.kind not in Member.Kind.schools():
            continue
        if any(getattr(member, name) != value for name, value in criteria.items()):
            continue
        candidate = (len(criteria), target)
        if best is None or candidate > best:
            best = candidate
    return None if best is None else best[1]


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (HUNDRED * Decimal(part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def completion(value: Decimal | None, target: Decimal | None) -> Decimal | None:
    if value is None or not target:
        return None
    return percent(value, target)


def expected_completion(indicator, year: int, on: date) -> Decimal:
    if not indicator.is_allocatable or on.year > year:
        return HUNDRED
    if on.year < year:
        return Decimal(0)
    return Decimal(25 * ((on.month - 1) // 3))


def mark(done: Decimal | None, expected: Decimal) -> str:
    if done is None:
        return Mark.NO_DATA
    if done >= HUNDRED:
        return Mark.REACHED
    return Mark.ON_TRACK if done >= expected else Mark.BEHIND


# --- submissions and tasks -------------------------------------------------------------------


def timeliness(
    *,
    due_on: date,
    on: date,
    submitted: bool,
    first_submitted_at: datetime | None,
    is_late: bool,
    as_of: datetime | None = None,
) -> str:
    """A member's submission for a quarter, judged on day `on` from what was known at as_of.
    submitted: it has left the draft state (a submission recorded without a time, by an import
    or by hand, counts whatever the as-of time)."""
    known = as_of is None or first_submitted_at is None or first_submitted_at <= as_of
    if submitted and known:
        return Timeliness.LATE if is_late else Timeliness.ON_TIME
    return Timeliness.MISSING if on > due_on else Timeliness.NOT_DUE


def on_time_rate(codes: Iterable[str]) -> int | None:
    """Share of the quarters already due that were submitted on time, in %."""
    due = [code for code in codes if code != Timeliness.NOT_DUE]
    if not due:
        return None
    return round(100 * sum(code == Timeliness.ON_TIME for code in due) / len(due))


def task_status(
    latest: dict[int, str], responsible: list[int], deadline: date | None, on: date
) -> str:
    """latest: member -> the status of its latest approved report of the task ("" if none)."""
    concerned = responsible or list(latest)
    statuses = [latest[m] for m in concerned if latest.get(m)]
    if not statuses:
        return TaskStatus.MISSING
    if len(statuses) == len(concerned) and all(s == TaskStatus.DONE for s in statuses):
        return TaskStatus.DONE
    if TaskStatus.BEHIND in statuses or (deadline is not None and deadline < on):
        return TaskStatus.BEHIND
    return TaskStatus.ON_TRACK
