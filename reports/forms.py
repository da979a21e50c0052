from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from targets.models import Plan
from targets.selectors import default_plan

from .models import Report
from .services import MONTHLESS, check_request, previous_month, quarter_end_month


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
    quarter = forms.ChoiceField(
        label=_("quarter"),
        choices=[
            ("", "—"),
            ("1", "第一季度"),
            ("2", "第二季度"),
            ("3", "第三季度"),
            ("4", "第四季度"),
        ],
        required=False,
        help_text=_("Quarterly dispatch reports only."),
    )
    format = forms.ChoiceField(
        label=_("format"),
        choices=Report.Format.choices,
        initial="pdf",
        help_text=_("A PDF comes with its Word version."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        plan = default_plan(Plan.objects.all(), today)
        year = plan.year if plan else today.year
        self.fields["year"].initial = year
        # The last month that is over: the report a secretariat issues next.
        last_year, last_month = previous_month(today)
        self.fields["month"].initial = last_month if year == last_year else 12

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["kind"] in MONTHLESS:
            data["month"] = None
        # The quarter is stored as its last month: request_report takes kind, year, month.
        quarter = data.pop("quarter", "")
        if data["kind"] == Report.Kind.QUARTERLY:
            data["month"] = quarter_end_month(int(quarter) if quarter else None)
        try:
            check_request(
                kind=data["kind"], year=data["year"], month=data["month"], format=data["format"]
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return data
