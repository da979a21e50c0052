from django import forms
from django.utils.translation import gettext_lazy as _

from .models import YEAR


class SummaryForm(forms.Form):
    """The year of a summary, and whether to scale it down to the fund."""

    year = forms.IntegerField(
        label=_("year"), validators=YEAR, widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    scale = forms.TypedChoiceField(
        label=_("scale to the fund"),
        choices=[
            ("", _("as set for the year")),
            ("1", _("scale down to the fund")),
            ("0", _("do not scale")),
        ],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
