import time

from django.core.management.base import BaseCommand, CommandError

from dashboard.synthetic import SeedRefused, seed_synthetic
from jituan.arguments import whole_number


class Command(BaseCommand):
    help = (
        "Build a large synthetic group to try the dashboard at size: every member reports on every "
        "task each quarter (500 members × 5 years × 100 tasks ≈ 1,000,000 submission values)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=whole_number, default=500)
        parser.add_argument("--years", type=whole_number, default=5)
        parser.add_argument("--tasks", type=whole_number, default=100)
        parser.add_argument(
            "--first-year", type=whole_number, help="default: the years ending with this one"
        )
        parser.add_argument("--seed", type=whole_number, default=2020)

    def handle(self, *args, members, years, tasks, first_year, seed, **options):
        started = time.perf_counter()
        try:
            result = seed_synthetic(
                members=members,
                years=years,
                tasks=tasks,
                first_year=first_year,
                seed=seed,
                progress=lambda message: self.stdout.write(message),
            )
        except SeedRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.members} members, {result.plans} plans, {result.tasks} tasks, "
                f"{result.submissions:,} submissions, {result.submission_values:,} submission "
                f"values ({result.task_reports:,} task reports, {result.indicator_reports:,} "
                f"indicator values) in {time.perf_counter() - started:.0f} s"
            )
        )
