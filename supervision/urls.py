from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("lights/", views.light_list, name="light-list"),
]
