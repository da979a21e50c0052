"""A real Celery worker process round-trips a task through the configured broker."""

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from jituan.tasks import ping

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.worker
def test_it_round_trips_a_task_through_a_real_worker(tmp_path):
    # A queue of its own, so that a worker of a running dev app cannot take the task.
    queue = f"test-{uuid.uuid4().hex[:8]}"
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "jituan",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=info",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        result = ping.apply_async(args=["你好"], queue=queue)
        assert result.get(timeout=90, interval=0.2) == {
            "echo": "你好",
            "database": connection.vendor,
        }
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert "ready" in (tmp_path / "worker.log").read_text()
    assert settings.CELERY_BROKER_URL.split(":")[0] in (tmp_path / "worker.log").read_text()
