"""The certification screens: submitting a record with evidence, the queue, a submission's page
with the secretariat's decision, and the evidence downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jituan.generic import TableListView
from jituan.selectors import scope_to_member

from . import selectors, services
from .filters import CertificationFilter
from .forms import RejectForm, SubmitForm
from .models import Certification
from .registry import CERTIFIABLE, State, certifiable_for, snapshot_of
from .tables import CertificationTable

# The states a record may be submitted (again) from.
SUBMITTABLE = (State.NOT_SUBMITTED, State.CHANGED, State.REJECTED)


class CertificationListView(TableListView):
    permission_required = "certification.view_certification"
    table_class = CertificationTable
    filterset_class = CertificationFilter
    title = gettext_lazy("Certification")

    def get_queryset(self):
        # Those awaiting a decision first, then the newest.
        awaiting = Case(
            When(status=Certification.Status.SUBMITTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        certifications = selectors.certifications_for(self.request.user)
        return certifications.select_related("content_type").order_by(
            awaiting, "-submitted_at", "-pk"
        )


# --- submitting -------------------------------------------------------------------------------


def _record(user, record_type: str, pk: int):
    """The record, as far as the user may reach it: a liaison their own member's only."""
    certifiable = next((c for c in CERTIFIABLE if c.label == record_type), None)
    if certifiable is None:
        raise Http404
    records = certifiable.model.objects.all()
    if any(f.name == "member" for f in certifiable.model._meta.concrete_fields):
        records = scope_to_member(records, user)
    elif not user.role and not user.is_superuser:
        records = records.none()
    return get_object_or_404(records, pk=pk)


@require_http_methods(["GET", "POST"])
def certification_submit(request, record_type, pk):
    record = _record(request.user, record_type, pk)
    if not services.may_submit(request.user, record):
        raise PermissionDenied
    state = selectors.record_state(record)
    if state.state in (State.SUBMITTED, State.CERTIFIED):
        messages.info(request, state.label)
        return redirect(state.certification)
    form = SubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            certification = services.certification_submit(
                record=record,
                user=request.user,
                uploads=form.cleaned_data["evidence"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Submitted %(record)s for certification.") % {"record": certification.label},
            )
            return redirect(certification)
    context = {
        "form": form,
        "record": record,
        "state": state,
        "verbose_name": record._meta.verbose_name,
        "rows": snapshot_rows(type(record), snapshot_of(record)),
        "record_url": record_url(request.user, record),
    }
    return render(request, "certification/certification_submit.html", context)


# --- a submission and its decision ------------------------------------------------------------


@require_GET
@permission_required("certification.view_certification", raise_exception=True)
def certification_detail(request, pk):
    certification = selectors.certification_get_for(request.user, pk)
    return _detail(request, certification)


def _detail(request, certification, reject_form=None, status=200):
    user = request.user
    model = certification.content_type.model_class()
    earlier = selectors.certifications_for(user).filter(
        content_type=certification.content_type, object_id=certification.object_id
    )
    context = {
        "certification": certification,
        "verbose_name": model._meta.verbose_name,
        "rows": snapshot_rows(model, certification.snapshot),
        "record": None,
        "evidence": certification.evidence.all(),
        "earlier": earlier.exclude(pk=certification.pk).select_related("decided_by"),
        "may_decide": certification.status == Certification.Status.SUBMITTED
        and user.has_perm("certification.change_certification")
        and not user.is_liaison,
        "reject_form": reject_form or RejectForm(),
    }
    record = certification.record
    if record is not None:
        context.update(_record_context(user, certification, record, model))
    return render(request, "certification/certification_detail.html", context, status=status)


def _record_context(user, certification, record, model) -> dict:
    """The record as it is now beside what was submitted, and whether to submit it again."""
    current = snapshot_of(record, model)
    state = selectors.record_state(record)
    again = state.certification == certification and state.state in SUBMITTABLE
    return {
        "record": record,
        "rows": snapshot_rows(model, certification.snapshot, current),
        "changed": current != certification.snapshot,
        "state": state,
        "record_url": record_url(user, record),
        "may_submit_again": again and services.may_submit(user, record),
        "submit_url": submit_url(record),
    }


@require_POST
@permission_required("certification.change_certification", raise_exception=True)
def certification_certify(request, pk):
    certification = selectors.certification_get_for(request.user, pk)
    try:
        services.certification_certify(certification=certification, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Certified %(record)s.") % {"record": certification.label})
    return redirect(certification)


@require_POST
@permission_required("certification.change_certification", raise_exception=True)
def certification_reject(request, pk):
    certification = selectors.certification_get_for(request.user, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.certification_reject(
                certification=certification, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if "reason" not in getattr(error, "error_dict", {}):
                messages.error(request, " ".join(error.messages))
                return redirect(certification)
            form.add_error(None, error)
        else:
            messages.success(request, _("Rejected %(record)s.") % {"record": certification.label})
            return redirect(certification)
    certification.refresh_from_db()
    return _detail(request, certification, reject_form=form, status=400)


@require_GET
@permission_required("certification.view_certification", raise_exception=True)
def evidence_download(request, pk):
    evidence = selectors.evidence_get_for(request.user, pk)
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )


# --- showing a record -------------------------------------------------------------------------


def snapshot_rows(model, snapshot: dict, current: dict | None = None) -> list[dict]:
    """The record's fields as people read them (verbose names, choice labels, names of related
    records): each {label, value, now, differs}; `now` only where the record has changed."""
    rows = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname not in snapshot:
            continue
        value = snapshot[field.attname]
        row = {"label": field.verbose_name, "value": _shown(field, value), "differs": False}
        if current is not None and current.get(field.attname) != value:
            row.update(differs=True, now=_shown(field, current.get(field.attname)))
        rows.append(row)
    return rows


def _shown(field, value) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def record_url(user, record) -> str:
    """The record's page in its register: its edit page for whoever may change it, else its
    history (which every reader of the register may open)."""
    certifiable = certifiable_for(type(record))
    opts = record._meta
    name = certifiable.record_url_name()
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        name = name.removesuffix("-update") + "-history"
    try:
        return reverse(name, args=[record.pk])
    except NoReverseMatch:
        return ""


def submit_url(record) -> str:
    return reverse("certification:submit", args=[type(record)._meta.label_lower, record.pk])
