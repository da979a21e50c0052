import json
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print benchmark figures: `bench import` (task-breakdown sheet import vs openpyxl)."

    def add_arguments(self, parser):
        parser.add_argument("which", choices=["import"])
        parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
        parser.add_argument("--child", type=int, help=argparse_hidden())
        parser.add_argument("--workdir", type=Path, help=argparse_hidden())

    def handle(self, *args, which, rows, child, workdir, **options):
        from targets import benchmarks

        if child:
            self.stdout.write(json.dumps(benchmarks.measure(child, workdir)))
            return
        self.stdout.write(
            f"{'rows':>8} {'tasks':>6} {'openpyxl read':>14} {'import':>8} {'ratio':>6} "
            f"{'peak RSS':>9}  target: ratio <= 1.5 at 10,000 rows, peak < 300 MB at 100,000"
        )
        with tempfile.TemporaryDirectory() as tmp:
            for count in rows:
                figures = benchmarks.measure_in_child(count, Path(tmp))
                self.stdout.write(
                    f"{figures['rows']:>8,} {figures['tasks']:>6,} "
                    f"{figures['openpyxl_read_s']:>13.2f}s {figures['import_s']:>7.2f}s "
                    f"{figures['ratio']:>6.2f} {figures['peak_rss_mb']:>7.0f}MB  "
                    f"({figures['file_mb']} MB file, {figures['database']})"
                )


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS
