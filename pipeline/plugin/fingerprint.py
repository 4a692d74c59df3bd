"""The fingerprint of everything a site build reads, taken before Pelican is even imported.

When it equals the fingerprint of the build that made the output, and the output is still exactly
the files that build wrote (`SiteWriter.intact`), building again would write the same bytes: the
build stops there (a rebuild with nothing changed takes a fraction of a second at 10,000
complaints). Anything not certainly the same gives no fingerprint, and the build runs.

What it covers: every file under content/ (complaints and staff pages, by their bytes), the
web editor's admin/, the policy, the Pelican settings files, the theme, the schemas, this
program's own source, every installed distribution with its version (`installed`: Pagefind or
the timestamp library upgraded is a new build too), the environment variables a build reads,
`--now`, and every git ref (the evidence and "now" come from the history; without a commit and
without `--now` "now" is the clock, and there is no fingerprint).
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

METADATA = (".dist-info", ".egg-info")


def installed() -> bytes:
    """The names of the metadata folders of every distribution this program can import from (name
    and version: `pelican-4.11.0.dist-info`), without reading them (importlib.metadata took 17 ms to
    import and read eight versions, and covered only those eight)."""
    names: set[str] = set()
    for folder in sys.path:
        try:
            names.update(name for name in os.listdir(folder or ".") if name.endswith(METADATA))
        except OSError:
            continue
    return "\0".join(sorted(names)).encode("utf-8", "surrogateescape")


def _git_refs(repo: Path) -> bytes | None:
    from pipeline.evidence.git import GitError, run
    try:
        return run(repo, "rev-parse", "--verify", "-q", "HEAD^{commit}") + b"\0" + \
            run(repo, "rev-parse", "--is-shallow-repository") + b"\0" + \
            run(repo, "for-each-ref", "--format=%(objectname) %(refname)")
    except GitError:
        return None


def _add_tree(digest, folder: Path, suffixes: tuple | None = None) -> None:
    digest.update(b"tree\0" + str(folder).encode() + b"\0")
    if not folder.is_dir():
        return
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        dirs[:] = [name for name in dirs if name != "__pycache__"]
        for name in sorted(names):
            if suffixes is not None and not name.endswith(suffixes):
                continue
            path = os.path.join(root, name)
            digest.update(os.path.relpath(path, folder).encode("utf-8", "surrogateescape") + b"\0")
            try:
                with open(path, "rb") as stream:
                    digest.update(hashlib.sha1(stream.read()).digest())
            except OSError:
                digest.update(b"?")


def _add_content(digest, repo: Path, in_git: bool) -> None:
    """content/: in git, the index's blob ids plus the bytes of every file git sees as changed or
    untracked (git compares the files with its index); else every file's bytes."""
    from pipeline.evidence.git import GitError, run
    if in_git:
        try:
            listed = run(repo, "ls-files", "-s", "-z", "--", "content")
            changed = run(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all",
                          "--ignored=no", "--", "content")
            # (status names files from the work tree's top: the site may be a folder inside it)
            prefix = run(repo, "rev-parse", "--show-prefix").strip()
        except GitError:
            listed = changed = None
        if listed is not None:
            digest.update(b"index\0" + listed + b"\0status\0" + changed)
            for entry in changed.split(b"\0"):
                if len(entry) > 3:
                    name = entry[3:][len(prefix):] if entry[3:].startswith(prefix) else entry[3:]
                    path = repo / name.decode("utf-8", "surrogateescape")
                    digest.update(entry + b"\0")
                    try:
                        digest.update(hashlib.sha1(path.read_bytes()).digest() if path.is_file() else b"-")
                    except OSError:
                        digest.update(b"?")
            return
    _add_tree(digest, repo / "content")


def fingerprint(repo: Path, settings_file: Path, theme: Path, project: Path, now=None,
                production: bool = False) -> str | None:
    """The fingerprint of a build of `repo` (None: none can be trusted; build)."""
    refs = _git_refs(repo)
    if refs is None and now is None:
        return None
    digest = hashlib.sha256(f"1\0{sys.version}\0{now.isoformat() if now else ''}\0{production}\0".encode())
    digest.update(refs or b"no git")
    digest.update(b"installed\0" + installed() + b"\0")
    for name, value in sorted(os.environ.items()):
        if name == "SITEURL" or name.startswith("PENGADUAN"):
            digest.update(f"{name}={value}\0".encode("utf-8", "surrogateescape"))
    for path in (settings_file, settings_file.parent / "pelicanconf.py", repo / "puskesmas.yaml"):
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"-")
    _add_content(digest, repo, refs is not None)
    _add_tree(digest, repo / "admin")          # the web editor, copied to /admin/ (plugin.editor)
    _add_tree(digest, theme)
    _add_tree(digest, project / "theme")
    _add_tree(digest, project / "schema")
    _add_tree(digest, project / "pipeline", (".py",))
    return digest.hexdigest()
