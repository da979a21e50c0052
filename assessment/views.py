"""The annual assessment's screens: the years, a year's results and rules, computing and
confirming it, and each member's score sheet (a liaison sees only their own, once confirmed)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import AdjustForm, AssessmentCreateForm, CriterionFormSet, RulesForm, criterion_rows
from .models import Assessment, MemberScore

VIEW = "assessment.view_assessment"
CHANGE = "assessment.change_assessment"


def _may_change(user, assessment: Assessment) -> bool:
    return user.has_perm(CHANGE) and not user.is_liaison and not assessment.is_confirmed


@require_http_methods(["GET", "POST"])
@permission_required(VIEW, raise_exception=True)
def assessment_list(request):
    may_create = request.user.has_perm("assessment.add_assessment") and not request.user.is_liaison
    form = AssessmentCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                assessment = services.assessment_create(
                    year=form.cleaned_data["year"], user=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The assessment was started with the default rules."))
                return redirect(assessment)
    assessments = selectors.assessments_for(request.user)
    own = {}
    if request.user.is_liaison:
        own = {
            score.assessment_id: score
            for score in MemberScore.objects.filter(
                assessment__in=assessments, member_id=request.user.member_id
            )
        }
    rows = [(assessment, own.get(assessment.pk)) for assessment in assessments]
    context = {"rows": rows, "form": form if may_create else None}
    return render(
        request, "assessment/assessment_list.html", context, status=400 if form.errors else 200
    )


@require_GET
@permission_required(VIEW, raise_exception=True)
def assessment_detail(request, year):
    assessment = selectors.assessment_get_for(request.user, year)
    if request.user.is_liaison:
        return redirect(selectors.own_score(request.user, assessment))
    criteria = list(assessment.criteria.all())
    scores = selectors.scores_for(request.user, assessment)
    # Points by criterion kind: a score computed before the rules changed still lines up.
    rows = []
    for score in scores:
        points = {item.get("kind"): item.get("points") for item in score.basis}
        rows.append((score, [points.get(criterion.kind, "—") for criterion in criteria]))
    context = {
        "assessment": assessment,
        "criteria": criteria,
        "rows": rows,
        "sizes": selectors.kind_sizes(assessment),
        "may_change": _may_change(request.user, assessment),
    }
    return render(request, "assessment/assessment_detail.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(CHANGE, raise_exception=True)
def assessment_rules(request, year):
    assessment = selectors.assessment_get_for(request.user, year)
    if not _may_change(request.user, assessment):
        return _refuse(request, assessment)
    data = request.POST if request.method == "POST" else None
    form = RulesForm(data, instance=Assessment.objects.get(pk=assessment.pk))
    formset = CriterionFormSet(data, instance=assessment, prefix="criteria")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.assessment_rules_save(
                assessment=assessment,
                user=request.user,
                **{name: form.cleaned_data[name] for name in RulesForm.Meta.fields},
                criteria=criterion_rows(formset),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The rules were saved: compute the assessment again."))
            return redirect(assessment)
    context = {"assessment": assessment, "form": form, "formset": formset}
    status = 400 if request.method == "POST" else 200
    return render(request, "assessment/assessment_rules.html", context, status=status)


def _refuse(request, assessment):
    messages.error(request, _("A confirmed assessment can no longer be changed."))
    return redirect(assessment)


def _act(request, year, service, done: str):
    """Run a secretariat's action on the year's assessment; its refusal becomes the message."""
    assessment = selectors.assessment_get_for(request.user, year)
    if request.user.is_liaison:
        raise Http404
    try:
        service(assessment=assessment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(assessment)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def assessment_compute(request, year):
    done = _("Every member's score was computed.")
    return _act(request, year, services.assessment_compute, done)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def assessment_confirm(request, year):
    done = _("The assessment is confirmed and the members were told.")
    return _act(request, year, services.assessment_confirm, done)


@require_GET
@permission_required(VIEW, raise_exception=True)
def score_detail(request, year, member):
    assessment = selectors.assessment_get_for(request.user, year)
    score = selectors.score_get_for(request.user, assessment, member)
    history = score.history.select_related("history_user").order_by("-history_date")
    context = {
        "assessment": assessment,
        "score": score,
        "size": selectors.kind_sizes(assessment).get(score.member.kind, 0),
        "history": _adjustments(history),
        "may_change": _may_change(request.user, assessment),
    }
    return render(request, "assessment/score_detail.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("assessment.change_memberscore", raise_exception=True)
def score_adjust(request, year, member):
    assessment = selectors.assessment_get_for(request.user, year)
    score = selectors.score_get_for(request.user, assessment, member)
    if not _may_change(request.user, assessment):
        return _refuse(request, assessment)
    if request.method == "GET":
        form = AdjustForm(instance=score)
    else:  # a copy: a refused adjustment must not show on the score read beside the form
        form = AdjustForm(request.POST, instance=MemberScore(pk=score.pk))
    if request.method == "POST" and form.is_valid():
        try:
            score = services.score_adjust(
                score=score,
                user=request.user,
                adjustment=form.cleaned_data["adjustment"],
                reason=form.cleaned_data["adjustment_reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The score was adjusted."))
            return redirect(score)
    context = {"assessment": assessment, "score": score, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "assessment/score_adjust.html", context, status=status)


def _adjustments(history) -> list:
    """The versions where the adjustment or its reason changed, newest first, with who did it."""
    entries = list(history)
    changed = []
    for entry, before in zip(entries, [*entries[1:], None], strict=True):
        was = (before.adjustment, before.adjustment_reason) if before else (0, "")
        if (entry.adjustment, entry.adjustment_reason) != was:
            changed.append(entry)
    return changed


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        fields = {"adjustment": "adjustment", "reason": "adjustment_reason"}
        for name, errors in error.error_dict.items():
            form.add_error(fields.get(name), errors)
    else:
        form.add_error(None, error)
