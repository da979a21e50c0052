import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jituan.tables import BaseTable

from .models import Certification
from .registry import State
from .selectors import record_states

BADGES = {
    State.NOT_SUBMITTED: "text-bg-light border",
    State.SUBMITTED: "text-bg-info",
    State.CERTIFIED: "text-bg-success",
    State.CHANGED: "text-bg-warning",
    State.REJECTED: "text-bg-danger",
}
STATUS_BADGES = {
    Certification.Status.SUBMITTED: "text-bg-info",
    Certification.Status.CERTIFIED: "text-bg-success",
    Certification.Status.REJECTED: "text-bg-danger",
}


def may_open(user, certification: Certification) -> bool:
    """Whether the user may open the certification's page (a liaison: their member's only)."""
    if not user.has_perm("certification.view_certification"):
        return False
    return not user.is_liaison or certification.member_id == user.member_id


class CertificationTable(BaseTable):
    label = tables.Column(verbose_name=_("record"), linkify=True, order_by=("label", "pk"))
    content_type = tables.Column(verbose_name=_("record type"), orderable=False)
    status = tables.Column()

    class Meta(BaseTable.Meta):
        model = Certification
        fields = [
            "label",
            "content_type",
            "member",
            "year",
            "status",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
        ]

    def render_content_type(self, value):
        model = value.model_class()
        return model._meta.verbose_name if model else value.model

    def render_status(self, record, value):
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGES[record.status], value)


class StateColumn(tables.Column):
    """A register's 认定 column: each record's certification state, the states of the page's
    records read in one query (not one per row)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("Certification"))
        super().__init__(empty_values=(), orderable=False, exclude_from_export=True, **kwargs)

    def render(self, record, table):
        states = getattr(table, "_certification_states", None)
        if states is None:
            states = record_states([row.record for row in table.paginated_rows])
            table._certification_states = states
        found = states.get(record.pk) or record_states([record])[record.pk]
        badge = format_html(
            '<span class="badge {}" data-testid="certification-state">{}</span>',
            BADGES[found.state],
            found.label,
        )
        user = getattr(getattr(table, "request", None), "user", None)
        if found.certification is None or user is None or not may_open(user, found.certification):
            return badge
        url = reverse("certification:detail", args=[found.certification.pk])
        return format_html('<a href="{}">{}</a>', url, badge)
