from django.utils.translation import gettext_lazy as _

from jituan.registers import Register

from .models import College, ResearchTopic, TeacherDevelopment, TrainingCourse

REGISTERS = [
    Register(
        model=TrainingCourse,
        slug="training",
        title=_("Social training"),
        list_fields=["year", "member", "title", "audience", "starts_on", "days", "person_times"],
        form_fields=[
            "member",
            "year",
            "title",
            "audience",
            "enterprise",
            "starts_on",
            "ends_on",
            "days",
            "person_times",
        ],
        filter_fields=["year", "member", "audience"],
        totals=["person_times"],
    ),
    Register(
        model=TeacherDevelopment,
        slug="teacher-development",
        title=_("Teacher development"),
        list_fields=["year", "member", "kind", "persons", "days"],
        form_fields=["member", "year", "kind", "persons", "days", "notes"],
        filter_fields=["year", "member", "kind"],
        totals=["persons"],
    ),
    Register(
        model=ResearchTopic,
        slug="research-topics",
        title=_("Research topics"),
        list_fields=["year", "member", "title", "level"],
        form_fields=["member", "year", "title", "level"],
        filter_fields=["year", "member", "level"],
    ),
    Register(
        model=College,
        slug="colleges",
        title=_("Secondary and professional colleges"),
        list_fields=["founded", "member", "name", "kind", "enterprise"],
        form_fields=["member", "name", "kind", "enterprise", "founded"],
        filter_fields=["founded", "member", "kind"],
    ),
]
