"""Wrong indentation, explained with the right nested form as an example.

A section such as `lapor_tim` holds its fields on the lines below it, each indented by the same
two spaces. Staff who do not know YAML indent a line by three spaces, or not at all; YAML then
reports something else (a colon in the wrong place, an empty section, unknown fields). These
helpers recognise those cases and write the corrected block, with the staff member's own lines.
"""
from __future__ import annotations

import re

KEY_LINE = re.compile(r"^(?P<indent> *)(?P<key>[a-z_][a-z0-9_]*):(?:\s+(?P<value>.*?))?\s*$")
ITEM_LINE = re.compile(r"^(?P<indent> *)- +(?P<item>.*?)\s*$")
ITEM_KEY_LINE = re.compile(r"^(?P<indent> *)- +(?P<key>[a-z_][a-z0-9_]*):")   # `- tanggal: ...`, an item's first field
SAMPLES = {"waktu": "2026-01-05T10:00:00+07:00", "peserta": "[Ketua tim, Bidan koordinator]"}


def example(section: str, lines: list[tuple[str, object]]) -> str:
    """The block `section:` with `key: value` lines below it, indented two spaces; a value that
    is a list is written as its `- item` lines under the key."""
    body = []
    for key, value in lines:
        if isinstance(value, list):
            body.append(f"        {key}:")
            body += [f"          - {item}" for item in value]
        else:
            body.append(f"        {key}: {value}".rstrip())
    return f"\n      {section}:\n" + "\n".join(body)


def list_example(key: str, text: str) -> str:
    """`key: a, b` written where a list belongs: the same items as a list, in both forms."""
    # (" - ": items written under a key's text, one space off, read by YAML as one text)
    items = [item.strip() for item in re.split(r",| - ", text) if item.strip()] or ["..."]
    return (f"Tulis sebagai daftar dalam kurung siku, `{key}: [{', '.join(items)}]`, atau satu butir "
            f"per baris, diawali `- ` dan menjorok dua spasi lebih dalam daripada `{key}`, mis.:\n"
            f"      {key}:\n" + "\n".join(f"        - {item}" for item in items))


def sample_lines(properties: dict, written: dict | None = None) -> list[tuple[str, str]]:
    """Example lines for a section's fields: what was written at the top level, else a sample."""
    written = written or {}
    chosen = [key for key in properties if key in written] or list(properties)[:2]
    return [(key, _shown(written[key]) if key in written else SAMPLES.get(key, "...")) for key in chosen]


def _shown(value) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _section_lines(lines: list[str], first: int, last: int) -> list[tuple[str, object]]:
    """The `key: value` lines from `first` to `last`, with the `- item` lines under a key kept as
    that key's list."""
    found: list[tuple[str, object]] = []
    for index in range(first, last + 1):
        field, item = KEY_LINE.match(lines[index]), ITEM_LINE.match(lines[index])
        if field:
            found.append((field["key"], field["value"] or ""))
        elif item and found:
            key, value = found[-1]
            found[-1] = (key, (value if isinstance(value, list) else []) + [item["item"]])
    return found


def misindented(lines: list[str], number: int) -> str | None:
    """For the 0-based line `number` that YAML could not place: the hint with the corrected
    section when it is a `key: value` line indented differently from the field above it."""
    here = KEY_LINE.match(lines[number]) if number < len(lines) else None
    if not here:
        return None
    indent = len(here["indent"])
    sibling = None   # the nearest field above at another indentation (the one this is not aligned with)
    for above in range(number - 1, -1, -1):
        item = ITEM_KEY_LINE.match(lines[above])
        if item:   # a field of a list item: aligned with the item's first field, after its `- `
            column = item.start("key")
            if column == indent:
                return None
            return (f"Baris ini menjorok {indent} spasi, tidak sejajar dengan `{item['key']}` di atasnya "
                    f"({column} spasi): kolom-kolom satu butir daftar sejajar dengan kolom pertamanya, sesudah "
                    f"`- `. Ubah menjadi {column} spasi, mis.:\n      {lines[above].strip()}\n      "
                    f"{' ' * (column - len(item['indent']))}{lines[number].strip()}")
        match = KEY_LINE.match(lines[above])
        if not match or not lines[above].strip():
            continue
        holds_a_list = above + 1 < len(lines) and ITEM_LINE.match(lines[above + 1])   # `peserta:` then `- ...`
        if len(match["indent"]) >= indent or match["value"] or holds_a_list:
            if len(match["indent"]) == indent:
                return None      # aligned with its neighbour: not an indentation mistake
            sibling = sibling or match
            continue
        # `above` is the section (`lapor_tim:` with nothing after the colon)
        section, fields = match["key"], _section_lines(lines, above + 1, number)
        if indent == 2 and sibling is not None:
            # this line is right: the field above it is the one indented differently
            return (f"Baris ini menjorok 2 spasi, seperti seharusnya, tetapi `{sibling['key']}` di atasnya "
                    f"menjorok {len(sibling['indent'])} spasi, jadi keduanya tidak sejajar. Semua kolom di "
                    f"dalam `{section}` menjorok tepat dua spasi: perbaiki baris `{sibling['key']}`, mis.:"
                    + example(section, fields))
        return (f"Baris ini menjorok {indent} spasi, tidak sejajar dengan kolom di atasnya. Semua kolom di "
                f"dalam `{section}` menjorok tepat dua spasi, mis.:" + example(section, fields))
    return None


def value_looks_like_a_field(line: str) -> str | None:
    """`lapor_tim: waktu: 2026-...`: the hint to put `waktu` on its own line under `lapor_tim`."""
    match = re.match(r"^ *([a-z_][a-z0-9_]*):\s+([a-z_][a-z0-9_]*):\s+(.*?)\s*$", line)
    if not match:
        return None
    section, key, value = match.groups()
    return (f"Bila `{key}` adalah kolom di dalam `{section}`, tulis di baris baru di bawahnya, "
            "menjorok dua spasi, mis.:" + example(section, [(key, value)]))
