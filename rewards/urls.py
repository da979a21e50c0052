from django.urls import path

from . import views
from .registers import REGISTERS

app_name = "rewards"

urlpatterns = [
    path("summary/", views.summary, name="summary"),
    path("summary/summary.xlsx", views.summary_xlsx, name="summary-xlsx"),
    *[url for register in REGISTERS for url in register.urls()],
]
