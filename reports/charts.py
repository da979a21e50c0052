"""Charts drawn on the server as SVG: WeasyPrint runs no JavaScript."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

FONT = "Noto Sans CJK SC, sans-serif"


def horizontal_bars(
    rows: list[tuple[str, float | None]],
    *,
    maximum: float = 150,
    marker: float | None = 100,
    colours: list[str] | None = None,
    unit: str = "%",
) -> str:
    """One bar per row (e.g. completion % per indicator), capped at maximum, with a dashed
    marker line (the 100% target). Rows without a value show "—". colours: one per row (e.g.
    by the indicator's mark); by default green at or over the marker, red under it."""
    label_width, bar_width, row_height = 190, 300, 18
    width, height = label_width + bar_width + 60, row_height * len(rows) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="10">'
    ]
    for index, (label, value) in enumerate(rows):
        y = 6 + index * row_height
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 11}" text-anchor="end">'
            f"{escape(label[:16])}</text>"
        )
        if value is None:
            parts.append(f'<text x="{label_width + 4}" y="{y + 11}" fill="#888">—</text>')
            continue
        length = max(0.0, min(float(value), maximum)) / maximum * bar_width
        if colours:
            colour = colours[index]
        else:
            colour = "#2e7d32" if marker is None or value >= marker else "#c62828"
        parts.append(
            f'<rect x="{label_width}" y="{y + 2}" width="{length:.1f}" height="{row_height - 6}" '
            f'fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 4:.1f}" y="{y + 11}">{float(value):.1f}{unit}</text>'
        )
    if marker is not None:
        x = label_width + marker / maximum * bar_width
        parts.append(
            f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{height - 16}" stroke="#333" '
            f'stroke-dasharray="3,2"/><text x="{x:.1f}" y="{height - 4}" text-anchor="middle" '
            f'fill="#333">{marker:g}{unit}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above


def stacked_bars(rows: list[tuple[str, list[int]]], series: list[tuple[str, str]]) -> str:
    """One horizontal stacked bar per row (e.g. a member's submissions on time / late /
    missing), with a legend; series are (name, colour)."""
    label_width, bar_width, row_height = 150, 330, 16
    total = max((sum(values) for _label, values in rows), default=0) or 1
    width, height = label_width + bar_width + 40, row_height * len(rows) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="9.5">'
    ]
    for index, (label, values) in enumerate(rows):
        y = 4 + index * row_height
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 10}" text-anchor="end">'
            f"{escape(label[:14])}</text>"  # 14 characters fit the label column
        )
        x = float(label_width)
        for value, (_name, colour) in zip(values, series, strict=True):
            length = value / total * bar_width
            if value:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 1}" width="{length:.1f}" '
                    f'height="{row_height - 4}" fill="{colour}"/>'
                )
            if value and length >= 6 * len(str(value)) + 4:  # a number only where it fits
                parts.append(
                    f'<text x="{x + length / 2:.1f}" y="{y + 10}" text-anchor="middle" '
                    f'fill="#fff">{value}</text>'
                )
            x += length
    legend_y = height - 8
    x = float(label_width)
    for name, colour in series:
        parts.append(
            f'<rect x="{x:.1f}" y="{legend_y - 8}" width="9" height="9" fill="{colour}"/>'
            f'<text x="{x + 12:.1f}" y="{legend_y}">{escape(name)}</text>'
        )
        x += 12 + 10 * len(name) + 16  # a CJK character is about one em (9.5 px) wide
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
