"""Trusted timestamps (RFC 3161) kept in git, verified offline whenever they are read.

Where: the branch `pengaduan-stempel` (and `origin/pengaduan-stempel` when only the remote has
it), one folder per stamping run:

    stempel/<UTC time>-<digest>/daftar.txt     the blob ids stamped (sorted, one per line)
    stempel/<UTC time>-<digest>/<tsa>.tsr      one TimeStampResp per TSA, over SHA-256(daftar.txt)

Why a branch and not a notes ref: every clone and `actions/checkout` with `fetch-depth: 0` fetch
branches (notes must be asked for by name), GitHub shows and protects branches (a protection rule
can forbid deleting or force-pushing the stamps), and a branch is the same thing on Gitea and
Forgejo. Why blob ids: a version's blob id is its content, so a rebase, a squash or a merge that
keeps the file keeps its proof; one token covers every version stamped in a run.

A token proves something only when, offline: it parses; its signature verifies; the signing
certificate chains to a CA configured in `puskesmas.yaml` (`bukti.tsa[].ca`, kept in the
repository) or given with `--tsa-ca`, and was valid at the token's time; it carries the critical
extended key usage timeStamping; and its imprint is the SHA-256 of the stored list. A token that
fails any of these proves nothing and is reported (`Token.reason`, Indonesian).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipeline.evidence import git
from pipeline.evidence.git import GitError
from pipeline.records.policy import Policy

BRANCH = "pengaduan-stempel"
REFS = (f"refs/heads/{BRANCH}", f"refs/remotes/origin/{BRANCH}")
FOLDER = "stempel"
LIST_NAME = "daftar.txt"
_BLOB_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class StampError(GitError):
    """A CA file, a URL or a TSA's answer that cannot be used: the message says what to do.
    (A GitError: every command that reads the evidence already stops on it with exit 2.)"""


@dataclass
class Authority:
    """A TSA the repository trusts: its CA certificates (roots and intermediates)."""
    name: str
    url: str | None
    ca_path: str
    roots: list = field(default_factory=list)
    intermediates: list = field(default_factory=list)

    def verifier(self, nonce: int | None = None):
        from rfc3161_client.verify import VerifierBuilder
        return VerifierBuilder(roots=list(self.roots), intermediates=list(self.intermediates),
                               nonce=nonce).build()


def load_authority(repo: Path, ca: str, url: str | None = None, name: str | None = None) -> Authority:
    """The CA certificate file `ca` (PEM; relative to the repository unless absolute)."""
    from cryptography import x509
    path = Path(ca) if Path(ca).is_absolute() else repo / ca
    try:
        certs = x509.load_pem_x509_certificates(path.read_bytes())
    except OSError as err:
        why = "berkasnya tidak ada" if isinstance(err, FileNotFoundError) else err.strerror
        raise StampError(f"sertifikat CA TSA '{path}' tidak dapat dibaca ({why}). Simpan sertifikat CA "
                         "(PEM) di repositori dan tulis path-nya di bukti.tsa[].ca, atau periksa "
                         "path --tsa-ca.") from None
    except ValueError:
        raise StampError(f"'{ca}' bukan sertifikat PEM (harus diawali `-----BEGIN CERTIFICATE-----`). "
                         "Unduh sertifikat CA dari situs TSA dalam format PEM.") from None
    roots = [cert for cert in certs if cert.issuer == cert.subject]
    intermediates = [cert for cert in certs if cert.issuer != cert.subject]
    label = name or _common_name(certs[0].subject) or url or ca
    return Authority(label, url, ca, roots or certs[:1], intermediates if roots else certs[1:])


def authorities(repo: Path, policy: Policy | None, extra_ca: list | None = None) -> list[Authority]:
    """The TSAs of the policy (`bukti.tsa`) and the CA files given on the command line."""
    found = [load_authority(repo, entry.ca, entry.url, entry.name or None)
             for entry in (policy.timestamp_authorities if policy is not None else [])]
    return found + [load_authority(repo, str(Path(ca).resolve())) for ca in extra_ca or []]  # as given: from here


def _common_name(name) -> str | None:
    from cryptography.x509.oid import NameOID
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else None


@dataclass
class Token:
    stamp: str                  # the run's folder name
    path: str                   # the token's path on the stamp branch
    blobs: list                 # blob ids it covers (as listed; empty if the list is unreadable)
    gen_time: datetime | None   # the TSA's time (only when valid)
    tsa: str | None             # which configured TSA verified it
    valid: bool
    reason: str = ""            # why it proves nothing (Indonesian)


@dataclass
class Proof:
    gen_time: datetime
    tsa: str


class Proofs:
    """Valid tokens per blob id, and the blob ids named by tokens that failed verification."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.proven: dict[str, Proof] = {}
        self.invalid: set[str] = set()
        for token in tokens:
            if not token.valid:
                self.invalid.update(token.blobs)
                continue
            for blob in token.blobs:
                known = self.proven.get(blob)
                if known is None or token.gen_time < known.gen_time:
                    self.proven[blob] = Proof(token.gen_time, token.tsa)

    def earliest(self, blobs) -> Proof | None:
        found = [self.proven[blob] for blob in blobs if blob in self.proven]
        return min(found, key=lambda proof: proof.gen_time) if found else None

    def has_invalid(self, blobs) -> bool:
        return bool(self.invalid) and any(blob in self.invalid for blob in blobs)

    def stamped_by(self, authority: Authority) -> set[str]:
        return {blob for token in self.tokens if token.valid and token.tsa == authority.name
                for blob in token.blobs}


def stamp_refs(repo: Path) -> list[str]:
    """The stamp branch refs that exist here (local first)."""
    listed = git.run(repo, "for-each-ref", "--format=%(refname)", *REFS).decode().split()
    return [ref for ref in REFS if ref in listed]


def read_tokens(repo: Path, trusted: list[Authority]) -> list[Token]:
    """Every token on the stamp branch (local and remote-tracking), each verified."""
    files: dict[str, str] = {}   # path -> blob id (a path can differ between the two refs: both kept)
    for ref in stamp_refs(repo):
        listed = git.run(repo, "ls-tree", "-r", "-z", "--full-tree", ref, "--", FOLDER)
        for entry in listed.split(b"\0"):
            meta, _, path = entry.partition(b"\t")
            if path:
                sha = meta.split(b" ")[2].decode()
                name = path.decode("utf-8", "replace")
                files.setdefault(name if files.get(name, sha) == sha else f"{name}@{sha}", sha)
    contents = _read_blobs(repo, sorted(set(files.values())))
    runs: dict[str, dict] = {}
    for path, sha in files.items():
        parts = path.split("@")[0].split("/")
        if len(parts) == 3:
            runs.setdefault(parts[1], {})[path] = contents[sha]
    tokens = []
    for stamp, run in sorted(runs.items()):
        listing = run.get(f"{FOLDER}/{stamp}/{LIST_NAME}")
        blobs = _blob_list(listing)
        for path, raw in sorted(run.items()):
            if path.split("@")[0].endswith(".tsr"):
                tokens.append(check_token(stamp, path, raw, listing, blobs, trusted))
    return tokens


def _blob_list(listing: bytes | None) -> list[str]:
    if listing is None:
        return []
    lines = listing.decode("ascii", "replace").split("\n")
    blobs = [line for line in lines if line]
    return blobs if all(_BLOB_ID.fullmatch(blob) for blob in blobs) else []


def check_token(stamp: str, path: str, raw: bytes, listing: bytes | None, blobs: list,
                trusted: list[Authority]) -> Token:
    """Verify one stored token against the list it claims to stamp."""
    def invalid(reason: str) -> Token:
        return Token(stamp, path, blobs, None, None, False, reason)

    if listing is None or not blobs:
        return invalid(f"daftar versi {FOLDER}/{stamp}/{LIST_NAME} tidak ada atau rusak.")
    if not trusted:
        return invalid("tidak ada CA TSA yang dikonfigurasi (bukti.tsa di puskesmas.yaml atau "
                       "--tsa-ca): token tidak dapat diverifikasi.")
    from rfc3161_client import decode_timestamp_response
    from rfc3161_client.errors import VerificationError
    try:
        response = decode_timestamp_response(raw)
    except ValueError:
        return invalid("token rusak: bukan jawaban RFC 3161 yang dapat dibaca.")
    reasons = []
    for authority in trusted:
        try:
            authority.verifier().verify_message(response, listing)
        except (VerificationError, ValueError) as err:
            reasons.append(_explain(str(err)))
            continue
        return Token(stamp, path, blobs, response.tst_info.gen_time, authority.name, True)
    return invalid(min(reasons, key=_REASON_ORDER.index))


_REASONS = [
    ("Mismatch between messages", "isi token tidak cocok dengan daftar versinya (imprint berbeda): "
                                  "token untuk isi lain, atau daftarnya diubah."),
    ("certificate has expired", "sertifikat TSA tidak berlaku pada waktu token (kedaluwarsa)."),
    ("not yet valid", "sertifikat TSA belum berlaku pada waktu token."),
    ("EKU", "sertifikat penandatangan bukan sertifikat TSA (tanpa extended key usage timeStamping)."),
    ("issuer certificate", "token ditandatangani TSA di bawah CA lain, bukan CA yang dikonfigurasi."),
    ("signature", "tanda tangan token tidak sah (token diubah)."),
    ("PKIStatus", "TSA menolak permintaan (status bukan granted)."),
]
_REASON_ORDER = [text for _, text in _REASONS] + ["token tidak dapat diverifikasi."]


def _explain(error: str) -> str:
    """The verifier's English error as a reason for staff and auditors."""
    for needle, text in _REASONS:
        if needle.lower() in error.lower():
            return text
    return "token tidak dapat diverifikasi."


def _read_blobs(repo: Path, shas: list[str]) -> dict[str, bytes]:
    if not shas:
        return {}
    out, contents, at = git.run(repo, "cat-file", "--batch", stdin=("\n".join(shas) + "\n").encode()), {}, 0
    for sha in shas:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        contents[sha] = out[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1
    return contents


def read_proofs(repo: Path, policy: Policy | None, extra_ca: list | None = None) -> Proofs | None:
    """The verified proofs of the repository, or None when it has no stamp branch at all. The
    CA files are read either way: a wrong path is said now, not when the first token comes."""
    trusted = authorities(repo, policy, extra_ca)
    if not stamp_refs(repo):
        return None
    return Proofs(read_tokens(repo, trusted))
