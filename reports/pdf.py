"""HTML → PDF with WeasyPrint, in the worker or a management command (never in a web request).

Chinese is set in Noto Serif/Sans CJK SC from fonts-noto-cjk; libharfbuzz-subset0 keeps font
subsetting at ~0.2 s instead of 10–15 s (see the README's system packages)."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string


@dataclass
class RenderedPdf:
    content: bytes
    pages: int


def render_html(template_name: str, context: dict) -> str:
    return render_to_string(template_name, context)


def html_to_pdf(html: str) -> RenderedPdf:
    from weasyprint import HTML  # imported here: it loads Pango, which the web process never needs

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return RenderedPdf(document.write_pdf(), len(document.pages))


def render_pdf(template_name: str, context: dict) -> RenderedPdf:
    return html_to_pdf(render_html(template_name, context))
