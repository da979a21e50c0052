from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from jituan.benchmarks import benchmark_register

        benchmark_register(
            "dashboard",
            "dashboard.benchmarks.bench_dashboard",
            help="each dashboard request against its SQL replayed (--year, --runs; "
            "run seed_synthetic first)",
        )
