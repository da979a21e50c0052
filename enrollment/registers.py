from django.utils.translation import gettext_lazy as _

from jituan.registers import Register, rate_total
from jituan.tables import RateColumn

from .models import Enrollment, GraduateCount, StudentsOnRoll, TeacherCount

REGISTERS = [
    Register(
        model=Enrollment,
        slug="enrollment",
        title=_("Enrollment against quotas"),
        list_fields=["year", "member", "level", "channel", "quota", "actual", "completion"],
        form_fields=["member", "year", "level", "channel", "quota", "actual"],
        filter_fields=["year", "member", "level", "channel"],
        totals=["quota", "actual"],
        extra_columns={
            "completion": RateColumn(
                verbose_name=_("completion %"),
                orderable=False,
                footer=rate_total("actual", "quota"),
            ),
        },
    ),
    Register(
        model=StudentsOnRoll,
        slug="students",
        title=_("Students on roll"),
        list_fields=["year", "member", "level", "students"],
        form_fields=["member", "year", "level", "students"],
        filter_fields=["year", "member", "level"],
        totals=["students"],
    ),
    Register(
        model=TeacherCount,
        slug="teachers",
        title=_("Dual-qualified teachers"),
        list_fields=["year", "member", "full_time", "dual_qualified", "share"],
        form_fields=["member", "year", "full_time", "dual_qualified"],
        filter_fields=["year", "member"],
        totals=["full_time", "dual_qualified"],
        extra_columns={
            "share": RateColumn(
                verbose_name=_("share %"),
                orderable=False,
                footer=rate_total("dual_qualified", "full_time"),
            ),
        },
    ),
    Register(
        model=GraduateCount,
        slug="graduates",
        title=_("Graduates and local employment"),
        list_fields=["year", "member", "level", "graduates", "employed_locally", "rate"],
        form_fields=["member", "year", "level", "graduates", "employed_locally"],
        filter_fields=["year", "member", "level"],
        totals=["graduates", "employed_locally"],
        extra_columns={
            "rate": RateColumn(
                verbose_name=_("local employment %"),
                orderable=False,
                footer=rate_total("employed_locally", "graduates"),
            ),
        },
    ),
]
