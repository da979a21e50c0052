from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("generate/", views.generate, name="generate"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status.json", views.status, name="status"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/word/", views.download_word, name="download_word"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/regenerate/", views.regenerate, name="regenerate"),
    path("<int:pk>/correct/", views.correct, name="correct"),
]
