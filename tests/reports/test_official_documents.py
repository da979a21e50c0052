"""The official documents (公文, GB/T 9704-2012) of issue 18: the PDF's faces, frame and page
numbers, and the Word version written from the same HTML (East Asian faces on every run,
repeated table headers, mirrored margins, odd/even page numbers, the same words as the PDF)."""

import hashlib
import html as htmllib
import io
import re
import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from PIL import Image

from jituan.celery import app as celery_app
from reports.dispatch import dispatch_cutoff
from reports.documents import _source, build
from reports.official import FACES, TEXT_WIDTH_MM
from reports.pdf import render_html
from reports.services import report_regenerate, request_report
from rewards.models import RewardFund, RewardRule
from targets.models import (
    Allocation,
    Indicator,
    IndicatorReport,
    Milestone,
    Plan,
    Submission,
    Task,
    TaskReport,
)
from tests.rewards.conftest import intake, order_class

from .conftest import confirm

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
SPACES = re.compile(r"\s+")
MM = 72 / 25.4  # points in a millimetre
WORD_FACES = {face.word for face in FACES.values()}
CJK_FONTS = ("Noto-Serif-CJK", "Noto-Sans-CJK", "AR-PL-UMing", "AR-PL-UKai")
MASTHEAD_RED = (230, 0, 18)
KINDS = ["dispatch", "rewards", "assessment"]


def squeeze(text: str) -> str:
    return SPACES.sub("", text)


# The data ------------------------------------------------------------------------------------


@pytest.fixture
def plan(school_a, school_b):
    """The 2020 plan with 25 tasks, progress approved in April and an indicator: a May dispatch
    report of several pages, with deadlines, milestones, overdue tasks and reasons for delay."""
    plan = Plan.objects.create(
        year=2020, title="2020 年重点工作", document_number="安职集团〔2020〕2号"
    )
    indicator = Indicator.objects.create(
        plan=plan, code="enroll", name="中职招生", unit="人", target=1000
    )
    for member in (school_a, school_b):
        Allocation.objects.create(indicator=indicator, member=member, target=500)
    tasks = []
    for number in range(1, 26):
        task = Task.objects.create(
            plan=plan,
            number=str(number),
            title=f"推进第{number}项产教融合重点工作",
            position=number,
            deadline=date(2020, 4, 30) if number % 7 == 0 else date(2020, 12, 31),
        )
        task.responsible_members.set([school_a, school_b] if number % 2 else [school_a])
        Milestone.objects.create(task=task, quarter=2, planned=f"完成第{number}项阶段目标")
        tasks.append(task)
    april = datetime(2020, 4, 8, 10, tzinfo=SHANGHAI)
    for member in (school_a, school_b):
        submission = Submission.objects.create(
            plan=plan,
            member=member,
            quarter=1,
            status="approved",
            submitted_at=april,
            first_submitted_at=april,
            reviewed_at=april,
            is_late=member == school_b,
        )
        for task in tasks:
            if member in task.responsible_members.all():
                behind = int(task.number) % 5 == 0
                TaskReport.objects.create(
                    submission=submission,
                    task=task,
                    status="behind" if behind else "on_track",
                    progress=f"{member.name}已召开第{task.number}项工作推进会，落实场地和师资",
                    behind_reason="企业合作协议尚未签订" if behind else "",
                )
        IndicatorReport.objects.create(submission=submission, indicator=indicator, value=260)
    return plan


@pytest.fixture
def rewards(school_a, school_b):
    """2024: a fund the order classes and an intake exceed, so the summary has every part."""
    RewardFund.objects.create(year=2024, reward_fund=250_000, running_budget=500_000)
    RewardRule.objects.create(
        year=2024, kind="order_class", label="校企合作班补助", amount=100_000, min_students=20
    )
    RewardRule.objects.create(year=2024, kind="source_school", label="生源地学校奖励", amount=500)
    for major in ("机电技术应用", "数控技术"):
        order_class(school_a, 30, major=major)
    order_class(school_b, 22, major="化学工艺")
    intake(school_b, "安庆石化第一中学", 100)


@pytest.fixture
def confirmed_assessment(assessment):
    """The shared 2024 assessment (tests/reports/conftest.py), confirmed."""
    confirm(assessment)
    return assessment


@dataclass
class Official:
    kind: str
    pdf: Path
    pages: int
    word: bytes
    html: str
    title: str
    number: str

    @property
    def document(self):
        return Document(io.BytesIO(self.word))


WHAT = {  # kind: (fixture, year, month, title, document number)
    "dispatch": ("plan", 2020, 5, "2020年5月重点工作调度通报", "安职集团调度〔2020〕5号"),
    "rewards": ("rewards", 2024, None, "2024年度奖补与扣减汇总", "安职集团奖补〔2024〕1号"),
    "assessment": (
        "confirmed_assessment",
        2024,
        None,
        "关于2024年度成员单位考核结果的通报",
        "安职集团考核〔2024〕1号",
    ),
}


def make_official(request, tmp_path, kind: str) -> Official:
    fixture, year, month, title, number = WHAT[kind]
    request.getfixturevalue(fixture)
    as_of = dispatch_cutoff(year, month) if month else timezone.now()
    built = build(kind, year=year, month=month, format="pdf", as_of=as_of)
    source = _source(kind, year, month, as_of)
    pdf = tmp_path / f"{kind}.pdf"
    pdf.write_bytes(built.content)
    return Official(
        kind,
        pdf,
        built.pages,
        built.word,
        render_html(source.template, source.context()),
        title,
        number,
    )


@pytest.fixture
def dispatch(request, tmp_path, plan):
    return make_official(request, tmp_path, "dispatch")


@pytest.fixture(params=KINDS)
def official(request, tmp_path):
    return make_official(request, tmp_path, request.param)


# Reading the PDF -----------------------------------------------------------------------------


def run(*command) -> str:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=True
    ).stdout


def pdffonts(path: Path) -> list[dict]:
    """pdffonts' table as rows, its columns cut where the dashes under the header are."""
    lines = run("pdffonts", path).splitlines()
    header, dashes, rows = lines[0], lines[1], lines[2:]
    spans = [match.span() for match in re.finditer(r"-+", dashes)]
    names = [header[start:end].strip() for start, end in spans]
    names[-1] = "object ID"
    return [
        {name: row[start:end].strip() for name, (start, end) in zip(names, spans, strict=True)}
        for row in rows
    ]


def page_text(path: Path, number: int) -> str:
    return run("pdftotext", "-f", number, "-l", number, path, "-")


def page_number(number: int) -> str:
    return f"—{number}—"


def text_without_page_numbers(path: Path, pages: int) -> str:
    """The text of every page, whitespace removed, without its 「— N —」, pages joined: a
    paragraph running over a page break reads as one."""
    return "".join(
        squeeze(page_text(path, number)).replace(page_number(number), "", 1)
        for number in range(1, pages + 1)
    )


WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def column_texts(path: Path) -> list[str]:
    """The PDF's text read a column at a time. pdftotext runs a line across the cells of a table
    row ("推进第1项产 安庆工校、安徽 完成第1项阶段"), so a wrapped cell is not one string in its
    output. Here each line is cut where words are further apart than a space, the pieces that
    start at the same distance from the page's inner margin (28 mm on odd pages, 26 mm on even
    ones) are one column, read down and on over the next pages."""
    columns: dict[int, list[str]] = {}
    pages = run("pdftotext", "-bbox", path, "-").split("<page ")[1:]
    for number, page in enumerate(pages, 1):
        margin = (28 if number % 2 else 26) * MM
        words = sorted(
            (float(y0), float(x0), float(x1), htmllib.unescape(text))
            for x0, y0, x1, _y1, text in WORD.findall(page)
        )
        lines: list[list] = []
        for word in words:
            if lines and abs(word[0] - lines[-1][0][0]) < 2:
                lines[-1].append(word)
            else:
                lines.append([word])
        for line in lines:
            line.sort(key=lambda word: word[1])
            pieces = [[line[0]]]
            for word in line[1:]:
                if word[1] - pieces[-1][-1][2] > 7:  # wider than a space: the next cell
                    pieces.append([word])
                else:
                    pieces[-1].append(word)
            for piece in pieces:
                key = round(piece[0][1] - margin)
                columns.setdefault(key, []).append("".join(word[3] for word in piece))
    return ["".join(column) for column in columns.values()]


def is_red(pixel) -> bool:
    r, g, b = pixel
    return r > 180 and g < 140 and b < 150 and r - g > 90


def near(pixel, colour, tolerance=12) -> bool:
    return all(abs(a - b) < tolerance for a, b in zip(pixel, colour, strict=True))


def is_ink(pixel) -> bool:
    """Darker than the paper: at 50 dpi a 4号 digit's strokes are grey."""
    return max(pixel) < 200


def pixels(image: Image.Image):
    data = image.tobytes()
    width = image.size[0]
    for index in range(0, len(data), 3):
        yield (index // 3) % width, (index // 3) // width, tuple(data[index : index + 3])


def page_images(path: Path, tmp_path: Path) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], check=True)
    return [Image.open(page).convert("RGB") for page in sorted(tmp_path.glob("page-*.png"))]


# Reading the Word version --------------------------------------------------------------------


def cell_paragraphs(document):
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def footers(document):
    section = document.sections[0]
    return section.footer, section.even_page_footer


def east_asian(element) -> str | None:
    r_pr = element.find(qn("w:rPr"))
    fonts = r_pr.find(qn("w:rFonts")) if r_pr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def html_tables(html: str):
    """The document's tables, as html_to_docx meets them (charts are skipped, tables kept)."""
    return [
        table
        for table in lxml.html.document_fromstring(html).body.iter("table")
        if table.findall("thead/tr") or table.findall("tbody/tr") or table.findall("tfoot/tr")
    ]


# 1. The PDF ----------------------------------------------------------------------------------


def test_the_dispatch_report_is_long_enough_to_show_page_numbers(dispatch):
    assert dispatch.pages >= 2


def test_the_pdf_embeds_only_the_cjk_faces(dispatch):
    fonts = pdffonts(dispatch.pdf)
    assert fonts, "pdffonts lists no font"
    for font in fonts:
        assert font["emb"] == "yes", font
        assert any(face in font["name"] for face in CJK_FONTS), font
    # Each stand-in is used: 小标宋 (Noto Serif), 黑体 (Noto Sans), 仿宋 (UMing), 楷体 (UKai).
    for face in CJK_FONTS:
        assert any(face in font["name"] for font in fonts), face


def test_the_pdf_has_the_official_frame_and_a_number_on_every_page(dispatch):
    first = squeeze(page_text(dispatch.pdf, 1))
    assert squeeze(settings.JITUAN_GROUP_NAME) in first
    assert "安职集团调度〔2020〕5号" in first
    assert "2020年5月重点工作调度通报" in first
    assert "各成员单位：" in first
    last = squeeze(page_text(dispatch.pdf, dispatch.pages))
    issuer = squeeze(f"{settings.JITUAN_GROUP_NAME}秘书处")
    assert f"{issuer}2020年5月31日" in last  # 落款: the issuer over the date
    assert f"抄送：{squeeze(settings.JITUAN_DOCUMENT_COPIED_TO)}。" in last
    assert f"{issuer}2020年5月31日印发" in last
    for number in range(1, dispatch.pages + 1):
        text = squeeze(page_text(dispatch.pdf, number))
        assert re.findall(r"—\d+—", text) == [page_number(number)]  # its own, once


def test_the_pdf_as_images_has_the_red_masthead_and_rule_and_numbers_outside(dispatch, tmp_path):
    images = page_images(dispatch.pdf, tmp_path)
    assert len(images) == dispatch.pages
    first = images[0]
    width, height = first.size
    top = first.crop((0, 0, width, int(height * 0.35)))
    red = [(x, y, pixel) for x, y, pixel in pixels(top) if is_red(pixel)]
    assert len(red) > 400  # the masthead, large and red
    exact = [pixel for _x, _y, pixel in red if near(pixel, MASTHEAD_RED)]
    assert len(exact) > 200, "the masthead is not in the red of GB/T 9704 (#E60012)"
    # The red rule: a row of red pixels across most of the 156 mm text block.
    block = TEXT_WIDTH_MM / 25.4 * 50
    rows = {}
    for _x, y, _pixel in red:
        rows[y] = rows.get(y, 0) + 1
    assert max(rows.values()) > 0.6 * block
    rule = max(rows, key=rows.get)
    masthead_rows = [y for y, count in rows.items() if count < 0.6 * block]
    assert min(masthead_rows) < rule  # under the masthead
    # 「— N —」 under the text block (bottom margin 35 mm): right on odd pages, left on even.
    for number, image in enumerate(images, 1):
        band = image.crop((0, int(height * (1 - 35 / 297)) + 1, width, height))
        dark = [x for x, _y, pixel in pixels(band) if is_ink(pixel)]
        assert dark, f"no page number on page {number}"
        centre = sum(dark) / len(dark)
        if number % 2:
            assert centre > width * 0.6, number
        else:
            assert centre < width * 0.4, number


def test_body_lines_have_no_gap_wider_than_a_character(dispatch):
    """In the 3号 (16 pt) body the words of a line stand no further apart than one character."""
    gaps = []
    pages = run("pdftotext", "-bbox", dispatch.pdf, "-").split("<page ")[1:]
    for number, page in enumerate(pages, 1):
        words = sorted(
            (float(y0), float(x0), float(x1), htmllib.unescape(text))
            for x0, y0, x1, y1, text in WORD.findall(page)
            if 16 <= float(y1) - float(y0) < 18  # the body's 16 pt lines, not 5号 or 4号
        )
        for before, after in zip(words, words[1:], strict=False):
            if abs(after[0] - before[0]) < 1 and after[1] - before[2] > 16:
                gaps.append((number, before[3], after[3], round(after[1] - before[2])))
    assert gaps == []


# 2. The Word version ------------------------------------------------------------------------


def test_every_run_of_the_word_version_names_an_east_asian_face(official):
    document = official.document
    runs = []
    for paragraph in [*document.paragraphs, *cell_paragraphs(document)]:
        runs += paragraph.runs
    for footer in footers(document):
        for paragraph in footer.paragraphs:
            runs += paragraph.runs
    assert len(runs) > 20
    for run_ in runs:
        assert east_asian(run_._element) in WORD_FACES, (run_.text, east_asian(run_._element))
    # Every w:r in the body XML too, whatever python-docx shows as a run.
    body_runs = list(document.element.body.iter(qn("w:r")))
    assert len(body_runs) > 20
    for element in body_runs:
        assert east_asian(element) in WORD_FACES, element.xpath("string(.)")
    normal = document.styles["Normal"].element
    assert east_asian(normal) == FACES["body"].word
    # The faces as GB/T 9704 asks: 小标宋 title, 黑体 headings, 仿宋 body, 宋体 page numbers.
    by_text = {paragraph.text: paragraph for paragraph in document.paragraphs}
    assert east_asian(by_text[official.title].runs[0]._element) == "方正小标宋简体"
    headings = [p for p in document.paragraphs if re.match(r"^[一二三四五六七]、", p.text)]
    assert headings and all(east_asian(p.runs[0]._element) == "黑体" for p in headings)
    assert east_asian(by_text[f"{settings.JITUAN_GROUP_NAME}秘书处"].runs[0]._element) == "仿宋"
    for footer in footers(document):
        assert {east_asian(run_._element) for run_ in footer.paragraphs[0].runs} == {"宋体"}


def test_the_word_version_repeats_table_headers_and_numbers_pages_outside(official):
    document = official.document
    tables = html_tables(official.html)
    assert len(document.tables) == len(tables) >= 1
    for table, html_table in zip(document.tables, tables, strict=True):
        header_rows = len(html_table.findall("thead/tr"))
        repeated = [
            row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
            for row in table.rows
        ]
        assert repeated == [True] * header_rows + [False] * (len(table.rows) - header_rows)
    # The tables with a header row (all of the dispatch report's): their first row repeats.
    headed = [t for t, h in zip(document.tables, tables, strict=True) if h.findall("thead/tr")]
    assert headed
    if official.kind == "dispatch":
        assert len(headed) == len(document.tables)
    for table in headed:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None

    odd, even = footers(document)
    for footer in (odd, even):
        instructions = [node.text.strip() for node in footer._element.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        assert squeeze(footer.paragraphs[0].text).startswith("—")
        assert squeeze(footer.paragraphs[0].text).endswith("—")
    assert odd.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert not document.sections[0].even_page_footer.is_linked_to_previous
    settings_xml = document.settings.element
    assert settings_xml.find(qn("w:evenAndOddHeaders")) is not None
    assert settings_xml.find(qn("w:mirrorMargins")) is not None
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(round(margin.mm) for margin in margins) == (37, 35, 28, 26)


def test_the_word_version_says_what_the_pdf_says(official):
    """Every paragraph and every table cell of the .docx is in the PDF's text."""
    document = official.document
    text = text_without_page_numbers(official.pdf, official.pages)
    columns = column_texts(official.pdf)
    paragraphs = [squeeze(p.text) for p in document.paragraphs]
    cells = [
        squeeze(cell.text) for table in document.tables for row in table.rows for cell in row.cells
    ]
    assert len([p for p in paragraphs if p]) > 8 and len(cells) > 10
    missing = [p for p in paragraphs if p not in text]
    assert missing == []
    missing = [c for c in cells if c not in text and not any(c in column for column in columns)]
    assert missing == []


def test_the_word_version_has_the_title_and_number_and_indents_two_characters(official):
    document = official.document
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert official.title in texts
    assert official.number in texts
    frame = {
        settings.JITUAN_GROUP_NAME,
        official.number,
        official.title,
        "各成员单位：",
        f"{settings.JITUAN_GROUP_NAME}秘书处",
    }
    ordinary = []
    for paragraph in document.paragraphs:
        text = paragraph.text
        unindented = (
            text in frame
            or re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", text)  # the date of the 落款
            or text.startswith("抄送：")
            or text.endswith("印发")
        )
        indent = paragraph.paragraph_format.first_line_indent
        if unindented:
            assert indent is None, text
        elif text:
            ordinary.append(paragraph)
            assert indent is not None and indent.pt == 32, text
    assert len(ordinary) >= 3


PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange",
]  # fmt: skip
SETTINGS_BEFORE_EVEN_AND_ODD = [
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop",
    "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle", "proofState",
    "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
    "stylePaneSortMethod", "documentType", "mailMerge", "revisionView", "trackRevisions",
    "doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
    "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
    "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
    "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders",
]  # fmt: skip


def local(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def test_the_word_xml_keeps_the_order_the_schema_gives(dispatch):
    """WordprocessingML's w:pPr and w:settings are sequences: Word reads children out of order
    as damaged content. python-docx keeps the order for what it writes itself."""
    document = dispatch.document
    parts = [document.element, *(footer._element for footer in footers(document))]
    for part in parts:
        for p_pr in part.iter(qn("w:pPr")):
            tags = [local(child) for child in p_pr]
            positions = [PPR_ORDER.index(tag) for tag in tags if tag in PPR_ORDER]
            assert positions == sorted(positions), tags
    tags = [local(child) for child in document.settings.element]
    assert tags.index("mirrorMargins") < tags.index("evenAndOddHeaders"), tags
    known = [
        SETTINGS_BEFORE_EVEN_AND_ODD.index(t) for t in tags if t in SETTINGS_BEFORE_EVEN_AND_ODD
    ]
    assert known == sorted(known), tags


# 3. render_report ---------------------------------------------------------------------------


def test_render_report_writes_the_word_version(plan, tmp_path):
    output = tmp_path / "d.docx"
    call_command("render_report", "dispatch", "--year", "2020", "--month", "5", "--output", output)
    document = Document(output)
    assert "2020年5月重点工作调度通报" in [p.text for p in document.paragraphs]

    bare = tmp_path / "调度通报"
    call_command(
        "render_report", "dispatch", "--year", "2020", "--month", "5", "--format", "docx",
        "--output", bare,
    )  # fmt: skip
    assert bare.read_bytes().startswith(b"PK")
    document = Document(bare)
    assert "2020年5月重点工作调度通报" in [p.text for p in document.paragraphs]
    assert "安职集团调度〔2020〕5号" in [p.text for p in document.paragraphs]


# 4. The archive ------------------------------------------------------------------------------


@pytest.fixture
def eager(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def test_the_archive_keeps_the_word_version_and_serves_it(
    plan, secretariat, client_for, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="dispatch", year=2020, month=5, format="pdf", user=secretariat)
    report.refresh_from_db()
    assert report.status == "done"
    assert report.word_file
    with report.word_file.open("rb") as handle:
        word = handle.read()
    assert word.startswith(b"PK")
    assert report.word_sha256 == hashlib.sha256(word).hexdigest()
    assert report.word_size == len(word)
    document = Document(io.BytesIO(word))
    assert "2020年5月重点工作调度通报" in [p.text for p in document.paragraphs]

    client = client_for(secretariat)
    response = client.get(reverse("reports:download_word", args=[report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == word
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and ".docx" in disposition
    detail = client.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="report-download-word"' in detail
    assert reverse("reports:download_word", args=[report.pk]) in detail
    assert report.word_sha256 in detail

    # Rendered again: the Word version with it, its hash and size those of the new file.
    with django_capture_on_commit_callbacks(execute=True):
        report_regenerate(report=report, user=secretariat)
    report.refresh_from_db()
    assert report.status == "done"
    with report.word_file.open("rb") as handle:
        again = handle.read()
    assert report.word_sha256 == hashlib.sha256(again).hexdigest()
    assert report.word_size == len(again)


def test_a_workbook_has_no_word_version(
    plan, secretariat, client_for, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(
            kind="dispatch", year=2020, month=5, format="xlsx", user=secretariat
        )
    report.refresh_from_db()
    assert report.status == "done"
    assert not report.word_file
    assert (report.word_sha256, report.word_size) == ("", None)
    client = client_for(secretariat)
    assert client.get(reverse("reports:download_word", args=[report.pk])).status_code == 404
    detail = client.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="report-download-word"' not in detail
