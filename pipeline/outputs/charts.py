"""The recap's charts, drawn for the width they get: the words and numbers are HTML text in the
table the chart belongs to (so they wrap and never shrink on a phone); only the bar is a tiny
inline SVG that stretches to its cell (`viewBox` 0..100, no text, hidden from screen readers
because the same numbers are written beside it). No JavaScript.

Colours of the stage judgements differ in lightness as well as hue (situs.css: --tepat, --telat,
--lewat, --jalan), so they can be told apart in grey print and by colour-blind readers.
"""
from __future__ import annotations

from markupsafe import Markup

from pipeline.records.labels import STATE_WORDS
from pipeline.report.figures import JUDGEMENTS, STATE_CODES, Count, StageFigure

COLOURS = {"met": "#0b5d3b", "breached": "#8a4b00", "overdue": "#a11d1d", "pending": "#8c8c8c"}


def _svg(rects: list[str], track: bool = True) -> Markup:
    return Markup('<svg class="batang" aria-hidden="true" focusable="false" viewBox="0 0 100 10" '
                  'preserveAspectRatio="none">' + ('<rect class="b-latar" width="100" height="10"/>' if track else "")
                  + "".join(rects) + "</svg>")


def bar(n: int, most: int) -> Markup:
    """One bar, `n` of `most` long. Without the grey track of a whole (a stage's bar has one): a
    full bar is the largest row, and over a track it read as 100% ("16% (3 dari 19)", full)."""
    length = round(100 * n / most, 2) if most else 0
    return _svg([f'<rect width="{length:g}" height="10"/>'] if length else [], track=False)


def bars(counts: list[Count]) -> list[Markup]:
    """One bar per row of a table, the longest row filling its cell."""
    most = max((row.n for row in counts), default=0)
    return [bar(row.n, most) for row in counts]


def stage_bar(stage: StageFigure) -> Markup:
    """One stacked bar: on time, done late, late and not done, not yet due."""
    total = sum(stage.counts.get(key, 0) for key in JUDGEMENTS)
    rects, x = [], 0.0
    for key in JUDGEMENTS:
        n = stage.counts.get(key, 0)
        if not total or not n:
            continue
        length = round(100 * n / total, 2)
        rects.append(f'<rect class="b-{STATE_CODES[key]}" x="{x:g}" width="{length:g}" height="10"/>')
        x = round(x + length, 2)
    return _svg(rects)


def stage_parts(stage: StageFigure) -> list[dict]:
    """The legend of a stage's bar: each judgement's code, words and count."""
    return [{"id": STATE_CODES[key], "label": STATE_WORDS[STATE_CODES[key]], "n": stage.counts.get(key, 0)}
            for key in JUDGEMENTS]
