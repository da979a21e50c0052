"""Every rewards register row that existed before history was kept gets a first "+" version dated
now, so that what is recorded today stays what "as of now" reads. Nothing to undo going back: the
history tables go with 0002_history."""

from django.db import migrations
from django.utils import timezone

MODELS = ["RewardFund", "RewardRule", "DeductionRule", "StudentIntake"]


def first_versions(apps, schema_editor):
    now = timezone.now()
    for name in MODELS:
        model = apps.get_model("rewards", name)
        history = apps.get_model("rewards", f"Historical{name}")
        fields = [field.attname for field in model._meta.concrete_fields]
        kept = history.objects.values("id")
        rows = [
            history(history_date=now, history_type="+", **{f: getattr(row, f) for f in fields})
            for row in model.objects.exclude(pk__in=kept).iterator()
        ]
        history.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("rewards", "0002_history")]

    operations = [migrations.RunPython(first_versions, migrations.RunPython.noop)]
