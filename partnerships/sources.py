"""Indicator sources computed from the partnership registers: counts per member and year."""

from django.utils.translation import gettext_lazy as _

from jituan.history import records_as_of
from targets.sources import Actual, counts_actual, register, sums_actual

from .models import (
    QUALIFYING_CLASS_SIZE,
    ApprenticeshipCohort,
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
def order_classes(years: list[int], as_of=None) -> dict[int, Actual]:
    return counts_actual(records_as_of(OrderClass, as_of), years)


@register(
    "partnerships.qualifying_classes",
    _("Classes of 20 or more students (count)"),
    records="partnerships:order-classes-list",
)
def qualifying_classes(years: list[int], as_of=None) -> dict[int, Actual]:
    classes = records_as_of(OrderClass, as_of).filter(students__gte=QUALIFYING_CLASS_SIZE)
    return counts_actual(classes, years)


@register(
    "partnerships.apprentices",
    _("Apprentices trained (persons)"),
    records="partnerships:apprenticeships-list",
)
def apprentices(years: list[int], as_of=None) -> dict[int, Actual]:
    return sums_actual(records_as_of(ApprenticeshipCohort, as_of), years, "apprentices")


@register(
    "partnerships.certificate_pilots",
    _("“1+X” certificate pilots (count)"),
    records="partnerships:certificate-pilots-list",
)
def certificate_pilots(years: list[int], as_of=None) -> dict[int, Actual]:
    return counts_actual(records_as_of(CertificatePilot, as_of), years)


@register(
    "partnerships.industry_colleges",
    _("Industry colleges founded (count)"),
    records="partnerships:industry-colleges-list",
    year_parameter="founded",
)
def industry_colleges(years: list[int], as_of=None) -> dict[int, Actual]:
    colleges = records_as_of(IndustryCollege, as_of)
    return counts_actual(colleges, years, year_field="founded")


def _bases(kind: str):
    def compute(years: list[int], as_of=None) -> dict[int, Actual]:
        return counts_actual(records_as_of(TrainingBase, as_of).filter(kind=kind), years)

    return compute


for _kind, _label in TrainingBase.Kind.choices:
    register(
        f"partnerships.training_bases.{_kind}",
        _label,
        records="partnerships:training-bases-list",
        records_query=(("kind", _kind),),
    )(_bases(_kind))
