from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from jituan.selectors import scope_to_member

from .models import QUALIFYING_CLASS_SIZE, CooperationAgreement, OrderClass


def overview(request):
    """The registers, and what policy cares about in them: subsidised classes, majors short of
    partner enterprises, agreements about to expire."""
    user = request.user
    today = timezone.localdate()
    classes = scope_to_member(OrderClass.objects.select_related("member", "enterprise"), user)
    agreements = scope_to_member(
        CooperationAgreement.objects.select_related("member", "enterprise"), user
    )
    thin_majors = (
        agreements.filter(starts_on__lte=today, ends_on__gte=today)
        .values("member__name", "major")
        .annotate(enterprises=Count("enterprise", distinct=True))
        .filter(enterprises__lt=2)
        .order_by("member__name", "major")
    )
    return render(
        request,
        "partnerships/overview.html",
        {
            "qualifying": classes.filter(students__gte=QUALIFYING_CLASS_SIZE).order_by("-year")[
                :50
            ],
            "size": QUALIFYING_CLASS_SIZE,
            "thin_majors": thin_majors,
            "expiring": agreements.expiring(today),
        },
    )
