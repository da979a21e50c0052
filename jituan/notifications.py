"""In-app notifications (站内消息): every app tells people about their work through notify().

The text is built by the caller with gettext at creation time, so it is stored in the language it
was written in. A user who asked for it also gets each notification by e-mail, sent once the
transaction commits; a mail server that refuses never undoes or fails the caller's work."""

import logging
from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification, User

log = logging.getLogger(__name__)


def notify(
    users: Iterable[User], kind: str, text: str, url: str = "", *, key: str = ""
) -> list[Notification]:
    """Create one notification per active user. With a key, a user who already has a
    notification with that key gets none again (at most once per key and user)."""
    created = []
    for user in {user.pk: user for user in users if user.is_active}.values():
        if key and Notification.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    recipient=user, kind=kind, text=text, url=url, key=key
                )
        except IntegrityError:  # the same key written by a concurrent run
            continue
        created.append(note)
        if user.email_notifications and user.email:
            transaction.on_commit(lambda note=note: _email(note))
    return created


def _email(note: Notification) -> None:
    subject = _("Jituan: %(kind)s") % {"kind": note.get_kind_display()}
    try:
        send_mail(subject, note.text, None, [note.recipient.email])
    except Exception:  # a mail problem must never break the work that caused the notice
        log.exception("could not e-mail notification %s", note.pk)


def mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())


def notifications_for(user: User):
    """A user reads their own notifications only."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    return notifications_for(user).unread().count()


def notification_settings_save(*, user: User, email_notifications: bool) -> User:
    if user.email_notifications != email_notifications:  # saving the same answer writes nothing
        user.email_notifications = email_notifications
        user.save(update_fields=["email_notifications"])
    return user
