import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from certification.tables import StateColumn
from jituan.filters import yes_no_filter
from jituan.registers import Register

from .models import (
    QUALIFYING_CLASS_SIZE,
    ApprenticeshipCohort,
    CertificatePilot,
    Consortium,
    CooperationAgreement,
    Enterprise,
    IndustryCollege,
    Major,
    OrderClass,
    TrainingBase,
)


def _qualifying(queryset, name, value):
    if value is None:
        return queryset
    if value:
        return queryset.filter(students__gte=QUALIFYING_CLASS_SIZE)
    return queryset.filter(students__lt=QUALIFYING_CLASS_SIZE)


def _expiring(queryset, name, value):
    return queryset.expiring() if value else queryset


REGISTERS = [
    Register(
        model=Enterprise,
        slug="enterprises",
        title=_("Enterprises"),
        list_fields=["name", "industry", "is_integration_enterprise", "member"],
        form_fields=["name", "industry", "is_integration_enterprise", "member"],
        filter_fields=["industry", "is_integration_enterprise"],
        member_field=None,
    ),
    Register(
        model=OrderClass,
        slug="order-classes",
        title=_("Order and named classes"),
        list_fields=["year", "member", "enterprise", "kind", "major", "students", "qualifies"],
        form_fields=["member", "enterprise", "kind", "major", "year", "students"],
        filter_fields=["year", "member", "kind", "enterprise"],
        totals=["students"],
        extra_columns={
            "qualifies": tables.BooleanColumn(
                verbose_name=_("≥ 20 students (subsidy)"), orderable=False
            ),
            "certification": StateColumn(),
        },
        filter_extra={"qualifies": yes_no_filter(_("≥ 20 students (subsidy)"), method=_qualifying)},
    ),
    Register(
        model=ApprenticeshipCohort,
        slug="apprenticeships",
        title=_("Apprenticeship cohorts"),
        list_fields=["year", "member", "enterprise", "major", "apprentices"],
        form_fields=["member", "enterprise", "major", "year", "apprentices"],
        filter_fields=["year", "member"],
        totals=["apprentices"],
    ),
    Register(
        model=IndustryCollege,
        slug="industry-colleges",
        title=_("Industry colleges"),
        list_fields=["founded", "member", "name", "industry", "level", "level_year"],
        form_fields=["member", "name", "industry", "level", "level_year", "enterprises", "founded"],
        filter_fields=["member", "level", "founded"],
        extra_columns={"certification": StateColumn()},
    ),
    Register(
        model=Consortium,
        slug="consortia",
        title=_("Industry-education consortia"),
        list_fields=["name", "scope", "level", "level_year", "member", "founded"],
        form_fields=["name", "scope", "level", "level_year", "member", "founded"],
        filter_fields=["scope", "level"],
        extra_columns={"certification": StateColumn()},
        member_field=None,
    ),
    Register(
        model=TrainingBase,
        slug="training-bases",
        title=_("Training bases"),
        list_fields=["year", "name", "kind", "member", "enterprise"],
        form_fields=["name", "kind", "member", "enterprise", "year"],
        filter_fields=["year", "kind", "member"],
        extra_columns={"certification": StateColumn()},
    ),
    Register(
        model=CertificatePilot,
        slug="certificate-pilots",
        title=_("“1+X” certificate pilots"),
        list_fields=["year", "member", "certificate", "students"],
        form_fields=["member", "certificate", "year", "students"],
        filter_fields=["year", "member"],
        extra_columns={"certification": StateColumn()},
        totals=["students"],
    ),
    Register(
        model=CooperationAgreement,
        slug="agreements",
        title=_("Cooperation agreements"),
        list_fields=["member", "enterprise", "major", "starts_on", "ends_on", "expiring"],
        form_fields=["member", "enterprise", "major", "starts_on", "ends_on"],
        filter_fields=["member", "enterprise"],
        extra_columns={
            "expiring": tables.BooleanColumn(
                verbose_name=_("expires within 90 days"), accessor="is_expiring", orderable=False
            ),
        },
        filter_extra={"expiring": yes_no_filter(_("expires within 90 days"), method=_expiring)},
    ),
    Register(
        model=Major,
        slug="majors",
        title=_("Majors"),
        list_fields=["year", "member", "name", "code", "level", "leading_industry", "students"],
        form_fields=["member", "year", "name", "code", "level", "leading_industry", "students"],
        filter_fields=["year", "member", "level", "leading_industry"],
        totals=["students"],
    ),
]
