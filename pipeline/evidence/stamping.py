"""Asking TSAs for tokens and keeping them on the stamp branch (see `stamps` for the layout).

The branch is written with git's plumbing (a temporary index, `commit-tree`, `update-ref`): the
working tree and the checked-out branch are never touched. A push that is refused because
another run pushed first is retried on top of the remote branch (the runs' folders never clash).
"""
from __future__ import annotations

import hashlib
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from pipeline.evidence.stamps import BRANCH, FOLDER, LIST_NAME, REFS, Authority, StampError, stamp_refs
from pipeline.evidence import git
from pipeline.evidence.git import GitError

TIMEOUT = 60  # seconds for one TSA request, its whole answer included
MAX_REPLY_BYTES = 1 << 20   # a token with its certificates is some 5 to 20 KB
_IDENTITY = {"GIT_AUTHOR_NAME": "pengaduan stempel", "GIT_AUTHOR_EMAIL": "stempel@pengaduan.invalid",
             "GIT_COMMITTER_NAME": "pengaduan stempel", "GIT_COMMITTER_EMAIL": "stempel@pengaduan.invalid"}


def listing(blobs) -> bytes:
    """The stamped content: the blob ids, sorted, one per line."""
    return "".join(f"{blob}\n" for blob in sorted(set(blobs))).encode("ascii")


def request_token(url: str, message: bytes, authority: Authority) -> bytes:
    """The TSA's DER TimeStampResp over SHA-256(message), verified against the authority's CA
    (and the request's nonce) before it is kept."""
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder, decode_timestamp_response
    from rfc3161_client.errors import VerificationError
    if not url.startswith(("http://", "https://")):
        raise StampError(f"alamat TSA `{url}` tidak sah: tulis alamat lengkap yang diawali http:// "
                         "atau https://, mis. https://freetsa.org/tsr.")
    request = (TimestampRequestBuilder().data(message).hash_algorithm(HashAlgorithm.SHA256)
               .nonce(nonce=True).cert_request(cert_request=True).build())
    http = urllib.request.Request(url, data=request.as_bytes(), method="POST",
                                  headers={"Content-Type": "application/timestamp-query"})
    try:
        with urllib.request.urlopen(http, timeout=TIMEOUT / 3) as answer:  # noqa: S310 (scheme checked)
            raw = _read_capped(answer, url, time.monotonic() + TIMEOUT)
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", None) or err
        raise StampError(f"TSA {url} tidak dapat dihubungi ({reason}). Periksa alamatnya dan "
                         "koneksi internet, lalu jalankan lagi.") from None
    try:
        response = decode_timestamp_response(raw)
    except ValueError:
        raise StampError(f"jawaban TSA {url} bukan token RFC 3161. Periksa alamatnya (biasanya "
                         "berakhiran /tsr atau sejenisnya).") from None
    try:
        authority.verifier(nonce=request.nonce).verify_message(response, message)
    except (VerificationError, ValueError) as err:
        from pipeline.evidence.stamps import _explain
        raise StampError(f"token dari TSA {url} tidak sah untuk CA '{authority.ca_path}': "
                         f"{_explain(str(err))}") from None
    return raw


def _read_capped(answer, url: str, deadline: float) -> bytes:
    """The answer's bytes, refused when it is bigger than any token or still coming at the
    deadline (a wrong URL may stream a big download, or a server drip bytes for ever)."""
    chunks, size = [], 0
    while chunk := answer.read1(64 * 1024):
        size += len(chunk)
        if size > MAX_REPLY_BYTES:
            raise StampError(f"jawaban TSA {url} lebih dari {MAX_REPLY_BYTES // (1 << 20)} MB: bukan token "
                             "RFC 3161. Periksa alamatnya (biasanya berakhiran /tsr atau sejenisnya).")
        if time.monotonic() > deadline:
            raise StampError(f"TSA {url} tidak selesai menjawab dalam {TIMEOUT} detik. Coba lagi nanti, "
                             "atau pakai TSA lain.")
        chunks.append(chunk)
    return b"".join(chunks)


def run_name(message: bytes, now: datetime | None = None) -> str:
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{hashlib.sha256(message).hexdigest()[:16]}"


def file_name(authority: Authority, index: int) -> str:
    safe = "".join(char if char.isalnum() or char in "-_." else "-" for char in authority.name.lower())
    return f"{index + 1:02d}-{safe.strip('-') or 'tsa'}.tsr"


def _git(repo: Path, *args: str, data: bytes | None = None, env: dict | None = None) -> str:
    return git.run(repo, *args, stdin=data, env={**_IDENTITY, **(env or {})}).decode().strip()


def store(repo: Path, files: dict[str, bytes], message: str, base: str | None = None) -> str:
    """Add `files` (paths on the stamp branch) in one commit on top of `base` (default: the
    branch as it is here, else the remote's); the local branch then points at it."""
    if base is None:
        existing = stamp_refs(repo)
        base = _git(repo, "rev-parse", existing[0]) if existing else None
    with tempfile.TemporaryDirectory(prefix="pengaduan-stempel-") as work:
        env = {"GIT_INDEX_FILE": str(Path(work) / "index")}
        if base:
            _git(repo, "read-tree", base, env=env)
        for path, data in files.items():
            sha = _git(repo, "hash-object", "-w", "--stdin", data=data)
            _git(repo, "update-index", "--add", "--cacheinfo", f"100644,{sha},{path}", env=env)
        tree = _git(repo, "write-tree", env=env)
    commit = _git(repo, "commit-tree", tree, *(["-p", base] if base else []), "-m", message)
    _git(repo, "update-ref", REFS[0], commit)
    return commit


def push(repo: Path, files: dict[str, bytes], message: str, remote: str = "origin", tries: int = 3) -> None:
    """Push the stamp branch; when another run pushed first, add our files on top of theirs."""
    for attempt in range(tries):
        try:
            _git(repo, "push", "-q", remote, f"{REFS[0]}:{REFS[0]}")
            return
        except GitError as err:
            if attempt == tries - 1:
                raise StampError(f"cabang {BRANCH} tidak dapat di-push ke {remote}: {err}") from None
        try:
            _git(repo, "fetch", "-q", remote, f"+{REFS[0]}:refs/remotes/{remote}/{BRANCH}")
        except GitError as err:
            raise StampError(f"cabang {BRANCH} tidak dapat diambil dari {remote}: {err}") from None
        store(repo, files, message, base=_git(repo, "rev-parse", f"refs/remotes/{remote}/{BRANCH}"))


def run_files(name: str, message: bytes, tokens: list[tuple[Authority, int, bytes]]) -> dict[str, bytes]:
    files = {f"{FOLDER}/{name}/{LIST_NAME}": message}
    files.update({f"{FOLDER}/{name}/{file_name(authority, index)}": raw for authority, index, raw in tokens})
    return files
