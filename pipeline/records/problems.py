"""Problems found in a user's file, and the three ways we print them.

Every message names the file, the line and the field, in Indonesian, and says how to fix it.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    path: str            # as the user sees it: relative to the repository, with "/"
    line: int            # 1-based line in the file
    column: int          # 1-based column
    message: str         # what is wrong (Indonesian)
    hint: str = ""       # how to fix it (Indonesian)
    field: str = ""      # dotted field name, e.g. "tanggapan.isi"
    severity: str = "error"  # "error" stops a check or a build; "warning" does not

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_text(self) -> str:
        label = "galat" if self.is_error else "peringatan"
        where = f"{self.path}:{self.line}:{self.column}"
        field = f" [{self.field}]" if self.field else ""
        hint = f" Saran: {self.hint}" if self.hint else ""
        return f"{where}: {label}{field}: {self.message}{hint}"

    def as_github(self) -> str:
        # https://docs.github.com/actions/reference/workflow-commands-for-github-actions
        kind = "error" if self.is_error else "warning"
        title = f"Pengaduan: {self.field}" if self.field else "Pengaduan"
        text = self.message + (f" Saran: {self.hint}" if self.hint else "")
        return (f"::{kind} file={_escape_property(self.path)},line={self.line},"
                f"col={self.column},title={_escape_property(title)}::{_escape_data(text)}")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def sort_key(problem: Problem):
    return (problem.path, problem.line, problem.column, problem.message)


def render(problems: list[Problem], fmt: str, files_checked: int) -> str:
    """Render problems as text for people, GitHub annotations, or JSON for machines."""
    problems = sorted(problems, key=sort_key)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if fmt == "json":
        return json.dumps({"files": files_checked, "errors": errors, "warnings": warnings,
                           "problems": [asdict(p) for p in problems]},
                          ensure_ascii=False, indent=2)
    lines = [p.as_github() if fmt == "github" else p.as_text() for p in problems]
    if fmt == "text":
        if errors:
            lines.append(f"{files_checked} berkas diperiksa: {errors} galat, {warnings} peringatan.")
        else:
            lines.append(f"{files_checked} berkas diperiksa: semua sah"
                         + (f" ({warnings} peringatan)." if warnings else "."))
    return "\n".join(lines)
