from django.utils.translation import gettext_lazy as _

from certification.tables import StateColumn
from jituan.registers import Register

from .models import DeductionRule, GradeRule, RewardFund, RewardRule, StudentIntake

REGISTERS = [
    Register(
        model=RewardRule,
        slug="rules",
        title=_("Reward rules"),
        list_fields=["year", "kind", "label", "amount", "min_students"],
        form_fields=["year", "kind", "label", "amount", "min_students"],
        filter_fields=["year", "kind"],
        member_field=None,
    ),
    Register(
        model=DeductionRule,
        slug="deductions",
        title=_("Deduction rules"),
        list_fields=["year", "kind", "label", "amount", "threshold_percent"],
        form_fields=["year", "kind", "label", "amount", "threshold_percent"],
        filter_fields=["year", "kind"],
        member_field=None,
    ),
    Register(
        model=GradeRule,
        slug="grade-rules",
        title=_("Grade rules"),
        list_fields=["year", "grade", "label", "percent"],
        form_fields=["year", "grade", "label", "percent"],
        filter_fields=["year", "grade"],
        member_field=None,
    ),
    Register(
        model=RewardFund,
        slug="funds",
        title=_("Reward funds"),
        list_fields=["year", "reward_fund", "running_budget", "scale_to_fund"],
        form_fields=["year", "reward_fund", "running_budget", "scale_to_fund"],
        filter_fields=["year"],
        member_field=None,
    ),
    Register(
        model=StudentIntake,
        slug="intakes",
        title=_("Student intakes"),
        list_fields=["year", "member", "source_school", "is_cross_city", "students"],
        form_fields=["member", "year", "source_school", "is_cross_city", "students"],
        filter_fields=["year", "member", "is_cross_city"],
        extra_columns={"certification": StateColumn()},
        totals=["students"],
    ),
]
