"""Wrong indentation, explained with the right nested form as an example.

A section such as `lapor_tim` holds its fields on the lines below it, each indented by the same
two spaces. Staff who do not know YAML indent a line by three spaces, or not at all; YAML then
reports something else (a colon in the wrong place, an empty section, unknown fields). These
helpers recognise those cases and write the corrected block, with the staff member's own lines.
"""
from __future__ import annotations

import re

KEY_LINE = re.compile(r"^(?P<indent> *)(?P<key>[a-z_][a-z0-9_]*):(?:\s+(?P<value>.*?))?\s*$")
SAMPLES = {"waktu": "2026-01-05T10:00:00+07:00", "peserta": "[Ketua tim, Bidan koordinator]"}


def example(section: str, lines: list[tuple[str, str]]) -> str:
    """The block `section:` with `key: value` lines below it, indented two spaces."""
    body = "\n".join(f"      {key}: {value}".rstrip() for key, value in lines)
    return f"\n      {section}:\n" + "\n".join("  " + line for line in body.split("\n"))


def sample_lines(properties: dict, written: dict | None = None) -> list[tuple[str, str]]:
    """Example lines for a section's fields: what was written at the top level, else a sample."""
    written = written or {}
    chosen = [key for key in properties if key in written] or list(properties)[:2]
    return [(key, _shown(written[key]) if key in written else SAMPLES.get(key, "...")) for key in chosen]


def _shown(value) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def misindented(lines: list[str], number: int) -> str | None:
    """For the 0-based line `number` that YAML could not place: the hint with the corrected
    section when it is a `key: value` line indented differently from the field above it."""
    here = KEY_LINE.match(lines[number]) if number < len(lines) else None
    if not here:
        return None
    indent = len(here["indent"])
    for above in range(number - 1, -1, -1):
        match = KEY_LINE.match(lines[above])
        if not match or not lines[above].strip():
            continue
        if len(match["indent"]) >= indent or match["value"]:
            if len(match["indent"]) == indent:
                return None      # aligned with its neighbour: not an indentation mistake
            continue
        # `above` is the section (`lapor_tim:` with nothing after the colon)
        fields = [KEY_LINE.match(lines[index]) for index in range(above + 1, number + 1)]
        fields = [(match["key"], match["value"] or "") for match in fields if match]
        return (f"Baris ini menjorok {indent} spasi, tidak sejajar dengan kolom di atasnya. Kolom di "
                f"dalam `{match['key']}` ditulis sejajar, masing-masing diawali dua spasi, mis.:"
                + example(match["key"], fields))
    return None


def value_looks_like_a_field(line: str) -> str | None:
    """`lapor_tim: waktu: 2026-...`: the hint to put `waktu` on its own line under `lapor_tim`."""
    match = re.match(r"^ *([a-z_][a-z0-9_]*):\s+([a-z_][a-z0-9_]*):\s+(.*?)\s*$", line)
    if not match:
        return None
    section, key, value = match.groups()
    return (f"Bila `{key}` adalah kolom di dalam `{section}`, tulis di baris baru di bawahnya, "
            "menjorok dua spasi, mis.:" + example(section, [(key, value)]))
