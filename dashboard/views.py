"""The leadership dashboard: one page with the headline indicators, and the JSON its charts
draw from. Every figure goes through the same scope: a liaison's dashboard is their member's."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.models import Light
from supervision.selectors import light_counts, lights_for
from targets.selectors import indicator_get_for, plans_for

from . import selectors
from .forms import DashboardFilterForm


def _scope(request):
    """The filter form and the scope it gives, or the form alone when it has errors."""
    if not (request.user.is_superuser or request.user.role):
        raise PermissionDenied
    plans = plans_for(request.user).order_by("-year")
    form = DashboardFilterForm(request.GET or None, plans=plans)
    plan = form.plan(today=timezone.localdate())
    if plan is None:
        return form, None
    scope = selectors.dashboard_scope(
        request.user, plan, **form.filters(), today=timezone.localdate()
    )
    return form, scope


def index(request):
    form, scope = _scope(request)
    context = {"form": form, "scope": scope}
    if scope is not None:
        figures = selectors.plan_figures(request.user, scope)
        headlines = selectors.headlines(figures, scope)
        context.update(
            plan=scope.plan,
            headlines=headlines,
            behind=[h for h in headlines if h.state == selectors.State.BEHIND],
            has_figures=any(h.state != selectors.State.NO_DATA for h in headlines),
            light_counts=light_counts(lights_for(request.user, scope.plan)),
            red_lights=lights_for(request.user, scope.plan)
            .filter(light=Light.RED)
            .order_by("since", "task__position", "member__name")[:10],
            query=request.GET.urlencode(),
            ranking=selectors.assessment_ranking(request.user, scope.plan.year),
        )
    return render(request, "dashboard/index.html", context)


def indicator(request, pk):
    indicator = indicator_get_for(request.user, pk)
    request.GET = request.GET.copy()
    request.GET["year"] = str(indicator.plan.year)
    form, scope = _scope(request)
    figures = selectors.plan_figures(request.user, scope)
    headline = next(h for h in selectors.headlines(figures, scope) if h.indicator == indicator)
    members = scope.members.in_group_order()
    return render(
        request,
        "dashboard/indicator.html",
        {
            "form": form,
            "plan": scope.plan,
            "headline": headline,
            "rows": selectors.drill_rows(figures, indicator, scope, members),
            "query": request.GET.urlencode(),
        },
    )


def _json_view(build):
    def view(request):
        form, scope = _scope(request)
        if form.is_bound and not form.is_valid():
            errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            return JsonResponse({"errors": errors}, status=400)
        if scope is None:
            return JsonResponse({"errors": {"year": [_("There is no plan yet.")]}}, status=404)
        return JsonResponse({"year": scope.plan.year, **build(request.user, scope)})

    view.__name__ = build.__name__
    return view


@_json_view
def headline_data(user, scope):
    figures = selectors.plan_figures(user, scope)
    return {"indicators": [h.as_dict() for h in selectors.headlines(figures, scope)]}


@_json_view
def heatmap_data(user, scope):
    figures = selectors.plan_figures(user, scope)
    return selectors.heatmap(figures, selectors.reporting_members(scope))


@_json_view
def completeness_data(user, scope):
    return selectors.completeness(scope, selectors.reporting_members(scope))


@_json_view
def quarters_data(user, scope):
    return {"quarters": selectors.task_status_by_quarter(scope)}


@_json_view
def years_data(user, scope):
    indicators = selectors.plan_indicators(user, scope.plan)
    return {"years": selectors.year_trends(user, scope, indicators)}
