from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from jituan.fields import YEAR

from .models import Assessment, Criterion, MemberScore
from .services import CriterionRow


class AssessmentCreateForm(forms.Form):
    year = forms.IntegerField(label=_("year"), validators=YEAR)


class RulesForm(forms.ModelForm):
    """The thresholds and the largest adjustment; the criteria come in the formset beside it."""

    class Meta:
        model = Assessment
        fields = ["excellent_from", "good_from", "pass_from", "max_adjustment"]


class CriterionForm(forms.ModelForm):
    position = forms.IntegerField(label=_("position"), min_value=0, max_value=100, initial=0)

    class Meta:
        model = Criterion
        fields = ["kind", "label", "weight", "parameter", "position"]

    def row(self) -> CriterionRow:
        data = self.cleaned_data
        return CriterionRow(
            data["kind"], data["label"], data["weight"], data.get("parameter"), data["position"]
        )


CriterionFormSet = inlineformset_factory(
    Assessment, Criterion, form=CriterionForm, extra=1, can_delete=True
)


def criterion_rows(formset) -> list[CriterionRow]:
    """The rows the formset keeps: filled in and not marked for deletion."""
    return [
        form.row()
        for form in formset.forms
        if form.has_changed() or form.instance.pk
        if not (formset.can_delete and form.cleaned_data.get("DELETE"))
        if form.cleaned_data
    ]


class AdjustForm(forms.ModelForm):
    class Meta:
        model = MemberScore
        fields = ["adjustment", "adjustment_reason"]
        widgets = {"adjustment_reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "adjustment": _("Points added to the computed score (negative to take points off).")
        }
