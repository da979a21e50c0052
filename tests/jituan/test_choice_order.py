"""Sorting a column of choices follows the choices' declared order, not the stored codes."""

from django.urls import reverse

from jituan.models import Member
from tests.factories import MemberFactory


def test_it_sorts_members_by_kind_in_the_declared_order(client_for, secretariat):
    for kind in ("research", "enterprise", "technician", "higher_vocational"):
        MemberFactory(name=f"{kind}单位", kind=kind)
    page = client_for(secretariat).get(reverse("jituan:member-list"), {"sort": "kind"})
    shown = [member.kind for member in page.context["table"].data]
    assert shown == ["higher_vocational", "technician", "enterprise", "research"]
    page = client_for(secretariat).get(reverse("jituan:member-list"), {"sort": "-kind"})
    assert [member.kind for member in page.context["table"].data][0] == Member.Kind.RESEARCH
