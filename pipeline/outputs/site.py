"""What a site build needs besides Pelican: the project's own folder, whether an output folder may be
replaced, the site's address from the policy, and `BuildStopped` (invalid content: no site)."""
from __future__ import annotations

from pathlib import Path

from pipeline.records.problems import Problem, render, sort_key
from pipeline.records.policy import Policy


class BuildStopped(SystemExit):
    """The complaints (or the policy) are invalid: the site is not built. Carries the problems.

    A SystemExit on purpose: Pelican's own command line catches every Exception, logs it with a
    traceback and goes on to exit; this one passes through, so `pelican -s pelicanconf.py` too
    prints exactly the problems `pengaduan check` prints and exits with status 1, no traceback.
    `pengaduan build` catches it and prints the same report.
    """
    exitcode = 1

    def __init__(self, problems: list[Problem], files_checked: int):
        self.problems = sorted(problems, key=sort_key)
        self.files_checked = files_checked
        super().__init__(self.report() + "\nSitus TIDAK dibangun.")

    def report(self) -> str:
        return render(self.problems, "text", self.files_checked)


def project_root() -> Path:
    """The folder that holds pelicanconf.py, theme/ and schema/ of this project."""
    return Path(__file__).resolve().parents[2]


def output_is_replaceable(output: Path, repo: Path) -> str | None:
    """Why `output` must not be replaced by a build, or None when it may be."""
    output, repo = output.resolve(), repo.resolve()
    if output == repo or output in repo.parents or output == Path(output.anchor):
        return f"folder output '{output}' berisi repositori; pilih folder lain, mis. output/."
    for protected in ("content", "theme", "pipeline", "schema", ".git"):
        if output == repo / protected or (repo / protected) in output.parents:
            return f"folder output '{output}' ada di dalam {protected}/; pilih folder lain, mis. output/."
    if output.exists() and not output.is_dir():
        return f"'{output}' adalah berkas, bukan folder."
    if output.is_dir() and any(output.iterdir()) and not (output / "index.html").is_file():
        return (f"folder output '{output}' sudah berisi berkas lain yang bukan hasil build situs; "
                "pilih folder kosong atau folder output sebelumnya.")
    return None


def policy_base_url(policy: Policy) -> str | None:
    """The site's absolute URL according to the policy (`puskesmas.website`, else
    `kanal.website.url`), or None."""
    for candidate in (policy.identity.website, policy.website_url):
        if isinstance(candidate, str) and candidate.startswith(("http://", "https://")):
            return candidate.rstrip("/")
    return None
