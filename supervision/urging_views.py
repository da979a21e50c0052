"""Urging pages: the urge buttons of the task and report pages, the urge log, the group robots
and the schedule. Who may do what is declared per view (ROLES_*); what they may see comes from
supervision.selectors."""

from dataclasses import asdict
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jituan.roles import Role
from jituan.selectors import members_for
from targets import selectors as target_selectors

from .models import SupervisionPolicy, Urge
from .selectors import urges_for, webhook_get_for, webhooks_for
from .urging import schedule_save, schedule_steps, urge_send, webhook_delete, webhook_save
from .urging_forms import PolicyForm, StepFormSet, UrgeForm, WebhookForm
from .webhooks import mask_url

URGERS = (Role.SECRETARIAT,)
ROBOT_KEEPERS = (Role.SECRETARIAT, Role.ADMIN)
SCHEDULERS = (Role.SECRETARIAT,)


def _has_role(user, roles) -> bool:
    return user.is_superuser or user.role in roles


def role_required(roles):
    """Signed in, and one of these roles (or a superuser); anyone else gets 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not _has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- urging by hand ---------------------------------------------------------------------------


@require_POST
@role_required(URGERS)
def urge_task(request, pk):
    task = target_selectors.task_get_for(request.user, pk)
    form = UrgeForm(request.POST, members=task.responsible_members.all())
    _urge(request, form, task=task)
    return redirect(task)


@require_POST
@role_required(URGERS)
def urge_submission(request, pk):
    submission = target_selectors.submission_get_for(request.user, pk)
    form = UrgeForm(request.POST)
    _urge(request, form, submission=submission, member=submission.member)
    return redirect(submission)


def _urge(request, form, *, task=None, submission=None, member=None) -> None:
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return
    member = member or form.cleaned_data["member"]
    try:
        urge_send(
            member=member,
            task=task,
            submission=submission,
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    messages.success(request, _("Urged %(member)s.") % {"member": member.name})


# --- the urge log -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@login_required
def urge_list(request):
    user = request.user
    urges = urges_for(user)
    members = members_for(user).order_by("name")
    chosen_member = request.GET.get("member", "")
    if chosen_member.isascii() and chosen_member.isdigit():
        urges = urges.filter(member_id=int(chosen_member))
    origin = request.GET.get("origin", "")
    if origin in Urge.Origin.values:
        urges = urges.filter(origin=origin)
    page = Paginator(urges, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/urge_list.html",
        {
            "page_obj": page,
            "urges": page.object_list,
            "members": members if not user.is_liaison else members.none(),
            "chosen_member": chosen_member,
            "origins": Urge.Origin.choices,
            "origin": origin,
            "query": query.urlencode(),
            "may_keep_robots": _has_role(user, ROBOT_KEEPERS),
            "may_schedule": _has_role(user, SCHEDULERS),
        },
    )


# --- group robots -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@role_required(ROBOT_KEEPERS)
def webhook_list(request):
    webhooks = [(hook, mask_url(hook.url)) for hook in webhooks_for(request.user)]
    return render(request, "supervision/webhook_list.html", {"webhooks": webhooks})


@require_http_methods(["GET", "POST"])
@role_required(ROBOT_KEEPERS)
def webhook_edit(request, pk=None):
    webhook = webhook_get_for(request.user, pk) if pk else None
    form = WebhookForm(request.POST or None, instance=webhook)
    if request.method == "POST" and form.is_valid():
        try:
            saved = webhook_save(webhook=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": saved})
            return redirect("supervision:webhook-list")
    return render(request, "supervision/webhook_form.html", {"form": form, "webhook": webhook})


@require_POST
@role_required(ROBOT_KEEPERS)
def webhook_remove(request, pk):
    webhook = webhook_get_for(request.user, pk)
    name = str(webhook)
    webhook_delete(webhook=webhook)
    messages.success(request, _("Deleted %(name)s.") % {"name": name})
    return redirect("supervision:webhook-list")


# --- the schedule -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(SCHEDULERS)
def schedule_edit(request):
    policy = SupervisionPolicy.current()
    initial = [asdict(step) for step in schedule_steps()]
    data = request.POST if request.method == "POST" else None
    form = PolicyForm(data, initial={"yellow_days": policy.yellow_days})
    formset = StepFormSet(data, initial=initial, prefix="steps")
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            schedule_save(steps=formset.steps(), yellow_days=form.cleaned_data["yellow_days"])
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("The urging schedule is saved."))
            return redirect(reverse("supervision:schedule"))
    return render(request, "supervision/schedule_form.html", {"form": form, "formset": formset})
