"""Reports rendered by a real Celery worker process, including one killed mid-render."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reports.models import Report
from reports.services import report_issue, request_report
from reports.tasks import email_report, render_report
from targets.models import Plan

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue():
    """A queue of its own, so that a worker of a running dev app cannot take the task."""
    return f"test-{uuid.uuid4().hex[:8]}"


def enqueue(queue: str, **request) -> Report:
    """Archive a report as the secretariat's request does, and send its task to our queue."""
    report = request_report(**request)
    render_report.apply_async(args=[report.pk], queue=queue)
    return report


def start_worker(queue: str, tmp_path: Path, *, app: str = "jituan", name: str = "worker"):
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "JITUAN_TEST_RENDER_DELAY": "4",
    }
    if connection.vendor == "sqlite":
        environment["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    else:
        environment["DATABASE_URL"] = (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        )
    log = (tmp_path / f"{name}.log").open("w")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            app,
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=info",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(worker):
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)


def wait_for(report: Report, condition, timeout=120) -> Report:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if condition(report):
            return report
        time.sleep(0.3)
    raise AssertionError(f"report stuck at {report.status} {report.progress}% {report.step}")


@pytest.fixture
def plan(school_a, secretariat):
    return Plan.objects.create(
        year=2020, title="2020 年重点工作", document_number="安职集团〔2020〕2号"
    )


def test_a_real_worker_renders_reports_even_when_killed_mid_render(
    plan, secretariat, queue, tmp_path, monkeypatch
):
    # The request's own on-commit send goes to the default queue: keep it out of the way.
    monkeypatch.setattr(render_report, "delay", lambda *args, **kwargs: None)
    # Issuing sends the e-mail through the worker: to our queue.
    monkeypatch.setattr(
        email_report, "delay", lambda pk: email_report.apply_async(args=[pk], queue=queue)
    )
    # One worker for both cases: its typesetting is slowed down so that it can be killed.
    worker = start_worker(queue, tmp_path, app="tests.slow_render_worker")
    try:
        report = enqueue(queue, kind="dispatch", year=2020, month=5, user=secretariat)
        wait_for(report, lambda r: r.status == "running" and r.progress >= 40)
        children = subprocess.run(
            ["pgrep", "-P", str(worker.pid)], capture_output=True, text=True
        ).stdout.split()
        assert children, "the worker has no pool process"
        for child in children:
            os.kill(int(child), signal.SIGKILL)  # the process typesetting the PDF dies
        report = wait_for(report, lambda r: r.is_finished)
        calm = enqueue(queue, kind="dispatch", year=2020, month=6, user=secretariat)
        calm = wait_for(calm, lambda r: r.is_finished)
        assert not (tmp_path / "mail").exists()  # drafts are never sent
        report_issue(report=calm, user=secretariat)
        calm = wait_for(calm, lambda r: r.emailed_at is not None)
    finally:
        stop(worker)
    assert report.status == "done", report.error
    assert report.attempts == 2  # rendered again after the kill, from the same as-of time
    assert report.file.read().startswith(b"%PDF")
    assert (calm.status, calm.attempts, calm.progress) == ("done", 1, 100)
    assert Report.objects.count() == 2
    assert len(list((tmp_path / "mail").iterdir())) == 1  # the issued one, once


def test_render_report_task_is_registered_with_late_acks():
    assert render_report.acks_late and render_report.reject_on_worker_lost
