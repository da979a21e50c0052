from django.urls import path

from . import instruction_views, urging_views, views

app_name = "supervision"

urlpatterns = [
    path("lights/", views.light_list, name="light-list"),
    # Urging (催办)
    path("tasks/<int:pk>/urge/", urging_views.urge_task, name="urge-task"),
    path("submissions/<int:pk>/urge/", urging_views.urge_submission, name="urge-submission"),
    path("urges/", urging_views.urge_list, name="urge-list"),
    path("webhooks/", urging_views.webhook_list, name="webhook-list"),
    path("webhooks/new/", urging_views.webhook_edit, name="webhook-create"),
    path("webhooks/<int:pk>/edit/", urging_views.webhook_edit, name="webhook-update"),
    path("webhooks/<int:pk>/delete/", urging_views.webhook_remove, name="webhook-delete"),
    path("schedule/", urging_views.schedule_edit, name="schedule"),
    # Leaders' instructions (领导批示)
    path("instructions/", instruction_views.instruction_list, name="instruction-list"),
    path("instructions/new/", instruction_views.instruction_create, name="instruction-create"),
    path("instructions/<int:pk>/", instruction_views.instruction_detail, name="instruction-detail"),
    path(
        "instructions/<int:pk>/replies/<int:reply_pk>/",
        instruction_views.instruction_reply,
        name="instruction-reply",
    ),
]
