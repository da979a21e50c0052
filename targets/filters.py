import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jituan.filters import FilterSet
from jituan.models import Member
from jituan.selectors import members_for

from .models import Allocation, ImportBatch, Indicator, Plan, Submission, Task
from .selectors import indicators_for


def _members(request):
    return members_for(request.user).in_group_order() if request else Member.objects.none()


def _indicators(request):
    """The indicators the user may see: a liaison's choices never name another member's."""
    return indicators_for(request.user) if request else Indicator.objects.none()


class YearFilter(django_filters.ChoiceFilter):
    def __init__(self, field_name):
        super().__init__(field_name=field_name, label=_("year"), choices=self.year_choices)

    @staticmethod
    def year_choices():
        return [(year, str(year)) for year in Plan.objects.values_list("year", flat=True)]


class TaskFilter(FilterSet):
    year = YearFilter("plan__year")
    member = django_filters.ModelChoiceFilter(
        label=_("member"), field_name="responsible_members", queryset=_members
    )
    q = django_filters.CharFilter(label=_("search"), method="search")

    class Meta:
        model = Task
        fields = ["year", "member"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(number__icontains=value) | Q(description__icontains=value)
        )


class IndicatorFilter(FilterSet):
    year = YearFilter("plan__year")
    member = django_filters.ModelChoiceFilter(
        label=_("member"),
        field_name="allocations__member",
        queryset=_members,
        distinct=True,
    )
    unit = django_filters.ChoiceFilter(label=_("unit"), choices=lambda: _units())

    class Meta:
        model = Indicator
        fields = ["year", "kind", "unit", "member"]


def _units():
    units = Indicator.objects.order_by("unit").values_list("unit", flat=True).distinct()
    return [(unit, unit) for unit in units]


class AllocationFilter(FilterSet):
    year = YearFilter("indicator__plan__year")
    indicator = django_filters.ModelChoiceFilter(label=_("indicator"), queryset=_indicators)
    member = django_filters.ModelChoiceFilter(label=_("member"), queryset=_members)

    class Meta:
        model = Allocation
        fields = ["year", "indicator", "member"]


class ImportFilter(FilterSet):
    class Meta:
        model = ImportBatch
        fields = ["kind", "year", "status"]


class PlanFilter(FilterSet):
    q = django_filters.CharFilter(label=_("search"), method="search")

    class Meta:
        model = Plan
        fields = ["year"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(document_number__icontains=value))


class SubmissionFilter(FilterSet):
    year = YearFilter("plan__year")
    member = django_filters.ModelChoiceFilter(label=_("member"), queryset=_members)

    class Meta:
        model = Submission
        fields = ["year", "quarter", "member", "status", "is_late"]
