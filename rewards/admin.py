from django.contrib import admin

from .models import DeductionRule, RewardFund, RewardRule, StudentIntake


@admin.register(RewardFund)
class RewardFundAdmin(admin.ModelAdmin):
    list_display = ["year", "reward_fund", "running_budget", "scale_to_fund"]


@admin.register(RewardRule)
class RewardRuleAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "label", "amount", "min_students"]
    list_filter = ["year", "kind"]


@admin.register(DeductionRule)
class DeductionRuleAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "label", "amount", "threshold_percent"]
    list_filter = ["year", "kind"]


@admin.register(StudentIntake)
class StudentIntakeAdmin(admin.ModelAdmin):
    list_display = ["year", "member", "source_school", "is_cross_city", "students"]
    list_filter = ["year", "is_cross_city"]
    search_fields = ["source_school", "member__name"]
    autocomplete_fields = ["member"]
