from django.urls import path

from .views import monthly as monthly_views
from .views import plans as views
from .views import submissions as submission_views

app_name = "targets"

urlpatterns = [
    path("plans/", views.PlanListView.as_view(), name="plan-list"),
    path("plans/new/", views.PlanEditView.as_view(), name="plan-create"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="plan-update"),
    path("plans/<int:pk>/export.xlsx", views.plan_export, name="plan-export"),
    path("tasks/", views.TaskListView.as_view(), name="task-list"),
    path("tasks/new/", views.TaskEditView.as_view(), name="task-create"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task-detail"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task-update"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("indicators/new/", views.IndicatorEditView.as_view(), name="indicator-create"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
    path("indicators/<int:pk>/edit/", views.IndicatorEditView.as_view(), name="indicator-update"),
    path(
        "group-figures/<int:pk>/confirm/",
        views.group_figure_confirm,
        name="group-figure-confirm",
    ),
    path(
        "indicators/<int:pk>/allocations/",
        views.AllocationEditView.as_view(),
        name="allocation-update",
    ),
    path(
        "group-figures/<int:pk>/evidence/",
        views.group_figure_evidence,
        name="group-figure-evidence",
    ),
    path("allocations/", views.AllocationListView.as_view(), name="allocation-list"),
    path("imports/", views.ImportListView.as_view(), name="import-list"),
    path("imports/new/", views.ImportCreateView.as_view(), name="import-create"),
    path("imports/template.xlsx", views.task_sheet_template, name="import-template"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/status.json", views.import_status, name="import-status"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import-commit"),
    path("report/", submission_views.current_quarter, name="submission-current"),
    path("monthly/", monthly_views.monthly_list, name="monthly-list"),
    path("monthly/<int:plan>/<int:month>/", monthly_views.monthly_fill, name="monthly-fill"),
    path("monthly/<int:pk>/review/", monthly_views.monthly_review, name="monthly-review"),
    path(
        "report/<int:plan>/<int:quarter>/",
        submission_views.submission_fill,
        name="submission-fill",
    ),
    path(
        "report/<int:plan>/<int:quarter>/reopen/",
        submission_views.reopen_request,
        name="reopen-request",
    ),
    path("submissions/", submission_views.SubmissionListView.as_view(), name="submission-list"),
    path("submissions/export.xlsx", submission_views.submission_export, name="submission-export"),
    path("submissions/board/", submission_views.submission_board, name="submission-board"),
    path(
        "submissions/approve/",
        submission_views.submissions_bulk_approve,
        name="submission-bulk-approve",
    ),
    path("submissions/<int:pk>/", submission_views.submission_detail, name="submission-detail"),
    path(
        "submissions/<int:pk>/review/",
        submission_views.submission_review,
        name="submission-review",
    ),
    path(
        "submissions/<int:pk>/history/",
        submission_views.submission_history,
        name="submission-history",
    ),
    path(
        "submissions/<int:pk>/evidence/",
        submission_views.evidence_upload,
        name="evidence-upload",
    ),
    path("evidence/<int:pk>/", submission_views.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/delete/", submission_views.evidence_delete, name="evidence-delete"),
    path("reopening/", submission_views.reopen_list, name="reopen-list"),
    path("reopening/<int:pk>/", submission_views.reopen_decide, name="reopen-decide"),
]
