from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enrollment.importers import run_quota_import
from jituan.models import User
from targets.importers.output import report


class Command(BaseCommand):
    help = "Import a year's enrollment quota table (.xlsx or .csv: member, level, quota)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="compare only, write nothing")
        parser.add_argument(
            "--user", help="username recorded as having imported it (default: 系统, the system)"
        )

    def handle(self, *args, path: Path, year: int, dry_run: bool, user: str | None, **options):
        if not path.is_file():
            raise CommandError(f"{path}: 文件不存在")
        importer = None
        if user:
            importer = User.objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"没有用户名为 {user} 的用户")
        run = run_quota_import(path=path, year=year, commit=not dry_run, user=importer)
        report(self, run, dry_run=dry_run)
