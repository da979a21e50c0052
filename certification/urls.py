from django.urls import path

from . import views

app_name = "certification"

urlpatterns = [
    path("", views.CertificationListView.as_view(), name="list"),
    path("<int:pk>/", views.certification_detail, name="detail"),
    path("<int:pk>/certify/", views.certification_certify, name="certify"),
    path("<int:pk>/reject/", views.certification_reject, name="reject"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path(
        "submit/<str:record_type>/<int:pk>/",
        views.certification_submit,
        name="submit",
    ),
]
