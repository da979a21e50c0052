"""The one workbook reader (targets.importers.reader) seen through the imports: the sheet it
chooses, what it refuses before anything is unpacked, the formulas calamine would hide behind
their cached values, merged cells, and values as calamine gives them."""

import os
import re
import struct
import subprocess
import sys
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from enrollment.importers import run_quota_import
from enrollment.models import Enrollment
from targets.importers import reader
from targets.models import Allocation, ImportBatch, Milestone, Plan, Task
from targets.services import (
    import_batch_create,
    import_batch_preview,
    plan_import_allocations,
    plan_import_tasks,
)
from tests.sheets import FOUR, HEADER, allocation_sheet, task_rows, task_sheet

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SHEET_XML = "xl/worksheets/sheet1.xml"
DAMAGED = "文件已损坏，无法读取。请用 Excel 打开后重新另存为 .xlsx 工作簿，再上传另存的文件。"
MB = 1024 * 1024
# What a secretariat puts before the table: a title, a few lines, one naming only 序号.
INSTRUCTIONS = [
    ["填表说明"],
    ["1. 每项任务按季度分四行填写，序号和目标任务合并单元格。"],
    ["2. 联系电话请填写手机号码。"],
    ["序号", "按 1、2、3 的顺序编号，不要重复。"],
]


def problems(run):
    return [problem["text"] for problem in run.preview["problems"]]


def nothing_written():
    return not Task.objects.exists() and not Milestone.objects.exists()


def tasks_stored():
    return {
        task.number: (task.title, task.supervising_leader)
        for task in Task.objects.order_by("number")
    }


def two_tasks(**second):
    return task_rows(1, "扩大招生规模", FOUR) + task_rows(2, "订单培养", FOUR, **second)


def with_sheet_before(
    path: Path, *, name="任务分解一览表", before="填表说明", lines=INSTRUCTIONS, hidden=False
) -> Path:
    """The workbook at `path` with its sheet renamed `name` and a sheet `before` put first."""
    workbook = load_workbook(path)
    workbook.active.title = name
    first = workbook.create_sheet(before, 0)
    for line in lines:
        first.append(line)
    if hidden:
        first.sheet_state = "hidden"
        workbook.active = 1
    workbook.save(path)
    return path


def edited(path: Path, change, part=SHEET_XML) -> Path:
    """A copy of the workbook with one part's XML changed by `change(bytes) -> bytes`."""
    copy = path.with_name(f"edited-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            data = source.read(entry)
            out.writestr(entry.filename, change(data) if entry.filename == part else data)
    return copy


def cell(reference: str, xml: str):
    """A change replacing the cell `reference` of the sheet XML with `xml`."""
    pattern = re.compile(rf'<c r="{reference}"[^>]*?(?:/>|>.*?</c>)'.encode())

    def change(data: bytes) -> bytes:
        assert pattern.search(data), reference
        return pattern.sub(xml.encode().replace(b"\\", b"\\\\"), data, count=1)

    return change


def streamed(path: Path, target: Path, *, padding: int, head=lambda data: data) -> Path:
    """A copy of the workbook whose sheet XML ends in `padding` bytes of XML comment, written a
    megabyte at a time (never held in memory), the XML before them changed by `head`."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename != SHEET_XML:
                out.writestr(entry.filename, data)
                continue
            body, end = data.rsplit(b"</worksheet>", 1)
            with out.open(SHEET_XML, "w", force_zip64=True) as sheet:
                sheet.write(head(body) + b"<!--")
                chunk = b" " * MB
                for _ in range(padding // MB):
                    sheet.write(chunk)
                sheet.write(b" " * (padding % MB) + b"-->" + b"</worksheet>" + end)
    return target


@pytest.fixture
def unopened(monkeypatch):
    """Fails the test if calamine is reached, and counts the bytes Python's zipfile unpacks."""

    def opened(*args, **kwargs):
        raise AssertionError("calamine opened the workbook before it was refused")

    monkeypatch.setattr(reader, "CalamineWorkbook", opened)
    counted = {"bytes": 0}
    for method in ("read", "read1"):
        original = getattr(zipfile.ZipExtFile, method)

        def counting(self, *args, _original=original, **kwargs):
            data = _original(self, *args, **kwargs)
            counted["bytes"] += len(data)
            return data

        monkeypatch.setattr(zipfile.ZipExtFile, method, counting)
    return counted


def measured(call, counted=None):
    """call()'s result and the peak of Python allocations during it (and, given the `unopened`
    counter, the bytes unpacked during it)."""
    if counted is not None:
        counted["bytes"] = 0
    tracemalloc.start()
    try:
        result = call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak


def warm_up(tmp_path):
    """One refused import first, so that translations and lazy imports are not measured."""
    path = tmp_path / "warm.xlsx"
    path.write_bytes(b"PK\x03\x04 not a zip")
    assert problems(plan_import_tasks(path=path, year=2020, commit=True)) == [DAMAGED]


# --- 1. the sheet with the header, after the instructions --------------------------------------


def test_the_tasks_are_read_from_the_sheet_after_the_instructions(tmp_path):
    path = with_sheet_before(task_sheet(tmp_path / "t.xlsx", two_tasks()))
    assert load_workbook(path).sheetnames == ["填表说明", "任务分解一览表"]
    run = plan_import_tasks(path=path, year=2020, commit=True)
    assert run.applied, problems(run)
    assert run.preview["sheet"] == "任务分解一览表"
    assert run.preview["skipped_sheets"] == ["填表说明"]
    assert tasks_stored() == {"1": ("扩大招生规模", "王进"), "2": ("订单培养", "王进")}
    assert Milestone.objects.count() == 8
    assert Plan.objects.get(year=2020).title == "2020 年任务分解一览表"


def test_a_sheet_first_with_the_header_skips_nothing(tmp_path):
    run = plan_import_tasks(
        path=task_sheet(tmp_path / "t.xlsx", two_tasks()), year=2020, commit=False
    )
    assert (run.preview["sheet"], run.preview["skipped_sheets"]) == ("Sheet", [])


def test_the_allocations_are_read_from_the_sheet_after_the_instructions(tmp_path, indicator):
    rows = [("安庆工业学校", "招生", 820)]
    lines = [["说明：成员单位填写全称，目标填写整数。"], ["成员单位", "安庆工业学校等"]]
    path = with_sheet_before(
        allocation_sheet(tmp_path / "a.xlsx", rows), name="指标分配", lines=lines
    )
    run = plan_import_allocations(path=path, year=indicator.plan.year, indicator=None, commit=True)
    assert run.applied, problems(run)
    assert run.preview["sheet"] == "指标分配"
    assert run.preview["skipped_sheets"] == ["填表说明"]
    assert [(a.member.name, a.target) for a in Allocation.objects.all()] == [("安庆工业学校", 820)]


def test_the_quotas_are_read_from_the_sheet_after_the_instructions(tmp_path, school_a, school_b):
    rows = [("安庆工业学校", "高职", 192), ("安徽化工学校", "中职", 468)]
    lines = [["2020 年招生计划分解表填写说明"], ["学校", "填写全称"]]
    path = with_sheet_before(
        allocation_sheet(tmp_path / "q.xlsx", rows, header=("学校", "层次", "招生计划")),
        name="招生计划",
        lines=lines,
    )
    run = run_quota_import(path=path, year=2020, commit=True)
    assert run.applied, problems(run)
    assert run.preview["sheet"] == "招生计划"
    assert run.preview["skipped_sheets"] == ["填表说明"]
    assert set(Enrollment.objects.values_list("member__name", "level", "quota")) == {
        ("安庆工业学校", "higher", 192),
        ("安徽化工学校", "secondary", 468),
    }


def test_a_hidden_sheet_with_the_header_is_not_read(tmp_path):
    path = with_sheet_before(
        task_sheet(tmp_path / "t.xlsx", task_rows(1, "扩大招生规模", FOUR)),
        before="旧版",
        lines=[HEADER, *task_rows(7, "旧表中的任务", FOUR)],
        hidden=True,
    )
    workbook = load_workbook(path)
    assert workbook["旧版"].sheet_state == "hidden" and workbook["旧版"]["B2"].value
    run = plan_import_tasks(path=path, year=2020, commit=True)
    assert run.applied, problems(run)
    assert (run.preview["sheet"], run.preview["skipped_sheets"]) == ("任务分解一览表", [])
    assert tasks_stored() == {"1": ("扩大招生规模", "王进")}


def test_no_sheet_with_a_header_names_every_sheet_searched(tmp_path):
    workbook = Workbook()
    workbook.active.title = "说明"
    for line in INSTRUCTIONS:
        workbook.active.append(line)
    data = workbook.create_sheet("数据")
    data.append(["扩大招生规模", "1季度", "制定方案。"])
    path = tmp_path / "none.xlsx"
    workbook.save(path)
    run = plan_import_tasks(path=path, year=2020, commit=True)
    assert problems(run) == [
        "所有工作表（“说明”、“数据”）的前 20 行中都没有找到表头。"
        "表头须包含：序号、目标任务、季度、形象进度。"
    ]
    assert nothing_written() and not Plan.objects.exists()


def test_a_sheet_with_a_partial_header_is_the_one_complained_of(tmp_path):
    header = ["序号", "目标任务", "形象进度"]
    path = task_sheet(tmp_path / "t.xlsx", [[1, "扩大招生规模", "制定方案。"]], header=header)
    path = with_sheet_before(path, name="数据", before="说明")
    run = plan_import_tasks(path=path, year=2020, commit=True)
    assert problems(run) == ["工作表“数据”，第 3 行：缺少必需的列：季度。"]
    assert nothing_written()


def test_the_preview_page_says_which_sheet_was_read(tmp_path, secretariat, client_for):
    path = with_sheet_before(task_sheet(tmp_path / "t.xlsx", two_tasks()))
    batch = import_batch_create(
        kind="tasks",
        year=2020,
        upload=SimpleUploadedFile(path.name, path.read_bytes()),
        user=secretariat,
    )
    batch = import_batch_preview(batch=batch)
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.preview["counts"]["new"] == 2
    page = client_for(secretariat).get(batch.get_absolute_url()).content.decode()
    shown = page.split('data-testid="import-sheet">')[1].split("</div>")[0]
    assert shown == ("读取的是工作表“任务分解一览表”。它前面的工作表（填表说明）没有表头，已跳过。")
    assert nothing_written()


# --- 2. refused by what the archive declares, before it is unpacked ---------------------------


def test_a_zip_bomb_is_refused_without_being_unpacked(tmp_path, unopened):
    good = task_sheet(tmp_path / "good.xlsx", two_tasks())
    path = streamed(good, tmp_path / "bomb.xlsx", padding=250 * MB)
    assert path.stat().st_size < 1 * MB  # a quarter of a gigabyte once unpacked
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHEET_XML).file_size > 250 * MB
    warm_up(tmp_path)
    run, peak = measured(lambda: plan_import_tasks(path=path, year=2020, commit=True), unopened)
    assert problems(run) == [
        "工作簿解压后达 250 MB，超过 200 MB 的上限。请只保留要导入的工作表后重新上传。"
    ]
    assert unopened["bytes"] < 64 * 1024
    assert peak < 2 * MB
    assert nothing_written() and not Plan.objects.exists()
    path.unlink()


@pytest.mark.parametrize(
    ("dimension", "message"),
    [
        (
            "A1:H1048576",
            "工作表有 1,048,576 行，超过一次导入 200,000 行的上限。"
            "请删除数据之后的空行，或把表格拆分后分别导入。",
        ),
        (
            "A1:XFD1000",
            "工作表范围为 1,000 行 × 16384 列，超过一次导入 10,000,000 个单元格的上限。"
            "请删除数据之后的空行和空列，再重新上传。",
        ),
    ],
    ids=["rows", "cells"],
)
def test_a_sheet_declaring_too_large_a_range_is_refused_from_its_first_bytes(
    tmp_path, settings, unopened, dimension, message
):
    settings.JITUAN_IMPORT_MAX_ROWS = 200_000
    settings.JITUAN_IMPORT_MAX_CELLS = 10_000_000
    good = task_sheet(tmp_path / "good.xlsx", two_tasks())

    def declare(xml: bytes) -> bytes:
        declared, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', b"", xml)
        assert count == 1
        return declared.replace(
            b"<sheetViews>", f'<dimension ref="{dimension}"/><sheetViews>'.encode(), 1
        )

    # Eight megabytes of sheet (within the unpacked limit) that must not be read to refuse it.
    path = streamed(good, tmp_path / "wide.xlsx", padding=8 * MB, head=declare)
    with zipfile.ZipFile(path) as archive:
        assert f'<dimension ref="{dimension}"/>'.encode() in archive.read(SHEET_XML)[:4096]
    warm_up(tmp_path)
    run, peak = measured(lambda: plan_import_tasks(path=path, year=2020, commit=True), unopened)
    assert problems(run) == [message]
    assert unopened["bytes"] < 64 * 1024
    assert peak < 2 * MB
    assert nothing_written()


MEMORY_PROBE = """
import resource, sys
from pathlib import Path
import django
django.setup()
from targets.importers import reader, task_sheet
from targets.importers.sheets import SheetRejected
try:
    table = reader.read_table(Path(sys.argv[1]), task_sheet.COLUMNS, carry=task_sheet.TASK_FIELDS)
    print(f"{table.sheet}: {sum(1 for row in table.rows)} rows")
except SheetRejected as refusal:
    print(refusal)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_memory_reading(path: Path) -> tuple[str, int]:
    """What reader.read_table says of the file, and the peak resident memory (KiB) of a fresh
    process reading it."""
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(path)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "jituan.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    outcome, rss = done.stdout.strip().splitlines()[-2:]
    return outcome, int(rss)


def declared_smaller(path: Path, part: str, size: int) -> None:
    """Patch the archive so that `part` declares `size` bytes unpacked, in both its local header
    and the central directory (the data, and its CRC, unchanged)."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    patched = 0
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            local = struct.unpack_from("<I", data, at + 42)[0]
            assert data[local : local + 4] == b"PK\x03\x04"
            assert data[local + 30 : local + 30 + length] == name
            struct.pack_into("<I", data, at + 24, size)
            struct.pack_into("<I", data, local + 22, size)
            patched += 1
        at = data.find(b"PK\x01\x02", at + 4)
    assert patched == 1
    path.write_bytes(bytes(data))


def test_a_zip_lying_about_its_unpacked_size_is_refused_as_damaged_without_reading_it(tmp_path):
    good = task_sheet(tmp_path / "good.xlsx", two_tasks())
    xml = zipfile.ZipFile(good).read(SHEET_XML)
    body, end = xml.rsplit(b"</sheetData>", 1)
    path = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            if entry.filename != SHEET_XML:
                out.writestr(entry.filename, source.read(entry))
                continue
            with out.open(SHEET_XML, "w") as sheet:  # about 50 MB of long text cells
                sheet.write(body)
                for row in range(12, 50_012):
                    text = b"x" * 1000
                    sheet.write(b'<row r="%d"><c r="B%d" t="inlineStr"><is><t>' % (row, row))
                    sheet.write(text + b"</t></is></c></row>")
                sheet.write(b"</sheetData>" + end)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHEET_XML).file_size > 50 * 1000 * 1000
    declared_smaller(path, SHEET_XML, len(xml))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHEET_XML).file_size == len(xml)
    assert path.stat().st_size < 2 * MB

    good_outcome, good_peak = peak_memory_reading(good)
    lying_outcome, lying_peak = peak_memory_reading(path)
    assert good_outcome == "Sheet: 8 rows"
    assert lying_outcome == DAMAGED
    assert lying_peak - good_peak < 40 * 1024  # KiB
    assert problems(plan_import_tasks(path=path, year=2020, commit=True)) == [DAMAGED]
    assert nothing_written()


LAUGHS = (
    b'<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>"
)


@pytest.mark.parametrize(
    "referenced",
    [True, False],
    ids=["entity-in-a-cell", "declared-only-found-by-the-formula-scan"],
)
def test_an_entity_bomb_is_refused_as_damaged(tmp_path, referenced):
    rows = two_tasks()
    rows[0][4] = "已启动。"
    good = task_sheet(tmp_path / "good.xlsx", rows)
    formula = cell("D5", '<c r="D5" t="str"><f>B4&amp;"方案"</f><v>扩大招生规模方案</v></c>')
    lol = cell("E4", '<c r="E4" t="inlineStr"><is><t>&lol9;</t></is></c>')

    def bomb(xml: bytes) -> bytes:
        xml = formula(LAUGHS + xml)
        return lol(xml) if referenced else xml

    path = edited(good, bomb)
    assert zipfile.ZipFile(path).read(SHEET_XML).startswith(b"<!DOCTYPE worksheet [")
    warm_up(tmp_path)
    run, peak = measured(lambda: plan_import_tasks(path=path, year=2020, commit=True))
    assert problems(run) == [DAMAGED]
    assert peak < 2 * MB
    assert nothing_written() and not Plan.objects.exists()


FAR_CELL = b'<row r="150000"><c r="XFD150000" t="inlineStr"><is><t>x</t></is></c></row>'
# The same far cell written every other way XML and calamine allow, and cells that name no
# place at all (calamine puts each after the one before it): 16,384 of them on row 150,000.
FAR_CELL_WRITTEN_OTHERWISE = {
    "tab-before-r": FAR_CELL.replace(b'<c r="', b'<c\tr="'),
    "single-quotes": FAR_CELL.replace(b'r="XFD150000"', b"r='XFD150000'"),
    "r-not-first": FAR_CELL.replace(b'r="XFD150000" t="inlineStr"', b't="inlineStr" r="XFD150000"'),
    "spaces-around-equals": FAR_CELL.replace(b'r="XFD150000"', b'r = "XFD150000"'),
    "unplaced-cells": b'<row r="150000">' + b"<c><v>1</v></c>" * 16384 + b"</row>",
}


def far_cell(declared: str | None, far: bytes = FAR_CELL):
    """A change adding one cell at XFD150000 to the sheet, its <dimension> removed (None) or
    left as the small range it was."""

    def change(xml: bytes) -> bytes:
        if declared is None:
            xml, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', b"", xml)
            assert count == 1
        else:
            # openpyxl writes "<dimension ref=… />", or without the space when lxml is installed
            assert re.search(rf'<dimension ref="{declared}"\s*/>'.encode(), xml)
        return xml.replace(b"</sheetData>", far + b"</sheetData>")

    return change


def limited_address_space():  # run in the child process: 3 GB, so a runaway allocation fails
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


@pytest.mark.parametrize(
    "declared, far",
    [
        (None, FAR_CELL),
        ("A1:H11", FAR_CELL),
        *((None, far) for far in FAR_CELL_WRITTEN_OTHERWISE.values()),
    ],
    ids=["undeclared", "declared-small", *FAR_CELL_WRITTEN_OTHERWISE],
)
def test_one_far_cell_in_a_small_file_is_refused_before_its_range_is_built(tmp_path, declared, far):
    """Calamine builds a sheet as one block from its first to its last cell, and a failed
    allocation aborts the process: 78 GB here, from a file of a few KB."""
    path = edited(task_sheet(tmp_path / "t.xlsx", two_tasks()), far_cell(declared, far))
    assert path.stat().st_size < 10 * 1024
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(path)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "jituan.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limited_address_space,
    )
    assert done.returncode == 0, done.stderr[:300]  # an abort: -6, "memory allocation … failed"
    # Cells that name no place are counted as if each widened the row: 16,384 + the 8 before.
    assert re.match(
        r"工作表范围为 150,000 行 × 16(384|392) 列，超过一次导入 10,000,000 个单元格的上限",
        done.stdout.strip().splitlines()[-2],
    )


# --- 3. formulas behind their cached values ---------------------------------------------------


def test_a_formula_saved_with_its_cached_value_is_reported_with_its_cell(tmp_path):
    good = task_sheet(tmp_path / "t.xlsx", two_tasks())
    path = edited(good, cell("D4", '<c r="D4" t="str"><f>B4&amp;"方案"</f><v>甲方案</v></c>'))
    assert "<v>甲方案</v>".encode() in zipfile.ZipFile(path).read(SHEET_XML)
    run = plan_import_tasks(path=path, year=2020, commit=True)
    assert problems(run) == [
        "工作表“Sheet”，第 4 行，第 D 列：单元格是公式，请粘贴为数值后再导入。"
    ]
    assert [row["status"] for row in run.preview["rows"]] == ["error", "new"]
    assert nothing_written()


def test_a_shared_formula_and_its_children_are_reported(tmp_path):
    good = task_sheet(tmp_path / "t.xlsx", two_tasks())
    master = cell(
        "D8", '<c r="D8" t="str"><f t="shared" ref="D8:D9" si="0">B8&amp;"一"</f><v>甲一</v></c>'
    )
    child = cell("D9", '<c r="D9" t="str"><f t="shared" si="0"/><v>甲二</v></c>')
    path = edited(good, lambda xml: child(master(xml)))
    run = plan_import_tasks(path=path, year=2020, commit=True)
    assert problems(run) == [
        "工作表“Sheet”，第 8 行，第 D 列：单元格是公式，请粘贴为数值后再导入。",
        "工作表“Sheet”，第 9 行，第 D 列：单元格是公式，请粘贴为数值后再导入。",
    ]
    assert nothing_written()


def test_text_that_looks_like_a_formula_tag_is_not_a_formula(tmp_path):
    rows = two_tasks()
    rows[0][1] = "统一<font>模板"  # escaped in the XML: &lt;font&gt;
    good = task_sheet(tmp_path / "t.xlsx", rows)
    assert b"&lt;font&gt;" in zipfile.ZipFile(good).read(SHEET_XML)
    # and a raw `<f>` in a CDATA section: the byte scan finds it, the XML parse does not
    path = edited(
        good, cell("B8", '<c r="B8" t="inlineStr"><is><t><![CDATA[订单<f>培养]]></t></is></c>')
    )
    assert b"<![CDATA[" in zipfile.ZipFile(path).read(SHEET_XML)
    run = plan_import_tasks(path=path, year=2020, commit=True)
    assert run.applied, problems(run)
    assert tasks_stored() == {"1": ("统一<font>模板", "王进"), "2": ("订单<f>培养", "王进")}


# --- 4. merged cells and sheets not starting in column A --------------------------------------


def test_a_leader_merged_over_two_tasks_leads_both(tmp_path):
    rows = task_rows(1, "扩大招生规模", FOUR) + task_rows(2, "订单培养", FOUR, leader=None)
    unmerged = task_sheet(tmp_path / "unmerged.xlsx", rows, merge=False)
    run = plan_import_tasks(path=unmerged, year=2020, commit=False)
    assert run.ok, problems(run)
    assert [task.supervising_leader for task in run.parsed.tasks] == ["王进", ""]

    path = task_sheet(tmp_path / "merged.xlsx", rows, merge=False)
    workbook = load_workbook(path)
    workbook.active.merge_cells("F4:F11")
    workbook.save(path)
    run = plan_import_tasks(path=path, year=2020, commit=True)
    assert run.applied, problems(run)
    assert tasks_stored() == {"1": ("扩大招生规模", "王进"), "2": ("订单培养", "王进")}


def test_a_school_merged_over_its_levels_has_both_rows(tmp_path, school_a, school_b):
    rows = [("安庆工业学校", "高职", 192), (None, "中职", 600), ("安徽化工学校", "中职", 468)]
    header = ("学校", "层次", "招生计划")
    unmerged = allocation_sheet(tmp_path / "unmerged.xlsx", rows, header=header)
    run = run_quota_import(path=unmerged, year=2020, commit=True)
    assert problems(run) == [
        "工作表“Sheet”，第 3 行：没有名为“—”的成员单位。请核对名称，或先在“成员单位”中添加。"
    ]
    assert not Enrollment.objects.exists()

    path = allocation_sheet(tmp_path / "merged.xlsx", rows, header=header)
    workbook = load_workbook(path)
    workbook.active.merge_cells("A2:A3")
    workbook.save(path)
    run = run_quota_import(path=path, year=2020, commit=True)
    assert run.applied, problems(run)
    assert set(Enrollment.objects.values_list("member__name", "level", "quota")) == {
        ("安庆工业学校", "higher", 192),
        ("安庆工业学校", "secondary", 600),
        ("安徽化工学校", "secondary", 468),
    }


def task_sheet_at_c3(path: Path, rows) -> Path:
    """The task table with its title in C1 and its header in C3: columns A and B empty."""
    workbook = Workbook()
    sheet = workbook.active
    sheet["C1"] = "2020 年任务分解一览表"
    for offset, row in enumerate([HEADER, *rows]):
        for index, value in enumerate(row):
            if value is not None:
                sheet.cell(row=3 + offset, column=3 + index, value=value)
    workbook.save(path)
    return path


def test_a_table_starting_in_column_c_keeps_its_column_letters(tmp_path):
    path = task_sheet_at_c3(tmp_path / "c3.xlsx", two_tasks(phone="0556-5301234"))
    assert load_workbook(path).active["A3"].value is None
    run = plan_import_tasks(path=path, year=2020, commit=True)
    assert run.applied, problems(run)
    assert tasks_stored() == {"1": ("扩大招生规模", "王进"), "2": ("订单培养", "王进")}
    assert Task.objects.get(number="2").phone == "0556-5301234"
    assert Task.objects.get(number="1").milestones_by_quarter() == FOUR

    rows = two_tasks()
    rows[5][2] = "5季度"
    run = plan_import_tasks(
        path=task_sheet_at_c3(tmp_path / "bad.xlsx", rows), year=2021, commit=True
    )
    assert problems(run) == [
        "工作表“Sheet”，第 9 行，第 E 列：“5季度”不是季度，请填写 1季度 至 4季度。"
    ]
    assert not Plan.objects.filter(year=2021).exists()


# --- 5. values as calamine gives them --------------------------------------------------------


def test_numbers_and_dates_are_stored_as_written(tmp_path):
    rows = task_rows(1, "扩大招生规模", [date(2020, 3, 31), *FOUR[1:]], phone=13800000000)
    rows[1][2] = 2  # the quarter as a number
    path = task_sheet(tmp_path / "t.xlsx", rows)
    loaded = load_workbook(path).active
    assert (loaded["A4"].value, loaded["D4"].is_date) == (1, True)
    run = plan_import_tasks(path=path, year=2020, commit=True)
    assert run.applied, problems(run)
    task = Task.objects.get()
    assert (task.number, task.phone) == ("1", "13800000000")
    assert task.milestones_by_quarter() == ["2020-03-31", *FOUR[1:]]
