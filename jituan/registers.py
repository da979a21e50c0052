"""Registers: simple record lists the secretariat keeps and liaisons fill for their own member
(enrollment, teachers, graduates, order classes, training bases …). One description per model
gives its list (sortable, filtered, with a totals row), its create/edit form and its Excel export;
every queryset goes through the member scoping of jituan.selectors. Every record keeps its
history (django-simple-history): who changed what when, shown as 「历史记录」."""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.forms import modelform_factory
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from . import xlsx
from .filters import FilterSet
from .generic import ModelEditView, TableListView
from .models import User
from .numbers import figure, percent
from .selectors import members_for, scope_to_member
from .tables import BaseTable, FigureColumn
from .text import clean_text_fields

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@transaction.atomic
def record_save(*, record, user: User):
    """Save a register record; a liaison's records always belong to their own member."""
    if user.is_liaison:
        if not hasattr(record, "member_id"):
            if record.pk:
                raise PermissionDenied
        else:
            record.member_id = user.member_id
    clean_text_fields(record)  # a pasted U+000B would break every Excel export of the register
    record.full_clean()
    record._history_user = user  # the version is the user's, in a request or not
    record.save()
    return record


@transaction.atomic
def record_delete(*, record, user: User) -> None:
    """Delete a register record (its history keeps it, with who deleted it and when)."""
    record._history_user = user
    record.delete()


@dataclass
class Register:
    model: type
    slug: str
    title: str
    list_fields: list[str]
    form_fields: list[str]
    filter_fields: list[str]
    totals: list[str] = field(default_factory=list)
    extra_columns: dict = field(default_factory=dict)
    filter_extra: dict = field(default_factory=dict)
    member_field: str | None = "member"
    ordering: list[str] | None = None
    # The year a record counts in: the totals row adds each year on its own, never across years.
    year_field: str | None = ""

    def __post_init__(self):
        if self.year_field == "":
            names = {f.name for f in self.model._meta.get_fields()}
            self.year_field = next((n for n in ("year", "founded") if n in names), None)

    @property
    def app(self) -> str:
        return self.model._meta.app_label

    @property
    def name(self) -> str:
        return self.model._meta.model_name

    def queryset(self, user):
        records = self.model.objects.all()
        related = [f for f in self.list_fields if self._is_relation(f)]
        records = records.select_related(*related)
        if self.member_field is None:
            return (
                records
                if user.is_authenticated and (user.role or user.is_superuser)
                else records.none()
            )
        return scope_to_member(records, user, member_field=self.member_field)

    def _is_relation(self, name):
        try:
            return self.model._meta.get_field(name).is_relation
        except Exception:  # noqa: BLE001 - a computed column
            return False

    def table_class(self):
        attrs = {}
        for name in self.totals:
            attrs[name] = FigureColumn(
                verbose_name=self.model._meta.get_field(name).verbose_name,
                footer=_total_of(name, self.year_field),
            )
        attrs.update(self.extra_columns)
        if self.totals and self.list_fields[0] not in attrs:
            first = self.list_fields[0]
            attrs[first] = tables.Column(
                verbose_name=self.model._meta.get_field(first).verbose_name, footer=_("Total")
            )
        meta = type(
            "Meta",
            (BaseTable.Meta,),
            {
                "model": self.model,
                "fields": self.list_fields,
                "sequence": [*self.list_fields, "..."],
            },
        )
        attrs["Meta"] = meta
        attrs["edit"] = tables.LinkColumn(
            f"{self.app}:{self.slug}-update",
            args=[tables.A("pk")],
            text=_("Edit"),
            orderable=False,
            verbose_name="",
        )
        attrs["history"] = tables.LinkColumn(
            f"{self.app}:{self.slug}-history",
            args=[tables.A("pk")],
            text=_("View"),
            orderable=False,
            verbose_name=_("History"),
        )
        return type(f"{self.model.__name__}Table", (BaseTable,), attrs)

    def filterset_class(self):
        attrs = dict(self.filter_extra)
        if self.member_field == "member" and "member" in self.filter_fields:
            attrs["member"] = django_filters.ModelChoiceFilter(
                label=_("member"), queryset=lambda request: members_for(request.user)
            )
        meta = type("Meta", (), {"model": self.model, "fields": self.filter_fields})
        attrs["Meta"] = meta
        return type(f"{self.model.__name__}Filter", (FilterSet,), attrs)

    def form_class(self, user):
        form = modelform_factory(
            self.model, fields=self.form_fields, widgets=_date_widgets(self.model, self.form_fields)
        )
        if user.is_liaison and "member" in self.form_fields:
            fields = [f for f in self.form_fields if f != "member"]
            form = modelform_factory(
                self.model, fields=fields, widgets=_date_widgets(self.model, fields)
            )
        return form

    def urls(self):
        register = self
        perm = f"{self.app}.%s_{self.name}"

        class ListView(TableListView):
            permission_required = perm % "view"
            table_class = register.table_class()
            filterset_class = register.filterset_class()
            title = register.title
            template_name = "partials/register_list.html"
            create_permission = perm % "add"

            def get_queryset(self):
                return register.queryset(self.request.user)

            def get_table_kwargs(self):
                # No 编辑 link that would only answer 无权访问 (leadership reads registers).
                if self.request.user.has_perm(perm % "change"):
                    return {}
                return {"exclude": ["edit"]}

            def get_context_data(self, **kwargs):
                context = super().get_context_data(**kwargs)
                if self.request.user.has_perm(perm % "add"):
                    context["create_url"] = reverse(f"{register.app}:{register.slug}-create")
                export = reverse(f"{register.app}:{register.slug}-export")
                context["export_url"] = f"{export}?{self.request.GET.urlencode()}"
                return context

        class EditView(ModelEditView):
            add_permission = perm % "add"
            change_permission = perm % "change"
            template_name = "partials/register_form.html"

            def get_form_class(self):
                return register.form_class(self.request.user)

            def new_object(self):
                return register.model()

            def get_object(self):
                return get_object_or_404(register.queryset(self.request.user), pk=self.kwargs["pk"])

            def save(self, form, formset):
                return record_save(record=form.instance, user=self.request.user)

            def get_success_url_for(self, saved):
                return register.list_url()

            def get_context_data(self, **kwargs):
                history = delete = ""
                if self.object.pk:
                    args = [self.object.pk]
                    history = reverse(f"{register.app}:{register.slug}-history", args=args)
                    if self.request.user.has_perm(perm % "delete"):
                        delete = reverse(f"{register.app}:{register.slug}-delete", args=args)
                return super().get_context_data(
                    list_url=register.list_url(),
                    history_url=history,
                    delete_url=delete,
                    **kwargs,
                )

        def export(request):
            if not request.user.has_perm(perm % "view"):
                raise PermissionDenied
            records = register.filterset_class()(
                request.GET, register.queryset(request.user), request=request
            ).qs
            return _export(register, records)

        @require_GET
        def history(request, pk):
            # Scoped first, as the edit view: another member's record answers 404 whatever the role.
            record = get_object_or_404(register.queryset(request.user), pk=pk)
            if not request.user.has_perm(perm % "view"):
                raise PermissionDenied
            context = {
                "record": record,
                "verbose_name": register.model._meta.verbose_name,
                "entries": record_history(record),
                "list_url": register.list_url(),
                "edit_url": reverse(f"{register.app}:{register.slug}-update", args=[record.pk])
                if request.user.has_perm(perm % "change")
                else "",
            }
            return render(request, "partials/register_history.html", context)

        @require_POST
        def delete(request, pk):
            # Scoped first: another member's record answers 404 whatever the role.
            record = get_object_or_404(register.queryset(request.user), pk=pk)
            if not request.user.has_perm(perm % "delete"):
                raise PermissionDenied
            try:
                record_delete(record=record, user=request.user)
            except ProtectedError:
                messages.error(
                    request,
                    _("%(record)s is still used by other records; change those first.")
                    % {"record": record},
                )
                return redirect(reverse(f"{register.app}:{register.slug}-update", args=[pk]))
            messages.success(request, _("Deleted %(record)s.") % {"record": record})
            return redirect(register.list_url())

        return [
            path(f"{self.slug}/", ListView.as_view(), name=f"{self.slug}-list"),
            path(f"{self.slug}/<int:pk>/delete/", delete, name=f"{self.slug}-delete"),
            path(f"{self.slug}/new/", EditView.as_view(), name=f"{self.slug}-create"),
            path(f"{self.slug}/<int:pk>/edit/", EditView.as_view(), name=f"{self.slug}-update"),
            path(f"{self.slug}/export.xlsx", export, name=f"{self.slug}-export"),
            path(f"{self.slug}/<int:pk>/history/", history, name=f"{self.slug}-history"),
        ]

    def list_url(self) -> str:
        return reverse(f"{self.app}:{self.slug}-list")


# --- 「历史记录」 -------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    """One version of a record: when, by whom, what was done, and (field, old, new) shown as
    people read them; old is None for a record's first version."""

    at: datetime
    by: str
    action: str
    changes: list[tuple[str, str | None, str]]


ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def record_history(record) -> list[HistoryEntry]:
    """The record's versions, newest first, each with what changed since the one before."""
    versions = list(record.history.all())
    fields = [f for f in record._meta.concrete_fields if not f.primary_key]
    users = User.objects.in_bulk({v.history_user_id for v in versions} - {None})
    names = _related_names(versions, fields)
    entries = []
    for version, before in zip(versions, [*versions[1:], None], strict=True):
        user = users.get(version.history_user_id)
        entries.append(
            HistoryEntry(
                at=version.history_date,
                by=(user.name or user.get_full_name() or user.username) if user else _("System"),
                action=ACTIONS[version.history_type],
                changes=_changes(version, before, fields, names),
            )
        )
    return entries


def _changes(version, before, fields, names) -> list[tuple[str, str | None, str]]:
    if version.history_type == "-":
        return []
    changes = []
    for model_field in fields:
        new = getattr(version, model_field.attname)
        old = None if before is None else getattr(before, model_field.attname)
        if new == old or (before is None and new == ""):
            continue
        shown = None if before is None else _shown(model_field, old, names)
        changes.append((model_field.verbose_name, shown, _shown(model_field, new, names)))
    return changes


def _related_names(versions, fields) -> dict:
    """{field name: {pk: str(object)}} for every foreign key value the versions hold, in one
    query per field."""
    names = {}
    for model_field in fields:
        if model_field.is_relation:
            ids = {getattr(v, model_field.attname) for v in versions} - {None}
            objects = model_field.related_model._base_manager.in_bulk(ids)
            names[model_field.name] = {pk: str(obj) for pk, obj in objects.items()}
    return names


def _shown(field, value, names) -> str:
    if value is None or value == "":
        return str(_("(empty)"))
    if field.is_relation:
        return names[field.name].get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, Decimal):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _total_of(name: str, year_field: str | None):
    """A footer summing the column over every filtered row (not only the page shown), one sum
    per year when the rows span several: figures of different years are never added up."""

    def footer(table):
        by_year: dict = {}
        for record in table.data:
            year = getattr(record, year_field) if year_field else None
            by_year[year] = by_year.get(year, 0) + (getattr(record, name) or 0)
        return _per_year({year: figure(total) for year, total in by_year.items()}, figure(0))

    return footer


def rate_total(part: str, whole: str, year_field: str | None = "year"):
    """A footer for a rate column (a record's part over its whole, e.g. dual-qualified over
    full-time teachers): the weighted rate of the filtered rows, Σpart / Σwhole, one per year
    like the sums. Rows without their part or whole count in neither."""

    def footer(table):
        by_year: dict = {}
        for record in table.data:
            top, bottom = getattr(record, part), getattr(record, whole)
            if top is None or not bottom:
                continue
            year = getattr(record, year_field) if year_field else None
            sums = by_year.setdefault(year, [0, 0])
            sums[0], sums[1] = sums[0] + top, sums[1] + bottom
        rates = {year: percent(100 * Decimal(t) / Decimal(b)) for year, (t, b) in by_year.items()}
        return _per_year(rates, percent(None))

    return footer


def _per_year(shown: dict, nothing: str):
    """One figure alone; several years' figures one per line, the latest first."""
    if len(shown) <= 1:
        return next(iter(shown.values()), nothing)
    return format_html_join(
        mark_safe("<br>"),
        "{}：{}",
        (
            (_("%(year)s total") % {"year": year}, value)
            for year, value in sorted(shown.items(), reverse=True)
        ),
    )


def _date_widgets(model, fields):
    widgets = {}
    for name in fields:
        if model._meta.get_field(name).get_internal_type() == "DateField":
            widgets[name] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return widgets


def _export(register: Register, records) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(register.title)[:31])
    headers = register.table_class()([]).columns
    xlsx.append(sheet, [str(headers[name].header) for name in register.list_fields])
    for record in records:
        xlsx.append(sheet, [_cell(register.model, record, name) for name in register.list_fields])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = quote(f"{register.title}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _cell(model, record, name):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a computed column: a property of the record
        column = model_column_accessor(name)
        value = getattr(record, column)
        return "是" if value is True else "否" if value is False else value
    if field.choices:
        return getattr(record, f"get_{field.name}_display")()
    value = getattr(record, field.name)
    if field.is_relation:
        return str(value) if value is not None else ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


# Computed columns whose property has another name than the column.
ACCESSORS = {"expiring": "is_expiring"}


def model_column_accessor(name: str) -> str:
    return ACCESSORS.get(name, name)
