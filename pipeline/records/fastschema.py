"""The fast path of schema validation: a schema compiled into plain Python closures.

`Compiler(root, FAST_FORMATS).compile(schema)` gives `value -> bool` that answers "certainly
valid?" for the keywords our schemas use; a keyword it does not model raises `Unsupported`, and
`schemas.fast_validator` then leaves the schema to jsonschema alone. The formats are checked with
the very functions jsonschema would use ("waktu", "date", "email", and "uri" unless jsonschema
brings its own), so the fast answer never differs from jsonschema's.
"""
from __future__ import annotations

import importlib.util
import re
from datetime import date
from urllib.parse import urlsplit

from pipeline.records.schemaref import local_ref
from pipeline.records.timeutil import is_waktu


def is_uri(value) -> bool:
    """An absolute URL with a scheme and a host (a lenient stand-in for RFC 3986)."""
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.scheme in ("mailto", "tel"))) \
        and not any(char.isspace() for char in value)


class Unsupported(Exception):
    """A schema uses a keyword the fast path does not model: use jsonschema alone."""


_ANNOTATIONS = {"$schema", "$id", "$defs", "definitions", "$comment", "title", "description",
                "default", "examples", "deprecated", "readOnly", "writeOnly"}
_OBJECT_KEYWORDS = {"properties", "additionalProperties", "required", "propertyNames",
                    "minProperties", "maxProperties"}
_ARRAY_KEYWORDS = {"items", "uniqueItems", "minItems", "maxItems"}
_STRING_KEYWORDS = {"pattern", "minLength", "maxLength"}
_NUMBER_KEYWORDS = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPE_TESTS = {
    "string": lambda value: isinstance(value, str),
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "number": _is_number,
    "integer": lambda value: _is_number(value) and (isinstance(value, int) or value.is_integer()),
}


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)  # jsonschema's own test for "date"


def _is_date(value) -> bool:
    """jsonschema's "date" check (a regex, then date.fromisoformat; ValueError means no)."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE.fullmatch(value) and date.fromisoformat(value))
    except ValueError:
        return False


def _uri_checker():
    """Our "uri" check, unless jsonschema has its own: it brings one when rfc3987 or
    rfc3986-validator is installed, and then only jsonschema can say what it accepts."""
    if any(importlib.util.find_spec(package) for package in ("rfc3987", "rfc3986_validator")):
        return None
    return is_uri


# format -> the check `_format_checker()` gives it; a format missing here is left to jsonschema.
FAST_FORMATS = {"waktu": lambda value: not isinstance(value, str) or is_waktu(value),
                 "date": _is_date,
                 "email": lambda value: not isinstance(value, str) or "@" in value}  # jsonschema's test
if _uri_checker() is not None:
    FAST_FORMATS["uri"] = is_uri


def _all(checks: list):
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]

    def every(value) -> bool:
        for check in checks:
            if not check(value):
                return False
        return True
    return every


class Compiler:
    def __init__(self, root: dict, formats: dict):
        self.root = root
        self.formats = formats  # format name -> value -> bool
        self.compiled: dict = {}   # id(subschema) -> closure (refs share their target's)

    def compile(self, schema):
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise Unsupported(repr(schema))
        known = self.compiled.get(id(schema))
        if known is not None:
            return known
        cell: list = []  # a $ref cycle reaches this schema again before it is compiled
        self.compiled[id(schema)] = lambda value: cell[0](value)
        checks = []
        for keyword, argument in schema.items():
            if keyword in _ANNOTATIONS or keyword.startswith("x-") or keyword in _OBJECT_KEYWORDS \
                    or keyword in _ARRAY_KEYWORDS or keyword in _STRING_KEYWORDS \
                    or keyword in _NUMBER_KEYWORDS or keyword in ("then", "else"):
                continue
            if keyword == "if":   # with its `then` and `else` (each true when absent)
                checks.append(self._if(argument, schema.get("then", True), schema.get("else", True)))
                continue
            checks.append(self._keyword(keyword, argument))
        if _OBJECT_KEYWORDS & schema.keys():
            checks.append(self._object(schema))
        if _ARRAY_KEYWORDS & schema.keys():
            checks.append(self._array(schema))
        if _STRING_KEYWORDS & schema.keys():
            checks.append(self._string(schema))
        if _NUMBER_KEYWORDS & schema.keys():
            checks.append(self._number(schema))
        compiled = _all(checks)
        cell.append(compiled)
        self.compiled[id(schema)] = compiled
        return compiled

    def _keyword(self, keyword: str, argument):
        if keyword == "type":
            tests = [_TYPE_TESTS[name] for name in ([argument] if isinstance(argument, str) else argument)]
            return tests[0] if len(tests) == 1 else (lambda value: any(test(value) for test in tests))
        if keyword in ("enum", "const"):
            options = argument if keyword == "enum" else [argument]
            if not all(isinstance(option, str) for option in options):
                raise Unsupported(keyword)  # jsonschema's equality of 1, 1.0 and True is subtle
            allowed = frozenset(options)
            return lambda value: isinstance(value, str) and value in allowed
        if keyword == "format":
            check = self.formats.get(argument)
            if check is None:
                raise Unsupported(f"format {argument}")  # jsonschema knows it, or ignores it
            return check
        if keyword == "$ref":
            return self._ref(argument)
        if keyword == "allOf" and isinstance(argument, list):
            return _all([self.compile(sub) for sub in argument])
        raise Unsupported(keyword)

    def _if(self, condition, then, otherwise):
        test, yes, no = self.compile(condition), self.compile(then), self.compile(otherwise)
        return lambda value: yes(value) if test(value) else no(value)

    def _ref(self, reference: str):
        target = local_ref(self.root, reference)
        if target is None:
            raise Unsupported(reference)
        return self.compile(target)

    def _object(self, schema: dict):
        properties = {key: self.compile(sub) for key, sub in (schema.get("properties") or {}).items()}
        required = tuple(schema.get("required", ()))
        extra = schema.get("additionalProperties", True)
        extra_check = None if extra is True or extra is False else self.compile(extra)
        closed = extra is False
        names = self.compile(schema["propertyNames"]) if "propertyNames" in schema else None
        least = schema.get("minProperties", 0)
        most = schema.get("maxProperties")

        def check(value) -> bool:
            if not isinstance(value, dict):
                return True
            for key in required:
                if key not in value:
                    return False
            if len(value) < least or (most is not None and len(value) > most):
                return False
            for key, item in value.items():
                if names is not None and not names(key):
                    return False
                sub = properties.get(key)
                if sub is not None:
                    if not sub(item):
                        return False
                elif closed or (extra_check is not None and not extra_check(item)):
                    return False
            return True
        return check

    def _array(self, schema: dict):
        items = self.compile(schema["items"]) if "items" in schema else None
        unique = schema.get("uniqueItems", False)
        least = schema.get("minItems", 0)
        most = schema.get("maxItems")

        def check(value) -> bool:
            if not isinstance(value, list):
                return True
            if len(value) < least or (most is not None and len(value) > most):
                return False
            if unique and not (all(isinstance(item, str) for item in value)
                               and len(set(value)) == len(value)):
                return False  # not strings: let jsonschema decide what "equal" means
            return items is None or all(items(item) for item in value)
        return check

    def _string(self, schema: dict):
        pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
        least = schema.get("minLength", 0)
        most = schema.get("maxLength")

        def check(value) -> bool:
            if not isinstance(value, str):
                return True
            if len(value) < least or (most is not None and len(value) > most):
                return False
            return pattern is None or pattern.search(value) is not None
        return check

    def _number(self, schema: dict):
        bounds = [(schema.get("minimum"), lambda value, bound: value >= bound),
                  (schema.get("maximum"), lambda value, bound: value <= bound),
                  (schema.get("exclusiveMinimum"), lambda value, bound: value > bound),
                  (schema.get("exclusiveMaximum"), lambda value, bound: value < bound)]
        bounds = [(bound, test) for bound, test in bounds if bound is not None]
        if not all(_is_number(bound) for bound, _ in bounds):
            raise Unsupported("bound")

        def check(value) -> bool:
            return not _is_number(value) or all(test(value, bound) for bound, test in bounds)
        return check
