from csp.decorators import csp_exempt
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jituan.queue import QUEUE_DOWN

from . import services
from .forms import ReportRequestForm
from .models import Report

VIEW = "reports.view_report"
ISSUE = "reports.issue_report"


def reports_for(user):
    """The secretariat sees drafts and issued reports; everyone else only what was issued."""
    reports = Report.objects.select_related("requested_by", "issued_by", "replaces")
    return reports if user.has_perm("reports.add_report") else reports.issued()


def _archive_context(request, form):
    reports = reports_for(request.user)
    return {
        "reports": reports[:200],
        "form": form,
        "drafts_waiting": reports.drafts().filter(status=Report.Status.DONE).count()
        if request.user.has_perm(ISSUE)
        else 0,
    }


@permission_required(VIEW, raise_exception=True)
def archive(request):
    """Every report the user may read, newest first, and (for the secretariat) the generate form."""
    form = ReportRequestForm() if request.user.has_perm("reports.add_report") else None
    return render(request, "reports/archive.html", _archive_context(request, form))


@require_POST
@permission_required("reports.add_report", raise_exception=True)
def generate(request):
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "reports/archive.html", _archive_context(request, form), status=400)
    report = services.request_report(**form.cleaned_data, user=request.user)
    if getattr(report, "queue_unavailable", False):
        messages.warning(request, QUEUE_DOWN)
    else:
        messages.success(
            request, _("The worker is generating the report as a draft; preview it, then issue it.")
        )
    return redirect(report)


@permission_required(VIEW, raise_exception=True)
def detail(request, pk):
    report = get_object_or_404(reports_for(request.user), pk=pk)
    return render(
        request,
        "reports/detail.html",
        {"report": report, "corrections": report.corrections.order_by("version")},
    )


def _act(request, pk, action, success: str):
    report = get_object_or_404(reports_for(request.user), pk=pk)
    try:
        result = action(report=report, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    if getattr(result, "queue_unavailable", False):
        messages.warning(request, QUEUE_DOWN)
    else:
        messages.success(request, success)
    return redirect(result)


@require_POST
@permission_required(ISSUE, raise_exception=True)
def issue(request, pk):
    return _act(
        request, pk, services.report_issue, _("Issued. A dispatch report goes to the council now.")
    )


@require_POST
@permission_required("reports.add_report", raise_exception=True)
def regenerate(request, pk):
    return _act(
        request, pk, services.report_regenerate, _("The worker is generating the draft again.")
    )


def _correction(*, report, user):
    return services.request_report(
        kind=report.kind,
        year=report.year,
        month=report.month,
        format=report.format,
        user=user,
        replaces=report,
    )


@require_POST
@permission_required("reports.add_report", raise_exception=True)
def correct(request, pk):
    return _act(
        request,
        pk,
        _correction,
        _("A corrected version is being generated as a draft; issue it to replace this one."),
    )


@permission_required(VIEW, raise_exception=True)
def status(request, pk):
    report = get_object_or_404(reports_for(request.user), pk=pk)
    return JsonResponse(
        {
            "status": report.status,
            "status_label": report.get_status_display(),
            "percent": report.progress,
            "step": report.step,
            "finished": report.is_finished,
            "error": report.error,
        }
    )


# A PDF opened in the browser is shown by its PDF viewer, which a page policy such as
# object-src 'none' would block; the file is ours and runs no script of its own.
@csp_exempt()
@permission_required(VIEW, raise_exception=True)
def download(request, pk):
    """The file; ?preview=1 opens a PDF in the browser instead of saving it."""
    report = get_object_or_404(reports_for(request.user), pk=pk, status=Report.Status.DONE)
    if not report.file:
        raise Http404
    inline = request.GET.get("preview") == "1" and report.format == Report.Format.PDF
    return FileResponse(
        report.file.open("rb"), as_attachment=not inline, filename=report.download_name
    )


@permission_required(VIEW, raise_exception=True)
def download_word(request, pk):
    """A PDF report's Word version, rendered with it from the same data."""
    report = get_object_or_404(reports_for(request.user), pk=pk, status=Report.Status.DONE)
    if not report.word_file:
        raise Http404
    return FileResponse(
        report.word_file.open("rb"), as_attachment=True, filename=report.word_download_name
    )
