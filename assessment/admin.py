from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assessment, Criterion, MemberScore


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["year", "status", "computed_at", "confirmed_at", "confirmed_by"]
    list_filter = ["status"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "position", "kind", "label", "weight", "parameter"]
    list_filter = ["assessment", "kind"]


@admin.register(MemberScore)
class MemberScoreAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "member", "computed", "adjustment", "score", "rank", "grade"]
    list_filter = ["assessment", "grade", "member__kind"]
    search_fields = ["member__name"]
