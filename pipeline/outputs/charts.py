"""The recap's charts: inline SVG drawn at build time (no JavaScript), each named by an aria-label
that repeats its numbers; the same numbers are in the table beside it."""
from __future__ import annotations

from markupsafe import Markup, escape

from pipeline.report.figures import JUDGEMENTS, Count, StageFigure

COLOURS = {"met": "#0b5d3b", "breached": "#8a4b00", "overdue": "#a11d1d", "pending": "#8c8c8c"}


_FONT = 'font-family="system-ui,-apple-system,Segoe UI,Roboto,Noto Sans,Arial,sans-serif"'


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _svg(chart_id: str, title: str, description: str, width: int, height: int, body: list[str]) -> Markup:
    """An inline SVG image named by aria-label (no <title>: a page keeps exactly one title)."""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafik" id="{escape(chart_id)}" role="img" '
        f'aria-label="{escape(title)}. {escape(description)}" viewBox="0 0 {width} {height}" '
        f'width="100%" {_FONT} font-size="13">' + "".join(body) + "</svg>")


def bar_chart(chart_id: str, title: str, counts: list[Count], colour: str = "#0b5d3b") -> Markup:
    """Horizontal bars, one per row, each labelled "n (p%)"; the same numbers are in the table."""
    row_height, label_width, bar_width, width = 26, 230, 250, 640
    height = max(1, len(counts)) * row_height + 8
    most = max((row.n for row in counts), default=0) or 1
    body = []
    for index, row in enumerate(counts):
        y = 4 + index * row_height
        length = round(bar_width * row.n / most, 1)
        body.append(f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" fill="#1b1b1b">'
                    f'{escape(_clip(row.label))}</text>')
        body.append(f'<rect x="{label_width}" y="{y + 4}" width="{length}" height="17" fill="{escape(colour)}"/>')
        body.append(f'<text x="{label_width + length + 6}" y="{y + 17}" fill="#1b1b1b">'
                    f'{escape(row.share.text)}</text>')
    description = "; ".join(f"{row.label}: {row.share.text}" for row in counts) or "Tidak ada data."
    return _svg(chart_id, title, description, width, height, body)


def column_chart(chart_id: str, title: str, counts: list[Count], colour: str = "#0b5d3b") -> Markup:
    """Vertical columns (one per month) with the count above each column."""
    width, top, plot, bottom = 640, 22, 150, 40
    slot = (width - 20) / max(1, len(counts))
    most = max((row.n for row in counts), default=0) or 1
    body = [f'<line x1="10" y1="{top + plot}" x2="{width - 10}" y2="{top + plot}" stroke="#4a4a4a"/>']
    for index, row in enumerate(counts):
        x = 10 + index * slot
        height = round(plot * row.n / most, 1)
        middle = round(x + slot / 2, 1)
        body.append(f'<rect x="{round(x + slot * 0.15, 1)}" y="{round(top + plot - height, 1)}" '
                    f'width="{round(slot * 0.7, 1)}" height="{height}" fill="{escape(colour)}"/>')
        body.append(f'<text x="{middle}" y="{round(top + plot - height - 5, 1)}" text-anchor="middle" '
                    f'fill="#1b1b1b">{row.n}</text>')
        short = row.label[:3] + (row.label[-5:] if " " in row.label else "")
        body.append(f'<text x="{middle}" y="{top + plot + 18}" text-anchor="middle" fill="#1b1b1b" '
                    f'font-size="12">{escape(short)}</text>')
    description = "; ".join(f"{row.label}: {row.n}" for row in counts) or "Tidak ada data."
    return _svg(chart_id, title, description, width, top + plot + bottom - 10, body)


def stage_chart(chart_id: str, title: str, stages: list[StageFigure], colours: dict | None = None) -> Markup:
    """One stacked bar per judged stage: on time, late, overdue, still running."""
    colours = {**COLOURS, **(colours or {})}
    judged = [stage for stage in stages if stage.judged]
    row_height, label_width, bar_width, width = 34, 230, 220, 640
    legend_y = len(judged) * row_height + 14
    body = []
    for index, stage in enumerate(judged):
        y = 4 + index * row_height
        total = sum(stage.counts.values())
        x = float(label_width)
        body.append(f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end" fill="#1b1b1b">'
                    f'{escape(_clip(stage.name))}</text>')
        for key in JUDGEMENTS:
            if not total or not stage.counts[key]:
                continue
            length = round(bar_width * stage.counts[key] / total, 1)
            body.append(f'<rect x="{round(x, 1)}" y="{y + 5}" width="{length}" height="18" '
                        f'fill="{escape(colours[key])}"/>')
            x += length
        if not total:
            body.append(f'<rect x="{label_width}" y="{y + 5}" width="{bar_width}" height="18" fill="none" '
                        f'stroke="#8c8c8c"/>')
        body.append(f'<text x="{label_width + bar_width + 8}" y="{y + 18}" fill="#1b1b1b">'
                    f'{escape(stage.on_time.text)}</text>')
    x = 10
    for key, label in JUDGEMENTS.items():
        body.append(f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{escape(colours[key])}"/>')
        body.append(f'<text x="{x + 17}" y="{legend_y + 11}" fill="#1b1b1b">{escape(label)}</text>')
        x += 30 + 8 * len(label)
    description = "; ".join(f"{stage.name}: tepat waktu {stage.on_time.text}, terlambat "
                            f"{stage.counts['breached']}, lewat batas {stage.counts['overdue']}, berjalan "
                            f"{stage.counts['pending']}" for stage in judged) or "Tidak ada data."
    return _svg(chart_id, title, description, width, legend_y + 24, body)
