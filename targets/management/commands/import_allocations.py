from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from targets.importers.output import report
from targets.models import Indicator
from targets.services import plan_import_allocations


class Command(BaseCommand):
    help = "Import per-member allocations (member, indicator, target) into the plan of a year."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--indicator", help="code of the indicator, for a sheet without an indicator column"
        )
        parser.add_argument("--dry-run", action="store_true", help="compare only, write nothing")

    def handle(self, *args, path: Path, year: int, indicator: str | None, dry_run, **options):
        if not path.is_file():
            raise CommandError(f"{path}: 文件不存在")
        fixed = None
        if indicator:
            fixed = Indicator.objects.filter(plan__year=year, code=indicator).first()
            if fixed is None:
                raise CommandError(f"{year} 年计划中没有代码为 {indicator} 的指标")
        run = plan_import_allocations(path=path, year=year, indicator=fixed, commit=not dry_run)
        report(self, run, dry_run=dry_run)
