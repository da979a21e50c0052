import json
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = (
        "Print benchmark figures: `bench import` (task-breakdown sheet import vs openpyxl), "
        "`bench reports` (the dispatch report: gathering + HTML vs WeasyPrint), "
        "`bench dashboard` (each dashboard request vs its SQL replayed on the cursor; run "
        "seed_synthetic first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("which", choices=["import", "reports", "dashboard"])
        parser.add_argument("--year", type=int, help="dashboard: the plan year (default: latest)")
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
        parser.add_argument("--child", type=int, help=argparse_hidden())
        parser.add_argument("--workdir", type=Path, help=argparse_hidden())

    def handle(self, *args, which, rows, child, workdir, year, runs, **options):
        if which == "reports":
            return self.reports()
        if which == "dashboard":
            return self.dashboard(year, runs)
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

    def reports(self):
        from reports import benchmarks
        from targets.models import Plan

        self.stdout.write(
            f"{'year':>16} {'members':>8} {'tasks':>6} {'gather+HTML':>12} {'WeasyPrint':>11} "
            f"{'total':>7} {'share':>6} {'pages':>6} {'queries':>8}"
            "  target: gather+HTML <= 10% of the total; queries independent of the members"
        )
        runs = []
        demo = Plan.objects.filter(year=2020).first()
        if demo:
            runs.append(("demo 2020-05", benchmarks.measure(2020, 5)))
        runs.append(("200 × 100 synth.", benchmarks.measure_synthetic(200, 100)))
        runs.append(("20 × 100 synth.", benchmarks.measure_synthetic(20, 100)))
        for label, f in runs:
            self.stdout.write(
                f"{label:>16} {f['members']:>8} {f['tasks']:>6} {f['gather_html_s']:>11.2f}s "
                f"{f['weasyprint_s']:>10.2f}s {f['total_s']:>6.2f}s "
                f"{100 * f['gather_html_s'] / f['total_s']:>5.1f}% {f['pages']:>6} "
                f"{f['queries']:>8}"
            )

    def dashboard(self, year, runs):
        from dashboard import benchmarks
        from jituan.models import Member
        from targets.models import Plan, Submission, TaskReport

        plan = Plan.objects.filter(year=year) if year else Plan.objects.order_by("-year")
        plan = plan.first()
        if plan is None:
            raise CommandError(_("There is no plan yet: run seed_synthetic first."))
        self.stdout.write(
            f"{connection.vendor}, plan {plan.year}: {Member.objects.count():,} members, "
            f"{plan.tasks.count():,} tasks, {Submission.objects.count():,} submissions, "
            f"{TaskReport.objects.count():,} task reports in the database; {runs} runs each"
        )
        self.stdout.write(
            f"{'request':>18} {'median':>8} {'p95':>8} {'raw SQL':>8} {'ratio':>6} "
            f"{'queries':>8} {'bytes':>9}  target on PostgreSQL: p95 <= 300 ms, ratio <= 2"
        )
        for f in benchmarks.measure(plan.year, runs):
            self.stdout.write(
                f"{f['name']:>18} {f['median_ms']:>6.0f}ms {f['p95_ms']:>6.0f}ms "
                f"{f['sql_ms']:>6.0f}ms {f['ratio']:>6.2f} {f['queries']:>8} {f['bytes']:>9,}"
            )


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS
