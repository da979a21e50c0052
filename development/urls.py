from .registers import REGISTERS

app_name = "development"

urlpatterns = [url for register in REGISTERS for url in register.urls()]
