from .registers import REGISTERS

app_name = "enrollment"

urlpatterns = [url for register in REGISTERS for url in register.urls()]
