"""Indicator sources computed from the partnership registers: counts per member and year."""

from django.utils.translation import gettext_lazy as _

from targets.sources import Actual, counts_actual, register

from .models import (
    QUALIFYING_CLASS_SIZE,
    CertificatePilot,
    IndustryCollege,
    OrderClass,
    TrainingBase,
)


@register(
    "partnerships.order_classes",
    _("Order and named classes opened (count)"),
    records="partnerships:order-classes-list",
)
def order_classes(years: list[int]) -> dict[int, Actual]:
    return counts_actual(OrderClass.objects.all(), years)


@register(
    "partnerships.qualifying_classes",
    _("Classes of 20 or more students (count)"),
    records="partnerships:order-classes-list",
)
def qualifying_classes(years: list[int]) -> dict[int, Actual]:
    return counts_actual(OrderClass.objects.filter(students__gte=QUALIFYING_CLASS_SIZE), years)


@register(
    "partnerships.certificate_pilots",
    _("“1+X” certificate pilots (count)"),
    records="partnerships:certificate-pilots-list",
)
def certificate_pilots(years: list[int]) -> dict[int, Actual]:
    return counts_actual(CertificatePilot.objects.all(), years)


@register(
    "partnerships.industry_colleges",
    _("Industry colleges founded (count)"),
    records="partnerships:industry-colleges-list",
    year_parameter="founded",
)
def industry_colleges(years: list[int]) -> dict[int, Actual]:
    return counts_actual(IndustryCollege.objects.all(), years, year_field="founded")


def _bases(kind: str):
    def compute(years: list[int]) -> dict[int, Actual]:
        return counts_actual(TrainingBase.objects.filter(kind=kind), years)

    return compute


for _kind, _label in TrainingBase.Kind.choices:
    register(
        f"partnerships.training_bases.{_kind}",
        _label,
        records="partnerships:training-bases-list",
        records_query=(("kind", _kind),),
    )(_bases(_kind))
