"""The public TSA CAs this program trusts without being told: SHA-256 fingerprints, pinned here.

Why pinned in the program and not read from the repository: the CA files of `bukti.tsa[].ca`
live in the Puskesmas's own repository, which the people whose times are judged can change. A CA
that anyone with write access can add (an insider's own "FreeTSA", with a TSA certificate of his
own making) would let him sign any time he likes. So a token proves a time only when its
certificate chain ends at a CA whose fingerprint is listed below, or at a CA an auditor gives on
the command line (`--tsa-ca`, which then replaces this list: the auditor's trust, not ours).
A token under any other CA is shown with the flag `unknown_ca` and proves nothing.

Each fingerprint is the SHA-256 of the CA certificate's DER encoding (what `openssl x509
-noout -fingerprint -sha256` prints), lowercase hex without colons, and says where it was taken
from. Nothing here was typed from memory.

**A Dinas Kesehatan (or anyone maintaining this program) adds a TSA** by getting its root CA
certificate from the TSA's own site, checking its fingerprint against a second channel (the TSA's
published fingerprint, or an operating system's CA store), and adding one line below with the
source, in a reviewed pull request to this program, not to a Puskesmas's repository. An auditor
who trusts a CA not listed here passes it with `--tsa-ca PEM` to `deadlines`, `bukti`, `recap`.
"""
from __future__ import annotations

import hashlib

# fingerprint (sha256 of the DER certificate, hex) -> (name, where it was taken from)
KNOWN_TSA_CAS: dict[str, tuple[str, str]] = {
    # FreeTSA (https://freetsa.org/tsr): self-signed "O=Free TSA, OU=Root CA, CN=www.freetsa.org",
    # 2016-03-13 to 2041-03-07, https://freetsa.org/files/cacert.pem. Not in any OS store. The
    # same value is pinned independently by several public projects (found by searching public
    # source code, 2026), each saying it matched the fingerprint FreeTSA publishes.
    "a6379e7cecc05faa3cbf076013d745e327bbbaa38c0b9af22469d4701d18aabc":
        ("FreeTSA Root CA", "freetsa.org/files/cacert.pem; dipin sama oleh beberapa proyek publik"),
    # DigiCert (http://timestamp.digicert.com): its TSA certificates are issued by "DigiCert Trusted
    # G4 RSA4096 SHA256 TimeStamping CA" under "DigiCert Trusted Root G4" (self-signed), itself
    # cross-signed by "DigiCert Assured ID Root CA". Both computed from Debian's Mozilla CA store
    # (ca-certificates 20230311+deb12u1, /etc/ssl/certs/DigiCert_*.pem).
    "552f7bdcf1a7af9e6ce672017f4f12abf77240c78e761ac203d1d9d20ac89988":
        ("DigiCert Trusted Root G4", "Mozilla CA store (Debian ca-certificates 20230311)"),
    "3e9099b5015e8f486c00bcea9d111ee721faba355a89bcf1df69561e3dc6325c":
        ("DigiCert Assured ID Root CA", "Mozilla CA store (Debian ca-certificates 20230311)"),
    # Sectigo (https://timestamp.sectigo.com): "Sectigo Public Time Stamping Root R46" is
    # cross-signed by "USERTrust RSA Certification Authority" (Mozilla CA store, Debian
    # ca-certificates 20230311). The self-signed R46 root is not in that store: not pinned here.
    "e793c9b02fd8aa13e21c31228accb08119643b749c898964b1746d46c3d4cbd2":
        ("USERTrust RSA Certification Authority (Sectigo)", "Mozilla CA store (Debian ca-certificates 20230311)"),
}


def fingerprint(certificate) -> str:
    """SHA-256 of a certificate's DER encoding, lowercase hex."""
    from cryptography.hazmat.primitives.serialization import Encoding
    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()


def colons(hex_digest: str) -> str:
    """A fingerprint as `openssl` and TSA sites print it (AB:CD:...)."""
    return ":".join(hex_digest[i:i + 2] for i in range(0, len(hex_digest), 2)).upper()


def known(hex_digest: str) -> str | None:
    """The name of a pinned public TSA CA, or None."""
    entry = KNOWN_TSA_CAS.get(hex_digest.lower())
    return entry[0] if entry else None
