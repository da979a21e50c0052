from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jituan.notifications import (
    mark_all_read,
    mark_read,
    notification_settings_save,
    notifications_for,
)
from jituan.roles import Role

from . import selectors
from .forms import NotificationSettingsForm


def home(request):
    """工作台: each role opens on its own work. Leadership reads the dashboard."""
    user, today = request.user, timezone.localdate()
    if user.role == Role.LEADERSHIP:
        return redirect("dashboard:index")
    if user.is_liaison:
        desk = selectors.liaison_desk(user, today)
        return render(request, "desk/liaison.html", {"desk": desk, "member": user.member})
    if user.role == Role.ADMIN:
        items = selectors.admin_items(user)
    elif user.role == Role.SECRETARIAT or user.is_superuser:
        items = selectors.secretariat_items(user, today)
    else:
        items = []
    return render(request, "desk/home.html", {"items": items, **selectors.member_overview(user)})


@require_http_methods(["GET"])
def notification_list(request):
    notes = notifications_for(request.user)[:200]
    return render(request, "desk/notification_list.html", {"notifications": notes})


@require_POST
def notification_read(request, pk):
    """Mark one read and open what it is about."""
    note = mark_read(notification=get_object_or_404(notifications_for(request.user), pk=pk))
    safe = url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()})
    return redirect(note.url if note.url and safe else "desk:notification-list")


@require_POST
def notification_read_all(request):
    mark_all_read(user=request.user)
    return redirect("desk:notification-list")


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    initial = {"email_notifications": request.user.email_notifications}
    # Bound on every POST: unticking the only box posts no field at all.
    data = request.POST if request.method == "POST" else None
    form = NotificationSettingsForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        notification_settings_save(
            user=request.user, email_notifications=form.cleaned_data["email_notifications"]
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("desk:notification-list")
    return render(request, "desk/notification_settings.html", {"form": form})
