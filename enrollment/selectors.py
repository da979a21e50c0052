"""Enrollment per member for a year: quota, actual, completion of quota and growth over last year,
with the group row computed from the totals (never an average of the members' percentages)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from jituan.models import Member, User
from jituan.selectors import members_for, scope_to_member
from targets.sources import growth, percent

from .models import Enrollment


@dataclass
class EnrollmentLine:
    member: Member | None  # None: the group
    quota: int
    actual: int | None
    last_year: int | None
    growth: Decimal | None

    @property
    def completion(self) -> Decimal | None:
        return None if self.actual is None else percent(self.actual, self.quota)


def enrollment_years(user: User) -> list[int]:
    records = scope_to_member(Enrollment.objects.all(), user)
    return list(records.order_by("-year").values_list("year", flat=True).distinct())


def _per_member(user: User, year: int) -> dict[int, dict]:
    rows = (
        scope_to_member(Enrollment.objects.filter(year=year), user)
        .values("member_id")
        .annotate(quota=Sum("quota"), actual=Sum("actual"))
        .order_by()
    )
    return {row["member_id"]: row for row in rows}


def enrollment_by_member(user: User, year: int) -> tuple[list[EnrollmentLine], EnrollmentLine]:
    """One line per member with enrollment records that year (in two aggregate queries plus the
    members), and the group line: Σactual / Σquota, and growth over the members with actual
    enrollment in both years."""
    this_year = _per_member(user, year)
    last_year = _per_member(user, year - 1)
    members = members_for(user).filter(pk__in=this_year).order_by("pk")
    lines = []
    for member in members:
        actual = this_year[member.pk]["actual"]
        before = last_year.get(member.pk, {}).get("actual")
        lines.append(
            EnrollmentLine(
                member=member,
                quota=this_year[member.pk]["quota"] or 0,
                actual=actual,
                last_year=before,
                growth=None if actual is None else growth(actual, before),
            )
        )
    compared = [line for line in lines if line.growth is not None]
    reported = [line.actual for line in lines if line.actual is not None]
    group = EnrollmentLine(
        member=None,
        quota=sum(line.quota for line in lines),
        actual=sum(reported) if reported else None,
        last_year=sum(line.last_year for line in compared) if compared else None,
        growth=growth(
            sum(line.actual for line in compared), sum(line.last_year for line in compared)
        )
        if compared
        else None,
    )
    return lines, group
