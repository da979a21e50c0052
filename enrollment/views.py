from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from .selectors import enrollment_by_member, enrollment_years


@permission_required("enrollment.view_enrollment", raise_exception=True)
def by_member(request):
    """The year's enrollment per member against its quota, with growth over last year."""
    years = enrollment_years(request.user)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0] if years else None
    lines, group = enrollment_by_member(request.user, year) if year else ([], None)
    return render(
        request,
        "enrollment/by_member.html",
        {"years": years, "year": year, "lines": lines, "group": group},
    )
