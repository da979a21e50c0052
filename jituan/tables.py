import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Member, User
from .roles import Role


class BaseTable(tables.Table):
    """The project's one table base: every list in the app looks and paginates the same way."""

    class Meta:
        template_name = "django_tables2/bootstrap5-responsive.html"
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("Nothing here yet.")


class MemberTable(BaseTable):
    name = tables.Column(linkify=True)
    location = tables.Column(
        verbose_name=_("location"), accessor="location_display", order_by=("location", "county")
    )
    is_council_member = tables.BooleanColumn()
    contacts = tables.Column(verbose_name=_("contacts"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Member
        fields = ["name", "kind", "group_role", "location", "is_council_member", "contacts"]

    def render_contacts(self, record):
        return "、".join(f"{c.name} {c.phone}".strip() for c in record.contacts.all()) or "—"


class UserTable(BaseTable):
    username = tables.LinkColumn("jituan:user-update", args=[tables.A("pk")])
    role = tables.Column(verbose_name=_("role"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = User
        fields = ["username", "name", "role", "member", "email", "phone", "is_active", "last_login"]

    def render_role(self, record):
        return Role(record.role).label if record.role else "—"
