from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Allocation,
    CategoryTarget,
    Evidence,
    GroupFigure,
    ImportBatch,
    Indicator,
    IndicatorReport,
    Milestone,
    MonthlyEntry,
    Plan,
    QuarterSchedule,
    ReopenRequest,
    Submission,
    SubmissionVersion,
    Task,
    TaskReport,
    TrajectoryPoint,
)


class QuarterScheduleInline(admin.TabularInline):
    model = QuarterSchedule
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "document_number", "approved_on"]
    search_fields = ["title", "document_number"]
    inlines = [QuarterScheduleInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "plan", "responsible_person", "deadline"]
    list_filter = ["plan"]
    search_fields = ["number", "title"]
    filter_horizontal = ["responsible_members"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["task", "quarter", "planned"]
    list_select_related = ["task"]


class TrajectoryInline(admin.TabularInline):
    model = TrajectoryPoint
    extra = 0


class AllocationInline(admin.TabularInline):
    model = Allocation
    extra = 0
    autocomplete_fields = ["member"]


class CategoryTargetInline(admin.TabularInline):
    model = CategoryTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "kind", "unit", "baseline", "target"]
    list_filter = ["plan", "kind", "unit"]
    search_fields = ["name", "code"]
    inlines = [TrajectoryInline, AllocationInline, CategoryTargetInline]


@admin.register(TrajectoryPoint)
class TrajectoryPointAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "target"]


@admin.register(Allocation)
class AllocationAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "member", "target"]
    list_filter = ["indicator__plan"]
    list_select_related = ["indicator", "member"]


@admin.register(CategoryTarget)
class CategoryTargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "kind", "location", "ownership", "target"]
    list_filter = ["indicator__plan"]
    list_select_related = ["indicator"]


@admin.register(GroupFigure)
class GroupFigureAdmin(admin.ModelAdmin):
    # Entered and confirmed on the indicator's page, by two people: read here, not edited.
    list_display = ["indicator", "year", "value", "status", "entered_by", "confirmed_by"]
    list_filter = ["status", "indicator__plan"]
    list_select_related = ["indicator", "entered_by", "confirmed_by"]
    readonly_fields = [
        "entered_by",
        "entered_at",
        "confirmed_by",
        "confirmed_at",
        "status",
        "evidence",
        "evidence_name",
    ]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "year", "original_name", "status", "uploaded_by"]
    list_filter = ["kind", "status"]
    readonly_fields = ["preview", "sha256"]


@admin.register(QuarterSchedule)
class QuarterScheduleAdmin(admin.ModelAdmin):
    list_display = ["plan", "quarter", "due_on", "grace_days"]


class TaskReportInline(admin.TabularInline):
    model = TaskReport
    extra = 0


class IndicatorReportInline(admin.TabularInline):
    model = IndicatorReport
    extra = 0


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["member", "plan", "quarter", "status", "is_late", "submitted_at"]
    list_filter = ["plan", "quarter", "status", "is_late"]
    readonly_fields = ["version"]
    inlines = [TaskReportInline, IndicatorReportInline]


@admin.register(TaskReport)
class TaskReportAdmin(admin.ModelAdmin):
    list_display = ["submission", "task", "status"]


@admin.register(IndicatorReport)
class IndicatorReportAdmin(admin.ModelAdmin):
    list_display = ["submission", "indicator", "value", "not_applicable"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "submission", "size", "uploaded_by", "uploaded_at"]


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(admin.ModelAdmin):
    """History is evidence of what happened: readable, never editable."""

    list_display = ["submission", "number", "action", "by", "at"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReopenRequest)
class ReopenRequestAdmin(admin.ModelAdmin):
    list_display = ["member", "plan", "quarter", "status", "until", "requested_at"]
    list_filter = ["status"]


@admin.register(MonthlyEntry)
class MonthlyEntryAdmin(admin.ModelAdmin):
    list_display = ["task", "member", "month", "status", "reviewed_at"]
    list_filter = ["status", "task__plan"]
    search_fields = ["task__title", "member__name", "progress"]
