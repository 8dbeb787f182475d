"""Small server-side SVG bar charts for the PDF (WeasyPrint draws SVG natively)."""

from django.utils.html import escape

COLOURS = ["#b02a37", "#e0a800", "#3d8bfd", "#6c757d", "#198754", "#6f42c1", "#20c997"]


def bar_chart_svg(items: list[tuple[str, float]], *, width: int = 460, bar_height: int = 22) -> str:
    """A horizontal bar chart: one labelled bar per (label, value), the value written at its end."""
    largest = max((value for _label, value in items), default=0) or 1
    label_width, gap = 170, 8
    plot_width = width - label_width - 60
    height = len(items) * (bar_height + gap) + gap
    rows = []
    for index, (label, value) in enumerate(items):
        y = gap + index * (bar_height + gap)
        length = round(plot_width * value / largest)
        colour = COLOURS[index % len(COLOURS)]
        rows.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7}" text-anchor="end" '
            f'font-size="11">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="{colour}"/>'
            f'<text x="{label_width + length + 4}" y="{y + bar_height * 0.7}" '
            f'font-size="11">{escape(_number(value))}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Noto Sans, sans-serif">{"".join(rows)}</svg>'
    )


def _number(value: float) -> str:
    # Vietnamese grouping: 1.234 (dot for thousands).
    return f"{value:,.0f}".replace(",", ".") if float(value).is_integer() else f"{value:.1f}"
