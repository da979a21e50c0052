from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("indicators/<int:pk>/", views.indicator, name="indicator"),
    path("api/headline/", views.headline_data, name="api-headline"),
    path("api/heatmap/", views.heatmap_data, name="api-heatmap"),
    path("api/completeness/", views.completeness_data, name="api-completeness"),
    path("api/quarters/", views.quarters_data, name="api-quarters"),
    path("api/years/", views.years_data, name="api-years"),
]
