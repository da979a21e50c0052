"""Submitting a record for certification with its evidence, and the secretariat's decision."""

import secrets
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jituan.models import Notification, User
from jituan.notifications import notify
from jituan.roles import Role
from targets.services import evidence_check

from .models import Certification, CertificationEvidence
from .registry import State, certifiable_for, snapshot_of
from .selectors import record_state


def may_submit(user: User, record) -> bool:
    """Whoever may change the record may submit it: a liaison only their own member's."""
    model = type(record)
    if not user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}"):
        return False
    if user.is_liaison:
        return bool(user.member_id) and getattr(record, "member_id", None) == user.member_id
    return user.has_perm("certification.add_certification")


def certification_submit(
    *, record, user: User, uploads: list[UploadedFile], note: str = ""
) -> Certification:
    """Submit the record as it stands, with at least one evidence file. The files are stored
    with the rows or not at all."""
    certifiable = certifiable_for(type(record))
    if certifiable is None or not may_submit(user, record):
        raise PermissionDenied
    if not uploads:
        raise ValidationError(_("Attach at least one evidence file for certification."))
    for upload in uploads:
        evidence_check(upload)
    stored = []
    try:
        with transaction.atomic():
            # One submission of a record at a time, whatever two tabs post at once.
            type(record).objects.select_for_update().filter(pk=record.pk).first()
            state = record_state(record)
            if state.state == State.SUBMITTED:
                raise ValidationError(_("This record is already awaiting certification."))
            if state.state == State.CERTIFIED:
                raise ValidationError(_("This record is certified as it stands."))
            if state.state == State.CHANGED and state.certification.status == (
                Certification.Status.SUBMITTED
            ):
                # The earlier submission shows what the record no longer is: it leaves the
                # queue, closed with why, so that only the new one waits for a decision.
                _close_replaced(state.certification, user)
            certification = Certification.objects.create(
                content_type=certifiable.content_type,
                object_id=record.pk,
                member_id=getattr(record, "member_id", None),
                year=certifiable.year_of(record),
                label=str(record)[:300],
                snapshot=snapshot_of(record),
                note=note.strip(),
                submitted_by=user,
                submitted_at=timezone.now(),
            )
            for upload in uploads:
                evidence = CertificationEvidence(
                    certification=certification,
                    token=secrets.token_hex(16),
                    original_name=Path(upload.name).name[:255],
                    size=upload.size,
                    mime_type=getattr(upload, "content_type", "") or "application/octet-stream",
                    uploaded_by=user,
                )
                evidence.file.save(upload.name, upload, save=False)
                stored.append((evidence.file.storage, evidence.file.name))
                evidence.save()
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    notify(
        _secretariat(),
        Notification.Kind.CERTIFICATION,
        _("%(member)s submitted %(record)s for certification.")
        % {"member": certification.member or user, "record": certification.label},
        certification.get_absolute_url(),
    )
    return certification


@transaction.atomic
def certification_certify(*, certification: Certification, user: User) -> Certification:
    certification = _pending(certification, user, as_submitted=True)
    certification.status = Certification.Status.CERTIFIED
    certification.decided_by = user
    certification.decided_at = timezone.now()
    certification.reason = ""
    certification._history_user = user
    certification.save()
    _tell_submitter(
        certification,
        _("%(record)s is certified.") % {"record": certification.label},
    )
    return certification


@transaction.atomic
def certification_reject(*, certification: Certification, user: User, reason: str) -> Certification:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting the certification.")})
    certification = _pending(certification, user)
    certification.status = Certification.Status.REJECTED
    certification.decided_by = user
    certification.decided_at = timezone.now()
    certification.reason = reason
    certification._history_user = user
    certification.full_clean()
    certification.save()
    _tell_submitter(
        certification,
        _("%(record)s was not certified: %(reason)s")
        % {"record": certification.label, "reason": reason},
    )
    return certification


def _close_replaced(certification: Certification, user: User) -> None:
    certification.status = Certification.Status.REJECTED
    certification.decided_by = user
    certification.decided_at = timezone.now()
    certification.reason = _("Replaced by a later submission of the changed record.")
    certification._history_user = user
    certification.save()


def _pending(
    certification: Certification, user: User, *, as_submitted: bool = False
) -> Certification:
    """The submission, locked, as it is now: awaiting a decision; to be certified, its record
    still as submitted (a changed record may still be rejected)."""
    if not user.has_perm("certification.change_certification") or user.is_liaison:
        raise PermissionDenied
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    if certification.status != Certification.Status.SUBMITTED:
        raise ValidationError(_("This submission has already been decided."))
    record = certification.record
    if record is None and as_submitted:
        raise ValidationError(_("The record was deleted after it was submitted."))
    if as_submitted and snapshot_of(record) != certification.snapshot:
        raise ValidationError(
            _("The record was changed after it was submitted; it must be submitted again.")
        )
    return certification


def _secretariat():
    return User.objects.filter(groups__name=Role.SECRETARIAT, is_active=True)


def _tell_submitter(certification: Certification, text: str) -> None:
    notify(
        [certification.submitted_by],
        Notification.Kind.CERTIFICATION,
        text,
        certification.get_absolute_url(),
    )
