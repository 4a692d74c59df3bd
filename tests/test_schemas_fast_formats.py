"""The fast path's format checks answer exactly as jsonschema's format checker does."""
from __future__ import annotations

import pytest

from pipeline.records import fastschema, schemas

VALUES = ["2026-01-05", "2026-02-30", "2026-1-5", "2026-01-05 ", "٢٠٢٦-٠١-٠٥", "2026-01-05T10:00",
          "2026-01-05 10:00", "2026-01-05T09:30:00+07:00", "2026-01-05T25:00", "2026-01-05T09:30Z",
          "https://puskesmas.example.go.id", "http://x", "mailto:a@b.id", "tel:+62812", "www.example.id",
          "https://a b", "pkm@example.go.id", "pkm-at-example", "@", "", "kemarin", None, 7, 1.5, True,
          [], {}]


@pytest.mark.parametrize("name", sorted(fastschema.FAST_FORMATS))
def test_fast_formats_agree_with_jsonschema(name):
    checker = schemas.validator("complaint.schema.json").format_checker
    fast = fastschema.FAST_FORMATS[name]
    for value in VALUES:
        assert fast(value) == checker.conforms(value, name), (name, value)


def test_the_formats_of_our_schemas_take_the_fast_path():
    for name in ("complaint.schema.json", "policy.schema.json"):
        compiled = fastschema.Compiler(schemas.load_schema(name), fastschema.FAST_FORMATS)
        compiled.compile(schemas.load_schema(name))  # raises Unsupported otherwise
