import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Member, User
from .roles import Role

# django-filter's own widget offers 未知 / 是 / 否: "unknown" reads as a value, not as "any".
YES_NO = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


def yes_no_filter(label, **kwargs):
    return django_filters.BooleanFilter(label=label, widget=forms.Select(choices=YES_NO), **kwargs)


class FilterSet(django_filters.FilterSet):
    """The project's base: a model's yes/no field is filtered with 全部 / 是 / 否."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {
            "filter_class": django_filters.BooleanFilter,
            "extra": lambda field: {"widget": forms.Select(choices=YES_NO)},
        },
    }


class MemberFilter(FilterSet):
    q = django_filters.CharFilter(label=_("search"), method="search")
    is_council_member = yes_no_filter(_("council member"))
    is_active = yes_no_filter(_("active"))

    class Meta:
        model = Member
        fields = ["kind", "group_role", "location", "ownership", "is_council_member", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(county__icontains=value)
        )


class UserFilter(FilterSet):
    q = django_filters.CharFilter(label=_("search"), method="search")
    is_active = yes_no_filter(_("active"))
    role = django_filters.ChoiceFilter(
        label=_("role"), choices=Role.choices, field_name="groups__name"
    )

    class Meta:
        model = User
        fields = ["role", "member", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value) | Q(name__icontains=value) | Q(email__icontains=value)
        )
