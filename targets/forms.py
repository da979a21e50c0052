from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jituan.models import Member

from .models import (
    Allocation,
    CategoryTarget,
    GroupFigure,
    ImportBatch,
    Indicator,
    IndicatorReport,
    Milestone,
    Plan,
    QuarterSchedule,
    Task,
    TaskReport,
    TrajectoryPoint,
)
from .models.plans import check_lead_member
from .sources import source_choices


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["year", "title", "document_number", "approved_on", "summary"]
        widgets = {
            "approved_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }


QuarterScheduleFormSet = forms.inlineformset_factory(
    Plan,
    QuarterSchedule,
    fields=["quarter", "due_on", "grace_days"],
    extra=4,
    max_num=4,
    can_delete=True,
    widgets={"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")},
)


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "number",
            "position",
            "section",
            "title",
            "description",
            "responsible_members",
            "lead_member",
            "supervising_leader",
            "responsible_person",
            "phone",
            "deadline",
            "reporting_frequency",
            "latest_progress",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "latest_progress": forms.Textarea(attrs={"rows": 3}),
            "responsible_members": forms.SelectMultiple(attrs={"size": 10}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_members"].queryset = Member.objects.in_group_order()
        self.fields["lead_member"].queryset = Member.objects.in_group_order()
        # Left out (a form from before monthly reporting): quarterly, the default.
        self.fields["reporting_frequency"].required = False

    def clean_reporting_frequency(self):
        return self.cleaned_data.get("reporting_frequency") or Task.Frequency.QUARTERLY

    def clean(self):
        cleaned = super().clean()
        lead, members = cleaned.get("lead_member"), cleaned.get("responsible_members")
        if lead is not None and members is not None:
            try:
                check_lead_member(lead, members)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


MilestoneFormSet = forms.inlineformset_factory(
    Task,
    Milestone,
    fields=["quarter", "planned"],
    extra=4,
    max_num=4,
    validate_max=True,
    can_delete=True,
    widgets={"planned": forms.Textarea(attrs={"rows": 2})},
)


class IndicatorForm(forms.ModelForm):
    source = forms.ChoiceField(
        label=_("source of the actual value"),
        choices=source_choices,
        required=False,
        help_text=_(
            "A register computes the value from the records members keep (enrollment, classes, "
            "training …), as of any date. “Approved submissions”: the members named on the "
            "indicator or its task report it each quarter; numbers add up, rates are weighted "
            "by the base each member gives. “A group figure”: a figure only the secretariat "
            "knows (topics the council approved), entered with its document and counted once "
            "a second secretariat user confirms it."
        ),
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "task",
            "unit",
            "kind",
            "source",
            "denominator_label",
            "baseline",
            "target",
            "position",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["task"].queryset = plan.tasks.all()


TrajectoryFormSet = forms.inlineformset_factory(
    Indicator, TrajectoryPoint, fields=["year", "target"], extra=2, can_delete=True
)

AllocationFormSet = forms.inlineformset_factory(
    Indicator, Allocation, fields=["member", "target", "notes"], extra=3, can_delete=True
)


class CategoryTargetForm(forms.ModelForm):
    class Meta:
        model = CategoryTarget
        fields = ["kind", "location", "ownership", "target"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "location", "ownership"):
            field = self.fields[name]
            field.choices = [("", _("Any")), *field.choices[1:]]


CategoryTargetFormSet = forms.inlineformset_factory(
    Indicator, CategoryTarget, form=CategoryTargetForm, extra=3, can_delete=True
)


class GroupFigureForm(forms.ModelForm):
    evidence = forms.FileField(
        label=_("evidence file"),
        help_text=_("The document the figure is read from (PDF, image, Word or Excel)."),
        error_messages={
            "required": _("Attach the document the figure is read from, for the confirmation."),
            "empty": _("The file is empty (0 bytes): choose the file that has the evidence."),
        },
    )

    class Meta:
        model = GroupFigure
        fields = ["year", "value", "basis"]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ImportBatch.Kind.choices)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    indicator = forms.ModelChoiceField(
        label=_("indicator"),
        queryset=Indicator.objects.select_related("plan"),
        required=False,
        help_text=_("Allocation sheets without an indicator column: the indicator of every row."),
    )
    file = forms.FileField(label=_("file"), help_text=_(".xlsx (allocation sheets also .csv)"))

    def clean(self):
        cleaned = super().clean()
        indicator, year = cleaned.get("indicator"), cleaned.get("year")
        if indicator and year and indicator.plan.year != year:
            self.add_error("indicator", _("The indicator belongs to the plan of another year."))
        return cleaned


class TaskReportForm(forms.ModelForm):
    class Meta:
        model = TaskReport
        fields = ["progress", "status", "behind_reason"]
        widgets = {
            "progress": forms.Textarea(attrs={"rows": 3}),
            "behind_reason": forms.Textarea(attrs={"rows": 2}),
        }


class IndicatorReportForm(forms.ModelForm):
    """A member's figure; for a rate or growth also the base it is a share of, so that the
    group's figure is weighted by the members' bases."""

    class Meta:
        model = IndicatorReport
        fields = ["value", "denominator", "not_applicable", "not_applicable_reason"]
        widgets = {
            "value": forms.NumberInput(attrs={"step": "any", "min": "0"}),
            "denominator": forms.NumberInput(attrs={"step": "any", "min": "0"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        indicator = self.instance.indicator if self.instance.indicator_id else None
        if indicator is None or not indicator.is_share:
            del self.fields["denominator"]
            return
        self.fields["value"].label = _("rate (%)") if indicator.kind == "rate" else _("growth (%)")
        base = self.fields["denominator"]
        base.label = indicator.denominator_label or _("base")
        base.help_text = _("What the rate is a share of; the group's rate is weighted by it.")


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("evidence file"),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty (0 bytes): choose the file that has the evidence."),
        },
    )
    row = forms.CharField(required=False, widget=forms.HiddenInput)


class ReopenRequestForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReopenDecisionForm(forms.Form):
    until = forms.DateField(
        label=_("reopened until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=_("note"), required=False)
