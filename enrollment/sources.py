"""Indicator sources computed from the enrollment, teacher and graduate registers."""

from django.db.models import Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jituan.history import records_as_of
from targets.sources import (
    Actual,
    by_year,
    growth_actual,
    ratio_actual,
    register,
    sum_actual,
    sums_actual,
)

from .models import Enrollment, GraduateCount, StudentsOnRoll, TeacherCount


def _enrolled(years, as_of) -> dict[int, dict[int, int]]:
    rows = (
        records_as_of(Enrollment, as_of)
        .filter(year__in=years, actual__isnull=False)
        .values_list("year", "member_id")
        .annotate(total=Sum("actual"))
        .order_by()
    )
    return {year: {m: n for m, (n,) in members.items()} for year, members in by_year(rows).items()}


@register("enrollment.total", _("Actual enrollment (number)"), records="enrollment:enrollment-list")
def enrollment_total(years: list[int], as_of=None) -> dict[int, Actual]:
    enrolled = _enrolled(years, as_of)
    return {year: sum_actual(enrolled.get(year, {})) for year in years}


@register(
    "enrollment.growth",
    _("Enrollment growth over last year (%)"),
    records="enrollment:enrollment-list",
)
def enrollment_growth(years: list[int], as_of=None) -> dict[int, Actual]:
    enrolled = _enrolled(set(years) | {y - 1 for y in years}, as_of)
    return {
        year: growth_actual(enrolled.get(year, {}), enrolled.get(year - 1, {})) for year in years
    }


def _teachers(years, as_of):
    rows = (
        records_as_of(TeacherCount, as_of)
        .filter(year__in=years)
        .values_list("year", "member_id", "dual_qualified", "full_time")
    )
    return by_year(rows.order_by())


@register(
    "teachers.dual_growth",
    _("Dual-qualified teacher growth (%)"),
    records="enrollment:teachers-list",
)
def dual_qualified_growth(years: list[int], as_of=None) -> dict[int, Actual]:
    teachers = _teachers(set(years) | {y - 1 for y in years}, as_of)

    def dual(year):
        return {m: dual for m, (dual, _full) in teachers.get(year, {}).items()}

    return {year: growth_actual(dual(year), dual(year - 1)) for year in years}


@register(
    "teachers.dual_share",
    _("Dual-qualified share of full-time teachers (%)"),
    records="enrollment:teachers-list",
)
def dual_qualified_share(years: list[int], as_of=None) -> dict[int, Actual]:
    teachers = _teachers(years, as_of)
    return {year: ratio_actual(teachers.get(year, {})) for year in years}


def _local_employment(graduates, years) -> dict[int, Actual]:
    rows = (
        graduates.filter(year__in=years)
        .values_list("year", "member_id")
        .annotate(employed=Sum("employed_locally"), total=Sum("graduates"))
        .order_by()
    )
    by_member = by_year(rows)
    return {year: ratio_actual(by_member.get(year, {})) for year in years}


@register(
    "graduates.local_rate",
    _("Graduates' local employment rate (%)"),
    records="enrollment:graduates-list",
)
def local_employment_rate(years: list[int], as_of=None) -> dict[int, Actual]:
    return _local_employment(records_as_of(GraduateCount, as_of), years)


def _local_employment_of(level: str):
    def compute(years: list[int], as_of=None) -> dict[int, Actual]:
        return _local_employment(records_as_of(GraduateCount, as_of).filter(level=level), years)

    return compute


for _level, _label in Enrollment.Level.choices:
    register(
        f"graduates.local_rate.{_level}",
        format_lazy("{}：{}", _("Graduates' local employment rate (%)"), _label),
        records="enrollment:graduates-list",
        records_query=(("level", _level),),
    )(_local_employment_of(_level))


def _on_roll(level: str):
    def compute(years: list[int], as_of=None) -> dict[int, Actual]:
        students = records_as_of(StudentsOnRoll, as_of).filter(level=level)
        return sums_actual(students, years, "students")

    return compute


for _level, _label in Enrollment.Level.choices:
    register(
        f"enrollment.students.{_level}",
        format_lazy("{}：{}", _("Students on roll"), _label),
        records="enrollment:students-list",
        records_query=(("level", _level),),
    )(_on_roll(_level))
