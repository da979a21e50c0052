from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrollmentConfig(AppConfig):
    name = "enrollment"
    verbose_name = _("Enrollment")

    def ready(self):
        from targets.importers.runs import EXTRA_RUNNERS

        from . import sources  # noqa: F401  (registers the indicator sources)
        from .importers import run_quota_import

        EXTRA_RUNNERS["quotas"] = run_quota_import
