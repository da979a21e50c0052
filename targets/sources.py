"""Where an indicator's actual value comes from: a register (enrollment, teachers, graduates,
order classes, training bases …) or, by default, the approved quarterly submissions.

The registers' apps add their sources here when they load (targets cannot import them: they
depend on targets), so an indicator names its source by code."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)


@dataclass
class Actual:
    """An indicator's actual value for the group and per member, with the figures behind it."""

    group: Decimal | None
    per_member: dict[int, Decimal] = field(default_factory=dict)
    basis: str = ""


@dataclass(frozen=True)
class Source:
    code: str
    label: str
    compute: Callable[[int], Actual]  # year -> Actual


SOURCES: dict[str, Source] = {}


def register(code: str, label) -> Callable:
    def decorator(compute):
        SOURCES[code] = Source(code, label, compute)
        return compute

    return decorator


def source_choices() -> list[tuple[str, str]]:
    return [("", _("Approved submissions (entered by members)"))] + [
        (s.code, s.label) for s in sorted(SOURCES.values(), key=lambda s: s.code)
    ]


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (HUNDRED * Decimal(part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def growth(this_year, last_year) -> Decimal | None:
    if not last_year:
        return None
    return percent(Decimal(this_year) - Decimal(last_year), last_year)


def ratio_actual(rows, part: str, whole: str) -> Actual:
    """A rate per member and for the group, weighted by the denominators: Σparts / Σwholes,
    never the average of the members' rates."""
    per_member = {r["member_id"]: percent(r[part], r[whole]) for r in rows if r[whole]}
    total_part = sum(r[part] for r in rows)
    total_whole = sum(r[whole] for r in rows)
    basis = f"{total_part} / {total_whole}"
    return Actual(percent(total_part, total_whole), per_member, basis)


def growth_actual(this_year: dict[int, int], last_year: dict[int, int]) -> Actual:
    """Growth per member, and for the group over the members with figures in both years."""
    both = [m for m in this_year if last_year.get(m)]
    per_member = {m: growth(this_year[m], last_year[m]) for m in both}
    now = sum(this_year[m] for m in both)
    before = sum(last_year[m] for m in both)
    return Actual(growth(now, before), per_member, f"{before} → {now}")


def counts_actual(queryset) -> Actual:
    """How many records each member has, and the group total."""
    rows = queryset.values("member_id").annotate(n=Count("pk")).order_by()
    per_member = {row["member_id"]: Decimal(row["n"]) for row in rows}
    return Actual(Decimal(sum(per_member.values())), per_member)


def indicator_actual(indicator) -> Actual:
    if indicator.source and indicator.source in SOURCES:
        return SOURCES[indicator.source].compute(indicator.plan.year)
    return submitted_actual(indicator)


def submitted_actual(indicator) -> Actual:
    """Manual indicators: each member's value in its latest approved submission of the plan."""
    from .models import IndicatorReport, Submission

    reports = (
        IndicatorReport.objects.filter(
            indicator=indicator,
            submission__status=Submission.Status.APPROVED,
            not_applicable=False,
            value__isnull=False,
        )
        .order_by("submission__quarter")
        .values_list("submission__member_id", "value")
    )
    per_member = dict(reports)  # later quarters overwrite earlier ones
    group = sum(per_member.values(), Decimal(0)) if indicator.is_allocatable else None
    return Actual(group if per_member else None, per_member)


def completion(indicator, value: Decimal | None, target: Decimal | None = None) -> Decimal | None:
    """Actual against target in %, for every kind: counts, growth points and rates alike."""
    target = indicator.target if target is None else target
    if value is None or not target:
        return None
    return percent(value, target)
