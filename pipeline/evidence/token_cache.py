"""Verified timestamp tokens, remembered in `.git/pengaduan/token-cache.json`.

A workflow stamps on every push, so a busy repository holds tens of thousands of tokens, and each
verification (signature, chain, key usage, imprint) costs about half a millisecond. What a
verification says depends only on the token's bytes, the list's bytes, the CAs it may chain to
(and how far each is trusted) and the verifier: the key is exactly those (`token blob id`,
`list blob id`, a digest of the CA fingerprints with their trust, `VERSION`), so a cached result
is reused only when nothing it depends on changed. The token's time is its own genTime and
certificates are checked at that time, never at "now": the result does not age. Deleting the
file means verifying everything again; a repository that cannot be written to is only read.
"""
from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from pipeline.evidence import git
from pipeline.evidence.git import GitError

VERSION = "1"   # bump when what a verification checks changes
NAME = "pengaduan/token-cache.json"


def _verifier_version() -> str:
    try:
        from importlib.metadata import version
        return f"{VERSION}/rfc3161-client {version('rfc3161-client')}"
    except Exception:  # noqa: BLE001 (metadata missing: still a version, just coarser)
        return VERSION


class Cache:
    def __init__(self, repo: Path, anchors: list):
        trust = sorted(f"{anchor.fingerprint}:{anchor.trust}" for anchor in anchors)
        self.ca_key = hashlib.sha256(("\n".join(trust) + "\n" + _verifier_version()).encode()).hexdigest()[:32]
        self.path = self._locate(repo)
        self.entries: dict = {}
        self.changed = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8")) if self.path else {}
            if isinstance(data, dict):
                self.entries = data
        except (OSError, ValueError):
            self.entries = {}
        self.hits = 0

    @staticmethod
    def _locate(repo: Path) -> Path | None:
        try:
            where = git.run(repo, "rev-parse", "--git-path", NAME).decode().strip()
        except GitError:
            return None
        return Path(where) if os.path.isabs(where) else repo / where

    def _key(self, token_sha: str, list_sha: str | None) -> str:
        return f"{token_sha}:{list_sha or '-'}:{self.ca_key}"

    def has(self, token_sha: str, list_sha: str | None) -> bool:
        return self._key(token_sha, list_sha) in self.entries

    def get(self, token_sha: str, list_sha: str | None) -> list | None:
        found = self.entries.get(self._key(token_sha, list_sha))
        if found is not None:
            self.hits += 1
        return found

    def put(self, token_sha: str, list_sha: str | None, token) -> None:
        self.entries[self._key(token_sha, list_sha)] = [
            token.valid, token.gen_time.isoformat() if token.gen_time else None, token.tsa, token.reason,
            token.unknown_ca, token.ca]
        self.changed = True

    def save(self) -> None:
        if not self.changed or self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(self.entries, separators=(",", ":")), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass   # a read-only repository: verified again next time


def fields(entry: list) -> dict:
    """A cached entry as Token keyword arguments."""
    valid, gen_time, tsa, reason, unknown_ca, ca = entry
    return {"valid": valid, "gen_time": datetime.fromisoformat(gen_time) if gen_time else None, "tsa": tsa,
            "reason": reason, "unknown_ca": unknown_ca, "ca": ca}
