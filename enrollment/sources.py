"""Indicator sources computed from the enrollment, teacher and graduate registers."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from targets.sources import Actual, growth_actual, ratio_actual, register

from .models import Enrollment, GraduateCount, TeacherCount


def _enrolled(year: int) -> dict[int, int]:
    rows = (
        Enrollment.objects.filter(year=year, actual__isnull=False)
        .values("member_id")
        .annotate(total=Sum("actual"))
        .order_by()
    )
    return {row["member_id"]: row["total"] for row in rows}


@register("enrollment.total", _("Actual enrollment (number)"))
def enrollment_total(year: int) -> Actual:
    from decimal import Decimal

    per_member = {m: Decimal(n) for m, n in _enrolled(year).items()}
    return Actual(sum(per_member.values(), Decimal(0)) if per_member else None, per_member)


@register("enrollment.growth", _("Enrollment growth over last year (%)"))
def enrollment_growth(year: int) -> Actual:
    return growth_actual(_enrolled(year), _enrolled(year - 1))


def _dual(year: int) -> dict[int, int]:
    return dict(TeacherCount.objects.filter(year=year).values_list("member_id", "dual_qualified"))


@register("teachers.dual_growth", _("Dual-qualified teacher growth (%)"))
def dual_qualified_growth(year: int) -> Actual:
    return growth_actual(_dual(year), _dual(year - 1))


@register("teachers.dual_share", _("Dual-qualified share of full-time teachers (%)"))
def dual_qualified_share(year: int) -> Actual:
    rows = TeacherCount.objects.filter(year=year).values("member_id", "dual_qualified", "full_time")
    return ratio_actual(list(rows), "dual_qualified", "full_time")


@register("graduates.local_rate", _("Graduates' local employment rate (%)"))
def local_employment_rate(year: int) -> Actual:
    rows = GraduateCount.objects.filter(year=year).values(
        "member_id", "employed_locally", "graduates"
    )
    return ratio_actual(list(rows), "employed_locally", "graduates")
