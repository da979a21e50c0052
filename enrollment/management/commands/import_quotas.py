from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enrollment.importers import run_quota_import
from targets.importers.output import report


class Command(BaseCommand):
    help = "Import a year's enrollment quota table (.xlsx or .csv: member, level, quota)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="compare only, write nothing")

    def handle(self, *args, path: Path, year: int, dry_run: bool, **options):
        if not path.is_file():
            raise CommandError(f"{path}: 文件不存在")
        report(self, run_quota_import(path=path, year=year, commit=not dry_run), dry_run=dry_run)
