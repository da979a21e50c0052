from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, FormView

from jituan.generic import ModelEditView, TableListView
from jituan.queue import QUEUE_DOWN, queue_reachable
from jituan.selectors import members_for

from .. import exports, selectors, services
from ..filters import AllocationFilter, ImportFilter, IndicatorFilter, PlanFilter, TaskFilter
from ..forms import (
    AllocationFormSet,
    CategoryTargetFormSet,
    GroupFigureForm,
    ImportForm,
    IndicatorForm,
    MilestoneFormSet,
    PlanForm,
    QuarterScheduleFormSet,
    TaskForm,
    TrajectoryFormSet,
)
from ..importers.preview import STATUSES
from ..models import GroupFigure, ImportBatch
from ..progress import member_figures, task_progress_for
from ..sources import GROUP_FIGURE
from ..tables import AllocationTable, ImportTable, IndicatorTable, PlanTable, TaskTable
from ..tasks import import_send

# --- plans ------------------------------------------------------------------------------------


class PlanListView(TableListView):
    permission_required = "targets.view_plan"
    table_class = PlanTable
    filterset_class = PlanFilter
    title = gettext_lazy("Annual plans")
    create_url = reverse_lazy("targets:plan-create")
    create_permission = "targets.add_plan"

    def get_queryset(self):
        return (
            selectors.plans_for(self.request.user)
            .order_by("-year")
            .annotate(
                task_count=Count("tasks", distinct=True),
                indicator_count=Count("indicators", distinct=True),
            )
        )


class PlanDetailView(DetailView):
    template_name = "targets/plan_detail.html"

    def get_object(self, queryset=None):
        return selectors.plan_get_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user = self.request.user
        tasks = selectors.tasks_for(user).filter(plan=self.object)
        indicators = list(
            selectors.indicators_for(user).filter(plan=self.object).prefetch_related("trajectory")
        )
        progress = selectors.plan_progress(indicators)
        kwargs["member_figures"] = None
        if user.is_liaison:
            # The group's figures and the other members' allocations stay on the secretariat's
            # and leadership's screens, as on the dashboard.
            kwargs["member_figures"] = member_figures(progress, user.member) if user.member else []
        else:
            kwargs["totals"] = selectors.allocation_sums(indicators)
            for total, item in zip(kwargs["totals"], progress, strict=True):
                total.progress = item
        return super().get_context_data(
            tasks=tasks.select_related("lead_member").prefetch_related(
                "milestones", "responsible_members"
            ),
            **kwargs,
        )


class PlanEditView(ModelEditView):
    add_permission = "targets.add_plan"
    change_permission = "targets.change_plan"
    form_class = PlanForm
    formset_class = QuarterScheduleFormSet
    formset_prefix = "schedules"
    template_name = "targets/object_form.html"

    def get_object(self):
        return selectors.plan_get_for(self.request.user, self.kwargs["pk"])

    def save(self, form, formset):
        return services.plan_save(plan=form.instance, schedules=formset)


@require_GET
def plan_export(request, pk):
    plan = selectors.plan_get_for(request.user, pk)
    tasks = selectors.tasks_for(request.user).filter(plan=plan)
    workbook = exports.task_sheet_workbook(
        plan, tasks=tasks, organisation=_group_name(), user=request.user
    )
    return exports.xlsx_response(
        exports.workbook_bytes(workbook), f"{plan.year}-任务分解一览表.xlsx"
    )


@require_GET
@permission_required("targets.add_importbatch", raise_exception=True)
def task_sheet_template(request):
    workbook = exports.task_sheet_workbook(None, organisation=_group_name())
    return exports.xlsx_response(exports.workbook_bytes(workbook), "任务分解一览表-模板.xlsx")


def _group_name() -> str:
    return _("Vocational-education group secretariat")


# --- tasks ------------------------------------------------------------------------------------


class TaskListView(TableListView):
    permission_required = "targets.view_task"
    table_class = TaskTable
    filterset_class = TaskFilter
    title = gettext_lazy("Key tasks")

    def get_queryset(self):
        tasks = selectors.tasks_for(self.request.user).select_related("lead_member")
        return tasks.prefetch_related("responsible_members")


class TaskDetailView(DetailView):
    template_name = "targets/task_detail.html"

    def get_object(self, queryset=None):
        return selectors.task_get_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user = self.request.user
        # Task.latest_progress joins every member's text: shown only to those who read every
        # member, and only while no approved report has replaced what an import wrote there.
        return super().get_context_data(
            member_progress=task_progress_for(user, self.object),
            imported_progress="" if user.is_liaison else self.object.latest_progress,
            **kwargs,
        )


def _plan_for_new(request):
    """The plan a new task or indicator goes into, from ?plan=: not a number is a bad request."""
    chosen = request.GET.get("plan") or "0"
    if not (chosen.isascii() and chosen.isdigit()):
        raise BadRequest(_("Choose the plan from the list; the address names no plan."))
    return selectors.plan_get_for(request.user, int(chosen))


class TaskEditView(ModelEditView):
    add_permission = "targets.add_task"
    change_permission = "targets.change_task"
    form_class = TaskForm
    formset_class = MilestoneFormSet
    formset_prefix = "milestones"
    template_name = "targets/object_form.html"

    def get_object(self):
        return selectors.task_get_for(self.request.user, self.kwargs["pk"])

    def new_object(self):
        plan = _plan_for_new(self.request)
        return self.form_class._meta.model(plan=plan)

    def save(self, form, formset):
        members = form.cleaned_data["responsible_members"]
        return services.task_save(task=form.instance, members=members, milestones=formset)


# --- indicators and allocations ----------------------------------------------------------------


class IndicatorListView(TableListView):
    permission_required = "targets.view_indicator"
    table_class = IndicatorTable
    filterset_class = IndicatorFilter
    title = gettext_lazy("Indicators")

    def get_queryset(self):
        return selectors.indicators_for(self.request.user)


class IndicatorDetailView(DetailView):
    template_name = "targets/indicator_detail.html"

    def get_object(self, queryset=None):
        return selectors.indicator_get_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user = self.request.user
        allocations = selectors.allocations_for(user).filter(indicator=self.object)
        sees_all = not user.is_liaison
        total = selectors.allocation_sums([self.object])[0] if sees_all else None
        progress = selectors.indicator_progress(self.object)
        members = members_for(user).in_group_order()
        if self.object.source == GROUP_FIGURE and sees_all:
            kwargs["group_figures"] = self.object.group_figures.select_related(
                "entered_by", "confirmed_by"
            )
            if user.has_perm("targets.change_indicator"):
                kwargs.setdefault(
                    "group_form", GroupFigureForm(initial={"year": self.object.plan.year})
                )
        return super().get_context_data(
            allocations=allocations,
            category_targets=self.object.category_targets.all(),
            total=total,
            progress=progress if sees_all else None,
            member_rows=progress.member_rows(members),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        """Enter a group figure (indicators whose source is the secretariat's own figure)."""
        if not request.user.has_perm("targets.change_indicator"):
            raise PermissionDenied
        self.object = self.get_object()
        if self.object.source != GROUP_FIGURE:
            raise BadRequest(_("This indicator is not entered as a group figure."))
        form = GroupFigureForm(
            request.POST, request.FILES, instance=GroupFigure(indicator=self.object)
        )
        if form.is_valid():
            try:
                services.group_figure_enter(
                    figure=form.instance,
                    user=request.user,
                    evidence=form.cleaned_data["evidence"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Entered; it counts once another secretariat user confirms it.")
                )
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(group_form=form))


@require_POST
@permission_required("targets.change_indicator", raise_exception=True)
def group_figure_confirm(request, pk):
    figure = get_object_or_404(
        GroupFigure.objects.filter(indicator__in=selectors.indicators_for(request.user)), pk=pk
    )
    try:
        services.group_figure_confirm(figure=figure, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Confirmed: this is now the group's figure."))
    return redirect(figure.indicator)


@permission_required("targets.view_indicator", raise_exception=True)
def group_figure_evidence(request, pk):
    """The document behind a group figure: for the secretariat and leadership, never liaisons."""
    if request.user.is_liaison:
        raise Http404
    figure = get_object_or_404(
        GroupFigure.objects.filter(indicator__in=selectors.indicators_for(request.user)).exclude(
            evidence=""
        ),
        pk=pk,
    )
    return FileResponse(
        figure.evidence.open("rb"), as_attachment=True, filename=figure.evidence_name
    )


class IndicatorEditView(ModelEditView):
    add_permission = "targets.add_indicator"
    change_permission = "targets.change_indicator"
    form_class = IndicatorForm
    formset_class = TrajectoryFormSet
    formset_prefix = "trajectory"
    template_name = "targets/object_form.html"

    def get_object(self):
        return selectors.indicator_get_for(self.request.user, self.kwargs["pk"])

    def new_object(self):
        plan = _plan_for_new(self.request)
        return self.form_class._meta.model(plan=plan)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.object.plan}

    def save(self, form, formset):
        return services.indicator_save(indicator=form.instance, trajectory=formset)


class AllocationEditView(ModelEditView):
    """The per-member split of one indicator, edited as a table; for a rate or growth also the
    targets by category (county schools 30%, urban public schools 50% …)."""

    add_permission = change_permission = "targets.change_allocation"
    form_class = None
    formset_class = AllocationFormSet
    formset_prefix = "allocations"
    template_name = "targets/allocation_form.html"

    def get_object(self):
        return selectors.indicator_get_for(self.request.user, self.kwargs["pk"])

    def get_form(self, form_class=None):
        return None

    def get_category_formset(self):
        if not self.object.is_share:
            return None
        data = self.request.POST if self.request.method == "POST" else None
        return CategoryTargetFormSet(data, instance=self.object, prefix="categories")

    def post(self, request, *args, **kwargs):
        formset, categories = self.get_formset(), self.get_category_formset()
        valid = [f.is_valid() for f in (formset, categories) if f is not None]
        if not all(valid):
            return self.render_to_response(
                self.get_context_data(formset=formset, categories=categories)
            )
        services.allocations_save(indicator=self.object, formset=formset, categories=categories)
        messages.success(request, _("Saved %(name)s.") % {"name": self.object})
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("categories", self.get_category_formset())
        context = super().get_context_data(**kwargs)
        context["total"] = selectors.allocation_sums([self.object])[0]
        return context


class AllocationListView(TableListView):
    permission_required = "targets.view_allocation"
    table_class = AllocationTable
    filterset_class = AllocationFilter
    title = gettext_lazy("Allocations")

    def get_queryset(self):
        return selectors.allocations_for(self.request.user)


# --- imports ----------------------------------------------------------------------------------


class ImportListView(TableListView):
    permission_required = "targets.view_importbatch"
    table_class = ImportTable
    filterset_class = ImportFilter
    title = gettext_lazy("Excel imports")
    create_url = reverse_lazy("targets:import-create")
    create_permission = "targets.add_importbatch"

    def get_queryset(self):
        return selectors.imports_for(self.request.user)


class ImportCreateView(PermissionRequiredMixin, FormView):
    permission_required = "targets.add_importbatch"
    raise_exception = True
    form_class = ImportForm
    template_name = "targets/import_form.html"

    def get_initial(self):
        return {
            "kind": self.request.GET.get("kind", ImportBatch.Kind.TASKS),
            "year": self.request.GET.get("year"),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            batch = services.import_batch_create(
                kind=data["kind"],
                year=data["year"],
                upload=data["file"],
                user=self.request.user,
                indicator=data["indicator"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if getattr(batch, "waiting_already", False):
            # The same file again while the first upload waits: one batch, already handed over.
            batch.queue_unavailable = not queue_reachable()
        else:
            # Sent once committed; with the queue down the batch stays queued for the sweep.
            transaction.on_commit(partial(import_send, batch))
        if getattr(batch, "queue_unavailable", False):
            messages.warning(self.request, QUEUE_DOWN)
        return redirect(batch)


class ImportDetailView(DetailView):
    template_name = "targets/import_detail.html"
    rows_per_page = 100

    def get_object(self, queryset=None):
        return selectors.import_get_for(self.request.user, self.kwargs["pk"], with_preview=True)

    def get_context_data(self, **kwargs):
        """The preview's rows a page at a time, all of them or those of one status."""
        rows = self.object.preview.get("rows", [])
        shown = self.request.GET.get("status", "")
        if shown in STATUSES:
            rows = [row for row in rows if row["status"] == shown]
        else:
            shown = ""
        page = Paginator(rows, self.rows_per_page).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs, rows_page=page, rows_shown=shown)


@require_GET
def import_status(request, pk):
    batch = selectors.import_get_for(request.user, pk)
    importing = batch.status == ImportBatch.Status.COMMITTING
    return JsonResponse(
        {
            "status": batch.status,
            "status_label": batch.get_status_display(),
            "step": _("Writing to the plan…") if importing else "",
            "rows_done": batch.rows_done,
            "rows_total": batch.rows_total,
            "percent": batch.progress_percent,
            "finished": not batch.working,
        }
    )


@require_POST
def import_commit(request, pk):
    batch = selectors.import_get_for(request.user, pk)
    try:
        batch = services.import_batch_commit_request(batch=batch, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(batch)
    if batch.commit_requested:
        # Sent once committed; with the queue down the batch waits for the sweep.
        transaction.on_commit(partial(import_send, batch))
        if getattr(batch, "queue_unavailable", False):
            messages.warning(request, QUEUE_DOWN)
    return redirect(batch)
