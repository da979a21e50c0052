import argparse
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jituan.arguments import whole_number
from jituan.benchmarks import BENCHMARKS


def benchmark_name(text: str) -> str:
    if text not in BENCHMARKS:
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a benchmark; choose one of: %(names)s.")
            % {"value": text, "names": ", ".join(sorted(BENCHMARKS))}
        )
    return text


class Command(BaseCommand):
    help = (
        "Print benchmark figures. The apps register them (jituan/benchmarks.py): "
        "`bench import`, `bench reports`, `bench dashboard`."
    )

    def add_arguments(self, parser):
        names = "; ".join(f"{b.name}: {b.help}" for b in BENCHMARKS.values())
        parser.add_argument("which", type=benchmark_name, help=names)
        parser.add_argument("--year", type=whole_number, help="dashboard: the plan year")
        parser.add_argument("--runs", type=whole_number, default=30)
        parser.add_argument("--rows", type=whole_number, nargs="+", default=[10_000, 100_000])
        parser.add_argument("--child", type=whole_number, help=argparse.SUPPRESS)
        parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
        parser.add_argument("--phase", choices=["times", "memory"], help=argparse.SUPPRESS)

    def handle(self, *args, which: str, **options):
        # call_command passes its own stdout among the options; the wrapped one is used.
        BENCHMARKS[which](**{**options, "stdout": self.stdout})
