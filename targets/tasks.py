"""Celery tasks of the targets app: thin, idempotent, taking ids and calling the services."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from jituan.queue import send_or_keep

from .models import ImportBatch
from .notices import deadlines_coming
from .services import import_batch_commit, import_batch_preview, reminders_send

log = logging.getLogger(__name__)

# A batch still queued after this long never reached the worker (the queue was down, or the
# message was lost with a killed worker): the sweep sends it again.
QUEUED_STALL = timedelta(minutes=2)


@shared_task(acks_late=True)
def import_preview(batch_id: int) -> str:
    # Parsing writes nothing but the batch itself, from the same stored file: running it again
    # (the sweep after a killed worker) gives the same preview; a batch another delivery is
    # reading, or past reading, is left alone (services.import_batch_preview).
    return import_batch_preview(batch=ImportBatch.objects.get(pk=batch_id)).status


@shared_task(acks_late=True)
def import_commit(batch_id: int) -> str:
    # Writing is one transaction, taken up by one delivery only (services.import_batch_commit):
    # a second delivery, or the sweep after a killed worker, finds it done or does it once.
    return import_batch_commit(batch=ImportBatch.objects.get(pk=batch_id)).status


def import_send(batch: ImportBatch) -> bool:
    """Queue the batch's current stage (reading, or importing); with the queue down the batch
    stays as it is for the sweep."""
    task = import_commit if batch.status == ImportBatch.Status.COMMITTING else import_preview
    sent = send_or_keep(task, batch)
    if sent:  # the sweep waits a full QUEUED_STALL again before sending it once more
        ImportBatch.objects.filter(pk=batch.pk, started_at__isnull=True).update(
            queued_at=timezone.now()
        )
    return sent


def stalled_imports():
    """Batches whose stage never reached a worker (asked for longer than QUEUED_STALL ago and
    not taken up) or whose worker died (taken up longer ago than a task may run)."""
    now = timezone.now()
    waiting = (ImportBatch.Status.QUEUED, ImportBatch.Status.COMMITTING)
    running = (ImportBatch.Status.PARSING, ImportBatch.Status.COMMITTING)
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return ImportBatch.objects.filter(
        status__in=waiting, started_at__isnull=True, queued_at__lt=now - QUEUED_STALL
    ) | ImportBatch.objects.filter(status__in=running, started_at__lt=now - limit)


@shared_task
def resume_stalled_imports() -> int:
    """Hand stalled batches back to the worker (both stages are idempotent); returns how many."""
    return sum(import_send(batch) for batch in stalled_imports())


@shared_task
def submission_reminders() -> int:
    return reminders_send(today=timezone.localdate())


@shared_task
def deadline_notices() -> int:
    # Idempotent: each member, quarter and liaison is told once (targets.notices).
    return deadlines_coming(today=timezone.localdate())
