"""Quarterly submissions: the liaison's form, the secretariat's board and review, history,
evidence and reopening."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jituan.generic import TableListView
from jituan.selectors import members_for

from .. import exports, periods, reporting, selectors, services
from ..board import board_rows, members_reporting_on
from ..deadlines import member_deadline_state
from ..filters import SubmissionFilter
from ..forms import (
    EvidenceForm,
    IndicatorReportForm,
    ReopenDecisionForm,
    ReopenRequestForm,
    TaskReportForm,
)
from ..models import QUARTERS, ReopenRequest, Submission
from ..tables import SubmissionTable

# --- the liaison's quarter ------------------------------------------------------------------


@require_GET
def current_quarter(request):
    """本季度填报: the quarter the liaison reports on now."""
    if not request.user.is_liaison:
        return redirect("targets:submission-board")
    found = periods.current_quarter(request.user.member, timezone.localdate())
    if found is None:
        raise Http404
    plan, quarter = found
    return redirect("targets:submission-fill", plan=plan.pk, quarter=quarter)


@require_http_methods(["GET", "POST"])
@permission_required("targets.change_submission", raise_exception=True)
def submission_fill(request, plan, quarter):
    """The liaison's form. Opening it writes nothing: a quarter not yet reported shows empty,
    unsaved rows, and the submission is created by the first save or submit."""
    if not request.user.is_liaison or quarter not in range(1, 5):
        raise PermissionDenied
    plan = selectors.plan_get_for(request.user, plan)
    member = request.user.member
    state = member_deadline_state(plan, member.pk, quarter, timezone.localdate())
    submission = reporting.submission_of(plan=plan, member=member, quarter=quarter)
    fillable = state.accepts_liaison and (submission is None or submission.is_editable_by_liaison)
    if submission is None and fillable:
        submission = Submission(plan=plan, member=member, quarter=quarter)
    if submission is None:
        return _fill_page(request, plan, quarter, state, None, [], [])
    data = request.POST if request.method == "POST" else None
    tasks, indicators = _report_forms(submission, data, complete=fillable)
    if request.method == "POST":
        return _fill_post(request, submission, state, tasks, indicators, start=fillable)
    return _fill_page(request, plan, quarter, state, submission, tasks, indicators)


def _report_forms(submission, data=None, *, complete: bool):
    tasks, indicators = reporting.report_rows(
        plan=submission.plan, member=submission.member, submission=submission, complete=complete
    )
    return (
        [(r, _task_form(r, data)) for r in tasks],
        [
            (r, IndicatorReportForm(data, instance=r, prefix=f"indicator-{r.indicator_id}"))
            for r in indicators
        ],
    )


def _task_form(report, data) -> TaskReportForm:
    form = TaskReportForm(data, instance=report, prefix=f"task-{report.task_id}")
    if report.assisting_for is not None:
        # The lead reports for the task; what an assisting member writes is its note for it.
        form.fields["progress"].label = _("Note for the lead member")
        form.fields["progress"].help_text = _(
            "%(lead)s reports for the task and sees this note on its own report."
        ) % {"lead": report.assisting_for.name}
    return form


def _fill_post(request, submission, state, tasks, indicators, *, start: bool):
    version = _posted_version(request)
    page = (request, submission.plan, submission.quarter, state, submission, tasks, indicators)
    if not all(form.is_valid() for _r, form in tasks + indicators):
        messages.error(request, _("Some entries need fixing; nothing was saved yet."))
        return _fill_page(*page, version=version)
    status = 200
    try:
        _save(request, submission, tasks, indicators, version=version, start=start)
    except services.SubmissionConflict as error:
        messages.error(request, error.messages[0])
        status = 409
    except ValidationError as error:
        _attach_errors(request, error, tasks, indicators)
    else:
        text = _("Submitted.") if "submit" in request.POST else _("Saved as a draft.")
        messages.success(request, text)
        return redirect(request.path)
    # Re-render with exactly what the user typed, so that nothing is lost.
    return _fill_page(*page, version=version, status=status)


def _save(request, submission, tasks, indicators, *, version: int, start: bool):
    # One transaction: a save that is refused leaves no submission created for it behind.
    with transaction.atomic():
        if start:
            submission = services.submission_start(
                plan=submission.plan, member=submission.member, quarter=submission.quarter
            )
        services.submission_save(
            submission=submission,
            version=version,
            task_rows={r.task_id: f.cleaned_data for r, f in tasks},
            indicator_rows={r.indicator_id: f.cleaned_data for r, f in indicators},
            user=request.user,
            submit="submit" in request.POST,
        )


def _posted_version(request) -> int:
    """The version the form was opened at; anything else counts as stale (refused, not a 500)."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else -1


def _attach_errors(request, error: ValidationError, tasks, indicators):
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            messages.error(request, message)
        return
    forms = {f"task-{r.task_id}": f for r, f in tasks}
    forms |= {f"indicator-{r.indicator_id}": f for r, f in indicators}
    for key, problems in error.message_dict.items():
        for problem in problems:
            forms[key].add_error(None, problem)
    messages.error(request, _("Some entries need fixing; nothing was saved yet."))


def _fill_page(request, plan, quarter, state, submission, tasks, indicators, **extra):
    saved = submission is not None and submission.pk is not None
    notes = selectors.assisting_notes_for(request.user, plan=plan, quarter=quarter)
    member = submission.member if submission is not None else request.user.member
    months = selectors.monthly_entries_of_quarter(request.user, plan, member, quarter)
    for report, _form in tasks:
        report.assisting_notes = notes.get(report.task_id, [])
        report.monthly_entries = months.get(report.task_id, [])
    context = {
        "plan": plan,
        "quarter": quarter,
        "quarters": QUARTERS,
        "state": state,
        "submission": submission,
        "saved": saved,
        "task_forms": tasks,
        "indicator_forms": indicators,
        "editable": bool(
            submission and submission.is_editable_by_liaison and state.accepts_liaison
        ),
        "version": extra.get("version", submission.version if submission else 0),
        "evidence": submission.evidence.all() if saved else [],
        "evidence_form": EvidenceForm(),
        "reopen_form": ReopenRequestForm(),
        "register_figures": reporting.register_figures(plan=plan, member=request.user.member)
        if request.user.member_id
        else [],
        "pending_reopen": selectors.reopen_requests_for(request.user)
        .filter(plan=plan, quarter=quarter, status=ReopenRequest.Status.PENDING)
        .exists(),
    }
    return render(request, "targets/submission_fill.html", context, status=extra.get("status", 200))


# --- evidence ---------------------------------------------------------------------------------


@require_POST
@permission_required("targets.add_evidence", raise_exception=True)
def evidence_upload(request, pk):
    """Attach a file. The fill page sends it in the background (asking for JSON) so that what
    the liaison typed but has not saved stays in the form; a plain post (no JavaScript) is
    answered with the fill page again."""
    submission = selectors.submission_get_for(request.user, pk)
    problems = _evidence_store(request, submission)
    if _wants_json(request):
        return _evidence_json(request, submission, problems)
    for problem in problems:
        messages.error(request, problem)
    if not problems:
        messages.success(request, _("Evidence uploaded."))
    return redirect(_fill_url(submission))


def _evidence_store(request, submission) -> list[str]:
    """Store the posted file; the problems that refused it (none when it was stored)."""
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return list(form.errors.get("file") or [_("Choose a file to upload.")])
    kind, _sep, row_id = form.cleaned_data["row"].partition("-")
    try:
        services.evidence_add(
            submission=submission,
            upload=form.cleaned_data["file"],
            user=request.user,
            task_id=_row_id(submission.tasks, "task_id", row_id) if kind == "task" else None,
            indicator_id=_row_id(submission.indicators, "indicator_id", row_id)
            if kind == "indicator"
            else None,
        )
    except ValidationError as error:
        return error.messages
    return []


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or bool(
        request.headers.get("X-Requested-With")
    )


def _evidence_json(request, submission, problems: list[str]) -> JsonResponse:
    """The outcome and the evidence list as it is now (its HTML, to replace the shown one)."""
    submission.refresh_from_db()
    state = member_deadline_state(
        submission.plan, submission.member_id, submission.quarter, timezone.localdate()
    )
    editable = submission.is_editable_by_liaison and state.accepts_liaison
    html = render_to_string(
        "targets/partials/evidence_list.html",
        {"evidence": submission.evidence.select_related("task"), "editable": editable},
        request=request,
    )
    message = " ".join(problems) if problems else _("Evidence uploaded.")
    return JsonResponse(
        {"ok": not problems, "message": message, "html": html}, status=400 if problems else 200
    )


def _row_id(reports, field: str, value: str):
    """Only a row of this very submission may be named (never another member's task)."""
    ids = set(reports.values_list(field, flat=True))
    return int(value) if value.isascii() and value.isdigit() and int(value) in ids else None


@require_GET
def evidence_download(request, pk):
    evidence = selectors.evidence_get_for(request.user, pk)
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )


@require_POST
@permission_required("targets.delete_evidence", raise_exception=True)
def evidence_delete(request, pk):
    evidence = selectors.evidence_get_for(request.user, pk)
    submission = evidence.submission
    try:
        services.evidence_remove(evidence=evidence, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_fill_url(submission))


def _fill_url(submission):
    return reverse("targets:submission-fill", args=[submission.plan_id, submission.quarter])


# --- reopening --------------------------------------------------------------------------------


@require_POST
@permission_required("targets.add_reopenrequest", raise_exception=True)
def reopen_request(request, plan, quarter):
    if quarter not in range(1, 5):
        message = _("There is no quarter %(quarter)s: quarters are 1 to 4.") % {"quarter": quarter}
        return render(request, "400.html", {"message": message}, status=400)
    plan = selectors.plan_get_for(request.user, plan)
    form = ReopenRequestForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give a reason for reopening."))
        reason = form.cleaned_data["reason"]
        services.reopen_request_create(plan=plan, quarter=quarter, reason=reason, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request was sent to the secretariat."))
    return redirect("targets:submission-fill", plan=plan.pk, quarter=quarter)


@permission_required("targets.change_reopenrequest", raise_exception=True)
def reopen_list(request):
    requests = selectors.reopen_requests_for(request.user)
    return render(
        request,
        "targets/reopen_list.html",
        {"requests": requests[:200], "form": ReopenDecisionForm()},
    )


@require_POST
@permission_required("targets.change_reopenrequest", raise_exception=True)
def reopen_decide(request, pk):
    reopen = get_object_or_404(selectors.reopen_requests_for(request.user), pk=pk)
    form = ReopenDecisionForm(request.POST)
    if not form.is_valid():
        for field, problems in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for problem in problems:
                messages.error(request, f"{label}：{problem}" if label else problem)
        return redirect("targets:reopen-list")
    try:
        services.reopen_request_decide(
            request=reopen,
            grant="grant" in request.POST,
            user=request.user,
            until=form.cleaned_data["until"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Answered."))
    return redirect("targets:reopen-list")


# --- the secretariat: board, list, review -------------------------------------------------------


@permission_required("targets.view_submission", raise_exception=True)
def submission_board(request):
    plans = selectors.plans_for(request.user).order_by("-year")
    chosen = request.GET.get("plan", "")
    plan = plans.filter(pk=chosen).first() if chosen.isascii() and chosen.isdigit() else None
    plan = plan or selectors.default_plan(plans, timezone.localdate())
    if plan is None:
        return render(request, "targets/submission_board.html", {"plans": plans})
    members = members_reporting_on(plan, members_for(request.user))
    rows = board_rows(plan, members, timezone.localdate())
    pending = selectors.reopen_requests_for(request.user).filter(
        status=ReopenRequest.Status.PENDING
    )
    return render(
        request,
        "targets/submission_board.html",
        {
            "plans": plans,
            "plan": plan,
            "rows": rows,
            "quarters": QUARTERS,
            "pending_reopen": pending.count(),
        },
    )


class SubmissionListView(TableListView):
    permission_required = "targets.view_submission"
    table_class = SubmissionTable
    filterset_class = SubmissionFilter
    title = gettext_lazy("Quarterly submissions")
    template_name = "targets/submission_list.html"

    def get_queryset(self):
        return selectors.submissions_for(self.request.user)


@require_GET
@permission_required("targets.view_submission", raise_exception=True)
def submission_export(request):
    submissions = SubmissionFilter(
        request.GET, selectors.submissions_for(request.user), request=request
    ).qs
    workbook = exports.submissions_workbook(submissions)
    return exports.xlsx_response(exports.workbook_bytes(workbook), "季度进展.xlsx")


@permission_required("targets.view_submission", raise_exception=True)
def submission_detail(request, pk):
    return _detail_page(request, selectors.submission_get_for(request.user, pk))


def _detail_page(request, submission, *, kept: dict | None = None, status: int = 200):
    """The submission with its review form. `kept` is what a refused review posted (the overall
    comment and the row comments): shown again in the form, never lost."""
    can_review = request.user.has_perm("targets.review_submission")
    tasks = list(submission.tasks.select_related("task").prefetch_related("task__milestones"))
    indicators = list(submission.indicators.select_related("indicator"))
    for report in tasks:
        report.comment_draft = (kept or {}).get(f"task-{report.task_id}", report.review_comment)
    for report in indicators:
        key = f"indicator-{report.indicator_id}"
        report.comment_draft = (kept or {}).get(key, report.review_comment)
    return render(
        request,
        "targets/submission_detail.html",
        {
            "submission": submission,
            "tasks": tasks,
            "indicators": indicators,
            "evidence": submission.evidence.all(),
            "changes": reporting.changes_since_review(submission),
            "can_review": can_review and submission.status == Submission.Status.SUBMITTED,
            "kept": kept,
            "is_clean": services.submission_is_clean(submission),
            **_return_reopening(submission, kept),
        },
        status=status,
    )


def _return_reopening(submission, kept: dict | None) -> dict:
    """The review form's date field, shown only when a return has to reopen the quarter."""
    if submission.status != Submission.Status.SUBMITTED:
        return {"reopen_on_return": False}
    if not services.return_needs_reopening(submission):
        return {"reopen_on_return": False}
    today = timezone.localdate()
    default = services.return_reopen_default().isoformat()
    return {
        "reopen_on_return": True,
        "reopen_until": (kept or {}).get("reopen_until") or default,
        "reopen_min": today.isoformat(),
        "reopen_max": (today + timedelta(days=services.RETURN_REOPEN_MAX_DAYS)).isoformat(),
    }


@require_POST
@permission_required("targets.review_submission", raise_exception=True)
def submission_review(request, pk):
    submission = selectors.submission_get_for(request.user, pk)
    prefix_task, prefix_indicator = "comment-task-", "comment-indicator-"
    task_comments = _comments(request.POST, prefix_task)
    indicator_comments = _comments(request.POST, prefix_indicator)
    # What the reviewer typed, shown again in the form if the review is refused.
    kept = {k: request.POST.get(k, "") for k in ("comment", "reopen_until")}
    kept |= {f"task-{k}": v for k, v in task_comments.items()}
    kept |= {f"indicator-{k}": v for k, v in indicator_comments.items()}
    try:
        reopen_until = forms.DateField(required=False).clean(kept["reopen_until"].strip())
        services.submission_review(
            submission=submission,
            version=_posted_version(request),
            approve="approve" in request.POST,
            user=request.user,
            comment=request.POST.get("comment", ""),
            task_comments=task_comments,
            indicator_comments=indicator_comments,
            reopen_until=reopen_until,
        )
    except services.SubmissionConflict as error:
        # Another reviewer got there first: show the submission as it is now, with this
        # reviewer's comments still in the form.
        messages.error(request, error.messages[0])
        submission = selectors.submission_get_for(request.user, pk)
        return _detail_page(request, submission, kept=kept, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _detail_page(request, submission, kept=kept, status=400)
    text = _("Approved.") if "approve" in request.POST else _("Returned to the liaison.")
    messages.success(request, text)
    return redirect(f"{reverse('targets:submission-board')}?plan={submission.plan_id}")


def _comments(post, prefix: str) -> dict[int, str]:
    return {
        int(k[len(prefix) :]): v
        for k, v in post.items()
        if k.startswith(prefix) and k[len(prefix) :].isascii() and k[len(prefix) :].isdigit()
    }


@require_POST
@permission_required("targets.review_submission", raise_exception=True)
def submissions_bulk_approve(request):
    # Each ticked box is "id:version", the submission as the board showed it.
    seen = {}
    for value in request.POST.getlist("submission"):
        pk, _sep, version = value.partition(":")
        if pk.isascii() and pk.isdigit() and version.isascii() and version.isdigit():
            seen[int(pk)] = int(version)
    back = _safe_next(request) or reverse("targets:submission-board")
    if not seen:
        messages.error(request, _("Tick the submissions to approve first."))
        return redirect(back)
    submissions = selectors.submissions_for(request.user).filter(pk__in=seen)
    result = services.submissions_bulk_approve(
        submissions=submissions, user=request.user, seen=seen
    )
    # One banner per outcome: "approved 0" is no success, and when all were taken by someone
    # else the warning below says so on its own.
    if result.approved or result.skipped or not result.taken:
        say = messages.success if result.approved else messages.warning
        say(
            request,
            _("Approved %(approved)s; left %(skipped)s that need a look.")
            % {"approved": result.approved, "skipped": result.skipped},
        )
    if result.taken:
        messages.warning(
            request,
            _("%(count)s were handled or changed by someone else meanwhile and skipped.")
            % {"count": result.taken},
        )
    return redirect(back)


def _safe_next(request) -> str:
    """The posted `next` if it points back into this site, else "": never an open redirect."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


@permission_required("targets.view_submission", raise_exception=True)
def submission_history(request, pk):
    submission = selectors.submission_get_for(request.user, pk)
    versions = submission.versions.select_related("by")
    return render(
        request, "targets/submission_history.html", {"submission": submission, "versions": versions}
    )
