"""Indicator sources computed from the partnership registers: counts per member and year, and
the shares of a year's majors that serve a leading industry or have two partner enterprises."""

from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from jituan.history import records_as_of
from targets.sources import (
    Actual,
    Combine,
    by_year,
    counts_actual,
    ratio_actual,
    register,
    sum_actual,
    sums_actual,
)

from .models import (
    QUALIFYING_CLASS_SIZE,
    ApprenticeshipCohort,
    CertificatePilot,
    CooperationAgreement,
    IndustryCollege,
    LeadingIndustry,
    Major,
    OrderClass,
    TrainingBase,
    in_force_during,
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


# --- majors ------------------------------------------------------------------------------------

# The rule the partner-enterprise share checks (兰教职〔2019〕147号): every major has cooperation
# agreements with at least two enterprises.
PARTNER_ENTERPRISES = 2


@register(
    "partnerships.majors_leading_industry",
    _("Majors serving a leading industry (%)"),
    records="partnerships:majors-list",
)
def majors_leading_industry(years: list[int], as_of=None) -> dict[int, Actual]:
    rows = (
        records_as_of(Major, as_of)
        .filter(year__in=years)
        .values_list("year", "member_id")
        .annotate(
            serving=Count("pk", filter=~Q(leading_industry=LeadingIndustry.NONE)),
            majors=Count("pk"),
        )
        .order_by()
    )
    counted = by_year(rows)
    return {year: ratio_actual(counted.get(year, {})) for year in years}


def _partner_enterprises(years: list[int], as_of) -> dict[int, dict[int, list[int]]]:
    """{year: {member: [distinct enterprises with an agreement in force that year, per major]}}
    for every major of those years, in two queries whatever the number of majors: the majors,
    and (member, major, enterprise) with how many of its agreements are in force each year."""
    if not years:
        return {}
    majors = (
        records_as_of(Major, as_of)
        .filter(year__in=years)
        .values_list("year", "member_id", "name")
        .order_by()
    )
    in_force = {f"in_{year}": Count("pk", filter=in_force_during(year)) for year in years}
    agreements = (
        records_as_of(CooperationAgreement, as_of)
        .filter(in_force_during(min(years), max(years)))
        .values("member_id", "major", "enterprise_id")
        .annotate(**in_force)
        .order_by()
    )
    partners: dict[tuple, set[int]] = defaultdict(set)
    for row in agreements:
        for year in years:
            if row[f"in_{year}"]:
                partners[(year, row["member_id"], row["major"].strip())].add(row["enterprise_id"])
    result: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for year, member_id, name in majors:
        result[year][member_id].append(len(partners.get((year, member_id, name.strip()), ())))
    return result


@register(
    "partnerships.majors_two_enterprises",
    _("Majors with cooperation agreements with two or more enterprises (%)"),
    records="partnerships:majors-list",
)
def majors_two_enterprises(years: list[int], as_of=None) -> dict[int, Actual]:
    partners = _partner_enterprises(years, as_of)
    return {
        year: ratio_actual(
            {
                member: (sum(n >= PARTNER_ENTERPRISES for n in majors), len(majors))
                for member, majors in partners.get(year, {}).items()
            }
        )
        for year in years
    }


@register(
    "partnerships.majors_without_agreement",
    _("Majors without a cooperation agreement in force (count)"),
    records="partnerships:majors-list",
)
def majors_without_agreement(years: list[int], as_of=None) -> dict[int, Actual]:
    partners = _partner_enterprises(years, as_of)
    return {
        year: sum_actual(
            {
                member: sum(n == 0 for n in majors)
                for member, majors in partners.get(year, {}).items()
            },
            Combine.COUNT,
        )
        for year in years
    }
