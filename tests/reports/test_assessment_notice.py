"""The assessment notice (考核结果通报): its PDF and its Excel workbook carry the same confirmed
scores, as they stood at the cut-off; an unconfirmed assessment makes no notice."""

import io
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from assessment.notice import assessment_notice
from reports.documents import build

from .conftest import confirm

pytestmark = pytest.mark.django_db
YEAR = 2024


def test_an_unconfirmed_assessment_makes_no_notice(assessment):
    with pytest.raises(ValidationError, match="尚未确认"):
        assessment_notice(YEAR)


def test_the_notice_ranks_within_each_kind_as_of_its_cut_off(assessment):
    confirm(assessment)
    cut_off = timezone.now()
    score = assessment.scores.get(member__name="丙职业学校")
    score.score, score.grade = Decimal("61.0"), "pass"
    score.save()

    notice = assessment_notice(YEAR, as_of=cut_off)

    assert [g.label for g in notice.groups] == ["高职院校", "中职学校"]
    secondary = notice.groups[1]
    assert [(line.rank, line.member.name, line.score) for line in secondary.lines] == [
        (1, "甲职业学校", Decimal("92.0")),
        (2, "乙职业学校", Decimal("81.0")),
        (3, "丙职业学校", Decimal("55.5")),  # as it stood at the cut-off
    ]
    assert notice.grade_counts == [("优秀", 1), ("良好", 1), ("合格", 1), ("不合格", 1)]
    assert [line.member.name for line in notice.adjusted] == ["乙职业学校"]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_the_pdf_and_the_workbook_carry_the_same_scores(assessment, tmp_path):
    confirm(assessment)
    as_of = timezone.now()

    text = pdf_text(
        build("assessment", year=YEAR, month=None, format="pdf", as_of=as_of).content, tmp_path
    )
    workbook = load_workbook(
        io.BytesIO(build("assessment", year=YEAR, month=None, format="xlsx", as_of=as_of).content)
    )

    assert "关于2024年度成员单位考核结果的通报" in text
    assert "考核〔2024〕1号" in text
    assert "承办省级技能大赛，酌情加分" in text
    assert "评为不合格的单位：丙职业学校" in "".join(text.split())
    results = workbook.worksheets[0]
    rows = [
        [cell for cell in row] for row in results.iter_rows(min_row=3, values_only=True) if row[2]
    ]
    scores = {row[2]: (row[1], float(row[-3]), row[-2]) for row in rows}
    assert scores == {
        "丁职业技术学院": (1, 78.0, "合格"),
        "甲职业学校": (1, 92.0, "优秀"),
        "乙职业学校": (2, 81.0, "良好"),
        "丙职业学校": (3, 55.5, "不合格"),
    }
    for name, (_rank, score, grade) in scores.items():
        # The results table's row: rank, name, computed, adjustment, score, grade.
        line = next(
            line for line in text.splitlines() if name in line and line.strip().endswith(grade)
        )
        assert line.split()[-2] == f"{score:.1f}"
    basis_sheet = workbook.worksheets[1]
    assert basis_sheet.max_row == 2 + 4 * 2


def test_render_report_writes_the_notice(assessment, tmp_path):
    confirm(assessment)
    output = tmp_path / "通报.xlsx"
    call_command("render_report", "assessment", "--year", str(YEAR), "--output", str(output))
    sheet = load_workbook(output).worksheets[0]
    assert sheet.cell(1, 1).value == "2024年度成员单位考核结果"


def colour_pixels(image, colour, *, box=None, tolerance=40) -> int:
    region = image.crop(box) if box else image
    r0, g0, b0 = colour
    data = region.tobytes()  # RGB, three bytes a pixel
    return sum(
        1
        for i in range(0, len(data), 3)
        if abs(data[i] - r0) < tolerance
        and abs(data[i + 1] - g0) < tolerance
        and abs(data[i + 2] - b0) < tolerance
    )


def test_the_notice_pdf_as_images_has_the_red_masthead_and_the_ranking_in_grade_colours(
    assessment, tmp_path
):
    from PIL import Image

    confirm(assessment)
    built = build("assessment", year=YEAR, month=None, format="pdf", as_of=timezone.now())
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(built.content)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == built.pages >= 1
    first = Image.open(pages[0]).convert("RGB")
    width, height = first.size
    # The issuer's name in red across the top fifth of the first page.
    assert colour_pixels(first, (204, 0, 0), box=(0, 0, width, height // 5)) > 200
    # The ranking chart: a bar per member in its grade's colour (优秀 green, 不合格 red …).
    chart = max(
        (Image.open(page).convert("RGB") for page in pages[1:] or pages),
        key=lambda image: colour_pixels(image, (46, 125, 50)),
    )
    for colour in ((46, 125, 50), (21, 101, 192), (249, 168, 37), (198, 40, 40)):
        assert colour_pixels(chart, colour) > 50, colour


def test_the_secretariat_generates_and_issues_the_notice_from_the_archive(
    assessment, client_for, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from jituan.celery import app as celery_app
    from reports.models import Report

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    client = client_for(secretariat)
    form = {"kind": "assessment", "year": YEAR, "month": 5, "format": "pdf"}

    refused = client.post(reverse("reports:generate"), form, follow=True)
    assert "2024年度考核尚未确认" in refused.content.decode()
    assert not Report.objects.exists()

    confirm(assessment)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:generate"), form)
    report = Report.objects.get()
    assert (report.kind, report.month, report.status) == ("assessment", None, "done")
    assert report.file.read().startswith(b"%PDF") and report.pages >= 1
    assert "考核结果通报" in client.get(report.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:issue", args=[report.pk]))
    report.refresh_from_db()
    assert report.issued_by == secretariat
