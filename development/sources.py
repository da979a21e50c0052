"""Indicator sources computed from the development registers."""

from django.utils.translation import gettext_lazy as _

from jituan.history import records_as_of
from targets.sources import Actual, counts_actual, register, sums_actual

from .models import College, ResearchTopic, TeacherDevelopment, TrainingCourse


@register(
    "development.training_person_times",
    _("Social training (person-times)"),
    records="development:training-list",
)
def training_person_times(years: list[int], as_of=None) -> dict[int, Actual]:
    return sums_actual(records_as_of(TrainingCourse, as_of), years, "person_times")


@register(
    "development.new_teachers",
    _("Professional teachers and subject leaders brought in (persons)"),
    records="development:teacher-development-list",
)
def new_teachers(years: list[int], as_of=None) -> dict[int, Actual]:
    brought_in = records_as_of(TeacherDevelopment, as_of).filter(
        kind__in=[TeacherDevelopment.Kind.RECRUITED, TeacherDevelopment.Kind.LEADERS]
    )
    return sums_actual(brought_in, years, "persons")


def _teachers_of(kind: str):
    def compute(years: list[int], as_of=None) -> dict[int, Actual]:
        teachers = records_as_of(TeacherDevelopment, as_of).filter(kind=kind)
        return sums_actual(teachers, years, "persons")

    return compute


for _code, _kind, _label in (
    (
        "teachers_placed",
        TeacherDevelopment.Kind.PLACED,
        _("Teachers placed in enterprises (persons)"),
    ),
    ("craftsmen", TeacherDevelopment.Kind.CRAFTSMEN, _("Craftsmen hired (persons)")),
):
    register(
        f"development.{_code}",
        _label,
        records="development:teacher-development-list",
        records_query=(("kind", _kind),),
    )(_teachers_of(_kind))


@register(
    "development.research_topics",
    _("Research topics approved (count)"),
    records="development:research-topics-list",
)
def research_topics(years: list[int], as_of=None) -> dict[int, Actual]:
    return counts_actual(records_as_of(ResearchTopic, as_of), years)


def _colleges(kind: str):
    def compute(years: list[int], as_of=None) -> dict[int, Actual]:
        colleges = records_as_of(College, as_of).filter(kind=kind)
        return counts_actual(colleges, years, year_field="founded")

    return compute


for _kind, _label in College.Kind.choices:
    register(
        f"development.colleges.{_kind}",
        _label,
        records="development:colleges-list",
        records_query=(("kind", _kind),),
        year_parameter="founded",
    )(_colleges(_kind))
