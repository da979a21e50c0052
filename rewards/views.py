import io
from urllib.parse import quote

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jituan.registers import XLSX

from .exports import reward_workbook
from .forms import SummaryForm
from .selectors import latest_reward_year, reward_summary_for

PERMISSION = "rewards.view_rewardrule"


def _summary_form(request) -> SummaryForm:
    data = request.GET.copy()
    data.setdefault("year", str(latest_reward_year()))
    return SummaryForm(data)


@require_GET
@permission_required(PERMISSION, raise_exception=True)
def summary(request):
    form = _summary_form(request)
    context = {"form": form, "query": form.data.urlencode()}
    if not form.is_valid():
        return render(request, "rewards/summary.html", context, status=400)
    context["summary"] = reward_summary_for(request.user, **form.cleaned_data)
    return render(request, "rewards/summary.html", context)


@require_GET
@permission_required(PERMISSION, raise_exception=True)
def summary_xlsx(request):
    form = _summary_form(request)
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        return HttpResponse(" ".join(problems), status=400, content_type="text/plain")
    summary = reward_summary_for(request.user, **form.cleaned_data)
    buffer = io.BytesIO()
    reward_workbook(summary).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = quote(_("%(year)s reward and deduction summary.xlsx") % {"year": summary.year})
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response
