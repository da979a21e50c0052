"""The broker-down and worker-killed paths against a real Redis and real worker processes.

Each test starts a redis-server of its own on a free port, and points the Celery app at it the way
the settings configure a Redis broker (CELERY_BROKER_URL=redis://…: Redis as broker and result
store, the visibility timeout matched to the task time limit). Stopping that server is the broker
going down; starting it again on the same port is the broker coming back. Workers are real
`celery worker` processes on that Redis and on the test database.
"""

import os
import runpy
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import F
from django.urls import reverse
from kombu import pools

from jituan.celery import app
from reports import services as report_services
from reports.models import Report
from reports.tasks import resume_stalled_reports
from targets import tasks as import_tasks
from targets.models import ImportBatch, Plan
from targets.tasks import resume_stalled_imports
from tests.redis_server import RedisServer, redis_server_installed
from tests.sheets import FOUR, task_rows, task_sheet

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

QUEUE_DOWN = "队列暂时不可用；您的请求已保存，队列恢复后会自动运行。"
AT_ONCE = 5  # seconds: a page that waits on a dead broker longer than this has hung
TIME_LIMIT = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
WORKING = ("queued", "parsing", "committing")  # an import the worker has in hand, or will

# A worker whose PDF typesetting (tests/slow_render_worker.py) and sheet reading both wait
# JITUAN_TEST_RENDER_DELAY seconds first, so that a test can kill it in the middle of a job.
WORKER = """
import os, sys, time
import tests.slow_render_worker
from jituan.celery import app
from targets.importers import task_sheet

_parse = task_sheet.parse_task_sheet

def _slow_parse(*args, **kwargs):
    time.sleep(float(os.environ["JITUAN_TEST_RENDER_DELAY"]))
    return _parse(*args, **kwargs)

task_sheet.parse_task_sheet = _slow_parse
app.worker_main(sys.argv[1:])
"""


# --- the broker: a redis-server of the test's own ----------------------------------------------


@pytest.fixture
def redis_server(tmp_path):
    if not redis_server_installed():
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _fresh_connections():
    """Forget the connections made so far: the next send opens new ones from app.conf."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local = threading.local()


@contextmanager
def celery_configured_for(broker_url: str):
    """The app configured exactly as jituan/settings.py configures it when CELERY_BROKER_URL is
    broker_url (read from the settings file itself), restored afterwards. The environment says
    so too: Celery reads CELERY_BROKER_URL and CELERY_RESULT_BACKEND from it before its own
    configuration (CI runs the suite again with CELERY_BROKER_URL set)."""
    with mock.patch.dict(os.environ, {"CELERY_BROKER_URL": broker_url}):
        os.environ.pop("CELERY_RESULT_BACKEND", None)
        configured = runpy.run_path(str(ROOT / "jituan" / "settings.py"))
        wanted = {
            name.removeprefix("CELERY_").lower(): value
            for name, value in configured.items()
            if name.startswith("CELERY_")
        }
        assert wanted["result_backend"] == broker_url  # Redis is the result store too
        before = {key: app.conf.get(key) for key in wanted}
        app.conf.update(wanted)
        _fresh_connections()
        try:
            assert (app.conf.broker_url, app.conf.result_backend) == (broker_url, broker_url)
            yield
        finally:
            app.conf.update(before)
            _fresh_connections()


@pytest.fixture
def broker(redis_server):
    """The running Redis, with the Celery app of this process sending to it."""
    with celery_configured_for(redis_server.url):
        yield redis_server


def queued_messages(server: RedisServer) -> int:
    return server.client().llen("celery")


# --- workers: real processes on that Redis and on the test database ----------------------------


def _database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    password = f":{quote(database['PASSWORD'])}" if database.get("PASSWORD") else ""
    return (
        f"postgres://{quote(database['USER'])}{password}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


@pytest.fixture
def start_worker(broker, tmp_path):
    """start_worker(name, delay=0): a `celery worker` process (two pool processes) on the test's
    Redis; every job waits `delay` seconds first. Whatever is left is stopped afterwards."""
    started = []

    def start(name: str, *, delay: float = 0) -> subprocess.Popen:
        environment = {
            **os.environ,
            "CELERY_BROKER_URL": broker.url,
            "DATABASE_URL": _database_url(),
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "DJANGO_EMAIL_FILE_PATH": str(tmp_path / "mail"),
            "JITUAN_TEST_RENDER_DELAY": str(delay),
        }
        environment.pop("CELERY_RESULT_BACKEND", None)
        log = (tmp_path / f"{name}.log").open("w")
        worker = subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=info",
                f"--hostname={name}@%h",
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as a whole
        )
        worker.log = tmp_path / f"{name}.log"
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=10)


def kill(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool processes at once: nothing is acknowledged or put back."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def wait_for(rows, condition, *, timeout: float = 60, workers=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for row in rows:
            row.refresh_from_db()
        if condition():
            return
        time.sleep(0.2)
    states = ", ".join(f"{type(row).__name__} {row.pk}: {row.status}" for row in rows)
    logs = "\n".join(f"--- {w.log.name}\n{w.log.read_text()[-3000:]}" for w in workers)
    raise AssertionError(f"still {states} after {timeout} s\n{logs}")


# --- the secretariat's pages --------------------------------------------------------------------


@pytest.fixture
def plan(school_a):
    return Plan.objects.create(
        year=2020, title="2020 年重点工作", document_number="安职集团〔2020〕2号"
    )


@pytest.fixture
def sheet(tmp_path) -> bytes:
    path = task_sheet(tmp_path / "任务分解.xlsx", task_rows(1, "扩大招生规模", FOUR))
    return path.read_bytes()


def ask_for_report(client, *, month: int = 5):
    started = time.monotonic()
    response = client.post(
        reverse("reports:generate"),
        {"kind": "dispatch", "year": 2020, "month": month, "format": "pdf"},
        follow=True,
    )
    return response, time.monotonic() - started


def upload(client, sheet: bytes):
    started = time.monotonic()
    response = client.post(
        reverse("targets:import-create"),
        {"kind": "tasks", "year": 2020, "file": SimpleUploadedFile("任务分解.xlsx", sheet)},
        follow=True,
    )
    return response, time.monotonic() - started


def answered_at_once(what: str, response, seconds: float) -> str:
    assert response.status_code == 200, f"{what}: {response.status_code}"
    assert seconds < AT_ONCE, f"{what}: the page waited {seconds:.1f} s on the dead broker"
    return response.content.decode()


def age(row, by: timedelta) -> None:
    """Move the row's request and start times back, as if that much time had passed."""
    fields = {field.name for field in type(row)._meta.concrete_fields}
    times = {"created_at", "requested_at", "queued_at", "started_at"} & fields
    type(row).objects.filter(pk=row.pk).update(**{name: F(name) - by for name in times})


def sweep() -> tuple[int, int]:
    """Beat's two stalled-work sweeps, run here; how many reports and imports each sent."""
    return resume_stalled_reports(), resume_stalled_imports()


def report_files() -> list[Path]:
    return [path for path in (Path(settings.MEDIA_ROOT) / "reports").rglob("*") if path.is_file()]


# --- the tests ---------------------------------------------------------------------------------


def test_with_redis_down_healthz_says_so_at_once_and_ok_once_it_is_back(client, broker):
    broker.stop()
    started = time.monotonic()
    response = client.get("/healthz")
    seconds = time.monotonic() - started
    assert (response.status_code, response.json()["broker"]) == (503, "down")
    assert seconds < AT_ONCE, f"/healthz waited {seconds:.1f} s on the dead broker"
    broker.start()
    response = client.get("/healthz")
    assert (response.status_code, response.json()["broker"]) == (200, "ok")


def test_with_redis_down_the_pages_answer_at_once_and_keep_one_request_each(
    client_for, secretariat, plan, sheet, broker
):
    client = client_for(secretariat)
    broker.stop()

    for click in ("first", "second"):
        response, seconds = ask_for_report(client)
        page = answered_at_once(f"report, {click} click", response, seconds)
        assert QUEUE_DOWN in page, f"report, {click} click: the page does not say the queue is down"
    report = Report.objects.get()  # the second click returned the same request
    assert (report.status, report.attempts) == (Report.Status.QUEUED, 0)

    for click in ("first", "second"):
        response, seconds = upload(client, sheet)
        page = answered_at_once(f"upload, {click} click", response, seconds)
        assert QUEUE_DOWN in page, f"upload, {click} click: the page does not say the queue is down"
    batches = list(ImportBatch.objects.values_list("status", flat=True))
    assert batches == [ImportBatch.Status.QUEUED], f"one kept upload expected, not {batches}"


def test_once_redis_is_back_the_sweep_sends_the_kept_requests_and_a_real_worker_does_them(
    client_for, secretariat, plan, sheet, broker, start_worker
):
    client = client_for(secretariat)
    broker.stop()
    ask_for_report(client)
    upload(client, sheet)
    report, batch = Report.objects.get(), ImportBatch.objects.get()
    assert (report.status, batch.status) == ("queued", "queued")

    broker.start()  # the same port, empty: whatever was sent before is gone
    assert sweep() == (0, 0)  # not yet stalled: sent again only after QUEUED_STALL
    age(report, report_services.QUEUED_STALL + timedelta(minutes=1))
    age(batch, import_tasks.QUEUED_STALL + timedelta(minutes=1))
    assert sweep() == (1, 1)
    assert queued_messages(broker) == 2  # in Redis now, waiting for a worker

    worker = start_worker("after-outage")
    wait_for(
        [report, batch],
        lambda: report.is_finished and batch.status not in WORKING,
        workers=[worker],
    )
    assert (report.status, report.attempts, report.progress) == ("done", 1, 100), report.error
    assert report.file.read().startswith(b"%PDF")
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.error
    assert batch.preview["counts"]["new"] == 1
    assert queued_messages(broker) == 0
    assert (Report.objects.count(), ImportBatch.objects.count()) == (1, 1)
    assert sweep() == (0, 0)


def test_a_worker_killed_mid_job_leaves_it_running_and_the_sweep_has_it_done_once(
    client_for, secretariat, plan, sheet, broker, start_worker
):
    client = client_for(secretariat)
    doomed = start_worker("doomed", delay=60)
    response, _seconds = ask_for_report(client)
    assert QUEUE_DOWN not in response.content.decode()
    response, _seconds = upload(client, sheet)
    assert QUEUE_DOWN not in response.content.decode()
    report, batch = Report.objects.get(), ImportBatch.objects.get()
    wait_for(
        [report, batch],
        lambda: report.status == "running" and report.progress >= 40 and batch.status == "parsing",
        workers=[doomed],
    )

    kill(doomed)  # in the middle of typesetting the PDF and of reading the sheet
    report.refresh_from_db()
    batch.refresh_from_db()
    assert (report.status, batch.status) == ("running", "parsing")
    # Redis holds both messages back for the visibility timeout (11 minutes): nothing is queued.
    assert queued_messages(broker) == 0
    assert broker.client().hlen("unacked") == 2
    assert sweep() == (0, 0)  # within the task time limit the jobs may still be running

    age(report, TIME_LIMIT + timedelta(minutes=1))
    age(batch, TIME_LIMIT + timedelta(minutes=1))
    assert sweep() == (1, 1)
    survivor = start_worker("survivor")
    wait_for(
        [report, batch],
        lambda: report.is_finished and batch.status not in WORKING,
        workers=[survivor],
    )
    assert (report.status, report.attempts, report.progress) == ("done", 2, 100), report.error
    # one PDF and its Word version: the survivor's
    assert sorted(report_files()) == sorted([Path(report.file.path), Path(report.word_file.path)])
    assert report.file.read().startswith(b"%PDF")
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.error
    assert batch.preview["counts"]["new"] == 1
    assert (Report.objects.count(), ImportBatch.objects.count()) == (1, 1)
    assert queued_messages(broker) == 0
    assert sweep() == (0, 0)
