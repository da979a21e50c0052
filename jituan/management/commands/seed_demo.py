from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the Anqing demo group: members, users, plans, submissions, registers (rerunnable)."

    def handle(self, *args, **options):
        # Every app with a demo module seeds its part, in INSTALLED_APPS order (dependencies
        # first); jituan imports none of the apps that build on it.
        for config in apps.get_app_configs():
            if find_spec(f"{config.name}.demo") is not None:
                module = import_module(f"{config.name}.demo")
                if hasattr(module, "demo_seed"):
                    module.demo_seed(self.stdout)
        from jituan.demo import print_logins

        print_logins(self.stdout)
