from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["kind", "year", "month", "format", "version", "status", "as_of", "pages"]
    list_filter = ["kind", "status", "year"]
    readonly_fields = [
        "sha256",
        "size",
        "pages",
        "as_of",
        "requested_at",
        "started_at",
        "finished_at",
    ]
