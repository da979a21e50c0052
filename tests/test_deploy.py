"""The production shape in docker-compose.yml and the Dockerfile stays in step with scripts/dev."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_runs_the_production_services():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "jituan", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "jituan", "beat"]


def test_it_points_the_app_at_postgres_and_redis():
    for name in ("web", "worker", "beat"):
        environment = compose()["services"][name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:")


def test_it_installs_the_same_system_packages_as_the_dev_script():
    script = (ROOT / "scripts" / "dev").read_text()
    wanted = re.search(r'RUNTIME_PACKAGES="([^"]+)"', script).group(1).split()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert all(package in dockerfile for package in wanted)
    assert "libharfbuzz-subset0" in wanted


def test_it_passes_compose_config_where_compose_is_installed():
    command = ["docker", "compose"] if _has_compose_plugin() else ["docker-compose"]
    if not shutil.which(command[0]):
        return  # nothing to run it with on this machine; the checks above still hold
    result = subprocess.run([*command, "config", "-q"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _has_compose_plugin() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


def test_the_dev_web_process_listens_on_the_port_the_script_announces(tmp_path):
    """honcho sets PORT=5000 in every process it starts; the web process must not follow it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        "JITUAN_PORT": str(port),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    environment["DJANGO_DEBUG"] = "1"
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    honcho = subprocess.Popen(
        [sys.executable, "-m", "honcho", "-f", "Procfile.dev", "start", "web"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except urllib.error.HTTPError:
                break  # an answer, even 503 without a migrated database
            except OSError:
                assert time.monotonic() < deadline, f"nothing answered on port {port}"
                time.sleep(0.5)
    finally:
        os.killpg(honcho.pid, signal.SIGTERM)
        honcho.wait(timeout=20)
