import django_tables2 as tables
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tables2.columns import library

from .models import Member, User
from .numbers import figure, percent
from .roles import Role


@library.register
class ChoiceColumn(tables.Column):
    """Every model field with choices gets this column: it sorts in the choices' declared order
    (高职院校, 中职学校, 技工院校 …), the order people read them in, not by the hidden codes."""

    def __init__(self, *args, field_name: str = "", values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.field_name, self.values = field_name, list(values)

    @classmethod
    def from_field(cls, field, **kwargs):
        if getattr(field, "choices", None) and not field.is_relation:
            values = [value for value, _label in field.flatchoices]
            return cls(field_name=field.name, values=values, **kwargs)
        return None

    def order(self, queryset, is_descending):
        path = "__".join(self.accessor.bits) if self.accessor else self.field_name
        if not path or not self.values:
            return queryset, False
        rank = models.Case(
            *[models.When(**{path: value}, then=i) for i, value in enumerate(self.values)],
            default=len(self.values),
        )
        return queryset.order_by(rank.desc() if is_descending else rank.asc(), "pk"), True


class FigureColumn(tables.Column):
    """A count or an amount, written the one way (jituan.numbers.figure), aligned right."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "attrs", {"td": {"class": "text-end"}, "tf": {"class": "text-end fw-bold"}}
        )
        super().__init__(*args, **kwargs)

    def render(self, value):
        return figure(value)


class RateColumn(FigureColumn):
    """A percentage, to one decimal (the header says %)."""

    def render(self, value):
        return percent(value)


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


class UserReadTable(UserTable):
    """The same list for those who may read people but not change them: no link to 无权访问."""

    username = tables.Column()
