from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Report
from .services import check_request


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("report"), choices=Report.Kind.choices)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(
        label=_("month"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("Dispatch reports only."),
    )
    format = forms.ChoiceField(label=_("format"), choices=Report.Format.choices, initial="pdf")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["kind"] == Report.Kind.REWARDS:
            data["month"] = None
        try:
            check_request(
                kind=data["kind"], year=data["year"], month=data["month"], format=data["format"]
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return data
