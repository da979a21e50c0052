from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jituan.models import Member
from targets.models import Plan


class DashboardFilterForm(forms.Form):
    """Year, member kind and urban/county: the same filters for the page and its JSON."""

    year = forms.TypedChoiceField(label=_("year"), coerce=int, required=False)
    kind = forms.ChoiceField(label=_("member kind"), required=False)
    location = forms.ChoiceField(label=_("location"), required=False)

    def __init__(self, data, *, plans):
        """plans: annotated with task_count."""
        super().__init__(data)
        self.plans = {plan.year: plan for plan in plans}
        self.fields["year"].choices = [(year, year) for year in self.plans]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "There is no plan for the year %(value)s."
        )
        self.fields["kind"].choices = [("", _("All kinds"))] + Member.Kind.choices
        self.fields["location"].choices = [("", _("Urban and county"))] + list(
            Member.Location.choices
        )

    def plan(self) -> Plan | None:
        """The chosen year's plan; by default the latest one up to this year that has tasks (the
        year members report on), else the latest up to this year, else the latest."""
        year = self.cleaned_data.get("year") if self.is_bound and self.is_valid() else None
        if year in self.plans:
            return self.plans[year]
        this_year = timezone.localdate().year
        for plans in (
            [p for p in self.plans.values() if p.year <= this_year and p.task_count],
            [p for p in self.plans.values() if p.year <= this_year],
            list(self.plans.values()),
        ):
            if plans:
                return max(plans, key=lambda p: p.year)
        return None

    def filters(self) -> dict:
        if not self.is_valid():
            return {"kind": "", "location": ""}
        return {"kind": self.cleaned_data["kind"], "location": self.cleaned_data["location"]}
