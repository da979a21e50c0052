from celery import shared_task
from celery.exceptions import MaxRetriesExceededError

from . import services


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,  # a killed worker puts the message back: it renders again
    max_retries=3,
    default_retry_delay=10,
)
def render_report(self, report_id: int) -> str:
    try:
        return services.generate(report_id).status
    except Exception as error:
        try:
            raise self.retry(exc=error)
        except MaxRetriesExceededError:
            services.fail(report_id, f"{type(error).__name__}: {error}")
            raise error from None


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def email_report(self, report_id: int) -> bool:
    """E-mail an issued dispatch report to the council (once, whatever the retries)."""
    from .models import Report

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
    """Hand reports whose worker died mid-render back to the worker (rendering is idempotent)."""
    stalled = list(services.stalled_reports().values_list("pk", flat=True))
    for report_id in stalled:
        render_report.delay(report_id)
    return len(stalled)
