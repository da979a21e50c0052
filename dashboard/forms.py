from django import forms
from django.utils.translation import gettext_lazy as _

from jituan.models import Member
from targets.models import Plan
from targets.selectors import default_plan


class DashboardFilterForm(forms.Form):
    """Year, member kind and urban/county: the same filters for the page and its JSON."""

    year = forms.TypedChoiceField(label=_("year"), coerce=int, required=False)
    kind = forms.ChoiceField(label=_("member kind"), required=False)
    location = forms.ChoiceField(label=_("location"), required=False)

    def __init__(self, data, *, plans):
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

    def plan(self, *, today) -> Plan | None:
        """The chosen year's plan; by default the latest one with something to show."""
        year = self.cleaned_data.get("year") if self.is_bound and self.is_valid() else None
        if year in self.plans:
            return self.plans[year]
        return default_plan(self.plans.values(), today)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"kind": "", "location": ""}
        return {"kind": self.cleaned_data["kind"], "location": self.cleaned_data["location"]}
