"""The one place that runs `git`: every command, the history reader and the demo go through here.

`run` runs one git command and returns its output; `succeeds` asks a yes/no question (does this
commit exist?); `start` starts a long-running git (the history's `git log` and `git cat-file
--batch`) whose pipes the caller reads. Whatever goes wrong is a `GitError` with an Indonesian
message that quotes git's own words: commands print it and exit with status 2 (or 1 where the
command says so).
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path


class GitError(Exception):
    """git could not do what was asked (not a repository, unknown ref, git missing ...)."""


NOT_INSTALLED = "perintah `git` tidak ditemukan; pasang git terlebih dahulu."


def failure(args, stderr: bytes | str) -> GitError:
    """The error of a git command that exited with an error, with git's message."""
    said = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    said = said.strip()
    return GitError(f"perintah `git {_subcommand(args)}` gagal" + (f": {said}" if said else "."))


def _subcommand(args) -> str:
    """`commit` of `-c user.name=X commit -m ...`."""
    words = iter(args)
    for word in words:
        if word == "-c":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return ""


def _command(repo: Path, args) -> list[str]:
    return ["git", "-C", str(repo), *args]


def _environment(env: dict | None) -> dict | None:
    return None if env is None else {**os.environ, **env}


def run(repo: Path, *args: str, stdin: bytes | None = None, env: dict | None = None) -> bytes:
    """The standard output of `git -C repo args...`; GitError when it fails. `env`: variables
    added to the environment (e.g. GIT_AUTHOR_DATE)."""
    try:
        done = subprocess.run(_command(repo, args), input=stdin, capture_output=True, check=False,
                              env=_environment(env))
    except FileNotFoundError:
        raise GitError(NOT_INSTALLED) from None
    if done.returncode != 0:
        raise failure(args, done.stderr)
    return done.stdout


def text(repo: Path, *args: str, env: dict | None = None) -> str:
    """`run`, decoded as UTF-8."""
    return run(repo, *args, env=env).decode("utf-8", "surrogateescape")


def succeeds(repo: Path, *args: str, env: dict | None = None) -> bool:
    """Whether the git command exits with status 0 (a question, e.g. `cat-file -e SHA`)."""
    try:
        return subprocess.run(_command(repo, args), capture_output=True, check=False,
                              env=_environment(env)).returncode == 0
    except FileNotFoundError:
        raise GitError(NOT_INSTALLED) from None


def start(repo: Path, *args: str, **pipes) -> subprocess.Popen:
    """A git process left running, with the pipes asked for (stdin=, stdout=, stderr=)."""
    try:
        return subprocess.Popen(_command(repo, args), **pipes)
    except FileNotFoundError:
        raise GitError(NOT_INSTALLED) from None


def read_blobs(repo: Path, shas: list[str], env: dict | None = None) -> dict[str, bytes]:
    """{blob id: bytes} of the blobs `shas`, all read by one `git cat-file --batch`."""
    if not shas:
        return {}
    out, contents, at = run(repo, "cat-file", "--batch", stdin=("\n".join(shas) + "\n").encode(), env=env), {}, 0
    for sha in shas:
        header_end = out.index(b"\n", at)
        header = out[at:header_end].split()
        if len(header) != 3:
            raise GitError(f"objek git {sha} tidak ada di repositori (`git cat-file`: "
                           f"{out[at:header_end].decode('utf-8', 'replace')}).")
        size = int(header[2])
        contents[sha] = out[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1
    return contents


def output_later(repo: Path, *args: str, stdin: bytes | None = None):
    """`run`, as a function to call when its output is needed: git starts now and writes into a
    temporary file while the caller goes on. The function raises GitError as `run` would."""
    output, errors = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    given = None
    try:
        if stdin is not None:   # (from a file: nothing waits for git to read it)
            given = tempfile.TemporaryFile()
            given.write(stdin)
            given.seek(0)
        process = start(repo, *args, stdin=given if given is not None else subprocess.DEVNULL,
                        stdout=output, stderr=errors)
    except GitError:
        output.close()
        errors.close()
        raise
    finally:
        if given is not None:
            given.close()

    def result() -> bytes:
        with output, errors:
            if process.wait() != 0:
                errors.seek(0)
                raise failure(args, errors.read())
            output.seek(0)
            return output.read()
    return result


def clean_blob_ids(repo: Path, folder: str) -> dict[str, str]:
    """{str(repo / path): git blob id} of the regular files under `folder` whose bytes are the ones
    git's index holds: a file's blob id without reading it (git compares the working tree with
    its index by stat, and by content where a timestamp is racy). Changed, untracked, conflicted
    and non-regular files are left out (their bytes must be read); {} outside a git repository."""
    return clean_blob_ids_later(repo, folder)()


def clean_blob_ids_later(repo: Path, folder: str):
    """`clean_blob_ids` as a function to call when they are needed: both gits start now (the site
    build reads its cache meanwhile)."""
    try:
        listing = output_later(repo, "ls-files", "-s", "-z", "--", folder)
        changes = output_later(repo, "diff-files", "--relative", "--name-only", "-z", "--", folder)
    except GitError:
        return dict

    def result() -> dict[str, str]:
        try:
            listed, changed = listing(), set(changes().split(b"\0"))
        except GitError:
            return {}
        found: dict[str, str] = {}
        root = str(repo)   # (joined as text: `str(repo / name)` of 10,000 names took 0.05 s)
        for entry in listed.split(b"\0"):
            info, _, name = entry.partition(b"\t")
            fields = info.split()
            # "<mode> <blob id> <stage>": regular files (not links or submodules) outside a conflict
            if len(fields) != 3 or fields[0] not in (b"100644", b"100755") or fields[2] != b"0" or name in changed:
                continue
            found[os.path.join(root, name.decode("utf-8", "surrogateescape"))] = fields[1].decode()
        return found
    return result
