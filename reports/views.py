from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import ReportRequestForm
from .models import Report
from .services import request_report

VIEW = "reports.view_report"


@permission_required(VIEW, raise_exception=True)
def archive(request):
    """Every generated report, newest first, and (for the secretariat) the generate form."""
    reports = Report.objects.select_related("requested_by")[:200]
    form = ReportRequestForm() if request.user.has_perm("reports.add_report") else None
    return render(request, "reports/archive.html", {"reports": reports, "form": form})


@require_POST
@permission_required("reports.add_report", raise_exception=True)
def generate(request):
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        reports = Report.objects.select_related("requested_by")[:200]
        return render(
            request, "reports/archive.html", {"reports": reports, "form": form}, status=400
        )
    report = request_report(**form.cleaned_data, user=request.user)
    messages.success(request, _("The worker is generating the report."))
    return redirect(report)


@permission_required(VIEW, raise_exception=True)
def detail(request, pk):
    report = get_object_or_404(Report, pk=pk)
    return render(request, "reports/detail.html", {"report": report})


@permission_required(VIEW, raise_exception=True)
def status(request, pk):
    report = get_object_or_404(Report, pk=pk)
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


@permission_required(VIEW, raise_exception=True)
def download(request, pk):
    report = get_object_or_404(Report, pk=pk, status=Report.Status.DONE)
    if not report.file:
        raise Http404
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.download_name)
