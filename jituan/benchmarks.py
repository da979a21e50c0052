"""Benchmarks by name, for `manage.py bench NAME`. Each app registers its own from its
AppConfig.ready(), so that the core imports none of the apps built on it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Benchmark:
    name: str
    # run(stdout=, **options) with the command's parsed options; a dotted path to it is imported
    # only when the benchmark runs, so that registering costs no import at start-up.
    run: Callable[..., None] | str
    help: str = ""

    def __call__(self, **options) -> None:
        run = import_string(self.run) if isinstance(self.run, str) else self.run
        run(**options)


BENCHMARKS: dict[str, Benchmark] = {}


def benchmark_register(name: str, run: Callable[..., None] | str, *, help: str = "") -> None:
    BENCHMARKS[name] = Benchmark(name, run, help)
