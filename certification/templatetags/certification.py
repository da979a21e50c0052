"""{% certification_card record %}: a register record's certification state on its edit page
(loaded by the shared register templates, so jituan never imports this app in Python)."""

from django import template

from ..registry import State, certifiable_for
from ..selectors import record_state
from ..services import may_submit
from ..tables import BADGES, may_open
from ..views import SUBMITTABLE, submit_url

register = template.Library()


@register.inclusion_tag("certification/partials/card.html", takes_context=True)
def certification_card(context, record):
    if record is None or not record.pk or certifiable_for(type(record)) is None:
        return {"show": False}
    user = context["request"].user
    found = record_state(record)
    certification = found.certification
    return {
        "show": True,
        "state": found,
        "badge": BADGES[found.state],
        "certification": certification,
        "certification_url": certification.get_absolute_url()
        if certification is not None and may_open(user, certification)
        else "",
        "submit_url": submit_url(record)
        if found.state in SUBMITTABLE and may_submit(user, record)
        else "",
        "certified": found.state == State.CERTIFIED,
    }
