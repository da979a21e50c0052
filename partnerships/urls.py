from django.urls import path

from . import views
from .registers import REGISTERS

app_name = "partnerships"

urlpatterns = [
    path("partnerships/", views.overview, name="overview"),
    *[url for register in REGISTERS for url in register.urls()],
]
