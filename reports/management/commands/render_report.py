from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.documents import build
from reports.models import Report
from reports.services import MONTHLESS, check_request, data_cutoff, quarter_end_month


class Command(BaseCommand):
    help = (
        "Render a report to a file, for automation: "
        "render_report dispatch --year 2020 --month 5 --output FILE.pdf, "
        "render_report quarterly --year 2024 --quarter 3 --output FILE.pdf, "
        "render_report rewards --year 2024 --output FILE.pdf [--format xlsx|docx]. "
        "FILE.docx writes the Word version of the official document. "
        "A dispatch report reads what was known by its month's data cut-off."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["dispatch", "quarterly", "rewards", "assessment"])
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int)
        parser.add_argument("--quarter", type=int, help="quarterly: the quarter (1–4)")
        parser.add_argument("--format", choices=["pdf", "xlsx", "docx"])
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args, kind, year, month, quarter, format, output: Path, **options):
        format = format or (output.suffix.lstrip(".").lower() if output.suffix else "pdf")
        month = None if kind in MONTHLESS else month
        if kind == "quarterly":
            month = quarter_end_month(quarter)
        try:
            # The Word version is the PDF's document in another file: asked for on the same terms.
            checked_as = Report.Format.PDF if format == "docx" else format
            check_request(kind=kind, year=year, month=month, format=checked_as)
            as_of = data_cutoff(kind, year, month)
            built = build(kind, year=year, month=month, format=format, as_of=as_of)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        output.write_bytes(built.content)
        pages = f", {built.pages} 页" if built.pages else ""
        self.stdout.write(f"{output}: {len(built.content):,} 字节{pages}")
