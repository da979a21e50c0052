"""The frame of an official document (公文, GB/T 9704-2012) shared by the PDF and the Word
version: masthead, document number, title, addressee, 落款, 附注 and 版记, and the faces that
stand in for the official ones."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings


@dataclass(frozen=True)
class Face:
    official: str  # the face GB/T 9704 asks for
    pdf: str  # CSS font-family list for WeasyPrint, from Debian packages (scripts/dev)
    word: str  # the East Asian font written into the .docx, as installed with Chinese Windows


# The PDF's faces are free stand-ins (the official ones are not free); the Word version names the
# faces a secretariat's Windows has, so the document is right as soon as it is opened there.
FACES = {
    "title": Face("方正小标宋简体", '"Noto Serif CJK SC"', "方正小标宋简体"),
    "body": Face("仿宋_GB2312", '"AR PL UMing CN", "Noto Serif CJK SC"', "仿宋"),
    "heading": Face("黑体", '"Noto Sans CJK SC"', "黑体"),
    "subheading": Face("楷体_GB2312", '"AR PL UKai CN", "Noto Serif CJK SC"', "楷体"),
    "page_number": Face("宋体", '"AR PL UMing CN", "Noto Serif CJK SC"', "宋体"),
}
TEXT_WIDTH_MM = 156
MASTHEAD_MAX_PT = 36


def masthead_size(masthead: str) -> int:
    """The masthead as large as fits one line of the text block (at most 36 pt)."""
    fits = TEXT_WIDTH_MM / 25.4 * 72 / (len(masthead) * 1.1)  # 0.1 em letter spacing
    return int(min(MASTHEAD_MAX_PT, fits))


def date_label(day: date) -> str:
    """成文日期 in Arabic numerals without leading zeros: 2020年6月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def official_frame(
    *,
    title: str,
    document_number: str,
    signed_on: date,
    annotation: str,
    addressee: str = "各成员单位",
) -> dict:
    masthead = settings.JITUAN_GROUP_NAME
    return {
        "masthead": masthead,
        "masthead_size": masthead_size(masthead),
        "issuer": f"{settings.JITUAN_GROUP_NAME}秘书处",
        "title": title,
        "document_number": document_number,
        "addressee": addressee,
        "signed_on": date_label(signed_on),
        "annotation": annotation,
        "copied_to": settings.JITUAN_DOCUMENT_COPIED_TO,
        "faces": {name: face.pdf for name, face in FACES.items()},
    }
