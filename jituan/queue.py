"""Handing work to the Celery worker without failing the page when the queue is down."""

import logging

from django.utils.translation import gettext_lazy

log = logging.getLogger(__name__)

QUEUE_DOWN = gettext_lazy(
    "The queue is unavailable just now; your request is kept and will run as soon as it is back."
)


def queue_reachable() -> bool:
    """Whether the broker answers now (within a few seconds); the reason goes to the log."""
    from .celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        log.warning("the queue is unavailable", exc_info=True)
        return False


def send_or_keep(task, record) -> bool:
    """Queue task(record.pk). When the queue is unavailable the record stays as it is (queued:
    a stalled-work sweep sends it once the queue is back) and record.queue_unavailable tells the
    page to say so at once instead of failing."""
    try:
        task.apply_async(args=[record.pk], retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: keep the request, say so
        log.warning(
            "queue unavailable: %s %s stays queued", record._meta.label, record.pk, exc_info=True
        )
        record.queue_unavailable = True
        return False
    record.queue_unavailable = False
    return True
