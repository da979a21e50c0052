from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Member, MemberContact, User

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
        (_("Group"), {"fields": ["name", "phone", "member"]}),
    ]
