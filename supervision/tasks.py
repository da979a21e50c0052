from celery import shared_task
from django.utils import timezone

from .services import lights_compute_live


@shared_task
def compute_lights() -> dict:
    """Daily: every live plan's lights as of today (a job missed one day is made up the next)."""
    return lights_compute_live(today=timezone.localdate())
