"""Certification (认定): the secretariat vouches for a register record before it earns money or
counts as an achievement. A liaison (or the secretariat) submits the record with evidence files;
the secretariat certifies it or rejects it with a reason. What is certified is the record as it
stood when submitted (its snapshot): a record changed after that is a new version, and needs
certifying again.

The records that need certifying live in other apps (order classes, consortia, student intakes
…); they are named here by label, never imported (see CERTIFIABLE in .registry)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jituan.fields import NOTE_TEXT, YEAR, BoundedTextField
from jituan.models import Member


def evidence_path(evidence, filename):
    return f"certification/{evidence.certification_id}/{evidence.token}-{filename}"


class Certification(models.Model):
    """One submission of a record for certification, and the secretariat's decision on it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting certification")
        CERTIFIED = "certified", _("Certified")
        REJECTED = "rejected", _("Rejected")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("record type")
    )
    object_id = models.PositiveIntegerField(_("record"))
    record = GenericForeignKey("content_type", "object_id")
    # Who the record belongs to and the year it counts in, as submitted: for scoping and lists.
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certifications",
        verbose_name=_("member"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    label = models.CharField(_("record"), max_length=300)
    snapshot = models.JSONField(_("record as submitted"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    note = BoundedTextField(_("note"), max_length=NOTE_TEXT, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = BoundedTextField(_("reason"), max_length=NOTE_TEXT, blank=True)

    history = HistoricalRecords(
        verbose_name=_("historical certification"),
        verbose_name_plural=_("historical certifications"),
    )

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["status", "year"]),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("certification:detail", args=[self.pk])


class CertificationEvidence(models.Model):
    """A file that proves a submitted record: an agreement, a roster, an award notice."""

    certification = models.ForeignKey(
        Certification,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("certification"),
    )
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    mime_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certification evidence")
        verbose_name_plural = _("certification evidence")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("certification:evidence-download", args=[self.pk])
