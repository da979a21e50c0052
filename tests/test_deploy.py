"""The production shape in docker-compose.yml and the Dockerfile stays in step with scripts/dev."""

import re
import shutil
import subprocess
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
