"""The Word (.docx) version of an official document, written from the same HTML as its PDF (see
templates/reports/official_base.html for the elements it reads), so both say the same thing.

python-docx sets only the Western font (w:ascii, w:hAnsi) with `font.name`; Chinese then falls
back to a Western face. Every run here also gets w:eastAsia, and so does the Normal style."""

import re
from io import BytesIO

import lxml.html
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .official import FACES, TEXT_WIDTH_MM

RED = RGBColor(0xE6, 0x00, 0x12)
BODY_PT = 16  # 3号
LINE_PT = 28.9  # 22 lines in the 225 mm text block
TABLE_PT = 10.5  # 5号
SIZE_4 = 14  # 4号: page numbers and the 版记
# A PAGE field as Word writes it; the "1" shows until Word updates the field.
PAGE_FIELD = (
    ("w:fldChar", "begin"),
    ("w:instrText", "PAGE"),
    ("w:fldChar", "separate"),
    (None, "1"),
    ("w:fldChar", "end"),
)
INDENT = Pt(2 * BODY_PT)  # two characters
SPACES = re.compile(r"\s+")


def html_to_docx(html: str) -> bytes:
    writer = _Writer()
    for element in lxml.html.document_fromstring(html).body:
        writer.block(element)
    buffer = BytesIO()
    writer.document.save(buffer)
    return buffer.getvalue()


def _east_asian(font_owner, name: str) -> None:
    """The face by name for Latin (font.name) and Chinese (w:eastAsia) alike."""
    font_owner.font.name = name
    font_owner.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def set_face(run, face: str, size: float, *, bold=False, colour: RGBColor | None = None) -> None:
    _east_asian(run, FACES[face].word)
    run.font.size = Pt(size)
    run.font.bold = bold or None
    if colour is not None:
        run.font.color.rgb = colour


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element) -> str:
    return SPACES.sub(" ", element.text_content()).strip()


# The schema fixes the order of a parent's children (Word may call a file damaged otherwise):
# the elements that may come before w:pBdr in w:pPr, and before w:mirrorMargins in w:settings.
BEFORE_BORDERS = {
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers",
}  # fmt: skip
BEFORE_MIRROR_MARGINS = {
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData",
}  # fmt: skip


def _insert_in_order(parent, element, before: set[str]) -> None:
    """Put element after the children the schema puts before it, ahead of all the others."""
    for index, child in enumerate(parent):
        if child.tag.rsplit("}", 1)[-1] not in before:
            parent.insert(index, element)
            return
    parent.append(element)


def _border(paragraph, side: str, *, eighths: int, colour="000000", space=1) -> None:
    """A rule on one side of a paragraph: eighths of a point thick, `space` points from the text."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        _insert_in_order(p_pr, borders, BEFORE_BORDERS)
    rule = OxmlElement(f"w:{side}")
    rule.set(qn("w:val"), "single")
    rule.set(qn("w:sz"), str(eighths))
    rule.set(qn("w:space"), str(space))
    rule.set(qn("w:color"), colour)
    borders.append(rule)


def _text_width(text: str) -> float:
    """How wide a line is in 3号 points: full-width characters one em, the rest half."""
    return sum(BODY_PT if ord(char) > 0x2000 else BODY_PT / 2 for char in text)


class _Writer:
    def __init__(self):
        self.document = Document()
        self.docno = None  # the document number's paragraph, which carries the red rule
        self._page()
        self._normal_style()
        self._page_numbers()

    # The page: A4, the GB/T 9704 margins mirrored for double-sided printing, 「— N —」 outside.
    def _page(self):
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)  # inside, outside
        section.footer_distance = Mm(23)  # the number's top 7 mm under the text block
        settings = self.document.settings
        settings.odd_and_even_pages_header_footer = True
        _insert_in_order(settings.element, OxmlElement("w:mirrorMargins"), BEFORE_MIRROR_MARGINS)

    def _normal_style(self):
        style = self.document.styles["Normal"]
        _east_asian(style, FACES["body"].word)
        style.font.size = Pt(BODY_PT)
        paragraph = style.paragraph_format
        paragraph.space_before = paragraph.space_after = Pt(0)
        paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.line_spacing = Pt(LINE_PT)

    def _page_numbers(self):
        """「— N —」 around a PAGE field: on the right of odd pages, the left of even ones."""
        section = self.document.sections[0]
        for footer, alignment in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            paragraph = footer.paragraphs[0]
            paragraph.alignment = alignment
            indents = paragraph.paragraph_format
            indents.left_indent = indents.right_indent = Pt(SIZE_4)  # one character in
            self._run(paragraph, "— ", "page_number", SIZE_4)
            for tag, value in PAGE_FIELD:
                run = self._run(paragraph, "" if tag else value, "page_number", SIZE_4)
                if tag == "w:fldChar":
                    element = OxmlElement(tag)
                    element.set(qn("w:fldCharType"), value)
                    run._element.append(element)
                elif tag == "w:instrText":
                    element = OxmlElement(tag)
                    element.set(qn("xml:space"), "preserve")
                    element.text = value
                    run._element.append(element)
            self._run(paragraph, " —", "page_number", SIZE_4)

    @staticmethod
    def _run(paragraph, text: str, face: str, size: float, **style):
        run = paragraph.add_run(text)
        set_face(run, face, size, **style)
        return run

    def _paragraph(self, text: str, face="body", size=BODY_PT, *, indent=True, **style):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            paragraph.paragraph_format.first_line_indent = INDENT
        if text:
            self._run(paragraph, text, face, size, **style)
        return paragraph

    def block(self, element):
        classes = _classes(element)
        tag = element.tag
        if "chart" in classes:
            return  # the PDF's chart; its figures are in the table that follows it
        if "masthead" in classes:
            size = float(re.search(r"font-size:\s*([\d.]+)pt", element.get("style", "")).group(1))
            paragraph = self._paragraph(_text(element), "title", size, indent=False, colour=RED)
            paragraph.runs[0].font.bold = True
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.line_spacing = Pt(size * 1.3)
            paragraph.paragraph_format.space_after = Pt(2 * LINE_PT)
        elif "docno" in classes:
            paragraph = self._paragraph(_text(element), indent=False)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.docno = paragraph
        elif "red-rule" in classes:
            # 4 mm under the document number, the width of the text block.
            paragraph = self.docno or self._paragraph("", indent=False)
            _border(paragraph, "bottom", eighths=12, colour="E60012", space=11)
            paragraph.paragraph_format.space_after = Pt(2 * LINE_PT)
        elif tag == "h1":
            paragraph = self._paragraph(_text(element), "title", 22, indent=False, bold=True)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.line_spacing = Pt(33)
            paragraph.paragraph_format.space_after = Pt(LINE_PT)
        elif tag == "h2":
            self._paragraph(_text(element), "heading").paragraph_format.keep_with_next = True
        elif tag == "h3":
            self._paragraph(_text(element), "subheading").paragraph_format.keep_with_next = True
        elif tag == "h4":
            self._paragraph(_text(element), bold=True).paragraph_format.keep_with_next = True
        elif tag == "p":
            paragraph = self._paragraph(
                _text(element), indent="addressee" not in classes, bold="flag" in classes
            )
            paragraph.paragraph_format.keep_with_next = "keep-with-next" in classes or None
        elif tag == "table":
            self._table(element)
        elif "signature" in classes:
            self._signature([_text(line) for line in element.iter("p")])
        elif "distribution" in classes:
            self._distribution(element)
        elif tag == "div":
            for child in element:
                self.block(child)

    def _signature(self, lines: list[str]):
        """落款: the date four characters in from the right, the issuer centred over it; three
        empty lines above for the seal."""
        issuer, day = lines
        day_right = 4 * BODY_PT
        centre = day_right + _text_width(day) / 2
        for index, (text, right) in enumerate(
            ((issuer, max(0, centre - _text_width(issuer) / 2)), (day, day_right))
        ):
            paragraph = self._paragraph(text, indent=False)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = Pt(right)
            paragraph.paragraph_format.keep_with_next = True  # with the 附注 under the date
            if index == 0:
                paragraph.paragraph_format.space_before = Pt(3 * LINE_PT)

    def _distribution(self, element):
        """版记: 抄送 and 印发 in 4号, between a 0.35 mm rule, a 0.25 mm rule and a 0.35 mm rule."""
        copied, printed = element.findall("p")
        paragraph = self._paragraph(_text(copied), size=SIZE_4, indent=False)
        paragraph.paragraph_format.space_before = Pt(2 * LINE_PT)
        _border(paragraph, "top", eighths=8)
        _border(paragraph, "bottom", eighths=6)
        paragraph.paragraph_format.keep_with_next = True
        issuer, day = (_text(span) for span in printed.findall("span"))
        paragraph = self._paragraph(f"{issuer}\t{day}", size=SIZE_4, indent=False)
        _border(paragraph, "bottom", eighths=8)
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            Mm(TEXT_WIDTH_MM) - Pt(SIZE_4), WD_TAB_ALIGNMENT.RIGHT
        )
        for paragraph in self.document.paragraphs[-2:]:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            paragraph.paragraph_format.left_indent = Pt(SIZE_4)
            paragraph.paragraph_format.right_indent = Pt(SIZE_4)
            paragraph.paragraph_format.line_spacing = Pt(24)

    # Tables: header rows repeated on every page, widths as in the PDF, 5号 text.
    def _table(self, element):
        sections = [
            (part, part.tag == "thead")
            for part in element
            if part.tag in ("thead", "tbody", "tfoot")
        ]
        rows = [(tr, header, part.tag == "tfoot") for part, header in sections for tr in part]
        if not rows:
            return
        columns = max(sum(int(cell.get("colspan", 1)) for cell in tr) for tr, _h, _f in rows)
        widths = self._widths(element, rows, columns)
        table = self.document.add_table(rows=0, cols=columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for tr, header, footer in rows:
            row = table.add_row()
            if header:
                row_pr = row._tr.get_or_add_trPr()
                row_pr.append(OxmlElement("w:tblHeader"))
            column = 0
            for cell_element in tr:
                span = int(cell_element.get("colspan", 1))
                cell = row.cells[column]
                if span > 1:
                    cell = cell.merge(row.cells[column + span - 1])
                self._cell(cell, cell_element, heading=header or footer or cell_element.tag == "th")
                column += span
            for index, cell in enumerate(row.cells):
                cell.width = widths[index]
        for index, column in enumerate(table.columns):  # the grid, which LibreOffice reads
            column.width = widths[index]

    @staticmethod
    def _widths(element, rows, columns: int):
        percents = [None] * columns
        cols = element.findall("colgroup/col")
        sources = cols if cols else (rows[0][0] if rows[0][1] else [])
        for index, source in enumerate(list(sources)[:columns]):
            found = re.search(r"width:\s*([\d.]+)%", source.get("style", ""))
            if found:
                percents[index] = float(found.group(1))
        free = [index for index, percent in enumerate(percents) if percent is None]
        rest = max(0.0, 100 - sum(percent for percent in percents if percent is not None))
        for index in free:
            percents[index] = rest / len(free)
        return [Mm(TEXT_WIDTH_MM * percent / 100) for percent in percents]

    def _cell(self, cell, element, *, heading: bool):
        classes = _classes(element)
        face = "heading" if heading else "body"
        paragraphs = [cell.paragraphs[0]]

        def current():
            return paragraphs[-1]

        def new_paragraph():
            if current().runs:
                paragraphs.append(cell.add_paragraph())

        def add(text: str, bold: bool):
            text = SPACES.sub(" ", text or "")
            if not current().runs:
                text = text.lstrip()
            if text:
                self._run(current(), text, face, TABLE_PT, bold=bold)

        def walk(node, bold: bool):
            add(node.text, bold)
            for child in node:
                child_bold = bold or child.tag in ("strong", "b") or "flag" in _classes(child)
                if child.tag == "br":
                    current().add_run().add_break()
                    set_face(current().runs[-1], face, TABLE_PT)
                elif child.tag in ("div", "p"):
                    new_paragraph()
                    walk(child, child_bold)
                    new_paragraph()
                else:
                    walk(child, child_bold)
                add(child.tail, bold)

        walk(element, "flag" in classes)
        if len(paragraphs) > 1 and not paragraphs[-1].runs:
            paragraphs[-1]._p.getparent().remove(paragraphs[-1]._p)
            paragraphs.pop()
        for paragraph in paragraphs:
            if paragraph.runs:
                last = paragraph.runs[-1]
                last.text = last.text.rstrip() or last.text
            format = paragraph.paragraph_format
            format.first_line_indent = None
            format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            if heading:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if "num" in classes:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
