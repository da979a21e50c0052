from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .notifications import unread_count

# (label, url name, permission needed); the liaison's member link is added per user below.
NAVIGATION = [
    (_("Work desk"), "home", None),
    (_("Dashboard"), "dashboard:index", "targets.view_indicator"),
    (_("Members"), "jituan:member-list", "jituan.view_member"),
    (_("This quarter's report"), "targets:submission-current", "liaison"),
    (_("Submission board"), "targets:submission-board", "overseer"),
    (_("Supervision"), "supervision:light-list", "targets.view_task"),
    (_("Assessment"), "assessment:list", "assessment.view_assessment"),
    (_("Plans"), "targets:plan-list", "targets.view_plan"),
    (_("Key tasks"), "targets:task-list", "targets.view_task"),
    (_("Indicators"), "targets:indicator-list", "targets.view_indicator"),
    (_("Submissions"), "targets:submission-list", "targets.view_submission"),
    (_("Registers"), "partnerships:overview", "partnerships.view_orderclass"),
    (_("Certification"), "certification:list", "certification.view_certification"),
    (_("Reports"), "reports:archive", "reports.view_report"),
    (_("Excel imports"), "targets:import-list", "targets.add_importbatch"),
    (_("People and roles"), "jituan:user-list", "jituan.view_user"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        {"label": label, "url": reverse(name), "active": _is_under(request.path, reverse(name))}
        for label, name, permission in NAVIGATION
        if _may_see(user, permission)
    ]
    if user.is_liaison and user.member_id:
        url = reverse("jituan:member-detail", args=[user.member_id])
        members = reverse("jituan:member-list")
        items = [
            {"label": _("My member"), "url": url, "active": request.path == url}
            if item["url"] == members
            else item
            for item in items
        ]
    if user.is_staff:
        items.append({"label": _("System admin"), "url": reverse("admin:index"), "active": False})
    return {"navigation": items, "current_role": user.role}


def _is_under(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def _may_see(user, permission) -> bool:
    if permission == "liaison":
        return user.is_liaison
    if permission == "overseer":  # everyone who follows all members: not liaisons
        return user.has_perm("targets.view_submission") and not user.is_liaison
    return permission is None or user.has_perm(permission)


def unread_notifications(request):
    """The navigation's badge: one COUNT query per page, only for a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
