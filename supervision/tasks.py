from datetime import timedelta

from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from jituan.models import Notification
from jituan.queue import send_or_keep

from .models import Delivery
from .services import lights_compute_live
from .urging import delivery_attempt_failed, delivery_sent, urges_on_schedule
from .webhooks import WebhookError, webhook_post


@shared_task
def compute_lights() -> dict:
    """Daily: every live plan's lights as of today (a job missed one day is made up the next)."""
    return lights_compute_live(today=timezone.localdate())


# --- urging (催办) ------------------------------------------------------------------------------

# A delivery still pending this long after its urge, never tried, never reached the worker.
QUEUED_STALL = timedelta(minutes=2)
WEBHOOK_RETRIES = 3


@shared_task
def urge_on_schedule() -> int:
    """Daily, after the lights: the scheduled urges (each once, however often this runs)."""
    return urges_on_schedule(today=timezone.localdate())


@shared_task(bind=True, acks_late=True, max_retries=WEBHOOK_RETRIES)
def deliver_webhook(self, delivery_id: int) -> str:
    """Post the urge to the group robot; a failure is retried with a growing pause, and the
    last one leaves the delivery failed with its reason."""
    delivery = Delivery.objects.select_related("urge", "webhook").get(pk=delivery_id)
    if delivery.status != Delivery.Status.PENDING:  # sent already: a second delivery of the task
        return delivery.status
    try:
        if delivery.webhook is None:
            raise WebhookError(_("The group robot has been deleted."))
        webhook_post(delivery.webhook, delivery.urge.text)
    except WebhookError as error:
        final = delivery.webhook is None or self.request.retries >= self.max_retries
        delivery_attempt_failed(delivery=delivery, error=str(error), final=final)
        if final:
            return delivery.status
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from None
    return delivery_sent(delivery=delivery).status


@shared_task(bind=True, acks_late=True, max_retries=WEBHOOK_RETRIES)
def deliver_email(self, delivery_id: int) -> str:
    delivery = Delivery.objects.select_related("urge").get(pk=delivery_id)
    if delivery.status != Delivery.Status.PENDING:
        return delivery.status
    subject = _("Jituan: %(kind)s") % {"kind": Notification.Kind.URGE.label}
    try:
        send_mail(str(subject), delivery.urge.text, None, [delivery.recipient])
    except Exception as error:  # noqa: BLE001 - any mail failure: counted, tried again
        final = self.request.retries >= self.max_retries
        reason = _("The mail server refused (%(error)s).") % {"error": type(error).__name__}
        delivery_attempt_failed(delivery=delivery, error=reason, final=final)
        if final:
            return delivery.status
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from None
    return delivery_sent(delivery=delivery).status


def delivery_send_queued(delivery_ids: list[int]) -> int:
    """Hand pending e-mail and robot deliveries to the worker; with the queue down they stay
    pending for the sweep. Returns how many were queued."""
    sent = 0
    for delivery in Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.PENDING):
        task = deliver_webhook if delivery.channel == Delivery.Channel.WEBHOOK else deliver_email
        sent += send_or_keep(task, delivery)
    return sent


@shared_task
def resume_stalled_deliveries() -> int:
    """Deliveries never tried (the queue was down when their urge was written) go out now."""
    stalled = Delivery.objects.filter(
        status=Delivery.Status.PENDING,
        attempts=0,
        urge__created_at__lt=timezone.now() - QUEUED_STALL,
    ).exclude(channel=Delivery.Channel.IN_APP)
    return delivery_send_queued(list(stalled.values_list("pk", flat=True)))
