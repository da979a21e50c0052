"""Every enrollment register row that existed before history was kept gets a first "+" version dated
now, so that what is recorded today stays what "as of now" reads. Nothing to undo going back: the
history tables go with 0002_history."""

from django.db import migrations

from jituan.history import history_first_versions

MODELS = ["Enrollment", "TeacherCount", "GraduateCount"]


def first_versions(apps, schema_editor):
    history_first_versions(apps, "enrollment", MODELS)


class Migration(migrations.Migration):
    dependencies = [("enrollment", "0002_history")]

    operations = [migrations.RunPython(first_versions, migrations.RunPython.noop)]
