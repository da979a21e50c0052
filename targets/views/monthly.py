"""Monthly progress (月度进展): the reporting member fills its month, the secretariat reviews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import selectors
from ..models import Submission
from ..services import monthly_entries_save, monthly_entry_review, monthly_tasks_of
from ..services.monthly import EDITABLE


@require_http_methods(["GET", "POST"])
@login_required
def monthly_fill(request, plan, month):
    user = request.user
    if not user.is_liaison or not user.member_id:
        raise PermissionDenied
    if not 1 <= month <= 12:
        raise Http404
    plan = selectors.plan_get_for(user, plan)
    tasks = monthly_tasks_of(plan, user.member)
    entries = {
        entry.task_id: entry
        for entry in selectors.monthly_entries_for(user).filter(task__plan=plan, month=month)
    }
    typed, errors, status = {}, {}, 200
    if request.method == "POST":
        typed = {task.pk: request.POST.get(f"progress-{task.pk}", "") for task in tasks}
        try:
            monthly_entries_save(
                plan=plan,
                member=user.member,
                month=month,
                texts=typed,
                user=user,
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            errors = getattr(error, "message_dict", {"__all__": error.messages})
            status = 400
        else:
            done = _("Handed in for review.") if "submit" in request.POST else _("Saved.")
            messages.success(request, done)
            return redirect(request.path)
    today = timezone.localdate()
    months = [m for m in range(1, 13) if (plan.year, m) <= (today.year, today.month)]
    rows = [
        {
            "task": task,
            "entry": entries.get(task.pk),
            "text": typed.get(task.pk, entries[task.pk].progress if task.pk in entries else ""),
            "error": " ".join(errors.get(f"task-{task.pk}", [])),
        }
        for task in tasks
    ]
    return render(
        request,
        "targets/monthly_fill.html",
        {
            "plan": plan,
            "month": month,
            "months": months,
            "rows": rows,
            "errors": errors.get("__all__", []),
            "editable": any(
                row["entry"] is None or row["entry"].status in EDITABLE for row in rows
            ),
        },
        status=status,
    )


@require_GET
@login_required
def monthly_list(request):
    entries = selectors.monthly_entries_for(request.user).exclude(status=Submission.Status.DRAFT)
    shown = request.GET.get("status", "")
    if shown in Submission.Status.values:
        entries = entries.filter(status=shown)
    page = Paginator(entries.order_by("-submitted_at", "-pk"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "targets/monthly_list.html",
        {"page": page, "shown": shown, "statuses": Submission.Status.choices[1:]},
    )


@require_POST
@permission_required("targets.review_submission", raise_exception=True)
def monthly_review(request, pk):
    entry = get_object_or_404(selectors.monthly_entries_for(request.user), pk=pk)
    try:
        monthly_entry_review(
            entry=entry,
            approve="approve" in request.POST,
            comment=request.POST.get("comment", ""),
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reviewed: %(entry)s.") % {"entry": entry})
    return redirect(reverse("targets:monthly-list") + "?status=submitted")
