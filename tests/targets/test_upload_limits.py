"""Uploads that would exhaust the worker or the database: refused by what the file declares,
before anything is unpacked, and everything else kept within bounds (problems listed, the
preview paged, text fields bounded, the failure message Chinese)."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from jituan.uploads import SizeLimitUploadHandler
from targets.importers import reader, sheets
from targets.importers.allocation_sheet import COLUMNS
from targets.models import ImportBatch, Milestone, Plan, Task
from targets.services import import_batch_create, import_batch_preview, plan_import_tasks
from tests.sheets import FOUR, task_rows, task_sheet

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def never_unpacked(monkeypatch):
    """Fails the test if the workbook reader is reached: the refusal must come first."""

    def unpacked(*args, **kwargs):
        raise AssertionError("the workbook was opened before it was refused")

    monkeypatch.setattr(reader, "CalamineWorkbook", unpacked)


def problems(run):
    return [problem["text"] for problem in run.preview["problems"]]


def nothing_written():
    return not Task.objects.exists() and not Milestone.objects.exists()


def test_a_workbook_that_unpacks_past_the_limit_is_refused_unopened(
    tmp_path, settings, never_unpacked
):
    settings.JITUAN_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    path = task_sheet(tmp_path / "bomb.xlsx", task_rows(1, "扩大招生规模", FOUR))
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (3 * 1024 * 1024))
    assert path.stat().st_size < 100 * 1024  # small on disk, three megabytes unpacked
    run = plan_import_tasks(path=path, year=2020, commit=True)
    assert problems(run) == [
        "工作簿解压后达 3 MB，超过 1 MB 的上限。请只保留要导入的工作表后重新上传。"
    ]
    assert nothing_written()


def test_a_sheet_declaring_a_million_rows_is_refused_unopened(tmp_path, never_unpacked):
    workbook = Workbook()
    workbook.active.append(["序号", "目标任务", "季度", "形象进度"])
    workbook.active.cell(row=1_048_576, column=8, value="末行")
    path = tmp_path / "million.xlsx"
    workbook.save(path)
    run = plan_import_tasks(path=path, year=2020, commit=True)
    assert problems(run) == [
        "工作表有 1,048,576 行，超过一次导入 200,000 行的上限。请删除数据之后的空行，"
        "或把表格拆分后分别导入。"
    ]
    assert nothing_written()


def without_dimension(path: Path) -> Path:
    """The same workbook with its sheets' <dimension> removed (a writer need not declare it)."""
    stripped = path.with_name(f"stripped-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(stripped, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            target.writestr(entry, data)
    return stripped


def test_rows_past_the_limit_are_refused_while_reading_when_undeclared(tmp_path, settings):
    settings.JITUAN_IMPORT_MAX_ROWS = 12
    rows = [row for n in range(1, 5) for row in task_rows(n, f"任务{n}", FOUR)]
    path = without_dimension(task_sheet(tmp_path / "many.xlsx", rows))
    assert b"<dimension" not in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    run = plan_import_tasks(path=path, year=2020, commit=True)
    assert problems(run)[0].startswith("工作表有 13 行，超过一次导入 12 行的上限")
    assert nothing_written()


def test_a_cell_longer_than_excel_allows_is_refused_with_its_place(tmp_path):
    # openpyxl itself cuts a longer cell at Excel's limit; a CSV has no such limit.
    path = tmp_path / "分配.csv"
    path.write_text("成员单位,指标,目标\n安庆工业学校,招生人数," + "9" * 40_000 + "\n")
    with pytest.raises(sheets.SheetRejected) as refused:
        reader.read_table(path, COLUMNS, allow_csv=True)
    assert str(refused.value) == (
        "第 2 行，第 C 列：单元格超过 32,767 个字符（Excel 单元格本身的上限）。"
    )


def test_a_cell_cut_at_excel_s_limit_is_still_refused_as_too_long(tmp_path):
    rows = task_rows(1, "扩大招生规模", FOUR)
    rows[2][3] = "很长" * 20_000
    run = plan_import_tasks(path=task_sheet(tmp_path / "long.xlsx", rows), year=2020, commit=True)
    assert problems(run) == ["工作表“Sheet”，第 6 行，第 D 列：超过 1000 个字。"]
    assert nothing_written()


def test_a_milestone_longer_than_the_field_is_an_error_of_its_row(tmp_path):
    rows = task_rows(1, "扩大招生规模", FOUR)
    rows[1][3] = "招" * 1001
    run = plan_import_tasks(path=task_sheet(tmp_path / "m.xlsx", rows), year=2020, commit=True)
    assert problems(run) == ["工作表“Sheet”，第 5 行，第 D 列：超过 1000 个字。"]
    assert nothing_written()


def test_typed_text_is_bounded_like_imported_text():
    task = Task(
        plan=Plan.objects.create(year=2020, title="计划"),
        number="9",
        title="任务",
        latest_progress="进" * 2001,
    )
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert "latest_progress" in error.value.message_dict


def test_only_the_first_problems_are_stored_with_a_count_of_the_rest(
    tmp_path, settings, secretariat, client_for
):
    settings.JITUAN_IMPORT_MAX_PROBLEMS = 5
    rows = []
    for n in range(1, 4):
        task = task_rows(n, f"任务{n}", FOUR)
        for row in task:
            row[2] = "第九季度"
        rows += task
    path = task_sheet(tmp_path / "bad.xlsx", rows)
    batch = import_batch_create(
        kind="tasks",
        year=2020,
        upload=SimpleUploadedFile(path.name, path.read_bytes()),
        user=secretariat,
    )
    batch = import_batch_preview(batch=batch)
    assert len(batch.preview["problems"]) == 5
    assert batch.preview["problems_total"] == 12
    page = client_for(secretariat).get(batch.get_absolute_url()).content.decode()
    assert "共 12 个问题，此处列出前 5 个" in page
    listed = page.split('data-testid="import-problems"')[1].split("</ul>")[0]
    assert listed.count("<li>") == 5


def test_the_preview_is_shown_a_page_at_a_time(tmp_path, secretariat, client_for):
    rows = [row for n in range(1, 251) for row in task_rows(n, f"任务{n:03d}", FOUR)]
    rows[4 * 200][2] = "第九季度"  # task 201 has an error
    path = task_sheet(tmp_path / "big.xlsx", rows, merge=False)
    batch = import_batch_create(
        kind="tasks",
        year=2020,
        upload=SimpleUploadedFile(path.name, path.read_bytes()),
        user=secretariat,
    )
    batch = import_batch_preview(batch=batch)
    client = client_for(secretariat)
    first = client.get(batch.get_absolute_url()).content.decode()
    assert "任务001" in first and "任务101" not in first
    assert "第 1 页，共 3 页（250 行）" in first
    last = client.get(batch.get_absolute_url() + "?page=3").content.decode()
    assert "任务250" in last and "任务001" not in last
    errors = client.get(batch.get_absolute_url() + "?status=error").content.decode()
    assert "任务201" in errors and "任务001" not in errors
    assert client.get(batch.get_absolute_url() + "?page=abc").status_code == 200


def test_the_import_list_does_not_read_the_previews(tmp_path, secretariat, client_for):
    path = task_sheet(tmp_path / "t.xlsx", task_rows(1, "扩大招生规模", FOUR))
    batch = import_batch_create(
        kind="tasks",
        year=2020,
        upload=SimpleUploadedFile(path.name, path.read_bytes()),
        user=secretariat,
    )
    import_batch_preview(batch=batch)
    client = client_for(secretariat)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("targets:import-list"))
    assert page.status_code == 200 and path.name in page.content.decode()
    batch_queries = [q["sql"] for q in queries if "targets_importbatch" in q["sql"]]
    assert batch_queries and not any('"preview"' in sql for sql in batch_queries)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("targets:import-status", args=[batch.pk]))
    assert not any('"preview"' in q["sql"] for q in queries)


def test_an_unexpected_failure_shows_a_chinese_message_and_no_server_path(
    tmp_path, secretariat, client_for, monkeypatch
):
    path = task_sheet(tmp_path / "t.xlsx", task_rows(1, "扩大招生规模", FOUR))
    batch = import_batch_create(
        kind="tasks",
        year=2020,
        upload=SimpleUploadedFile(path.name, path.read_bytes()),
        user=secretariat,
    )

    def crash(*args, **kwargs):
        raise KeyError(f"There is no item named 'xl/x.xml' in the archive {batch.file.path}")

    monkeypatch.setattr("targets.importers.task_sheet.read_table", crash)
    with pytest.raises(KeyError):
        import_batch_preview(batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    page = client_for(secretariat).get(batch.get_absolute_url()).content.decode()
    assert "导入因意外错误中止，未写入任何数据" in page
    assert batch.file.path not in page and "archive" not in page and "KeyError" not in page


def test_a_damaged_workbook_is_described_without_the_reader_s_english(tmp_path):
    good = task_sheet(tmp_path / "good.xlsx", task_rows(1, "扩大招生规模", FOUR))
    path = tmp_path / "broken.xlsx"
    path.write_bytes(good.read_bytes()[:3000])
    [text] = problems(plan_import_tasks(path=path, year=2020, commit=False))
    assert text == (
        "文件已损坏，无法读取。请用 Excel 打开后重新另存为 .xlsx 工作簿，再上传另存的文件。"
    )
    assert str(path) not in text


@pytest.fixture
def gunicorn():
    """The production web server, on a free port, for as long as the test runs."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "jituan.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_an_oversized_upload_is_refused_from_its_length_before_the_body_is_sent(gunicorn):
    """The answer comes while the client has sent only its headers and a few bytes."""
    conn = http.client.HTTPConnection("127.0.0.1", gunicorn, timeout=10)
    conn.putrequest("POST", reverse("targets:import-create"))
    conn.putheader("Content-Type", "multipart/form-data; boundary=x")
    conn.putheader("Content-Length", str(300 * 1024 * 1024))
    conn.endheaders()
    conn.send(b"--x\r\n")  # 5 bytes of the declared 300 MB
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    assert response.status == 413
    assert "上传的内容超过了单次请求" in body


def test_a_body_without_a_length_stops_being_read_past_the_limit(settings, rf):
    settings.JITUAN_REQUEST_MAX_BYTES = 10
    handler = SizeLimitUploadHandler(rf.post("/"))
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"678901", 5)
