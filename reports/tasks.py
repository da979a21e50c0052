import logging

from celery import shared_task
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import IllegalCharacterError

from . import services
from .models import Report

logger = logging.getLogger(__name__)

# Errors in the data or the code: rendering again gives the same error, so the report fails at
# once. Anything else (the database, the disk, a killed connection …) is retried.
NOT_WORTH_RETRYING = (
    ValueError,
    TypeError,
    LookupError,
    ArithmeticError,
    AttributeError,
    IllegalCharacterError,
)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,  # a killed worker puts the message back: it renders again
    max_retries=3,
    default_retry_delay=10,
)
def render_report(self, report_id: int) -> str:
    """Render the report; whatever happens it ends done or failed with a reason, never left
    running (self.retry raises, so the failure is recorded before it is called)."""
    try:
        return services.generate(report_id).status
    except NOT_WORTH_RETRYING as error:
        logger.exception("report %s failed", report_id)
        services.fail(report_id, _failure(error))
        return Report.Status.FAILED
    except Exception as error:
        if self.request.retries >= self.max_retries:
            services.fail(report_id, _failure(error, retried=True))
            raise
        raise self.retry(exc=error) from None


def _failure(error: Exception, *, retried: bool = False) -> str:
    if isinstance(error, IllegalCharacterError):
        reason = _("The report data contains characters an Excel file cannot hold.")
    elif retried:
        reason = _("The report could not be generated after several attempts.")
    else:
        reason = _("The report could not be generated from the current data.")
    return f"{reason}（{type(error).__name__}: {error}）"


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def email_report(self, report_id: int) -> bool:
    """E-mail an issued dispatch report to the council (once, whatever the retries)."""
    report = Report.objects.get(pk=report_id)
    try:
        return services.email_to_council(report)
    except OSError as error:  # the mail server is down: the claim is released, try again
        Report.objects.filter(pk=report_id).update(emailed_at=None)
        raise self.retry(exc=error) from None


@shared_task
def monthly_dispatch() -> int | None:
    report = services.request_monthly_dispatch()
    return report.pk if report else None


@shared_task
def resume_stalled_reports() -> int:
    """Hand reports that never reached the worker, or whose worker died mid-render, back to the
    worker (rendering is idempotent); returns how many were sent."""
    return sum(services.send_to_worker(report) for report in services.stalled_reports())
