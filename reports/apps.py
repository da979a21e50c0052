from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from jituan.benchmarks import benchmark_register

        benchmark_register(
            "reports",
            "reports.benchmarks.bench_reports",
            help="the dispatch report: gathering and HTML against WeasyPrint",
        )
