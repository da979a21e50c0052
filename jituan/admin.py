from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import Member, MemberContact, Notification, User

admin.site.site_header = _("Jituan administration")
admin.site.site_title = _("Jituan")


class MemberContactInline(admin.TabularInline):
    model = MemberContact
    extra = 0


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "group_role", "location", "county", "is_council_member"]
    list_filter = ["kind", "group_role", "location", "is_council_member", "is_active"]
    search_fields = ["name", "short_name", "county"]
    inlines = [MemberContactInline]


@admin.register(MemberContact)
class MemberContactAdmin(admin.ModelAdmin):
    list_display = ["name", "member", "title", "phone", "email", "is_primary"]
    list_select_related = ["member"]
    search_fields = ["name", "member__name", "phone"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "name", "member", "email", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff"]
    search_fields = ["username", "name", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Group"), {"fields": ["name", "phone", "member", "email_notifications"]}),
    ]

    # The administrator role manages people and roles but is no superuser: it must not make
    # anyone (itself included) a superuser, hand out single permissions beside the roles, or
    # take over a superuser's account by changing its password or details.
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        # The changelist's bulk delete asks has_delete_permission without an object.
        if not request.user.is_superuser and queryset.filter(is_superuser=True).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by the workflow, never by hand."""

    list_display = ["created_at", "recipient", "kind", "text", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
