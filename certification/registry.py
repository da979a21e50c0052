"""The register records that need certifying, named by label so that this app imports none of
the apps that keep them, and what a record's certification state is."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Certifiable:
    label: str  # "app_label.modelname"
    # The year a record counts in: the first of these fields that holds one (a consortium's
    # level is certified in the year it was reached; one never rated, in the year founded).
    year_fields: tuple[str, ...] = ("year",)
    # The register it is kept in (its edit page is `app:slug-update`).
    register_slug: str = ""

    @property
    def model(self):
        return apps.get_model(self.label)

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)

    def year_of(self, record) -> int | None:
        return next(
            (getattr(record, f) for f in self.year_fields if getattr(record, f, None)), None
        )

    def record_url_name(self) -> str:
        return f"{self.model._meta.app_label}:{self.register_slug}-update"


CERTIFIABLE = [
    Certifiable("partnerships.orderclass", register_slug="order-classes"),
    Certifiable("partnerships.consortium", ("level_year", "founded"), "consortia"),
    Certifiable("partnerships.industrycollege", ("level_year", "founded"), "industry-colleges"),
    Certifiable("partnerships.trainingbase", register_slug="training-bases"),
    Certifiable("partnerships.certificatepilot", register_slug="certificate-pilots"),
    Certifiable("rewards.studentintake", register_slug="intakes"),
]


def certifiable_for(model) -> Certifiable | None:
    label = model._meta.label_lower
    # A historical record (simple_history) stands for the model it keeps the history of.
    instance_of = getattr(model, "instance_type", None)
    if instance_of is not None:
        label = instance_of._meta.label_lower
    return next((c for c in CERTIFIABLE if c.label == label), None)


def is_certifiable(model) -> bool:
    return certifiable_for(model) is not None


class State(models.TextChoices):
    NOT_SUBMITTED = "not_submitted", _("Not submitted for certification")
    SUBMITTED = "submitted", _("Awaiting certification")
    CERTIFIED = "certified", _("Certified")
    CHANGED = "changed", _("Changed since submitted, to certify again")
    REJECTED = "rejected", _("Certification rejected")


def snapshot_of(record, model=None) -> dict:
    """The record's own fields as plain JSON values: what a certification vouches for. A
    historical record gives the same snapshot as the record it was."""
    model = model or certifiable_for(type(record)).model
    snapshot = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(record, field.attname)
        if isinstance(value, date | datetime):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        snapshot[field.attname] = value
    return snapshot
