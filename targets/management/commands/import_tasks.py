from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from targets.importers.output import report
from targets.services import plan_import_tasks


class Command(BaseCommand):
    help = "Import a task-breakdown sheet (任务分解一览表) into the plan of a year."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="compare only, write nothing")

    def handle(self, *args, path: Path, year: int, dry_run: bool, **options):
        if not path.is_file():
            raise CommandError(f"{path}: 文件不存在")
        run = plan_import_tasks(path=path, year=year, commit=not dry_run)
        report(self, run, dry_run=dry_run)
