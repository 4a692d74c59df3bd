"""JSON Schema validation (Draft 2020-12, formats checked) with Indonesian messages.

The schemas in `schema/` are the contract; this module only turns jsonschema's errors into
problems that name the line and the field and say how to fix it (using the schema's `x-hint`).

jsonschema is the judge. Because it costs more than parsing the file, each schema is also
compiled into a few plain Python closures (`fast_validator`) that answer "certainly valid?" for
the keywords our schemas use. The fast answer is only trusted when it is "valid"; any doubt (a
keyword it does not know, a case it does not model) sends the document to jsonschema, which then
finds and explains the errors. So the fast path can make a check slower, never wrong.

jsonschema itself is imported only when a document needs it (most runs only meet valid files):
the fast path checks the formats our schemas use ("waktu", "date", "uri") with the very
functions jsonschema would use, and defers any other format to jsonschema.
"""
from __future__ import annotations

import difflib
import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from pipeline.records.fastschema import FAST_FORMATS, Compiler, Unsupported, is_uri
from pipeline.records.problems import Problem
from pipeline.records.nesting import SAMPLES, example, list_example, sample_lines
from pipeline.records.schemaref import follow_refs
from pipeline.records.source import Document, dotted
from pipeline.records.timeguess import guess as guess_time
from pipeline.records.timeutil import YEARS, is_waktu

if TYPE_CHECKING:  # imported on first use: ~0.15 s of start-up that valid files never need
    from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"

_TYPE_NAMES = {"string": "teks", "object": "kumpulan kolom (objek)", "array": "daftar",
               "number": "angka", "integer": "bilangan bulat", "boolean": "true/false",
               "null": "kosong"}


def _format_checker() -> FormatChecker:
    from jsonschema import Draft202012Validator, FormatChecker

    checker = Draft202012Validator.FORMAT_CHECKER
    # Copy so our "waktu" format never leaks into other users of jsonschema in the process.
    ours = FormatChecker(formats=list(checker.checkers))
    ours.checkers.update(checker.checkers)
    # Like every standard format, "waktu" judges strings only; `type` judges the rest.
    ours.checks("waktu")(lambda value: not isinstance(value, str) or is_waktu(value))
    if "uri" not in ours.checkers:  # jsonschema checks "uri" only with rfc3987 installed
        ours.checks("uri")(is_uri)
    return ours


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=_format_checker())


def validate(document: Document, schema_name: str, shown: str) -> list[Problem]:
    """Every schema problem of one document, each at the line of the field concerned."""
    if fast_validator(schema_name)(document.data):  # the common case, and the cheap one
        return []
    check = validator(schema_name)
    problems: list[Problem] = []
    seen: set[Problem] = set()  # a set: a file of thousands of wrong keys stays linear
    for error in check.iter_errors(document.data):
        for problem in _translate(error, document, shown, load_schema(schema_name)):
            if problem not in seen:  # e.g. one `required` error per missing key
                seen.add(problem)
                problems.append(problem)
    return problems


def _describe_type(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "kosong"
    if isinstance(value, (int, float)):
        return "angka"
    if isinstance(value, str):
        return "teks"
    if isinstance(value, list):
        return "daftar"
    return "kumpulan kolom (objek)"


def _shown_value(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else "..." if isinstance(value, (dict, list)) else str(value)


def _as_written(document, path, value) -> str:
    """A number as the file writes it (`+6281355551212`, `10.50`), so that quoting it keeps it."""
    line, column = document.position(path)
    text = document.source_line(line) if path and hasattr(document, "source_line") else None
    if text is not None:   # (a field's position is its key's; an item's, its value's)
        text = text[column - 1:] if isinstance(path[-1], int) else text[column - 1:].partition(":")[2]
    written = (re.sub(r"(^|\s)#.*$", "", text).strip() or None) if text is not None else None
    try:
        same = written is not None and type(value)(written) == value
    except ValueError:
        same = False
    return written if same else str(value)


def _problem(document, shown, path, message, hint="", field_path=None) -> Problem:
    line, column = document.position(path)
    return Problem(shown, line, column, message, hint, dotted(field_path or path))


def _translate(error, document: Document, shown: str, root: dict) -> list[Problem]:
    path = tuple(error.absolute_path)
    name = dotted(path) or "berkas"
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get("x-hint", "")
    kind = error.validator
    value = error.instance

    if kind == "required":
        instance = value if isinstance(value, dict) else {}
        known = sorted((schema.get("properties") or {}).keys())
        unknown = [key for key in instance if key not in known]
        problems = []
        for key in error.validator_value:
            if key in instance:
                continue
            if any(difflib.get_close_matches(other, known, n=1, cutoff=0.6) == [key] for other in unknown):
                continue  # a misspelt `key` is in the file: its "unknown field" problem says so
            where = f" di dalam `{name}`" if path else ""
            extra = _property_hint(schema, key, root)
            under = f" di bawah `{path[-1]}:`, menjorok dua spasi" if path and isinstance(path[-1], str) else ""
            stem = PurePosixPath(shown).stem   # (a complaint's id is its file's name)
            written = stem if key == "id" and not path and re.fullmatch(ID_SHAPE, stem) else "..."
            problems.append(_problem(document, shown, path, f"kolom wajib `{key}` belum ada{where}.",
                                     f"Tambahkan baris `{key}: {written}`{under}."
                                     + (f" {extra}" if extra and written == "..." else ""), path + (key,)))
        return problems
    if kind == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        required = set(error.schema.get("required") or ())
        problems = []
        for key in value:
            if key in allowed:
                continue
            guess = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            if guess:
                missing = guess[0] in required and guess[0] not in value
                fix = f"Mungkin maksud Anda `{guess[0]}`?" + (
                    f" (`{guess[0]}` adalah kolom wajib yang belum ada.)" if missing else "")
            else:
                fix = (_section_of(key, error.schema, document.data, root) if not path else None) or \
                    f"Kolom yang dikenal{(' di dalam `' + name + '`') if path else ''}: {', '.join(allowed)}."
            problems.append(_problem(document, shown, path + (key,),
                                     f"kolom `{key}` tidak dikenal" +
                                     (f" di dalam `{name}`." if path else "."), fix))
        return problems
    if "propertyNames" in error.absolute_schema_path:  # the instance is a key of the object at `path`
        options = [str(option) for option in (error.validator_value if kind == "enum" else [])]
        guess = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        fix = (f"Mungkin maksud Anda `{guess[0]}`? " if guess else "") + \
            (f"Pilihan: {', '.join(options)}." if options else hint)
        return [_problem(document, shown, path + (value,),
                         f"nama `{value}` tidak dikenal di dalam `{name}`.", fix.strip())]
    if kind == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        wanted = " atau ".join(_TYPE_NAMES.get(t, t) for t in expected)
        key = next((part for part in reversed(path) if isinstance(part, str)), "kolom")
        if value is None and "object" in expected:
            properties = follow_refs(error.schema, root).get("properties") or {}
            return [_problem(document, shown, path, f"bagian `{name}` kosong: kolom-kolomnya belum ada di bawahnya.",
                             "Tulis kolom-kolomnya di baris berikutnya, masing-masing menjorok dua spasi, mis.:"
                             + example(key, sample_lines(properties, document.data)))]
        if value is None:
            return [_problem(document, shown, path, f"`{name}` belum diisi (kosong).",
                             hint or f"Tulis isinya setelah titik dua: `{key}: ...`.")]
        if "object" in expected and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [_problem(document, shown, path, f"`{name}` harus berupa {wanted}, bukan {_describe_type(value)}.",
                             _text_into_section(key, str(value), follow_refs(error.schema, root),
                                                item=bool(path) and isinstance(path[-1], int)))]
        if "array" in expected and isinstance(value, dict) and value:
            return [_problem(document, shown, path, f"`{name}` harus berupa {wanted}, bukan {_describe_type(value)}.",
                             f"Tulis setiap butir `{key}` diawali `- `, kolom lainnya di bawahnya sejajar, mis.:"
                             + list_of_sections(key, [(field, _shown_value(item)) for field, item in value.items()]))]
        if "number" in expected and isinstance(value, str) and re.fullmatch(r"\d+,\d+", value.strip()):
            return [_problem(document, shown, path, f"`{name}` harus berupa {wanted}, bukan {_describe_type(value)}.",
                             f"Tulis angka desimal dengan titik, bukan koma: {key}: {value.strip().replace(',', '.')}.")]
        if "array" in expected and isinstance(value, str):
            return [_problem(document, shown, path, f"`{name}` harus berupa {wanted}, bukan {_describe_type(value)}.",
                             list_example(key, value))]
        if "string" in expected and isinstance(value, (bool, int, float)):
            written = str(value).lower() if isinstance(value, bool) else _as_written(document, path, value)
            fix = f"Tulis dalam tanda kutip agar terbaca sebagai teks, mis. {key}: \"{written}\"."
        else:
            fix = hint or f"Isi `{name}` dengan {wanted}."
        return [_problem(document, shown, path,
                         f"`{name}` harus berupa {wanted}, bukan {_describe_type(value)}.", fix)]
    if kind == "enum":
        options = [str(option) for option in error.validator_value]
        # what staff write for an option ("WA"), else a close spelling (a loose match guessed
        # `email` for `farmasi`)
        synonym = (schema.get("x-synonyms") or {}).get(" ".join(str(value).lower().split()))
        guess = [synonym] if synonym else difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        fix = (f"Mungkin maksud Anda `{guess[0]}`? " if guess else "") + \
            f"Pilihan: {', '.join(options)}."
        refused = (schema.get("x-refused") or {}).get(str(value))   # known, and refused with a reason
        if refused:
            return [_problem(document, shown, path, f"`{name}: {value}`: {refused}", hint or fix)]
        said = (f"`{name}` kosong" if value is None
                else f"`{name}` harus satu pilihan, bukan {_describe_type(value)}" if isinstance(value, (list, dict))
                else f"nilai `{value}` tidak dikenal untuk `{name}`")
        return [_problem(document, shown, path, said + ".", hint or fix)]
    if kind == "format":
        fmt = error.validator_value
        why = _why_not_a_time(value) if fmt in ("waktu", "date") and isinstance(value, str) else None
        meant, needs = guess_time(value, fmt == "waktu") if fmt in ("waktu", "date") and isinstance(value, str) \
            and not why else (None, None)
        return [_problem(document, shown, path,
                         f"`{name}`: `{value}` bukan {_FORMAT_NAMES.get(fmt, fmt)} yang sah"
                         + (f" ({why or needs})." if why or needs else "."),
                         (f"Mungkin maksud Anda `{meant}`? " if meant else "") + (hint or _FORMAT_HINTS.get(fmt, "")))]
    if kind == "pattern":
        return [_problem(document, shown, path, f"`{name}`: `{value}` tidak sesuai format.", hint)]
    if kind == "minLength":
        return [_problem(document, shown, path,
                         f"`{name}` terlalu pendek ({len(value)} karakter; minimal "
                         f"{error.validator_value})." if value else f"`{name}` tidak boleh kosong.",
                         hint)]
    if kind == "maxLength":
        return [_problem(document, shown, path,
                         f"`{name}` terlalu panjang ({len(value)} karakter; maksimal {error.validator_value}).",
                         hint or "Persingkat teksnya.")]
    if kind in ("minItems", "minProperties"):
        return [_problem(document, shown, path, f"`{name}` tidak boleh kosong.", hint)]
    if kind == "uniqueItems":
        return [_problem(document, shown, path, f"`{name}` berisi nilai yang sama lebih dari sekali.",
                         "Hapus nilai yang berulang.")]
    if kind == "exclusiveMinimum":
        return [_problem(document, shown, path,
                         f"`{name}` harus lebih besar dari {error.validator_value}.", hint)]
    if kind == "minimum":
        return [_problem(document, shown, path, f"`{name}` paling sedikit {error.validator_value}.", hint)]
    if kind in ("maximum", "exclusiveMaximum"):
        bound = f"paling banyak {error.validator_value}" if kind == "maximum" else \
            f"harus kurang dari {error.validator_value}"
        return [_problem(document, shown, path, f"`{name}` terlalu besar ({value}; {bound}).", hint)]
    return [_problem(document, shown, path, f"`{name}` tidak sesuai skema ({kind}).", hint)]


def _text_into_section(section: str, text: str, schema: dict, item: bool = False) -> str:
    """`tanggapan: Terima kasih ...` (text right after a section's name): the section written out,
    the staff member's text moved into the field it belongs to (a time into a time, a date into
    a date), with the section's other required fields as samples. `item`: the text is an item of
    a list of sections (`libur_tambahan: [2026-12-24]`), written as one (`- tanggal: ...`)."""
    properties = schema.get("properties") or {}
    times = [key for key, child in properties.items() if isinstance(child, dict) and child.get("$ref", "").endswith("/waktu")
             or isinstance(child, dict) and child.get("format") == "waktu"]
    dates = [key for key, child in properties.items() if isinstance(child, dict) and child.get("format") == "date"]
    texts = [key for key, child in properties.items() if isinstance(child, dict) and child.get("type") == "string"
             and "format" not in child and "pattern" not in child]
    if TIME_LIKE.match(text) and times:
        into = times[0]
    elif DATE_ONLY.match(text) and dates:
        into = dates[0]
    elif "isi" in properties:
        into = "isi"
    else:
        into = (texts or list(properties) or ["isi"])[0]
    lines = [(into, text)] + [(key, SAMPLES.get(key, "...")) for key in schema.get("required", ()) if key != into]
    if item:
        return (f"Setiap butir `{section}` berisi kolom-kolom: tulis `- ` lalu kolom pertamanya, dan kolom lainnya di "
                f"bawahnya, sejajar dengannya. Teks Anda masuk ke `{into}`, mis.:" + list_of_sections(section, lines))
    return (f"`{section}` adalah bagian yang berisi kolom-kolom: tulis `{section}:` saja di barisnya, lalu "
            f"setiap kolom di baris berikutnya, menjorok dua spasi. Teks Anda masuk ke `{into}`, mis.:"
            + example(section, lines))


def list_of_sections(section: str, lines: list[tuple[str, object]]) -> str:
    """`section:` with one list item of `key: value` lines (`- tanggal: ...` then `keterangan: ...`)."""
    (first, value), rest = lines[0], lines[1:]
    return (f"\n      {section}:\n        - {first}: {value}".rstrip()
            + "".join(f"\n          {key}: {other}".rstrip() for key, other in rest))


TIME_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]|$)")
ID_SHAPE = r"ADU-\d{8}-[0-9A-HJKMNP-TV-Z]{4}"
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _section_of(key: str, schema: dict, data, root: dict) -> str | None:
    """A top-level field that belongs inside a section (`waktu` of `lapor_tim` written without
    its indentation): the hint with the nested form. None when no section has such a field."""
    sections = [name for name, child in (schema.get("properties") or {}).items()
                if key in (follow_refs(child, root).get("properties") or {})]
    if not sections:
        return None
    empty = [name for name in sections if isinstance(data, dict) and name in data and data[name] is None]
    section = (empty or sections)[0]
    properties = follow_refs(schema["properties"][section], root)["properties"]
    where = f"`{section}`" if empty else " atau ".join(f"`{name}`" for name in sections)
    return (f"`{key}` adalah kolom di dalam {where}: tulis menjorok dua spasi di bawah `{section}:`, mis.:"
            + example(section, sample_lines(properties, data if isinstance(data, dict) else None)))


def _property_hint(schema: dict, key: str, root: dict) -> str:
    """The x-hint of a property (following a local $ref), else its choices when it has an enum."""
    try:
        prop = follow_refs((schema.get("properties") or {}).get(key) or {}, root)
    except ValueError:
        return ""
    if not isinstance(prop, dict):
        return ""
    if prop.get("x-hint"):
        return prop["x-hint"]
    if prop.get("enum"):
        return f"Pilihan: {', '.join(map(str, prop['enum']))}."
    return ""


_TIME_PARTS = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?"
                         r"(Z|[+-](\d{2}):(\d{2}))?)?")


def _why_not_a_time(value: str) -> str | None:
    """What is impossible in a date or time written in the right shape (2026-02-30, 24:10, +25:00)."""
    match = _TIME_PARTS.fullmatch(value)
    if not match:
        return None
    year, month, day, hour, minute, second, zone, zone_hours, zone_minutes = match.groups()
    if int(year) not in YEARS:
        return f"tahun {year} tidak mungkin untuk catatan pengaduan; tahun {YEARS[0]} sampai {YEARS[-1]}"
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return f"tanggal {year}-{month}-{day} tidak ada di kalender"
    if hour is not None and (int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59):
        return f"jam {hour}:{minute}{':' + second if second else ''} tidak ada; jam 00-23, menit 00-59"
    if zone_hours is not None and (int(zone_hours) > 23 or int(zone_minutes) > 59):
        return f"zona waktu {zone} tidak ada; WIB +07:00, WITA +08:00, WIT +09:00"
    return None


_FORMAT_NAMES = {"waktu": "waktu", "date": "tanggal", "uri": "alamat web (URL)", "email": "alamat email"}
_FORMAT_HINTS = {
    "date": "Tulis tanggal sebagai YYYY-MM-DD, mis. 2026-02-14.",
    "uri": "Tulis alamat lengkap, mis. https://puskesmas.example.go.id.",
}


@lru_cache(maxsize=None)
def fast_validator(name: str):
    """value -> True only if jsonschema certainly finds it valid against schema `name`."""
    try:
        return Compiler(load_schema(name), FAST_FORMATS).compile(load_schema(name))
    except Unsupported:
        return validator(name).is_valid
