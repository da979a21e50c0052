from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DeductionRule, GradeRule, RewardFund, RewardRule, StudentIntake


@admin.register(RewardFund)
class RewardFundAdmin(SimpleHistoryAdmin):
    list_display = ["year", "reward_fund", "running_budget", "scale_to_fund"]


@admin.register(RewardRule)
class RewardRuleAdmin(SimpleHistoryAdmin):
    list_display = ["year", "kind", "label", "amount", "min_students"]
    list_filter = ["year", "kind"]


@admin.register(DeductionRule)
class DeductionRuleAdmin(SimpleHistoryAdmin):
    list_display = ["year", "kind", "label", "amount", "threshold_percent"]
    list_filter = ["year", "kind"]


@admin.register(StudentIntake)
class StudentIntakeAdmin(SimpleHistoryAdmin):
    list_display = ["year", "member", "source_school", "is_cross_city", "students"]
    list_filter = ["year", "is_cross_city"]
    search_fields = ["source_school", "member__name"]
    autocomplete_fields = ["member"]


@admin.register(GradeRule)
class GradeRuleAdmin(SimpleHistoryAdmin):
    list_display = ["year", "grade", "label", "percent"]
    list_filter = ["year", "grade"]
