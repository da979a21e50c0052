"""Celery tasks of the targets app: thin, idempotent, taking ids and calling the services."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from jituan.queue import send_or_keep

from .models import ImportBatch
from .services import import_batch_preview, reminders_send

log = logging.getLogger(__name__)

# A batch still queued after this long never reached the worker (the queue was down, or the
# message was lost with a killed worker): the sweep sends it again.
QUEUED_STALL = timedelta(minutes=2)


@shared_task(acks_late=True)
def import_preview(batch_id: int) -> str:
    # Parsing writes nothing but the batch itself, from the same stored file: running it again
    # (a second delivery, the sweep) gives the same preview; a batch past parsing is left alone.
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.PARSING):
        batch = import_batch_preview(batch=batch)
    return batch.status


def import_send(batch: ImportBatch) -> bool:
    """Queue the parse; with the queue down the batch stays queued for the sweep."""
    return send_or_keep(import_preview, batch)


def stalled_imports():
    """Batches whose parse never ran or whose worker died: queued for longer than QUEUED_STALL,
    or parsing for longer than a task may run. A batch has no start time, so its upload time
    stands in; it is earlier than the real start, so a parse that waited long behind others may
    be sent twice: the second run parses the same file again to the same preview."""
    now = timezone.now()
    return ImportBatch.objects.filter(
        status=ImportBatch.Status.QUEUED, created_at__lt=now - QUEUED_STALL
    ) | ImportBatch.objects.filter(
        status=ImportBatch.Status.PARSING,
        created_at__lt=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT),
    )


@shared_task
def resume_stalled_imports() -> int:
    """Hand stalled batches back to the worker (parsing is idempotent); returns how many."""
    return sum(import_send(batch) for batch in stalled_imports())


@shared_task
def submission_reminders() -> int:
    return reminders_send(today=timezone.localdate())
