"""The privacy gate's search of the site's file paths (`gate.scan`): a file's path is its address
on the site, as public as its text. A page whose slug is a reporter's name ("dian-puspitasari")
names her in its address and the sitemap's links though its text never does."""
from __future__ import annotations

import hashlib

from pipeline.outputs.gatetext import built_text, matches


def paths_text(paths: list[str]) -> str:
    """The paths as the gate searches them (`built_text`), each apart: `matches` reads the other
    signs a slug puts between words as spaces (`gatetext.apart`), this "+" too."""
    joined = " \x00 ".join(paths)
    return built_text(joined + " \x00 " + joined.replace("+", " ") if "+" in joined else joined)


def paths_digest(paths: list[str]) -> str:
    """The name of a set of paths in the gate's state (apart from any file's bytes)."""
    return hashlib.sha256("\0".join(["paths"] + sorted(paths)).encode("utf-8", "surrogatepass")).hexdigest()


def search_paths(paths: list[str], finders: dict, clean: set) -> tuple[list[tuple[str, str]], str | None]:
    """((path, value) of each value found in `paths`; the digest of the paths to keep as found
    clean, when none was). `finders`: the scan's ("all", "added"); paths whose digest is in `clean`
    (found clean before) are searched only for the values added since, unless their shortlist
    rules the paths out (a slug's signs made spaces make no letter, and join no digits it does
    not). One search of all paths at once: each path alone only when it finds one."""
    digest = paths_digest(paths)
    which = "added" if digest in clean else "all"
    finder, shortlist = finders[which], finders.get("shortlists", {}).get(which)
    if finder is None or (shortlist is not None and not shortlist.may_hold(" \x00 ".join(paths))) or \
            next(matches(finder, paths_text(paths)), None) is None:
        return [], digest
    return [(path, needle) for path in paths for needle in set(matches(finder, paths_text([path])))], None
