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


@register("partnerships.order_classes", _("Order and named classes opened (count)"))
def order_classes(year: int) -> Actual:
    return counts_actual(OrderClass.objects.filter(year=year))


@register("partnerships.qualifying_classes", _("Classes of 20 or more students (count)"))
def qualifying_classes(year: int) -> Actual:
    return counts_actual(OrderClass.objects.filter(year=year, students__gte=QUALIFYING_CLASS_SIZE))


@register("partnerships.certificate_pilots", _("“1+X” certificate pilots (count)"))
def certificate_pilots(year: int) -> Actual:
    return counts_actual(CertificatePilot.objects.filter(year=year))


@register("partnerships.industry_colleges", _("Industry colleges founded (count)"))
def industry_colleges(year: int) -> Actual:
    return counts_actual(IndustryCollege.objects.filter(founded=year))


def _bases(kind: str):
    def compute(year: int) -> Actual:
        return counts_actual(TrainingBase.objects.filter(year=year, kind=kind))

    return compute


for _kind, _label in TrainingBase.Kind.choices:
    register(f"partnerships.training_bases.{_kind}", _label)(_bases(_kind))
