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
certificate chains to a CA it may be checked against, and was valid at the token's time; it
carries the critical extended key usage timeStamping; its imprint is the SHA-256 of the stored
list; and that CA is trusted: pinned in `known_tsas` (public TSAs), or given by the auditor with
`--tsa-ca` (then only the auditor's). The CA files of `puskesmas.yaml` (`bukti.tsa[].ca`) are in
the repository the insider controls: a token that verifies only under one of them is
`unknown_ca` and proves nothing. A token that fails any of these is reported (`Token.reason`,
Indonesian) and labelled by its signing certificate's subject, never by a name the policy gives.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipeline.evidence import git, stampstate, token_cache
from pipeline.evidence.git import GitError
from pipeline.evidence.known_tsas import colons, fingerprint, known
from pipeline.records.policy import CA_MAX_BYTES, Policy
from pipeline.records.osreasons import os_reason
from pipeline.records.source import read_small_file

BRANCH = "pengaduan-stempel"
REFS = (f"refs/heads/{BRANCH}", f"refs/remotes/origin/{BRANCH}")
FOLDER = "stempel"
LIST_NAME = "daftar.txt"
_BLOB_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class StampError(GitError):
    """A CA file, a URL or a TSA's answer that cannot be used: the message says what to do.
    (A GitError: every command that reads the evidence already stops on it with exit 2.)"""


# Trust in one CA (`Authority.trust`): only "pinned" and "auditor" make a token a proof.
PINNED, AUDITOR, UNKNOWN = "pinned", "auditor", "unknown"
TRUST_WORDS = {PINNED: "TSA publik yang dikenal program (dipin)",
               AUDITOR: "diberikan auditor (--tsa-ca)",
               UNKNOWN: "TIDAK DIKENAL: hanya dari repositori, tidak membuktikan apa pun"}


@dataclass
class Authority:
    """A TSA CA: its certificates (roots and intermediates) and how far it is trusted."""
    name: str
    url: str | None
    ca_path: str
    roots: list = field(default_factory=list)
    intermediates: list = field(default_factory=list)
    trust: str = UNKNOWN
    fingerprint: str = ""      # of the one root (anchors() gives one Authority per root)
    subject: str = ""

    def verifier(self, nonce: int | None = None):
        from rfc3161_client.verify import VerifierBuilder
        return VerifierBuilder(roots=list(self.roots), intermediates=list(self.intermediates),
                               nonce=nonce).build()

    @property
    def trusted(self) -> bool:
        return self.trust in (PINNED, AUDITOR)


def load_authority(repo: Path, ca: str, url: str | None = None, name: str | None = None) -> Authority:
    """The CA certificate file `ca` (PEM; relative to the repository unless absolute)."""
    from cryptography import x509
    path = Path(ca) if Path(ca).is_absolute() else repo / ca
    try:
        data = read_small_file(path, CA_MAX_BYTES)
        certs = x509.load_pem_x509_certificates(data)
    except OSError as err:
        why = "berkasnya tidak ada" if isinstance(err, FileNotFoundError) else os_reason(err)
        raise StampError(f"sertifikat CA TSA '{path}' tidak dapat dibaca ({why}). Simpan sertifikat CA "
                         "(PEM) di repositori dan tulis path-nya di bukti.tsa[].ca, atau periksa "
                         "path --tsa-ca.") from None
    except ValueError:
        if b"-----BEGIN CERTIFICATE-----" in data:
            raise StampError(f"'{ca}' berisi `-----BEGIN CERTIFICATE-----`, tetapi sertifikatnya rusak. Unduh "
                             "ulang sertifikat CA dari situs TSA (format PEM) dan simpan tanpa mengubah isinya.") from None
        raise StampError(f"'{ca}' bukan sertifikat PEM (harus diawali `-----BEGIN CERTIFICATE-----`). "
                         "Unduh sertifikat CA dari situs TSA dalam format PEM.") from None
    roots = [cert for cert in certs if cert.issuer == cert.subject]
    intermediates = [cert for cert in certs if cert.issuer != cert.subject]
    label = name or _common_name(certs[0].subject) or url or ca
    return Authority(label, url, ca, roots or certs[:1], intermediates if roots else certs[1:])


def anchors(authority: Authority, trust: str | None = None) -> list[Authority]:
    """One Authority per root of a CA file, each with its fingerprint and trust: a token verified
    by one of them ends its chain at that root. An intermediate goes with a root only when it
    chains to it (a made-up "intermediate" beside a pinned root lends it nothing). `trust` None:
    pinned when the fingerprint is in known_tsas, else unknown."""
    found = []
    for root in authority.roots:
        chained, grew = [], True
        while grew:
            grew = False
            for cert in authority.intermediates:
                if cert not in chained and any(_issued_by(cert, issuer) for issuer in [root, *chained]):
                    chained.append(cert)
                    grew = True
        print_ = fingerprint(root)
        level = trust or (PINNED if known(print_) else UNKNOWN)
        found.append(Authority(_common_name(root.subject) or authority.name, authority.url, authority.ca_path,
                               [root], chained, level, print_, root.subject.rfc4514_string()))
    return found


def _issued_by(cert, issuer) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
        return True
    except Exception:  # noqa: BLE001 (InvalidSignature, an unsupported key type: not its issuer)
        return False


def authorities(repo: Path, policy: Policy | None, extra_ca: list | None = None) -> list[Authority]:
    """Every CA a token may chain to, one per root, with its trust. Without `extra_ca` (the
    auditor's --tsa-ca), the policy's CAs (`bukti.tsa[].ca`) are trusted only when pinned in
    known_tsas; with it, only the auditor's CAs are trusted (the policy's are still read, so a
    token under them is named `unknown_ca`, not "another CA")."""
    given = [anchor for ca in extra_ca or []   # as given: from here, not from the repository
             for anchor in anchors(load_authority(repo, str(Path(ca).resolve())), AUDITOR)]
    seen = {anchor.fingerprint for anchor in given}
    from_policy = []
    for index, entry in enumerate(policy.timestamp_authorities if policy is not None else []):
        try:
            authority = load_authority(repo, entry.ca, entry.url, entry.name or None)
        except StampError as err:
            raise StampError(f"puskesmas.yaml, kolom bukti.tsa[{index}].ca: {err} (`pengaduan check` "
                             "menunjukkan barisnya.)") from None
        for anchor in anchors(authority):
            if anchor.fingerprint not in seen:
                seen.add(anchor.fingerprint)
                if given:
                    anchor.trust = UNKNOWN
                from_policy.append(anchor)
    return given + from_policy


def _common_name(name) -> str | None:
    from cryptography.x509.oid import NameOID
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else None


@dataclass
class Token:
    stamp: str                  # the run's folder name
    path: str                   # the token's path on the stamp branch
    blobs: list                 # blob ids it covers (as listed; empty if the list is unreadable)
    gen_time: datetime | None   # the TSA's time (when its signature verified)
    tsa: str | None             # the signing certificate's subject (not a name the policy gives)
    valid: bool                 # it proves its time: verified, under a trusted CA
    reason: str = ""            # why it proves nothing (Indonesian)
    unknown_ca: bool = False    # verified, but under a CA neither pinned nor given by the auditor
    ca: str | None = None       # fingerprint of the CA its chain ends at (when verified)
    removed: bool = False       # no longer on the stamp branch: a later commit removed or replaced it


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
        self.unknown: set[str] = set()   # blob ids named by tokens under an unknown CA
        self.removed: set[str] = set()   # blob ids named by tokens removed from the stamp branch
        for token in tokens:
            if token.removed:
                self.removed.update(token.blobs)
            if not token.valid:
                (self.unknown if token.unknown_ca else self.invalid).update(token.blobs)
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

    def has_removed(self, blobs) -> bool:
        return bool(self.removed) and any(blob in self.removed for blob in blobs)

    def has_unknown(self, blobs) -> bool:
        return bool(self.unknown) and any(blob in self.unknown for blob in blobs)

    def stamped_by(self, authority: Authority) -> set[str]:
        """Blob ids already stamped under this CA (verified, trusted or not: asking again would
        not change what the token says)."""
        prints = {fingerprint(root) for root in authority.roots}
        return {blob for token in self.tokens if token.ca in prints for blob in token.blobs}


def stamp_refs(repo: Path) -> list[str]:
    """The stamp branch refs that exist here (local first)."""
    return list(stamp_tips(repo))


def stamp_tips(repo: Path) -> dict[str, str]:
    """{ref: commit} of the stamp branch refs that exist here (local first)."""
    listed = git.run(repo, "for-each-ref", "--format=%(refname) %(objectname)", *REFS).decode().split("\n")
    found = dict(line.split(" ", 1) for line in listed if " " in line)
    return {ref: found[ref] for ref in REFS if ref in found}


def read_tokens(repo: Path, trusted: list[Authority], cache: bool = True,
                stats: stampstate.StampStats | None = None) -> list[Token]:
    """Every token ever added to the stamp branch (local and remote-tracking), each verified. A
    token that an ordinary commit later removed or replaced is still read from the history, and
    marked `removed` (someone took evidence away: `removed_proof`). Verifications are kept in
    `.git/pengaduan/` (`token_cache`): each token is verified once per CA set; so is the read of
    the stamp branch (`stampstate`): only its commits not read yet are read."""
    files = stampstate.read_files(repo, stamp_tips(repo), REFS, FOLDER, keep=cache, stats=stats)
    at_tip = files.at_tip   # (path, blob id) on a branch tip now
    runs: dict[str, dict] = {}   # run folder -> {"lists": [blob id], "tokens": [(path, blob id)]}
    for path, sha in files.ever:
        parts = path.split("/")
        if len(parts) != 3:
            continue
        run = runs.setdefault(parts[1], {"lists": [], "tokens": []})
        if parts[2] == LIST_NAME:
            run["lists"].append(sha)
        elif parts[2].endswith(".tsr"):
            run["tokens"].append((path, sha))
    store = token_cache.Cache(repo, trusted) if cache else None
    # A list is read when its blob ids are not kept yet, or a token over it must be verified.
    all_lists = {sha for run in runs.values() for sha in run["lists"]}
    wanted = {sha for sha in all_lists if sha not in files.lists}
    for run in runs.values():
        for path, sha in run["tokens"]:
            if store is None or not all(store.has(sha, listed) for listed in run["lists"] or [None]):
                wanted.add(sha)
                wanted.update(run["lists"])
    contents = git.read_blobs(repo, sorted(wanted))
    if cache:
        files.remember_lists({sha: _blob_list(contents[sha]) for sha in wanted & all_lists if sha in contents})
    tokens = []
    for stamp, run in sorted(runs.items()):
        lists = sorted(run["lists"])
        for path, sha in sorted(run["tokens"]):
            checked = []
            for listed in lists or [None]:
                known = store.get(sha, listed) if store is not None else None
                if known is not None:
                    blobs = files.lists.get(listed) if listed in files.lists else _blob_list(contents.get(listed))
                    token = Token(stamp, path, list(blobs), **token_cache.fields(known))
                else:
                    listing = contents.get(listed) if listed else None
                    token = check_token(stamp, path, contents[sha], listing, _blob_list(listing), trusted)
                    if store is not None:
                        store.put(sha, listed, token)
                checked.append(token)
            token = next((each for each in checked if each.valid), checked[0])
            token.removed = (path, sha) not in at_tip
            if token.removed:
                token.path = f"{path}@{sha[:10]}"
            tokens.append(token)
    if store is not None:
        store.save()
        files.save()
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
    # The trusted CAs first: a token under one of them is a proof, whatever else it chains to.
    for authority in sorted(trusted, key=lambda each: not each.trusted):
        try:
            authority.verifier().verify_message(response, listing)
        except (VerificationError, ValueError) as err:
            reasons.append(_explain(str(err)))
            continue
        signer = signer_subject(response) or authority.name
        if authority.trusted:
            return Token(stamp, path, blobs, response.tst_info.gen_time, signer, True, ca=authority.fingerprint)
        return Token(stamp, path, blobs, response.tst_info.gen_time, signer, False, unknown_ca=True,
                     ca=authority.fingerprint,
                     reason=f"ditandatangani di bawah CA yang tidak dikenal ({authority.subject}, SHA-256 "
                            f"{colons(authority.fingerprint)}): CA itu hanya tercatat di repositori, bukan "
                            "TSA publik yang dipin program dan tidak diberikan auditor dengan --tsa-ca.")
    return invalid(min(reasons, key=_REASON_ORDER.index))


def signer_subject(response) -> str | None:
    """The subject of the certificate that signed the token (what a TSA is called by itself)."""
    from cryptography import x509
    try:
        [signer] = list(response.signed_data.signer_infos)
        for der in response.signed_data.certificates:
            cert = x509.load_der_x509_certificate(der)
            if cert.issuer == signer.issuer and cert.serial_number == signer.serial_number:
                return _common_name(cert.subject) or cert.subject.rfc4514_string()
    except ValueError:
        return None
    return None


_REASONS = [
    ("Mismatch between messages", "isi token tidak cocok dengan daftar versinya (imprint berbeda): "
                                  "token untuk isi lain, atau daftarnya diubah."),
    ("certificate has expired", "sertifikat TSA tidak berlaku pada waktu token (kedaluwarsa)."),
    ("not yet valid", "sertifikat TSA belum berlaku pada waktu token."),
    ("EKU", "sertifikat penandatangan bukan sertifikat TSA (tanpa extended key usage timeStamping)."),
    ("unsuitable certificate purpose", "sertifikat penandatangan bukan sertifikat TSA (tanpa extended key "
                                       "usage timeStamping)."),
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


def read_proofs(repo: Path, policy: Policy | None, extra_ca: list | None = None) -> Proofs | None:
    """The verified proofs of the repository, or None when it has no stamp branch at all. The
    CA files are read either way: a wrong path is said now, not when the first token comes."""
    trusted = authorities(repo, policy, extra_ca)
    if not stamp_refs(repo):
        return None
    return Proofs(read_tokens(repo, trusted))
