"""The summary as an Excel workbook and as the PDF report's body."""

import io
import subprocess

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from reports.documents import rewards_context
from reports.pdf import render_pdf
from rewards.exports import YUAN, reward_workbook
from rewards.services import reward_summary

from .conftest import TODAY, YEAR, intake, order_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def summary(fund, rules, school_a, school_b):
    fund.reward_fund = 250_000
    fund.save()
    for major in ("机电技术应用", "数控技术"):
        order_class(school_a, 30, major=major)
    order_class(school_b, 22, major="化学工艺")
    intake(school_b, "安庆石化第一中学", 100)
    return reward_summary(YEAR, scale=True, today=TODAY)


def reload(summary):
    buffer = io.BytesIO()
    reward_workbook(summary).save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def test_the_summary_sheet_has_a_merged_title_a_header_and_numbers(summary, school_a, school_b):
    sheet = reload(summary).worksheets[0]

    assert "A1:F1" in [str(cells) for cells in sheet.merged_cells.ranges]
    assert str(YEAR) in sheet["A1"].value
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    by_payee = {row[1]: row[2:] for row in rows}
    # 350,000 over a fund of 250,000: 5/7 each, in whole yuan adding up to the fund.
    assert by_payee[school_a.name] == (200_000, 0, 200_000, 142_857)
    assert by_payee[school_b.name] == (100_000, 0, 100_000, 71_429)
    assert by_payee["安庆石化第一中学"] == (50_000, 0, 50_000, 35_714)
    assert 142_857 + 71_429 + 35_714 == 250_000
    assert sheet.cell(3, 3).number_format == YUAN
    assert (350_000, 250_000) in [(row[4], row[5]) for row in rows]  # the group total row
    assert 250_000 in [row[4] for row in rows if row[5] is None]  # the fund row


def test_the_detail_sheet_has_one_row_per_line(summary, school_a):
    sheet = reload(summary).worksheets[1]

    assert "A1:D1" in [str(cells) for cells in sheet.merged_cells.ranges]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 4
    assert [row[3] for row in rows if row[0] == school_a.name] == [100_000, 100_000]
    assert any("机电技术应用" in row[2] for row in rows if row[0] == school_a.name)
    assert rows[3][0] == "安庆石化第一中学" and isinstance(rows[3][3], int)
    assert sheet.cell(3, 4).number_format == YUAN


def test_deductions_are_negative_amounts_in_the_detail_sheet(rules, deduction_rules, school_a):
    from .conftest import plan_with_reports

    plan_with_reports([school_a], missing={(school_a, 1)})
    sheet = reload(reward_summary(YEAR, today=TODAY)).worksheets[1]
    assert [row[3] for row in sheet.iter_rows(min_row=3, values_only=True)] == [-20_000]


def test_the_pdf_body_renders_with_the_member_names_readable(summary, school_a, tmp_path):
    pdf = render_pdf("reports/rewards.html", rewards_context(summary, YEAR, timezone.now()))
    path = tmp_path / "rewards.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in (school_a.name, "安徽化工学校", "安庆石化第一中学", f"{YEAR}年度奖补与扣减汇总"):
        assert words in text
    assert f"—{pdf.pages}—" in text.replace(" ", "")  # the last page's number
    assert "超出" in text and "核减" in text  # the fund exceeded, and the scale applied
