"""A change of a submission as people read it: its history keeps the stored values (a status
"on_track", a tick True), shown here through the model's labels."""

from django import template
from django.utils.translation import gettext as _

from targets.models import TaskReport
from targets.services.submissions import FIELD_LABELS

register = template.Library()


@register.filter
def change_value(value, field: str):
    """`value` of a change to `field` (the label FIELD_LABELS gave it when it was recorded)."""
    if field == FIELD_LABELS["status"] and value:
        return TaskReport.Status(value).label if value in TaskReport.Status.values else value
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value
