"""JSON Schema validation (Draft 2020-12, formats checked) with Indonesian messages.

The schemas in `schema/` are the contract; this module only turns jsonschema's errors into
problems that name the line and the field and say how to fix it (using the schema's `x-hint`).
"""
from __future__ import annotations

import difflib
import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

from .problems import Problem
from .source import Document, dotted
from .timeutil import is_waktu

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"

_TYPE_NAMES = {"string": "teks", "object": "kumpulan kolom (objek)", "array": "daftar",
               "number": "angka", "integer": "bilangan bulat", "boolean": "true/false",
               "null": "kosong"}


def _format_checker() -> FormatChecker:
    checker = Draft202012Validator.FORMAT_CHECKER
    # Copy so our "waktu" format never leaks into other users of jsonschema in the process.
    ours = FormatChecker(formats=list(checker.checkers))
    ours.checkers.update(checker.checkers)
    ours.checks("waktu")(is_waktu)
    return ours


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=_format_checker())


def validate(document: Document, schema_name: str, shown: str) -> list[Problem]:
    """Every schema problem of one document, each at the line of the field concerned."""
    check = validator(schema_name)
    if check.is_valid(document.data):  # the common case, and the cheap one
        return []
    problems: list[Problem] = []
    for error in check.iter_errors(document.data):
        problems.extend(_translate(error, document, shown))
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


def _problem(document, shown, path, message, hint="", field_path=None) -> Problem:
    line, column = document.position(path)
    return Problem(shown, line, column, message, hint, dotted(field_path or path))


def _translate(error, document: Document, shown: str) -> list[Problem]:
    path = tuple(error.absolute_path)
    name = dotted(path) or "berkas"
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get("x-hint", "")
    kind = error.validator
    value = error.instance

    if kind == "required":
        missing = [key for key in error.validator_value if key not in (value or {})]
        where = f"di dalam `{name}`" if path else ""
        return [_problem(document, shown, path,
                         f"kolom wajib `{key}` belum diisi{(' ' + where) if where else ''}.",
                         f"Tambahkan baris `{key}: ...`." +
                         (" " + _property_hint(error.schema, key) if _property_hint(error.schema, key) else ""),
                         path + (key,))
                for key in missing]
    if kind == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        problems = []
        for key in value:
            if key in allowed:
                continue
            guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            fix = (f"Mungkin maksud Anda `{guess[0]}`?" if guess
                   else f"Kolom yang dikenal: {', '.join(allowed)}.")
            problems.append(_problem(document, shown, path + (key,),
                                     f"kolom `{key}` tidak dikenal" +
                                     (f" di dalam `{name}`." if path else "."), fix))
        return problems
    if kind == "propertyNames":
        return [_problem(document, shown, path, f"nama kolom di `{name}` tidak dikenal: {error.message}",
                         hint)]
    if kind == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        wanted = " atau ".join(_TYPE_NAMES.get(t, t) for t in expected)
        fix = hint or (f"Tulis nilainya dalam tanda kutip, mis. {path[-1] if path else 'kolom'}: \"...\"."
                       if "string" in expected else f"Isi `{name}` dengan {wanted}.")
        return [_problem(document, shown, path,
                         f"`{name}` harus berupa {wanted}, bukan {_describe_type(value)}.", fix)]
    if kind == "enum":
        options = [str(option) for option in error.validator_value]
        guess = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        fix = (f"Mungkin maksud Anda `{guess[0]}`? " if guess else "") + \
            f"Pilihan: {', '.join(options)}."
        return [_problem(document, shown, path, f"nilai `{value}` tidak dikenal untuk `{name}`.",
                         hint or fix)]
    if kind == "format":
        return [_problem(document, shown, path,
                         f"`{name}`: `{value}` bukan {_FORMAT_NAMES.get(error.validator_value, error.validator_value)} yang sah.",
                         hint or _FORMAT_HINTS.get(error.validator_value, ""))]
    if kind == "pattern":
        return [_problem(document, shown, path, f"`{name}`: `{value}` tidak sesuai format.", hint)]
    if kind == "minLength":
        return [_problem(document, shown, path,
                         f"`{name}` terlalu pendek (minimal {error.validator_value} karakter)."
                         if value else f"`{name}` tidak boleh kosong.", hint)]
    if kind == "maxLength":
        return [_problem(document, shown, path,
                         f"`{name}` terlalu panjang ({len(value)} karakter; maksimal {error.validator_value}).",
                         hint or "Persingkat teksnya.")]
    if kind in ("minItems", "minProperties"):
        return [_problem(document, shown, path, f"`{name}` tidak boleh kosong.", hint)]
    if kind == "uniqueItems":
        return [_problem(document, shown, path, f"`{name}` berisi nilai yang sama lebih dari sekali.",
                         "Hapus nilai yang berulang.")]
    if kind in ("exclusiveMinimum", "minimum"):
        return [_problem(document, shown, path,
                         f"`{name}` harus lebih besar dari {error.validator_value}.", hint)]
    return [_problem(document, shown, path, f"`{name}` tidak sesuai skema ({kind}).", hint)]


def _property_hint(schema: dict, key: str) -> str:
    return ((schema.get("properties") or {}).get(key) or {}).get("x-hint", "")


_FORMAT_NAMES = {"waktu": "waktu", "date": "tanggal", "uri": "alamat web (URL)", "email": "alamat email"}
_FORMAT_HINTS = {
    "date": "Tulis tanggal sebagai YYYY-MM-DD, mis. 2026-02-14.",
    "uri": "Tulis alamat lengkap, mis. https://puskesmas.example.go.id.",
}
