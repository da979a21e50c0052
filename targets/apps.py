from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = _("Targets")

    def ready(self):
        from jituan.benchmarks import benchmark_register

        benchmark_register(
            "import",
            "targets.benchmarks.bench_import",
            help="the task-breakdown sheet import against openpyxl and calamine alone (--rows)",
        )
