from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Certification, CertificationEvidence
from .registry import CERTIFIABLE


class RecordTypeFilter(admin.SimpleListFilter):
    """The certifiable record types only (a plain filter would list every model of the site)."""

    title = _("record type")
    parameter_name = "record_type"

    def lookups(self, request, model_admin):
        return [(c.content_type.pk, c.model._meta.verbose_name) for c in CERTIFIABLE]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(content_type_id=self.value())
        return queryset


class CertificationEvidenceInline(admin.TabularInline):
    model = CertificationEvidence
    extra = 0
    fields = ["original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Certification)
class CertificationAdmin(SimpleHistoryAdmin):
    """Read here, decided on the certification pages: submitting and deciding go through the
    services (the snapshot, the evidence, the stamps and the notices), never a bare edit."""

    list_display = ["label", "content_type", "member", "year", "status", "submitted_at"]
    list_filter = ["status", "year", RecordTypeFilter]
    search_fields = ["label", "member__name"]
    readonly_fields = [
        "content_type",
        "object_id",
        "member",
        "year",
        "label",
        "snapshot",
        "status",
        "note",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "reason",
    ]
    inlines = [CertificationEvidenceInline]

    def has_add_permission(self, request):
        return False


@admin.register(CertificationEvidence)
class CertificationEvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "certification", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = [
        "certification",
        "token",
        "file",
        "original_name",
        "size",
        "mime_type",
        "uploaded_by",
    ]

    def has_add_permission(self, request):
        return False
