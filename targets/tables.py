import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jituan.tables import BaseTable

from .models import Allocation, ImportBatch, Indicator, Plan, Submission, Task


class PlanTable(BaseTable):
    title = tables.Column(linkify=True)
    task_count = tables.Column(verbose_name=_("tasks"))
    indicator_count = tables.Column(verbose_name=_("indicators"))

    class Meta(BaseTable.Meta):
        model = Plan
        fields = ["year", "title", "document_number", "approved_on"]


class TaskTable(BaseTable):
    number = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    plan = tables.Column(accessor="plan__year", verbose_name=_("year"))
    members = tables.Column(verbose_name=_("responsible members"), empty_values=(), orderable=False)
    # The lights are supervision's; its template tag reads them (targets imports no supervision).
    light = tables.TemplateColumn(
        template_name="supervision/partials/task_light_cell.html",
        verbose_name=_("light"),
        orderable=False,
    )

    class Meta(BaseTable.Meta):
        model = Task
        fields = [
            "plan",
            "number",
            "light",
            "title",
            "members",
            "supervising_leader",
            "responsible_person",
            "deadline",
        ]

    def render_members(self, record):
        if record.lead_member_id is None:
            return _listed(record.responsible_members.all()) or "—"
        lead = _("Lead member: %(name)s") % {"name": _short(record.lead_member)}
        assisting = _listed(record.assisting_members)
        if not assisting:
            return lead
        return f"{lead}；{_('Assisting members: %(names)s') % {'names': assisting}}"


def _short(member) -> str:
    return member.short_name or member.name


def _listed(members) -> str:
    names = [_short(member) for member in members]
    return "、".join(names[:6]) + (f" 等 {len(names)} 家" if len(names) > 6 else "")


class IndicatorTable(BaseTable):
    name = tables.Column(linkify=True)
    plan = tables.Column(accessor="plan__year", verbose_name=_("year"))
    target = tables.Column(accessor="target_display", order_by="target", verbose_name=_("target"))
    baseline = tables.Column()

    class Meta(BaseTable.Meta):
        model = Indicator
        fields = ["plan", "name", "kind", "unit", "baseline", "target", "task"]


class AllocationTable(BaseTable):
    indicator = tables.Column(linkify=True)
    plan = tables.Column(accessor="indicator__plan__year", verbose_name=_("year"))
    target = tables.Column(attrs={"td": {"class": "text-end"}})

    class Meta(BaseTable.Meta):
        model = Allocation
        fields = ["plan", "indicator", "member", "target", "notes"]

    def render_target(self, value, record):
        return f"{value.normalize():,f}{record.indicator.unit}"


class ImportTable(BaseTable):
    original_name = tables.Column(linkify=True)
    status = tables.Column()

    class Meta(BaseTable.Meta):
        model = ImportBatch
        fields = [
            "created_at",
            "kind",
            "year",
            "original_name",
            "status",
            "uploaded_by",
            "committed_at",
        ]

    def render_status(self, value, record):
        colour = {
            ImportBatch.Status.COMMITTED: "success",
            ImportBatch.Status.REJECTED: "danger",
            ImportBatch.Status.FAILED: "danger",
            ImportBatch.Status.PREVIEWED: "primary",
        }.get(record.status, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', colour, value)


class SubmissionTable(BaseTable):
    member = tables.Column(linkify=lambda record: record.get_absolute_url())
    plan = tables.Column(accessor="plan__year", verbose_name=_("year"))
    status = tables.Column()
    is_late = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = Submission
        fields = [
            "plan",
            "quarter",
            "member",
            "status",
            "is_late",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
        ]

    def render_status(self, value, record):
        colour = {
            Submission.Status.APPROVED: "success",
            Submission.Status.SUBMITTED: "primary",
            Submission.Status.RETURNED: "warning",
        }.get(record.status, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', colour, value)
