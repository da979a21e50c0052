import logging
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, FormView

from . import selectors, services
from .exports import members_workbook
from .filters import MemberFilter, UserFilter
from .forms import MemberContactFormSet, MemberForm, UserForm
from .generic import ModelEditView, TableListView
from .queue import queue_reachable
from .registers import XLSX
from .tables import MemberTable, UserReadTable, UserTable

log = logging.getLogger(__name__)


class MemberListView(TableListView):
    permission_required = "jituan.view_member"
    table_class = MemberTable
    filterset_class = MemberFilter
    template_name = "jituan/member_list.html"

    def get_queryset(self):
        members = selectors.members_for(self.request.user).in_group_order()
        return members.prefetch_related("contacts")


@permission_required("jituan.view_member", raise_exception=True)
@require_GET
def member_export(request):
    """The member list as filtered on screen, as .xlsx (a liaison's holds their member only)."""
    members = selectors.members_for(request.user).in_group_order()
    members = MemberFilter(request.GET, queryset=members, request=request).qs
    response = HttpResponse(members_workbook(members), content_type=XLSX)
    filename = quote(f"{_('Members')}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


class MemberDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "jituan.view_member"
    raise_exception = True
    template_name = "jituan/member_detail.html"

    def get_object(self, queryset=None):
        return selectors.member_get_for(self.request.user, self.kwargs["pk"])


class MemberEditView(ModelEditView):
    """Create (no pk) or edit a member together with its contacts."""

    add_permission = "jituan.add_member"
    change_permission = "jituan.change_member"
    form_class = MemberForm
    formset_class = MemberContactFormSet
    formset_prefix = "contacts"
    template_name = "jituan/member_form.html"

    def get_object(self):
        return selectors.member_get_for(self.request.user, self.kwargs["pk"])

    def save(self, form, formset):
        return services.member_save(member=form.instance, contacts=formset)


class UserListView(TableListView):
    permission_required = "jituan.view_user"
    table_class = UserTable
    filterset_class = UserFilter
    template_name = "jituan/user_list.html"

    def get_queryset(self):
        return selectors.users_for(self.request.user).prefetch_related("groups")

    def get_table_class(self):
        return UserTable if self.request.user.has_perm("jituan.change_user") else UserReadTable


class UserEditView(PermissionRequiredMixin, FormView):
    raise_exception = True
    form_class = UserForm
    template_name = "jituan/user_form.html"

    def get_permission_required(self):
        return ["jituan.change_user" if "pk" in self.kwargs else "jituan.add_user"]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "pk" in self.kwargs:
            kwargs["instance"] = selectors.user_get_for(self.request.user, self.kwargs["pk"])
        return kwargs

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        role, member, password = data.pop("role"), data.pop("member"), data.pop("password")
        try:
            if form.instance.pk:
                user = services.user_update(user=form.instance, role=role, member=member, **data)
                if password:
                    services.user_set_password(user=user, password=password)
            else:
                data.pop("is_active")
                user = services.user_create(role=role, member=member, password=password, **data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(name)s.") % {"name": user})
        return redirect("jituan:user-list")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(status == "ok" for status in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503
    )


def _check_database() -> str:
    """ "ok" or "down": the reason goes to the log, never to an anonymous caller (it names
    hosts and ports)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:  # noqa: BLE001 - any failure is reported, not raised
        log.exception("health check: the database is down")
        return "down"


def _check_broker() -> str:
    return "ok" if queue_reachable() else "down"
