from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(**kwargs):
    from .services import roles_sync

    roles_sync()


class JituanConfig(AppConfig):
    name = "jituan"
    verbose_name = _("Group core")

    def ready(self):
        # Permissions for every app exist only after migrate; refresh the role groups then.
        post_migrate.connect(_sync_roles, dispatch_uid="jituan.roles_sync")
