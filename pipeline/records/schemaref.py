"""Local `$ref`s of our JSON Schemas (`#/$defs/waktu`): the one resolver that validation, the fast
path, the privacy allowlist and the open data's field list all use."""
from __future__ import annotations

MAX_HOPS = 20   # a $ref that leads to a $ref ... this many times is a loop


def local_ref(root: dict, reference: str):
    """The subschema a local reference (`#/...`, a JSON pointer) points at; None for any other
    reference and for a pointer that leads nowhere."""
    if not isinstance(reference, str) or not reference.startswith("#"):
        return None
    target = root
    for part in filter(None, reference[1:].split("/")):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or part not in target:
            return None
        target = target[part]
    return target


def follow_refs(schema, root: dict):
    """`schema` with its `$ref` followed (again, while the target has one), the referring
    schema's own keys kept over the target's. ValueError for a reference that cannot be followed."""
    for _ in range(MAX_HOPS):
        if not (isinstance(schema, dict) and "$ref" in schema):
            return schema
        target = local_ref(root, schema["$ref"])
        if not isinstance(target, dict):
            raise ValueError(f"$ref {schema['$ref']} cannot be followed (only local $refs to a schema)")
        schema = {**target, **{key: value for key, value in schema.items() if key != "$ref"}}
    raise ValueError(f"$ref loop: more than {MAX_HOPS} references in a row")
