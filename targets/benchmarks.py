"""The import benchmark: our whole import of a task-breakdown sheet against the parsers alone
reading the same file (openpyxl's read-only mode, python-calamine), measured in one run. Figures,
not pass/fail: machines are noisy, ratios hold better than seconds."""

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from .services import plan_import_tasks

BENCH_YEAR = 2099  # a year no real plan uses; the run is rolled back anyway
TARGETS = "targets: import ÷ openpyxl ≤ 0.5 at 10,000 rows and ≤ 0.35 at 100,000; peak < 200 MB"


def bench_import(
    *, stdout, rows: list[int], child: int | None, workdir: Path | None, phase=None, **_options
):
    """`manage.py bench import`: one line per sheet size. Times come from one child process per
    size (the parsers and the import alternating, best of each); the peak memory from another
    that runs the import alone, so that it is the import's own."""
    if child:
        stdout.write(
            json.dumps(
                measure_memory(child, workdir) if phase == "memory" else measure(child, workdir)
            )
        )
        return
    stdout.write(
        f"{'rows':>8} {'tasks':>6} {'openpyxl':>9} {'calamine':>9} {'import':>8} "
        f"{'÷openpyxl':>9} {'÷calamine':>9} {'peak RSS':>9}  {TARGETS}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for count in rows:
            figures = measure_in_child(count, Path(tmp), "times")
            memory = measure_in_child(count, Path(tmp), "memory")
            stdout.write(
                f"{figures['rows']:>8,} {figures['tasks']:>6,} "
                f"{figures['openpyxl_read_s']:>8.2f}s {figures['calamine_read_s']:>8.2f}s "
                f"{figures['import_s']:>7.2f}s {figures['ratio_openpyxl']:>9.2f} "
                f"{figures['ratio_calamine']:>9.2f} {memory['peak_rss_mb']:>7.0f}MB  "
                f"({figures['file_mb']} MB file, {figures['database']})"
            )


def write_sheet(path: Path, rows: int) -> Path:
    """A task-breakdown sheet of `rows` quarter rows (rows / 4 tasks), Chinese text and numbers."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("任务分解一览表")
    sheet.append(["安庆职业教育集团 基准测试 任务分解一览表"])
    sheet.append(
        [
            "填报单位（加盖公章）：安庆职业教育集团秘书处",
            None,
            None,
            None,
            "上报时间：2099年3月31日",
        ]
    )
    sheet.append(
        ["序号", "目标任务", "季度", "形象进度", "最新进展", "主管领导", "责任人员", "联系电话"]
    )
    for index in range(rows):
        task, quarter = divmod(index, 4)
        first = quarter == 0
        sheet.append(
            [
                task + 1 if first else None,
                f"第{task + 1}项重点任务：推进校企合作订单培养与公共实训基地建设"
                if first
                else None,
                f"{quarter + 1}季度",
                f"完成第{quarter + 1}阶段工作：组织调研、制定方案、落实责任、总结评估（{task}）。",
                "按计划推进，已完成阶段目标。" if first else None,
                "王进" if first else None,
                "张玉国" if first else None,
                13800000000 + task if first else None,
            ]
        )
    workbook.save(path)
    return path


def time_openpyxl_read(path: Path) -> float:
    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True)
    for _row in workbook.worksheets[0].iter_rows(values_only=True):
        pass
    workbook.close()
    return time.perf_counter() - started


def time_calamine_read(path: Path) -> float:
    started = time.perf_counter()
    workbook = CalamineWorkbook.from_path(str(path))
    for _row in workbook.get_sheet_by_index(0).iter_rows():
        pass
    workbook.close()
    return time.perf_counter() - started


def time_import(path: Path) -> tuple[float, dict]:
    started = time.perf_counter()
    with transaction.atomic():
        run = plan_import_tasks(path=path, year=BENCH_YEAR, commit=True)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    if not run.applied:
        raise RuntimeError(f"benchmark sheet rejected: {run.preview['problems'][:3]}")
    return elapsed, run.preview["counts"]


def sheet_for(rows: int, workdir: Path) -> Path:
    path = workdir / f"bench-{rows}.xlsx"
    return path if path.exists() else write_sheet(path, rows)


def measure(rows: int, workdir: Path) -> dict:
    """Runs in a child process of its own. The three alternate and the best of each is kept,
    so that none gains from a warm cache."""
    path = sheet_for(rows, workdir)
    reads, calamine_reads, imports = [], [], []
    for _round in range(2):
        reads.append(time_openpyxl_read(path))
        calamine_reads.append(time_calamine_read(path))
        seconds, counts = time_import(path)
        imports.append(seconds)
    read, calamine_read, imported = min(reads), min(calamine_reads), min(imports)
    return {
        "rows": rows,
        "tasks": counts["new"],
        "openpyxl_read_s": round(read, 3),
        "calamine_read_s": round(calamine_read, 3),
        "import_s": round(imported, 3),
        "ratio_openpyxl": round(imported / read, 2),
        "ratio_calamine": round(imported / calamine_read, 2),
        "file_mb": round(path.stat().st_size / 1e6, 2),
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
    }


def measure_memory(rows: int, workdir: Path) -> dict:
    """The peak memory of a process that has started Django and run one import."""
    path = sheet_for(rows, workdir)
    before = _peak_rss_mb()
    time_import(path)
    return {"rows": rows, "peak_rss_mb": round(_peak_rss_mb(), 1), "before_mb": round(before, 1)}


def measure_in_child(rows: int, workdir: Path, phase: str) -> dict:
    command = [
        sys.executable,
        "manage.py",
        "bench",
        "import",
        "--child",
        str(rows),
        "--workdir",
        str(workdir),
        "--phase",
        phase,
    ]
    output = subprocess.run(
        command, cwd=settings.BASE_DIR, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
