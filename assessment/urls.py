from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("<int:year>/", views.assessment_detail, name="detail"),
    path("<int:year>/rules/", views.assessment_rules, name="rules"),
    path("<int:year>/compute/", views.assessment_compute, name="compute"),
    path("<int:year>/confirm/", views.assessment_confirm, name="confirm"),
    path("<int:year>/members/<int:member>/", views.score_detail, name="score"),
    path("<int:year>/members/<int:member>/adjust/", views.score_adjust, name="adjust"),
]
