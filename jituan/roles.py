"""The four roles, as Django groups with the permissions each one needs.

Permissions are declared per app (or per model) and action, so models added later by the other apps
are covered without touching this table. Row-level limits (a liaison sees one member) live in
jituan.selectors, not here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

ALL_ACTIONS = ("add", "change", "delete", "view")
DOMAIN_APPS = (
    "targets",
    "enrollment",
    "partnerships",
    "development",
    "supervision",
    "certification",
    "assessment",
    "rewards",
    "reports",
)


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    LIAISON = "liaison", _("School liaison")
    LEADERSHIP = "leadership", _("Leadership")
    ADMIN = "admin", _("Administrator")


LIAISON_PARTNERSHIP_RECORDS = [
    "orderclass",
    "apprenticeshipcohort",
    "industrycollege",
    "trainingbase",
    "certificatepilot",
    "cooperationagreement",
    "major",
]

# role -> [(app_label, model or "*", actions)]
ROLE_PERMISSIONS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    Role.SECRETARIAT: [
        ("jituan", "member", ALL_ACTIONS),
        ("jituan", "membercontact", ALL_ACTIONS),
        ("jituan", "user", ("view",)),
        *[(app, "*", ALL_ACTIONS) for app in DOMAIN_APPS],
        ("targets", "submission", ("review",)),
        ("reports", "report", ("issue",)),
    ],
    Role.LIAISON: [
        ("jituan", "member", ("view",)),
        ("jituan", "membercontact", ("view",)),
        # Not the reports: the dispatch report and the reward summary cover every member.
        *[(app, "*", ("view",)) for app in DOMAIN_APPS if app != "reports"],
        # Their own member's quarterly submissions (rows cut by the selectors).
        ("targets", "submission", ("add", "change")),
        ("targets", "taskreport", ("add", "change")),
        ("targets", "indicatorreport", ("add", "change")),
        ("targets", "evidence", ("add", "delete")),
        ("targets", "reopenrequest", ("add",)),
        # Their own member's register figures (and taking back one entered by mistake);
        # enterprises they may add, not change.
        ("enrollment", "*", ("add", "change", "delete")),
        *[
            ("partnerships", model, ("add", "change", "delete"))
            for model in LIAISON_PARTNERSHIP_RECORDS
        ],
        ("partnerships", "enterprise", ("add",)),
        ("development", "*", ("add", "change", "delete")),
        # Answering a leader's instruction sent to their member.
        ("supervision", "instructionreply", ("change",)),
        # Submitting their own member's records for certification (认定), with evidence.
        ("certification", "certification", ("add",)),
        ("certification", "certificationevidence", ("add",)),
    ],
    Role.LEADERSHIP: [
        ("jituan", "member", ("view",)),
        ("jituan", "membercontact", ("view",)),
        ("jituan", "user", ("view",)),
        *[(app, "*", ("view",)) for app in DOMAIN_APPS],
        # Their only write: instructions (领导批示).
        ("supervision", "instruction", ("add",)),
    ],
    Role.ADMIN: [
        ("jituan", "*", ALL_ACTIONS),
        ("auth", "group", ("view",)),
        *[(app, "*", ALL_ACTIONS) for app in DOMAIN_APPS],
    ],
}

# Roles whose users may open Django's admin site (it still applies their permissions).
STAFF_ROLES = {Role.ADMIN}
