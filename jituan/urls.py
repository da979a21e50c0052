from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

core_patterns = [
    path("members/", views.MemberListView.as_view(), name="member-list"),
    path("members/export.xlsx", views.member_export, name="member-export"),
    path("members/new/", views.MemberEditView.as_view(), name="member-create"),
    path("members/<int:pk>/", views.MemberDetailView.as_view(), name="member-detail"),
    path("members/<int:pk>/edit/", views.MemberEditView.as_view(), name="member-update"),
    path("people/", views.UserListView.as_view(), name="user-list"),
    path("people/new/", views.UserEditView.as_view(), name="user-create"),
    path("people/<int:pk>/edit/", views.UserEditView.as_view(), name="user-update"),
]

urlpatterns = [
    path("", include("desk.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("", include((core_patterns, "jituan"))),
    path("", include("targets.urls")),
    path("registers/", include("enrollment.urls")),
    path("registers/", include("partnerships.urls")),
    path("registers/", include("development.urls")),
    path("rewards/", include("rewards.urls")),
    path("reports/", include("reports.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("supervision/", include("supervision.urls")),
    path("certification/", include("certification.urls")),
    path("assessment/", include("assessment.urls")),
]
