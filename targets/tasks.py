"""Celery tasks of the targets app: thin, idempotent, taking ids and calling the services."""

from celery import shared_task
from django.utils import timezone

from .models import ImportBatch
from .services import import_batch_preview, reminders_send


@shared_task(acks_late=True)
def import_preview(batch_id: int) -> str:
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.PARSING):
        batch = import_batch_preview(batch=batch)
    return batch.status


@shared_task
def submission_reminders() -> int:
    return reminders_send(today=timezone.localdate())
