import django_filters
from django.utils.translation import gettext_lazy as _

from jituan.filters import FilterSet
from jituan.selectors import members_for

from .models import Certification
from .registry import CERTIFIABLE


def _record_types():
    return [(c.content_type.pk, c.model._meta.verbose_name) for c in CERTIFIABLE]


class CertificationFilter(FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=Certification.Status.choices)
    content_type = django_filters.ChoiceFilter(label=_("record type"), choices=_record_types)
    member = django_filters.ModelChoiceFilter(
        label=_("member"), queryset=lambda request: members_for(request.user)
    )

    class Meta:
        model = Certification
        fields = ["status", "year", "content_type", "member"]
