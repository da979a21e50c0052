"""Records as they were known at a time: every figure a report prints can be worked out again
from what had been recorded by its cut-off, whatever was changed since.

Register models keep their history with django-simple-history (`history = HistoricalRecords()`).
Its own `as_of()` picks the latest version of each record with DISTINCT ON on PostgreSQL, which
cannot be grouped and summed; this picks it with a correlated subquery instead, so a source can
aggregate over the result exactly as over the live table."""

from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone


def records_as_of(model, as_of: datetime | None) -> QuerySet:
    """The model's records as they stood at as_of (None: as they stand now).

    Each record's latest historical version recorded at or before as_of, records deleted by then
    left out. The rows carry the model's fields (member_id, year …), so filters, values() and
    aggregates work unchanged."""
    if as_of is None:
        return model.objects.all()
    history = model.history.model
    known = history.objects.filter(history_date__lte=as_of)
    latest = (
        known.filter(id=OuterRef("id")).order_by("-history_date", "-history_id").values("pk")[:1]
    )
    return known.filter(pk=Subquery(latest)).exclude(history_type="-")


def history_first_versions(apps, app_label: str, model_names: list[str]) -> None:
    """For a data migration: every row recorded before its model kept history gets a first "+"
    version dated now, so that what is recorded today stays what "as of now" reads."""
    now = timezone.now()
    for name in model_names:
        model = apps.get_model(app_label, name)
        history = apps.get_model(app_label, f"Historical{name}")
        fields = [field.attname for field in model._meta.concrete_fields]
        kept = history.objects.values("id")
        rows = [
            history(history_date=now, history_type="+", **{f: getattr(row, f) for f in fields})
            for row in model.objects.exclude(pk__in=kept).iterator()
        ]
        history.objects.bulk_create(rows, batch_size=1000)
