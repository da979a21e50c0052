"""Records as they were known at a time: every figure a report prints can be worked out again
from what had been recorded by its cut-off, whatever was changed since.

Register models keep their history with django-simple-history (`history = HistoricalRecords()`).
Its own `as_of()` picks the latest version of each record with DISTINCT ON on PostgreSQL, which
cannot be grouped and summed; this picks it with a correlated subquery instead, so a source can
aggregate over the result exactly as over the live table."""

from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery


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
