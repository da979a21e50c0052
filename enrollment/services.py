"""Writes for the enrollment registers that are not a single record's edit (those go through
jituan.registers.record_save)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from jituan.models import User

from .models import Enrollment

if TYPE_CHECKING:
    from .importers import QuotaRow


@transaction.atomic
def quotas_apply(*, rows: list[QuotaRow], year: int, user: User | None) -> dict:
    """Write a clean quota table's quotas for a year: rows it adds are created, changed quotas
    updated, actual enrollment already entered is kept and unchanged rows are not touched.

    Written in bulk, each write still becomes a version of its record with who made it (None:
    the signed-in user of the request, if any)."""
    stored = {
        (e.member_id, e.level, e.channel): e
        for e in Enrollment.objects.select_for_update().filter(year=year)
    }
    created, changed = [], []
    for row in rows:
        record = stored.get((row.member.pk, row.level, row.channel))
        if record is None:
            record = Enrollment(member=row.member, year=year, level=row.level, channel=row.channel)
            created.append(record)
        elif record.quota != row.quota:
            changed.append(record)
        record.quota = row.quota
    for record in [*created, *changed]:
        # Uniqueness: the importer refused two rows for the same member, level and channel.
        record.full_clean(validate_unique=False, validate_constraints=False)
    bulk_create_with_history(created, Enrollment, default_user=user)
    bulk_update_with_history(changed, Enrollment, ["quota"], default_user=user)
    return {"created": len(created), "updated": len(changed)}
