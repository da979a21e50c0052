"""Where an indicator's actual value comes from: a register (enrollment, teachers, graduates,
order classes, training bases …) or, by default, the approved quarterly submissions.

The registers' apps add their sources here when they load (targets cannot import them: they
depend on targets), so an indicator names its source by code. A source computes several years in
one query (the dashboard's trends ask for five years at once), and keeps each member's parts so
that the figure for a subset of members (county schools only) is re-added, never averaged."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Count, F, Sum, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .figures import percent


class Combine:
    """How members' figures add up to the group's."""

    SUM = "sum"  # parts are values: Σ, none when no member has a figure
    COUNT = "count"  # parts are record counts: Σ, 0 when there are no records
    RATIO = "ratio"  # parts are (part, whole): Σpart / Σwhole in %
    GROWTH = "growth"  # parts are (now, before): growth of Σnow over Σbefore
    NONE = ""  # no group figure (a rate entered per member)


@dataclass
class Actual:
    """An indicator's actual value for the group and per member, with the figures behind it."""

    group: Decimal | None
    entered: dict[int, Decimal] = field(default_factory=dict)  # per member, when not combined
    basis: str = ""
    combine: str = Combine.NONE
    parts: dict = field(default_factory=dict)  # member -> value or (numerator, denominator)
    # member -> the approved submission its value was read from (manual indicators)
    submissions: dict[int, int] = field(default_factory=dict)

    @cached_property
    def per_member(self) -> dict[int, Decimal]:
        """Each member's own figure, worked out from its parts when first asked for (a headline
        needs only the group's)."""
        if self.combine in (Combine.SUM, Combine.COUNT):
            return dict(self.parts)
        # A member that reported a rate without its base keeps its own figure (entered).
        if self.combine == Combine.RATIO:
            return {**self.entered, **{m: percent(p, w) for m, (p, w) in self.parts.items() if w}}
        if self.combine == Combine.GROWTH:
            grown = {m: growth(now, before) for m, (now, before) in self.parts.items()}
            return {**self.entered, **grown}
        return self.entered

    def restricted_to(self, member_ids: Iterable[int]) -> "Actual":
        """The same figures for some members only, the group figure added up again."""
        keep = set(member_ids)
        entered = {m: v for m, v in self.entered.items() if m in keep}
        parts = {m: p for m, p in self.parts.items() if m in keep}
        submissions = {m: s for m, s in self.submissions.items() if m in keep}
        if self.combine in (Combine.SUM, Combine.COUNT):
            total = sum(parts.values(), Decimal(0))
            group = total if parts or self.combine == Combine.COUNT else None
            basis = ""
        elif self.combine in (Combine.RATIO, Combine.GROWTH):
            first = sum((p[0] for p in parts.values()), 0)
            second = sum((p[1] for p in parts.values()), 0)
            if self.combine == Combine.RATIO:
                group, basis = percent(first, second), f"{first} / {second}"
            else:
                group, basis = growth(first, second), f"{second} → {first}"
        else:
            group, basis = None, ""
        return Actual(group, entered, basis, self.combine, parts, submissions)


@dataclass(frozen=True)
class Source:
    code: str
    label: str
    # (years, as_of) -> {year: Actual}: the registers as recorded by as_of (None: now)
    compute: Callable[[list[int], datetime | None], dict[int, Actual]]
    records: str = ""  # url name of the register list the figures come from
    records_query: tuple = ()  # extra (parameter, value) pairs for that list
    year_parameter: str = "year"

    def records_url(self, year: int, member_id: int | None = None) -> str:
        if not self.records:
            return ""
        query = {self.year_parameter: year, **dict(self.records_query)}
        if member_id is not None:
            query["member"] = member_id
        return f"{reverse(self.records)}?{urlencode(query)}"


SOURCES: dict[str, Source] = {}
# Not computed from records: the secretariat enters the group's figure (GroupFigure).
GROUP_FIGURE = "group"


def register(code: str, label, *, records="", records_query=(), year_parameter="year"):
    def decorator(compute):
        SOURCES[code] = Source(code, label, compute, records, tuple(records_query), year_parameter)
        return compute

    return decorator


def source_choices() -> list[tuple[str, str]]:
    return [
        ("", _("Approved submissions (entered by members)")),
        (GROUP_FIGURE, _("A group figure the secretariat enters (confirmed by a second person)")),
    ] + [(s.code, s.label) for s in sorted(SOURCES.values(), key=lambda s: s.code)]


def growth(this_year, last_year) -> Decimal | None:
    if not last_year:
        return None
    return percent(Decimal(this_year) - Decimal(last_year), last_year)


def by_year(rows) -> dict[int, dict[int, tuple]]:
    """{year: {member: (values…)}} from (year, member, values…) tuples."""
    result: dict[int, dict[int, tuple]] = defaultdict(dict)
    for year, member_id, *values in rows:
        result[year][member_id] = tuple(values)
    return result


def sum_actual(per_member_values: dict[int, int | Decimal], combine=Combine.SUM) -> Actual:
    parts = {m: Decimal(v) for m, v in per_member_values.items()}
    return Actual(None, combine=combine, parts=parts).restricted_to(parts)


def ratio_actual(parts: dict[int, tuple]) -> Actual:
    """A rate per member and for the group, weighted by the denominators: Σparts / Σwholes,
    never the average of the members' rates."""
    return Actual(None, combine=Combine.RATIO, parts=dict(parts)).restricted_to(parts)


def growth_actual(this_year: dict[int, int], last_year: dict[int, int]) -> Actual:
    """Growth per member, and for the group over the members with figures in both years."""
    both = [m for m in this_year if last_year.get(m)]
    parts = {m: (this_year[m], last_year[m]) for m in both}
    return Actual(None, combine=Combine.GROWTH, parts=parts).restricted_to(parts)


def counts_actual(queryset, years: list[int], year_field: str = "year") -> dict[int, Actual]:
    """How many records each member has, per year, and the group total."""
    rows = (
        queryset.filter(**{f"{year_field}__in": years})
        .values_list(year_field, "member_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    counted = by_year(rows)
    return {
        year: sum_actual({m: n for m, (n,) in counted.get(year, {}).items()}, Combine.COUNT)
        for year in years
    }


def sums_actual(
    queryset, years: list[int], value_field: str, year_field: str = "year"
) -> dict[int, Actual]:
    """The sum of value_field over each member's records, per year, and the group total (none
    for a year without records)."""
    rows = (
        queryset.filter(**{f"{year_field}__in": years})
        .values_list(year_field, "member_id")
        .annotate(total=Sum(value_field))
        .order_by()
    )
    summed = by_year(rows)
    return {year: sum_actual({m: n for m, (n,) in summed.get(year, {}).items()}) for year in years}


def indicator_actual(indicator, as_of: datetime | None = None) -> Actual:
    year = indicator.plan.year
    return actuals_for([(indicator, year)], as_of=as_of)[(indicator.pk, year)]


def actuals_for(
    wanted: Iterable[tuple], *, as_of: datetime | None = None
) -> dict[tuple[int, int], Actual]:
    """The actual value of each (indicator, year) asked for, as known at as_of (None: now), in
    one query per source used and one for all the indicators entered in submissions, whatever
    the number of indicators and years."""
    wanted = list(wanted)
    years_by_source: dict[str, set[int]] = defaultdict(set)
    manual, group = [], []
    for indicator, year in wanted:
        if indicator.source in SOURCES:
            years_by_source[indicator.source].add(year)
        elif indicator.source == GROUP_FIGURE:
            group.append((indicator, year))
        else:
            manual.append(indicator)
    computed = {
        code: SOURCES[code].compute(sorted(years), as_of) for code, years in years_by_source.items()
    }
    entered = submitted_actuals(manual, as_of=as_of)
    confirmed = group_figures(group, as_of=as_of)
    result = {}
    for indicator, year in wanted:
        if indicator.source in SOURCES:
            result[(indicator.pk, year)] = computed[indicator.source][year]
        elif indicator.source == GROUP_FIGURE:
            result[(indicator.pk, year)] = confirmed.get((indicator.pk, year)) or Actual(None)
        elif year == indicator.plan.year:
            result[(indicator.pk, year)] = entered.get(indicator.pk) or Actual(None)
        else:  # entered in a plan's submissions: nothing for a year without that plan
            result[(indicator.pk, year)] = Actual(None)
    return result


def group_figures(wanted, *, as_of: datetime | None = None) -> dict[tuple[int, int], Actual]:
    """Group figures the secretariat entered: for each (indicator, year), the latest one
    confirmed by as_of, with its basis."""
    from .models import GroupFigure

    if not wanted:
        return {}
    figures = GroupFigure.objects.filter(
        indicator__in={indicator.pk for indicator, _year in wanted},
        year__in={year for _indicator, year in wanted},
        status=GroupFigure.Status.CONFIRMED,
    )
    if as_of is not None:
        figures = figures.filter(confirmed_at__lte=as_of)
    latest = {}
    for figure in figures.order_by("confirmed_at", "pk"):
        latest[(figure.indicator_id, figure.year)] = Actual(figure.value, basis=figure.basis)
    return latest


def submitted_actuals(indicators, *, as_of: datetime | None = None) -> dict[int, Actual]:
    """Manual indicators: each member's value in its latest submission of the plan approved by
    as_of, picked in the database (the latest quarter per indicator and member)."""
    from .models import IndicatorReport, Submission

    indicators = {i.pk: i for i in indicators}
    if not indicators:
        return {}
    latest_first = Window(
        RowNumber(),
        partition_by=[F("indicator_id"), F("submission__member_id")],
        order_by=F("submission__quarter").desc(),
    )
    reports = IndicatorReport.objects.filter(
        indicator__in=list(indicators),
        submission__status=Submission.Status.APPROVED,
        not_applicable=False,
        value__isnull=False,
    )
    if as_of is not None:
        reports = reports.filter(submission__reviewed_at__lte=as_of)
    rows = (
        reports.order_by()
        .annotate(rank=latest_first)
        .filter(rank=1)
        .values_list(
            "indicator_id", "submission__member_id", "value", "denominator", "submission_id"
        )
    )
    values: dict[int, dict[int, Decimal]] = defaultdict(dict)
    bases: dict[int, dict[int, Decimal]] = defaultdict(dict)
    submissions: dict[int, dict[int, int]] = defaultdict(dict)
    for indicator_id, member_id, value, base, submission_id in rows:
        values[indicator_id][member_id] = value
        if base:
            bases[indicator_id][member_id] = base
        submissions[indicator_id][member_id] = submission_id
    result = {}
    for pk, indicator in indicators.items():
        if pk not in values:
            continue
        if indicator.is_allocatable:
            actual = sum_actual(values[pk])
        elif bases[pk]:
            actual = _weighted(indicator, values[pk], bases[pk])
        else:
            actual = Actual(None, values[pk])
        actual.submissions = submissions[pk]
        result[pk] = actual
    return result


def _weighted(indicator, values: dict[int, Decimal], bases: dict[int, Decimal]) -> Actual:
    """Members' rates (or growth) with their bases: the group's figure weighted by the bases,
    over the members that gave one."""
    hundred = Decimal(100)
    if indicator.kind == indicator.Kind.GROWTH:
        parts = {m: (bases[m] * (hundred + values[m]) / hundred, bases[m]) for m in bases}
        actual = Actual(None, combine=Combine.GROWTH, parts=parts).restricted_to(parts)
    else:
        parts = {m: (values[m] * bases[m] / hundred, bases[m]) for m in bases}
        actual = ratio_actual(parts)
    actual.entered = {m: v for m, v in values.items() if m not in bases}
    return actual
