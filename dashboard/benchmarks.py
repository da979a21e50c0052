"""The dashboard benchmark: each request (the page and its five JSON endpoints) timed through the
whole Django stack, against the same SQL statements replayed straight on the database cursor.
The ratio says what the Python around the aggregates costs. Run on the synthetic group
(seed_synthetic); a leadership user is created inside a transaction that is rolled back."""

import statistics
import time

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from jituan.models import Member
from jituan.roles import Role
from jituan.services import user_create
from targets.models import Plan, Submission, TaskReport

PAGES = ["index", "api-headline", "api-heatmap", "api-completeness", "api-quarters", "api-years"]


class Rollback(Exception):
    pass


def bench_dashboard(*, stdout, year: int | None, runs: int, **_options) -> None:
    """`manage.py bench dashboard`: every request of the year's dashboard (default: the latest
    plan), timed against its own SQL."""
    plans = Plan.objects.filter(year=year) if year else Plan.objects.order_by("-year")
    plan = plans.first()
    if plan is None:
        raise CommandError(_("There is no plan yet: run seed_synthetic first."))
    stdout.write(
        f"{connection.vendor}, plan {plan.year}: {Member.objects.count():,} members, "
        f"{plan.tasks.count():,} tasks, {Submission.objects.count():,} submissions, "
        f"{TaskReport.objects.count():,} task reports in the database; {runs} runs each"
    )
    stdout.write(
        f"{'request':>18} {'median':>8} {'p95':>8} {'raw SQL':>8} {'ratio':>6} "
        f"{'queries':>8} {'bytes':>9}  target on PostgreSQL: p95 <= 300 ms, ratio <= 2"
    )
    for f in measure(plan.year, runs):
        stdout.write(
            f"{f['name']:>18} {f['median_ms']:>6.0f}ms {f['p95_ms']:>6.0f}ms "
            f"{f['sql_ms']:>6.0f}ms {f['ratio']:>6.2f} {f['queries']:>8} {f['bytes']:>9,}"
        )


def measure(year: int, runs: int = 30, query: dict | None = None) -> list[dict]:
    results = []
    try:
        with transaction.atomic():
            user = user_create(
                username="bench-leadership", role=Role.LEADERSHIP, password="x", name="bench"
            )
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            for name in PAGES:
                results.append(_measure(client, name, {"year": year, **(query or {})}, runs))
            raise Rollback
    except Rollback:
        pass
    return results


def _measure(client: Client, name: str, query: dict, runs: int) -> dict:
    url = reverse(f"dashboard:{name}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)  # also warms the caches (templates, buffers)
    assert response.status_code == 200, (name, response.status_code)
    statements = [q["sql"] for q in captured.captured_queries]
    times, sql_times = [], []
    # Request and replay alternate, so that both see the same moments of a shared machine.
    for _run in range(runs):
        started = time.perf_counter()
        client.get(url, query)
        times.append(time.perf_counter() - started)
        sql_times.append(_replay(statements))
    median, sql_median = statistics.median(times), statistics.median(sql_times)
    return {
        "name": name,
        "median_ms": 1000 * median,
        "p95_ms": 1000 * _percentile(times, 95),
        "sql_ms": 1000 * sql_median,
        "ratio": median / sql_median if sql_median else float("nan"),
        "queries": len(statements),
        "bytes": len(response.content),
    }


def _replay(statements: list[str]) -> float:
    """The same SQL straight on the cursor, every row fetched: the database's share."""
    with connection.cursor() as cursor:
        started = time.perf_counter()
        for sql in statements:
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()
        return time.perf_counter() - started


def _percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    index = max(0, round(percent / 100 * len(ordered) + 0.5) - 1)
    return ordered[min(index, len(ordered) - 1)]
