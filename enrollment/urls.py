from django.urls import path

from . import views
from .registers import REGISTERS

app_name = "enrollment"

urlpatterns = [
    path("enrollment/by-member/", views.by_member, name="by-member"),
    *[url for register in REGISTERS for url in register.urls()],
]
