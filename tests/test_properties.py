"""Property tests (hypothesis): whatever a cell or a form field holds, the importers and the forms
answer with a value inside the bounds the code declares, or with a Chinese message — never with an
exception.

1. Importers' cell parsing: targets.importers.sheets (clean_text, normalise, is_formula),
   task_sheet (parse_quarter and the row reader), allocation_sheet (target numbers, member and
   indicator names) and enrollment.importers (member, level, channel, year, quota).
2. jituan.text.clean_text: what it returns can always be written to an .xlsx and read back.
3. Every number field of every form and formset (targets, rewards, reports, dashboard, and the
   register forms of enrollment, partnerships and rewards).

No example writes to the database, so the examples of one test share its fixtures. Examples are
derandomized (the same on every run, so a test fails always or never) and the example database is
off; what hypothesis still caches in .hypothesis/ is ignored by the .gitignore it writes there.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django import forms
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.forms.formsets import BaseFormSet
from django.utils import translation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

import assessment.forms
import dashboard.forms
import development.registers
import enrollment.registers
import jituan.forms
import partnerships.registers
import reports.forms
import rewards.forms
import rewards.registers
import targets.forms
from assessment.forms import AdjustForm, AssessmentCreateForm, CriterionFormSet, RulesForm
from assessment.models import Assessment, Criterion, MemberScore
from dashboard.forms import DashboardFilterForm
from development.models import College, ResearchTopic, TeacherDevelopment, TrainingCourse
from enrollment import importers as quota_sheet
from enrollment.models import Enrollment, GraduateCount, StudentsOnRoll, TeacherCount
from jituan import text as jituan_text
from jituan.models import Member
from partnerships.models import (
    ApprenticeshipCohort,
    CertificatePilot,
    Consortium,
    Enterprise,
    IndustryCollege,
    Major,
    OrderClass,
    TrainingBase,
)
from reports.forms import ReportRequestForm
from reports.models import Report
from rewards.forms import SummaryForm
from rewards.models import DeductionRule, GradeRule, RewardFund, RewardRule, StudentIntake
from targets.forms import (
    AllocationFormSet,
    CategoryTargetFormSet,
    GroupFigureForm,
    ImportForm,
    IndicatorForm,
    IndicatorReportForm,
    MilestoneFormSet,
    PlanForm,
    QuarterScheduleFormSet,
    TaskForm,
    TrajectoryFormSet,
)
from targets.importers import allocation_sheet, task_sheet
from targets.importers.sheets import Header, clean_text, is_formula, normalise
from targets.models import (
    Allocation,
    CategoryTarget,
    GroupFigure,
    ImportBatch,
    Indicator,
    IndicatorReport,
    Milestone,
    Plan,
    QuarterSchedule,
    Task,
    TrajectoryPoint,
)

from .factories import MemberFactory


def examples(n: int) -> settings:
    return settings(
        max_examples=n,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


# --- Chinese messages ---------------------------------------------------------------------------

CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def assert_chinese(message, *inputs) -> None:
    """The message has Chinese of its own, not only in the user's value it quotes."""
    text = str(message)
    for value in inputs:
        for shown in {str(value), clean_text(value)}:
            if shown:
                text = text.replace(shown, "")
    assert CJK.search(text), f"not a Chinese message: {str(message)[:300]!r}"


@pytest.fixture(autouse=True)
def chinese():
    """The app runs in zh-hans; every message below is read in the active language."""
    assert django_settings.LANGUAGE_CODE == "zh-hans"
    with translation.override("zh-hans"):
        assert translation.get_language() == "zh-hans"
        yield


# --- what a cell can hold -------------------------------------------------------------------------

FULL_WIDTH = str.maketrans(
    {chr(c): chr(c - 0x21 + 0xFF01) for c in range(0x21, 0x7F)} | {" ": "\u3000"}
)


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


CONTROL_CHARS = st.characters(max_codepoint=0x1F, exclude_categories=())
ODD_CHARS = st.sampled_from(
    "０１２３４５６７８９\u3000\u00a0\u2028\ufeff\ufffe\uffff季度第一二三四五Qq .,-+eE=#/%"
)
# Lone surrogates come from broken UTF-16 pastes (jituan.text.clean_text removes them).
ANY_CHAR = st.one_of(
    st.characters(exclude_categories=()),  # every code point, surrogates included
    CONTROL_CHARS,
    ODD_CHARS,
)
SHORT_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(ANY_CHAR, max_size=30),
)
# Up to a few thousand characters, built by repetition (hypothesis draws short strings cheaply).
HUGE_TEXT = st.builds(
    lambda piece, times: piece * times,
    st.text(ANY_CHAR, min_size=1, max_size=12),
    st.integers(min_value=50, max_value=600),
)
HUGE_DIGITS = st.builds(
    lambda sign, digit, times: sign + digit * times,
    st.sampled_from(["", "-", "+"]),
    st.sampled_from("1579"),
    # around and past Python's 4300-digit limit of int(str)
    st.one_of(st.integers(min_value=16, max_value=6000), st.sampled_from([4300, 4301, 5000])),
)
SPECIAL_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\u3000",
        "NaN",
        "nan",
        "-NaN",
        "sNaN",
        "Infinity",
        "-inf",
        "1e309",
        "-1e309",
        "1e-309",
        "1E+999999999999",
        "１２",
        " 12 ",
        "\u300012\u3000",
        "12.0",
        "12.",
        ".5",
        "1,000",
        "1，000",
        "1_000",
        "0x10",
        "-0",
        "+5",
        "0.001",
        "١٢",
        "十二",
        "=SUM(A1:A3)",
        "#N/A",
        "#DIV/0!",
        "\x00",
        "1\x00",
        "\ud800",
    ]
)
TEXT = st.one_of(SHORT_TEXT, HUGE_TEXT, HUGE_DIGITS, SPECIAL_TEXT)
# openpyxl turns a number cell into int(...) or float(...): an int beyond 4300 digits cannot come
# out of a workbook (int() refuses it and the sheet is rejected as damaged).
INTEGERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**4000), max_value=10**4000),
)
FLOATS = st.one_of(
    st.floats(),
    st.sampled_from([float("nan"), float("inf"), float("-inf"), -0.0, 1e308, 5e-324, 1e16]),
)
CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    INTEGERS,
    FLOATS,
    TEXT,
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
)


def mostly(plausible, other=CELL_VALUES):
    """Three draws in four from the plausible values, so that whole rows are often valid and
    one odd cell is seen alone."""
    return st.integers(min_value=0, max_value=3).flatmap(
        lambda pick: other if pick == 0 else plausible
    )


# --- 1a. sheets: clean_text, normalise, is_formula --------------------------------------------


@examples(300)
@given(value=CELL_VALUES)
def test_sheet_clean_text_returns_stripped_text_for_any_cell(value):
    text = clean_text(value)
    assert isinstance(text, str)
    assert text == text.strip()
    if value is None:
        assert text == ""
    if isinstance(value, float) and value.is_integer():
        assert text == str(int(value))  # 12.0 in a cell reads 12, as typed


@examples(300)
@given(value=CELL_VALUES)
def test_normalise_never_raises_and_leaves_no_space(value):
    text = normalise(value)
    assert isinstance(text, str)
    assert not any(character.isspace() for character in text)


@examples(200)
@given(text=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30))
def test_normalise_reads_full_width_as_half_width(text):
    assert normalise(full_width(text)) == normalise(text)
    assert normalise(f"\u3000{text} \u00a0") == normalise(text)


@examples(300)
@given(value=CELL_VALUES)
def test_is_formula_only_for_text_starting_with_equals(value):
    answer = is_formula(value)
    assert isinstance(answer, bool)
    assert answer == (isinstance(value, str) and len(value) > 1 and value[0] == "=")


# --- 1b. task sheet: quarters and rows --------------------------------------------------------

CHINESE_NUMERALS = {1: "一", 2: "二", 3: "三", 4: "四"}


def quarter_spellings(quarter: int) -> list:
    """Every spelling the importer documents (README: 1季度, 第一季度, Q1 or 1; the docstring:
    一季度 and 1.0), in half- and full-width, with spaces around."""
    numeral = CHINESE_NUMERALS[quarter]
    written = [
        str(quarter),
        f"{quarter}季度",
        f"第{numeral}季度",
        f"{numeral}季度",
        f"第{quarter}季度",
        f"Q{quarter}",
        f"q{quarter}",
    ]
    return [
        quarter,
        float(quarter),
        *written,
        *(full_width(text) for text in written),
        *(f" {text}\u3000" for text in written),
    ]


def _clear_quarter_cache():
    getattr(task_sheet.parse_quarter, "cache_clear", lambda: None)()


@examples(300)
@given(value=CELL_VALUES)
def test_parse_quarter_gives_none_or_one_to_four(value):
    quarter = task_sheet.parse_quarter(value)
    assert quarter is None or (type(quarter) is int and 1 <= quarter <= 4)


@examples(100)
@given(quarter=st.integers(min_value=1, max_value=4), data=st.data())
def test_parse_quarter_reads_every_documented_spelling(quarter, data):
    _clear_quarter_cache()
    spelling = data.draw(st.sampled_from(quarter_spellings(quarter)))
    assert task_sheet.parse_quarter(spelling) == quarter


@examples(100)
@given(number=st.one_of(st.integers(), st.integers(min_value=-(10**30), max_value=10**30)))
def test_parse_quarter_refuses_numbers_outside_one_to_four(number):
    _clear_quarter_cache()
    expected = number if 1 <= number <= 4 else None
    assert task_sheet.parse_quarter(number) == expected
    assert task_sheet.parse_quarter(f"{number}季度") == expected


# Cells equal in Python (1 == 1.0 == True, 0 == 0.0 == False) that a reader must tell apart.
EQUAL_IN_PYTHON = st.sampled_from([1, 1.0, True, 0, 0.0, False, "1", 2, 2.0, None])
QUARTER_LIKE = st.one_of(EQUAL_IN_PYTHON, CELL_VALUES)


@examples(150)
@given(first=EQUAL_IN_PYTHON, then=EQUAL_IN_PYTHON)
def test_parse_quarter_tells_equal_python_values_apart(first, then):
    """A cell reads the same whether or not a cell equal to it in Python (TRUE and 1.0, FALSE
    and 0.0) was read before it."""
    _clear_quarter_cache()
    alone = task_sheet.parse_quarter(then)
    _clear_quarter_cache()
    task_sheet.parse_quarter(first)
    after = task_sheet.parse_quarter(then)
    assert after == alone, f"{then!r} reads {after!r} after {first!r}, {alone!r} alone"


@examples(150)
@given(earlier=st.lists(CELL_VALUES, min_size=1, max_size=4), value=QUARTER_LIKE)
def test_parse_quarter_does_not_depend_on_cells_read_before(earlier, value):
    """The same cell reads the same whatever other cells (of this or an earlier import in the same
    worker process) were read before it."""
    _clear_quarter_cache()
    alone = task_sheet.parse_quarter(value)
    _clear_quarter_cache()
    for cell in earlier:
        task_sheet.parse_quarter(cell)
    assert task_sheet.parse_quarter(value) == alone, (
        f"{value!r} reads {task_sheet.parse_quarter(value)!r} after {earlier!r}, {alone!r} alone"
    )


TASK_HEADER = Header(
    "任务分解一览表", 3, {column.key: index for index, column in enumerate(task_sheet.COLUMNS)}
)
TASK_CELLS = {
    "number": st.one_of(
        st.sampled_from(["1", "2", "1.", "（一）1", 1, 2.0, None, ""]), CELL_VALUES
    ),
    "title": st.one_of(st.sampled_from(["扩大招生规模", "", None]), CELL_VALUES),
    "quarter": st.one_of(st.sampled_from(["1季度", "第二季度", "Q3", 4, 5, None]), CELL_VALUES),
    "planned": st.one_of(st.sampled_from(["完成招生", "", None]), CELL_VALUES),
}
TASK_ROW = st.builds(
    lambda cells, rest: tuple(
        cells.get(column.key, rest[index]) for index, column in enumerate(task_sheet.COLUMNS)
    ),
    st.fixed_dictionaries(TASK_CELLS),
    st.lists(CELL_VALUES, min_size=len(task_sheet.COLUMNS), max_size=len(task_sheet.COLUMNS)),
)


@examples(80)
@given(rows=st.lists(TASK_ROW, min_size=1, max_size=5))
def test_task_rows_give_tasks_in_bounds_or_chinese_problems(rows):
    reader = task_sheet._TaskRows(TASK_HEADER)
    for number, row in enumerate(rows, start=4):
        reader.read(number, row)
    for problem in reader.problems:
        assert 4 <= problem.row < 4 + len(rows)
        assert_chinese(problem.message, *(value for row in rows for value in row))
        assert_chinese(str(problem), *(value for row in rows for value in row))
    for task in reader.tasks:
        assert set(task.milestones) <= {1, 2, 3, 4}
        event("task without errors" if not task.errors else "task with errors")
        if not task.errors:
            assert task.number and task.title
            limits = {**task_sheet.MAX_LENGTHS}
            for key in ("number", "title", *task_sheet.TASK_FIELDS):
                if limits.get(key):
                    assert len(getattr(task, key)) <= limits[key], key
            if limits.get("planned"):
                assert all(len(text) <= limits["planned"] for text in task.milestones.values())


# --- 1c. allocation sheet: targets, members, indicators -----------------------------------------

TARGET = Allocation._meta.get_field("target")
TARGET_MAX = Decimal(10 ** (TARGET.max_digits - TARGET.decimal_places)) - Decimal(1).scaleb(
    -TARGET.decimal_places
)  # 999 999 999 999.99: what the column holds


def assert_storable_target(number):
    assert isinstance(number, Decimal) and number.is_finite(), number
    assert 0 <= number <= TARGET_MAX, f"target {number} is outside 0 … {TARGET_MAX}"
    assert number == number.quantize(Decimal(1).scaleb(-TARGET.decimal_places)), (
        f"target {number} has more than {TARGET.decimal_places} decimal places"
    )


NUMBER_CELLS = st.one_of(
    CELL_VALUES,
    st.decimals().map(str),
    st.decimals(min_value=0, max_value=10**13).map(lambda d: f"{d:,}"),
    st.integers(min_value=0, max_value=10**15),
)


@examples(300)
@given(value=NUMBER_CELLS)
def test_allocation_target_never_raises_and_refuses_in_chinese(value):
    errors: list[str] = []
    number = allocation_sheet._number(value, errors)
    if number is None:
        assert errors, f"{value!r} refused without a message"
        for message in errors:
            assert_chinese(message, value)
    else:
        assert errors == []


FINITE_NUMBER_CELLS = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.decimals(min_value=0, max_value=10**15, allow_nan=False).map(lambda d: f"{d:,}"),
    st.sampled_from(["1e12", "1e13", "0.001", "0.125", "1,000,000,000,000", "1E+30"]),
)


@examples(200)
@given(value=FINITE_NUMBER_CELLS)
def test_allocation_target_is_accepted_only_as_the_column_holds_it(value):
    """0 to 999 999 999 999.99 with at most two decimals (Allocation.target, max_digits=14,
    decimal_places=2): anything else refused at the preview, not when the import is applied."""
    errors: list[str] = []
    number = allocation_sheet._number(value, errors)
    event("accepted" if number is not None else "refused")
    if number is not None:
        assert_storable_target(number)


@examples(200)
@given(
    target=st.decimals(min_value=0, max_value=TARGET_MAX, places=2),
    spelling=st.sampled_from(["plain", "thousands", "padded", "cell"]),
)
def test_allocation_target_reads_what_the_column_holds(target, spelling):
    value = {
        "plain": str(target),
        "thousands": f"{target:,}",
        "padded": f"\u3000{target} ",
        "cell": int(target) if target == target.to_integral_value() else str(target),
    }[spelling]
    errors: list[str] = []
    assert allocation_sheet._number(value, errors) == target
    assert errors == []


@pytest.fixture
def allocation_setup(db):
    member = MemberFactory(name="安庆工业学校", short_name="安庆工校")
    plan = Plan.objects.create(year=2020, title="2020年重点工作")
    enroll = Indicator.objects.create(
        plan=plan, code="enroll", name="招生人数", unit="人", target=Decimal(100)
    )
    Indicator.objects.create(
        plan=plan, code="rate", name="就业率", unit="%", kind=Indicator.Kind.RATE, target=90
    )
    return SimpleNamespace(
        member=member,
        indicator=enroll,
        open=allocation_sheet._Resolver(plan, None),
        fixed=allocation_sheet._Resolver(plan, enroll),
    )


@examples(150)
@given(
    member=mostly(st.sampled_from(["安庆工业学校", " 安庆工校\u3000", "安庆 工业学校", "安庆工"])),
    indicator=mostly(st.sampled_from(["enroll", "招生人数", "ＥＮＲＯＬＬ", "rate", None])),
    # The target's parsing has its own properties above; here only that it does not interfere.
    target=st.sampled_from([120, 120.0, "1,200", "１２０", "", None, "一百", -5, "=A1"]),
    fixed=st.booleans(),
)
def test_allocation_row_names_a_member_and_indicator_or_gives_chinese_problems(
    allocation_setup, member, indicator, target, fixed
):
    resolver = allocation_setup.fixed if fixed else allocation_setup.open
    values = {"member": member, "indicator": indicator, "target": target}
    item = allocation_sheet._read_row(9, values, resolver)
    for message in item.errors:
        assert_chinese(message, member, indicator, target)
    event("accepted" if not item.errors else "refused")
    if not item.errors:
        assert item.member == allocation_setup.member
        assert item.indicator == allocation_setup.indicator  # the only allocatable one
        assert_storable_target(item.target)


# --- 1d. enrollment quota table: member, level, channel, year, quota ------------------------------

QUOTA = Enrollment._meta.get_field("quota")
QUOTA_MAX = 100_000  # enrollment.models.STUDENTS, migration 0004_plausible_counts
LEVEL_SPELLINGS = {
    "高职": Enrollment.Level.HIGHER,
    "中职": Enrollment.Level.SECONDARY,
    "新技工": Enrollment.Level.TECHNICIAN,
    "技工": Enrollment.Level.TECHNICIAN,
    " 高 职\u3000": Enrollment.Level.HIGHER,
}
CHANNEL_SPELLINGS = {
    "普招": Enrollment.Channel.GENERAL,
    "普通招生": Enrollment.Channel.GENERAL,
    "分类招生": Enrollment.Channel.CLASSIFIED,
    "社会扩招": Enrollment.Channel.EXPANSION,
    "3+2": Enrollment.Channel.THREE_TWO,
    "３＋２": Enrollment.Channel.THREE_TWO,
    "五年一贯制": Enrollment.Channel.FIVE_YEAR,
    "合计": Enrollment.Channel.ALL,
    "全部": Enrollment.Channel.ALL,
}
SCHOOL = Member(name="安庆工业学校", short_name="安庆工校")
SCHOOLS = {normalise(SCHOOL.name): SCHOOL, normalise(SCHOOL.short_name): SCHOOL}
QUOTA_CELLS = st.one_of(
    NUMBER_CELLS,
    st.integers(min_value=-10, max_value=2 * QUOTA_MAX),
    st.integers(min_value=0, max_value=2 * QUOTA_MAX).map(lambda n: f"{n:,}"),
    HUGE_DIGITS,
)


@examples(400)
@given(
    member=mostly(st.sampled_from(["安庆工业学校", "安庆工校", "安庆 工校", "安庆"])),
    level=mostly(st.sampled_from(sorted(LEVEL_SPELLINGS))),
    channel=mostly(st.sampled_from([None, "", *sorted(CHANNEL_SPELLINGS)])),
    year=mostly(st.sampled_from([None, "", 2020, 2020.0, "2020", 2021])),
    quota=mostly(st.integers(min_value=0, max_value=QUOTA_MAX), QUOTA_CELLS),
)
def test_quota_row_is_in_bounds_or_gives_chinese_problems(member, level, channel, year, quota):
    cells = {"member": member, "level": level, "channel": channel, "year": year, "quota": quota}
    row = quota_sheet._row(5, cells, SCHOOLS, 2020)
    for message in row.errors:
        assert_chinese(message, *cells.values())
    event("accepted" if not row.errors else "refused")
    if not row.errors:
        assert row.member is SCHOOL
        assert row.level in Enrollment.Level.values
        assert row.channel in Enrollment.Channel.values
        assert type(row.quota) is int and 0 <= row.quota <= QUOTA_MAX, row.quota
        QUOTA.run_validators(row.quota)


@examples(60)
@given(
    digit=st.sampled_from("0123456789"),
    length=st.one_of(st.integers(min_value=1, max_value=8000), st.sampled_from([4300, 4301])),
)
def test_quota_of_any_length_of_digits_is_read_or_refused(digit, length):
    """A quota cell of digits — 5, 120 or a pasted 5000-digit number — is a quota or a Chinese
    problem."""
    text = digit * length
    cells = {"member": "安庆工校", "level": "高职", "quota": text}
    row = quota_sheet._row(5, cells, SCHOOLS, 2020)
    for message in row.errors:
        assert_chinese(message, text)
    assert row.errors or row.quota == int(digit) * int("1" * length)


@examples(200)
@given(
    quota=st.integers(min_value=0, max_value=QUOTA_MAX),
    spelling=st.sampled_from(["int", "float", "text", "thousands", "padded"]),
    level=st.sampled_from(sorted(LEVEL_SPELLINGS)),
    channel=st.sampled_from(sorted(CHANNEL_SPELLINGS)),
)
def test_quota_row_reads_every_plausible_quota(quota, spelling, level, channel):
    value = {
        "int": quota,
        "float": float(quota),
        "text": str(quota),
        "thousands": f"{quota:,}",
        "padded": f" {quota}\u3000",
    }[spelling]
    cells = {"member": "安庆工校", "level": level, "channel": channel, "year": 2020, "quota": value}
    row = quota_sheet._row(5, cells, SCHOOLS, 2020)
    assert row.errors == []
    assert (row.member, row.level, row.channel, row.quota) == (
        SCHOOL,
        LEVEL_SPELLINGS[level],
        CHANNEL_SPELLINGS[channel],
        quota,
    )


# --- 2. jituan.text.clean_text: safe for Excel and XML ------------------------------------------


def xml_char(character: str) -> bool:
    """XML 1.0's Char production: what an .xlsx or .docx can hold."""
    code = ord(character)
    return (
        character in "\t\n\r"
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


PASTED_TEXT = st.one_of(SHORT_TEXT, HUGE_TEXT, st.text(ANY_CHAR, max_size=300))


@examples(300)
@given(text=PASTED_TEXT)
def test_clean_text_keeps_exactly_what_xml_can_hold(text):
    cleaned = jituan_text.clean_text(text)
    expected = "".join(
        "\n" if character in "\x0b\x0c" else character if xml_char(character) else ""
        for character in text
    )
    assert cleaned == expected
    assert jituan_text.clean_text(cleaned) == cleaned


@examples(100)
@given(value=st.one_of(st.none(), st.booleans(), INTEGERS, FLOATS, st.datetimes(), st.dates()))
def test_clean_text_returns_what_is_not_text_unchanged(value):
    assert jituan_text.clean_text(value) is value


@examples(80)
@given(texts=st.lists(PASTED_TEXT, min_size=1, max_size=4))
def test_clean_text_output_can_be_saved_to_xlsx_and_read_back(texts):
    workbook = Workbook()
    sheet = workbook.active
    for row, text in enumerate(texts, start=1):
        sheet.cell(row=row, column=1, value=jituan_text.clean_text(text))
    buffer = io.BytesIO()
    workbook.save(buffer)
    reread = load_workbook(io.BytesIO(buffer.getvalue()))
    for row, _text in enumerate(texts, start=1):
        value = reread.active.cell(row=row, column=1).value
        assert value is None or isinstance(value, str)


# --- 3. every number field of every form ------------------------------------------------------

INT_MAX = 2_147_483_647  # PositiveIntegerField: "values from 0 to 2147483647 are safe in all
SMALL_MAX = 32_767  # databases"; PositiveSmallIntegerField: 0 to 32767 (Django's field reference)


@dataclass(frozen=True)
class Bound:
    """Where a cleaned value must lie: [low, high], at most `places` decimal places."""

    low: Decimal | int
    high: Decimal | int
    nominal: str
    places: int | None = None

    def check(self, name, value):
        if value is None or value == "":
            return  # an optional field left empty
        assert isinstance(value, int | Decimal) and not isinstance(value, bool), (name, value)
        if isinstance(value, Decimal):
            assert value.is_finite(), (name, value)
            assert value == value.quantize(Decimal(1).scaleb(-self.places)), (name, value)
        assert self.low <= value <= self.high, (
            f"{name}={value} accepted, outside {self.low} … {self.high}"
        )


YEAR = Bound(2000, 2100, "2020")
MONEY = Bound(0, 1_000_000_000, "1000")
CLASS = Bound(0, 10_000, "20")  # CLASS_SIZE in partnerships and rewards, TEACHERS in enrollment
STUDENTS = Bound(0, 100_000, "200")  # STUDENTS / HEAD_COUNT
POSITION = Bound(0, 10_000, "1")
QUARTER = Bound(1, 4, "1")
DECIMAL_14_2 = Decimal("999999999999.99")
SIGNED_AMOUNT = Bound(-DECIMAL_14_2, DECIMAL_14_2, "12.5", places=2)
AMOUNT = Bound(Decimal(0), DECIMAL_14_2, "12.5", places=2)

BOUNDS = {
    (Enrollment, "year"): YEAR,
    (Enrollment, "quota"): STUDENTS,
    (Enrollment, "actual"): STUDENTS,
    (TeacherCount, "year"): YEAR,
    (TeacherCount, "full_time"): CLASS,
    (TeacherCount, "dual_qualified"): CLASS,
    (GraduateCount, "year"): YEAR,
    (GraduateCount, "graduates"): STUDENTS,
    (GraduateCount, "employed_locally"): STUDENTS,
    (StudentsOnRoll, "year"): YEAR,
    (StudentsOnRoll, "students"): STUDENTS,
    (TrainingCourse, "year"): YEAR,
    (TrainingCourse, "person_times"): STUDENTS,
    (TrainingCourse, "days"): Bound(0, 366, "5"),
    (TeacherDevelopment, "year"): YEAR,
    (TeacherDevelopment, "persons"): CLASS,
    (TeacherDevelopment, "days"): Bound(0, 100_000, "30"),
    (ResearchTopic, "year"): YEAR,
    (College, "founded"): YEAR,
    (RewardRule, "year"): YEAR,
    (RewardRule, "amount"): MONEY,
    (RewardRule, "min_students"): CLASS,
    (DeductionRule, "year"): YEAR,
    (DeductionRule, "amount"): MONEY,
    (DeductionRule, "threshold_percent"): Bound(0, 100, "10"),
    (GradeRule, "year"): YEAR,
    (GradeRule, "percent"): Bound(-100, 100, "10"),
    (RewardFund, "year"): YEAR,
    (RewardFund, "reward_fund"): MONEY,
    (RewardFund, "running_budget"): MONEY,
    (StudentIntake, "year"): YEAR,
    (StudentIntake, "students"): CLASS,
    (OrderClass, "year"): YEAR,
    (OrderClass, "students"): CLASS,
    (ApprenticeshipCohort, "year"): YEAR,
    (ApprenticeshipCohort, "apprentices"): CLASS,
    (IndustryCollege, "founded"): YEAR,
    (Consortium, "founded"): YEAR,
    (IndustryCollege, "level_year"): YEAR,
    (Consortium, "level_year"): YEAR,
    (TrainingBase, "year"): YEAR,
    (CertificatePilot, "year"): YEAR,
    (CertificatePilot, "students"): STUDENTS,
    (Major, "year"): YEAR,
    (Major, "students"): STUDENTS,
    (Plan, "year"): Bound(2000, 2100, "2021"),  # 2020 is the fixture's own plan
    (QuarterSchedule, "quarter"): QUARTER,
    (QuarterSchedule, "grace_days"): Bound(0, 90, "10"),
    (Task, "position"): POSITION,
    (Milestone, "quarter"): QUARTER,
    (Indicator, "baseline"): SIGNED_AMOUNT,
    (Indicator, "target"): SIGNED_AMOUNT,
    (Indicator, "position"): POSITION,
    (TrajectoryPoint, "year"): YEAR,
    (TrajectoryPoint, "target"): SIGNED_AMOUNT,
    (Allocation, "target"): AMOUNT,
    (GroupFigure, "year"): YEAR,
    (GroupFigure, "value"): AMOUNT,
    (IndicatorReport, "value"): AMOUNT,
    (IndicatorReport, "denominator"): AMOUNT,
    (CategoryTarget, "target"): Bound(Decimal(0), Decimal(100), "30", places=2),
    (ImportForm, "year"): YEAR,
    (SummaryForm, "year"): YEAR,
    (ReportRequestForm, "year"): YEAR,
    (ReportRequestForm, "month"): Bound(1, 12, "1"),
    (DashboardFilterForm, "year"): Bound(2020, 2021, "2020"),  # the years that have a plan
    (AssessmentCreateForm, "year"): YEAR,
    (Assessment, "excellent_from"): Bound(Decimal(0), Decimal(100), "90", places=1),
    (Assessment, "good_from"): Bound(Decimal(0), Decimal(100), "80", places=1),
    (Assessment, "pass_from"): Bound(Decimal(0), Decimal(100), "60", places=1),
    (Assessment, "max_adjustment"): Bound(Decimal(0), Decimal(20), "5", places=1),
    (Criterion, "weight"): Bound(1, 100, "30"),
    (Criterion, "parameter"): Bound(Decimal("0.1"), Decimal(1000), "3", places=1),
    (Criterion, "position"): Bound(0, 100, "1"),
    (MemberScore, "adjustment"): Bound(Decimal("-99.9"), Decimal("99.9"), "2", places=1),
}

NUMBER_TYPES = {
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "DecimalField",
    "FloatField",
}

# Just inside and outside the ranges databases and validators declare.
EDGES = (
    st.sampled_from([2**15, 2**31, 2**53, 2**63, 10**5, 10**9, 10**12, 10**18, 10**20])
    .flatmap(lambda edge: st.sampled_from([edge - 1, edge, edge + 1, -edge]))
    .map(str)
)
# What people type into a number box, or paste into it.
NUMBER_INPUT = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.integers(min_value=-5, max_value=110_000).map(str),
    st.integers(min_value=1990, max_value=2110).map(str),
    st.integers(min_value=0, max_value=40).map(str),
    EDGES,
    st.integers(min_value=-(2**65), max_value=2**65).map(str),
    st.decimals().map(str),
    st.decimals(min_value=-(10**13), max_value=10**13, places=2).map(str),
    st.builds(
        lambda whole, decimals: f"{whole}.{decimals}",
        st.integers(min_value=-1000, max_value=10**6),
        st.text("0123456789", min_size=1, max_size=30),
    ),
    st.floats().map(repr),
    st.integers(min_value=0, max_value=5000).map(lambda n: full_width(str(n))),
    st.integers(min_value=-10, max_value=5000).map(lambda n: f" {n}\u3000"),
    HUGE_DIGITS,
    SPECIAL_TEXT,
    st.text(max_size=30),
)


@dataclass
class Case:
    """A form (or formset) with number fields: how to bind it with otherwise valid data."""

    id: str
    model: type  # the model (or, for a plain form, the form class) the BOUNDS are keyed on
    numbers: list[str]
    bind: Callable  # (ctx, data) -> bound form or formset
    data: Callable  # ctx -> the other fields' valid data
    others: dict = field(default_factory=dict)  # other fields drawn too: name -> strategy
    extra: Callable | None = None  # (ctx, cleaned_data) -> further checks on a valid form

    def nominal(self) -> dict:
        return {name: BOUNDS[(self.model, name)].nominal for name in self.numbers}


def formset_data(formset_class, instance, values: dict) -> dict:
    prefix = formset_class(instance=instance).prefix
    return {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        **{f"{prefix}-0-{name}": value for name, value in values.items()},
    }


def inline(formset_class, parent: str, base: Callable) -> tuple[Callable, Callable]:
    def bind(ctx, data):
        instance = getattr(ctx, parent)
        return formset_class(formset_data(formset_class, instance, data), instance=instance)

    return bind, base


def _closes(ctx, cleaned):
    schedule = QuarterSchedule(plan=ctx.plan, quarter=cleaned["quarter"], due_on=cleaned["due_on"])
    schedule.grace_days = cleaned["grace_days"]
    assert schedule.closes_on >= schedule.due_on  # the deadline state can be worked out


def _percentages(ctx, cleaned):
    kind, target = cleaned["kind"], cleaned["target"]
    if kind == Indicator.Kind.RATE:
        assert 0 <= target <= 100
    if kind == Indicator.Kind.GROWTH:
        assert target >= 0


def _not_more(part, whole):
    def check(ctx, cleaned):
        assert cleaned[part] <= cleaned[whole]

    return check


def _month_for_dispatch(ctx, cleaned):
    if cleaned["kind"] == Report.Kind.DISPATCH:
        assert cleaned["month"] is not None


SECRETARIAT = SimpleNamespace(is_liaison=False)  # Register.form_class reads only this
REGISTERS = [
    *enrollment.registers.REGISTERS,
    *partnerships.registers.REGISTERS,
    *development.registers.REGISTERS,
    *rewards.registers.REGISTERS,
]
REGISTER_EXTRA = {
    TeacherCount: _not_more("dual_qualified", "full_time"),
    GraduateCount: _not_more("employed_locally", "graduates"),
}
# Register text fields with a format of their own: a major's catalogue code is digits.
REGISTER_TEXT = {(Major, "code"): "660301"}


def _is_number(model, name: str) -> bool:
    try:
        return model._meta.get_field(name).get_internal_type() in NUMBER_TYPES
    except Exception:  # noqa: BLE001 - a form-only field
        return False


def register_data(form_class, numbers):
    def data(ctx):
        values = {}
        for name, form_field in form_class.base_fields.items():
            if name in numbers or isinstance(form_field, forms.ModelMultipleChoiceField):
                continue
            if isinstance(form_field, forms.ModelChoiceField):
                values[name] = str(ctx.objects[form_field.queryset.model].pk)
            elif isinstance(form_field, forms.BooleanField):
                values[name] = ""
            elif isinstance(form_field, forms.ChoiceField):
                values[name] = next(str(value) for value, _label in form_field.choices if value)
            elif isinstance(form_field, forms.DateField):
                values[name] = "2020-09-01"
            elif (form_class._meta.model, name) in REGISTER_TEXT:
                values[name] = REGISTER_TEXT[(form_class._meta.model, name)]
            else:
                values[name] = "测试数据"
        return values

    return data


def register_cases() -> list[Case]:
    cases = []
    for register in REGISTERS:
        form_class = register.form_class(SECRETARIAT)
        numbers = [name for name in form_class.base_fields if _is_number(register.model, name)]
        if not numbers:
            continue
        cases.append(
            Case(
                id=f"register-{register.slug}",
                model=register.model,
                numbers=numbers,
                bind=lambda ctx, data, form_class=form_class: form_class(data),
                data=register_data(form_class, numbers),
                extra=REGISTER_EXTRA.get(register.model),
            )
        )
    return cases


def _upload():
    return {"file": SimpleUploadedFile("任务分解.xlsx", b"PK\x03\x04 not really a workbook")}


def _pdf():
    return SimpleUploadedFile("理事会纪要.pdf", b"%PDF-1.4 minutes")


CASES = [
    Case(
        "PlanForm",
        Plan,
        ["year"],
        bind=lambda ctx, data: PlanForm(data),
        data=lambda ctx: {"title": "重点工作", "document_number": "", "approved_on": ""},
    ),
    Case(
        "QuarterScheduleFormSet",
        QuarterSchedule,
        ["quarter", "grace_days"],
        *inline(QuarterScheduleFormSet, "plan", lambda ctx: {"due_on": "2020-04-10"}),
        extra=_closes,
    ),
    Case(
        "TaskForm",
        Task,
        ["position"],
        bind=lambda ctx, data: TaskForm(data, instance=Task(plan=ctx.plan)),
        data=lambda ctx: {"number": "9", "title": "新任务", "responsible_members": []},
    ),
    Case(
        "MilestoneFormSet",
        Milestone,
        ["quarter"],
        *inline(MilestoneFormSet, "task", lambda ctx: {"planned": "完成招生"}),
    ),
    Case(
        "IndicatorForm",
        Indicator,
        ["baseline", "target", "position"],
        bind=lambda ctx, data: IndicatorForm(data, plan=ctx.plan),
        data=lambda ctx: {"code": "new", "name": "新指标", "unit": "人", "kind": "absolute"},
        others={"kind": st.sampled_from(Indicator.Kind.values)},
        extra=_percentages,
    ),
    Case(
        "GroupFigureForm",
        GroupFigure,
        ["year", "value"],
        bind=lambda ctx, data: GroupFigureForm(
            data, {"evidence": _pdf()}, instance=GroupFigure(indicator=ctx.indicator)
        ),
        data=lambda ctx: {"basis": "理事会会议纪要"},
    ),
    Case(
        "TrajectoryFormSet",
        TrajectoryPoint,
        ["year", "target"],
        *inline(TrajectoryFormSet, "indicator", lambda ctx: {}),
    ),
    Case(
        "AllocationFormSet",
        Allocation,
        ["target"],
        *inline(AllocationFormSet, "indicator", lambda ctx: {"member": str(ctx.school.pk)}),
    ),
    Case(
        "ImportForm",
        ImportForm,
        ["year"],
        bind=lambda ctx, data: ImportForm(data, _upload()),
        data=lambda ctx: {"kind": ImportBatch.Kind.TASKS, "indicator": ""},
    ),
    Case(
        "IndicatorReportForm",
        IndicatorReport,
        ["value"],
        bind=lambda ctx, data: IndicatorReportForm(data, instance=IndicatorReport()),
        data=lambda ctx: {"not_applicable_reason": ""},
    ),
    Case(
        "IndicatorReportForm-rate",
        IndicatorReport,
        ["denominator"],
        bind=lambda ctx, data: IndicatorReportForm(
            data, instance=IndicatorReport(indicator=ctx.rate)
        ),
        data=lambda ctx: {"value": "50", "not_applicable_reason": ""},
    ),
    Case(
        "CategoryTargetFormSet",
        CategoryTarget,
        ["target"],
        *inline(CategoryTargetFormSet, "rate", lambda ctx: {"location": "county"}),
    ),
    Case(
        "SummaryForm",
        SummaryForm,
        ["year"],
        bind=lambda ctx, data: SummaryForm(data),
        data=lambda ctx: {"scale": ""},
    ),
    Case(
        "ReportRequestForm",
        ReportRequestForm,
        ["year", "month"],
        bind=lambda ctx, data: ReportRequestForm(data),
        data=lambda ctx: {"kind": Report.Kind.DISPATCH, "format": Report.Format.PDF},
        others={"kind": st.sampled_from(Report.Kind.values)},
        extra=_month_for_dispatch,
    ),
    Case(
        "DashboardFilterForm",
        DashboardFilterForm,
        ["year"],
        bind=lambda ctx, data: DashboardFilterForm(data, plans=[Plan(year=2020), Plan(year=2021)]),
        data=lambda ctx: {"kind": "", "location": ""},
    ),
    Case(
        "AssessmentCreateForm",
        AssessmentCreateForm,
        ["year"],
        bind=lambda ctx, data: AssessmentCreateForm(data),
        data=lambda ctx: {},
    ),
    Case(
        "RulesForm",
        Assessment,
        ["excellent_from", "good_from", "pass_from", "max_adjustment"],
        bind=lambda ctx, data: RulesForm(data, instance=Assessment(year=2020)),
        data=lambda ctx: {},
    ),
    Case(
        "CriterionFormSet",
        Criterion,
        ["weight", "parameter", "position"],
        bind=lambda ctx, data: CriterionFormSet(
            formset_data(CriterionFormSet, Assessment(year=2020), data),
            instance=Assessment(year=2020),
        ),
        data=lambda ctx: {"kind": "achievements", "label": "认定成果"},
    ),
    Case(
        "AdjustForm",
        MemberScore,
        ["adjustment"],
        bind=lambda ctx, data: AdjustForm(data, instance=MemberScore()),
        data=lambda ctx: {"adjustment_reason": "承办省级技能大赛"},
    ),
    *register_cases(),
]


@pytest.fixture
def ctx(db):
    """The fewest objects every form needs to be valid apart from its numbers."""
    school = MemberFactory(name="安庆工业学校")  # a secondary school: student intakes need one
    enterprise = Enterprise.objects.create(name="安庆石化")
    plan = Plan.objects.create(year=2020, title="2020年重点工作")
    task = Task.objects.create(plan=plan, number="1", title="扩大招生规模")
    indicator = Indicator.objects.create(
        plan=plan, code="enroll", name="招生人数", unit="人", target=Decimal(100)
    )
    rate = Indicator.objects.create(
        plan=plan, code="dual", name="双师型教师比例", unit="%", kind="rate", target=50
    )
    return SimpleNamespace(
        school=school,
        plan=plan,
        task=task,
        indicator=indicator,
        rate=rate,
        objects={Member: school, Enterprise: enterprise, Plan: plan, Task: task},
    )


def outcome(bound) -> tuple[bool, dict, list[str]]:
    valid = bound.is_valid()
    if isinstance(bound, BaseFormSet):
        form = bound.forms[0]
        errors = [error for error in bound.non_form_errors().as_data()]
        errors += [
            e for form_errors in bound.errors for es in form_errors.as_data().values() for e in es
        ]
    else:
        form = bound
        errors = [e for es in bound.errors.as_data().values() for e in es]
    messages = [message for error in errors for message in error.messages]
    return valid, getattr(form, "cleaned_data", {}), messages


def case_id(case: Case) -> str:
    return case.id


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_form_is_valid_with_plausible_numbers(ctx, case):
    """The data the properties start from is valid: what they refuse, the numbers refused."""
    valid, _cleaned, messages = outcome(case.bind(ctx, {**case.data(ctx), **case.nominal()}))
    assert valid, messages


def outside(bound: Bound):
    """A number just or far outside the bound, or with more decimal places than it keeps, as
    text the way people type it."""
    if bound.places is None:
        low, high = int(bound.low), int(bound.high)
        numbers = st.one_of(
            st.sampled_from([low - 1, high + 1]),
            st.integers(min_value=low - 10**6, max_value=low - 1),
            st.integers(min_value=high + 1, max_value=max(high * 10**9, 10**12)),
        )
    else:
        step = Decimal(1).scaleb(-bound.places)
        numbers = st.one_of(
            st.sampled_from([bound.low - step, bound.high + step]),
            st.decimals(bound.low - 10**6, bound.low - step, places=bound.places),
            st.decimals(bound.high + step, bound.high * 10**6, places=bound.places),
            st.decimals(bound.low, bound.high, places=bound.places + 2).filter(
                lambda number: number != number.quantize(step)
            ),
        )
    return st.tuples(numbers, st.sampled_from(["plain", "spaced", "full-width"])).map(
        lambda pair: {
            "plain": _plain(pair[0]),
            "spaced": f" {_plain(pair[0])}\u3000",
            "full-width": full_width(_plain(pair[0])) if pair[0] >= 0 else _plain(pair[0]),
        }[pair[1]]
    )


def _plain(number) -> str:
    return f"{number:f}" if isinstance(number, Decimal) else str(number)


@pytest.mark.parametrize("case", CASES, ids=case_id)
@examples(60)
@given(data=st.data())
def test_form_numbers_are_in_bounds_or_refused_in_chinese(ctx, case, data):
    """Whatever is typed: no exception; accepted numbers lie in their bounds; refusals are in
    Chinese. Some numbers are odd (anything typed, or just or far outside their bounds), the
    others left at a plausible value so that an odd one is seen alone."""
    odd = data.draw(st.sets(st.sampled_from(case.numbers), min_size=1))
    numbers = {
        name: data.draw(
            st.one_of(outside(BOUNDS[(case.model, name)]), NUMBER_INPUT)
            if name in odd
            else st.just(BOUNDS[(case.model, name)].nominal),
            label=name,
        )
        for name in case.numbers
    }
    others = data.draw(st.fixed_dictionaries(case.others))
    bound = case.bind(ctx, {**case.data(ctx), **others, **numbers})
    valid, cleaned, messages = outcome(bound)
    event("valid" if valid else "invalid")
    if valid:
        assert messages == []
        for name in case.numbers:
            BOUNDS[(case.model, name)].check(name, cleaned.get(name))
        if case.extra and cleaned:
            case.extra(ctx, cleaned)
    else:
        assert messages
        for message in messages:
            assert_chinese(message, *numbers.values())


def field_errors(bound) -> dict:
    form = bound.forms[0] if isinstance(bound, BaseFormSet) else bound
    return form.errors


@pytest.mark.parametrize("case", CASES, ids=case_id)
@examples(25)
@given(data=st.data())
def test_form_refuses_a_number_outside_its_bounds_in_chinese(ctx, case, data):
    """One number just or far outside what its field declares, everything else plausible:
    refused, on that field, in Chinese."""
    name = data.draw(st.sampled_from(case.numbers))
    value = data.draw(outside(BOUNDS[(case.model, name)]))
    bound = case.bind(ctx, {**case.data(ctx), **case.nominal(), name: value})
    valid, cleaned, messages = outcome(bound)
    assert not valid, f"{name}={value!r} accepted as {cleaned.get(name)!r}"
    assert name in field_errors(bound)
    for message in messages:
        assert_chinese(message, value)


def _discovered_number_fields() -> set[tuple[type, str]]:
    """Every number field of every form class and formset in the apps' forms modules, and of
    every register form."""
    found = set()
    candidates = [
        value
        for module in (
            targets.forms,
            rewards.forms,
            reports.forms,
            dashboard.forms,
            jituan.forms,
            assessment.forms,
        )
        for value in vars(module).values()
        if isinstance(value, type)
    ]
    candidates += [register.form_class(SECRETARIAT) for register in REGISTERS]
    for candidate in candidates:
        if issubclass(candidate, BaseFormSet):
            candidate = candidate.form
        if not issubclass(candidate, forms.BaseForm):
            continue
        model = getattr(getattr(candidate, "_meta", None), "model", None)
        for name, form_field in getattr(candidate, "base_fields", {}).items():
            if model is not None and _is_number(model, name):
                found.add((model, name))
            elif isinstance(form_field, forms.IntegerField | forms.DecimalField | forms.FloatField):
                found.add((candidate, name))
            elif isinstance(form_field, forms.TypedChoiceField) and form_field.coerce in (
                int,
                float,
                Decimal,
            ):
                found.add((candidate, name))
    return found


def test_every_number_field_of_every_form_is_covered():
    covered = {(case.model, name) for case in CASES for name in case.numbers}
    missing = sorted(
        f"{owner.__name__}.{name}" for owner, name in _discovered_number_fields() - covered
    )
    assert missing == []


def test_models_are_the_ones_the_forms_save():
    """The bounds are keyed on models: each model form case binds a form of that model."""
    for case in CASES:
        if issubclass(case.model, models.Model):
            for name in case.numbers:
                assert _is_number(case.model, name), (case.id, name)
