"""A local RFC 3161 timestamp authority for tests: a CA and a TSA certificate made here with
`cryptography`, tokens signed by OpenSSL's `openssl ts -reply`, served over HTTP on 127.0.0.1.

Nothing reaches the network. `Authority` can be made with an expired TSA certificate, or
under another CA (a "foreign" TSA), and can sign a query file directly (`reply`) for tests that
store tokens without going through HTTP.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = {dir}/serial
crypto_device = builtin
signer_cert = {dir}/tsa.pem
signer_key = {dir}/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.55555.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Uji Stempel")])


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


class Authority:
    """A CA and a TSA certificate under it, in `folder`; `ca_pem` is what a repository keeps."""

    def __init__(self, folder: Path, name: str = "TSA Uji", expired: bool = False, eku: str = "critical"):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now(dt.timezone.utc)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = _name(f"{name} CA")
        self.ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
                   .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(days=3650)).not_valid_after(now + dt.timedelta(days=3650))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                                  critical=True)
                   .sign(ca_key, hashes.SHA256()))
        key = ec.generate_private_key(ec.SECP256R1())
        until = now - dt.timedelta(days=1) if expired else now + dt.timedelta(days=365)
        builder = (x509.CertificateBuilder().subject_name(_name(name)).issuer_name(ca_name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(days=400)).not_valid_after(until)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False),
                                  critical=True))
        if eku != "none":  # "none": a TSA certificate without the timeStamping EKU; "plain": not critical
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                                            critical=eku == "critical")
        self.cert = builder.sign(ca_key, hashes.SHA256())
        (self.folder / "ca.pem").write_bytes(_pem(self.ca))
        (self.folder / "tsa.pem").write_bytes(_pem(self.cert))
        (self.folder / "tsa.key").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        (self.folder / "serial").write_text("01\n")
        (self.folder / "ts.cnf").write_text(CONFIG.format(dir=self.folder))
        self.lock = threading.Lock()
        self.queries = 0

    @property
    def ca_pem(self) -> Path:
        return self.folder / "ca.pem"

    def reply(self, query: bytes) -> bytes:
        """The DER TimeStampResp to a DER TimeStampReq, signed now."""
        with self.lock, tempfile.TemporaryDirectory() as work:
            query_file, reply_file = Path(work) / "q.tsq", Path(work) / "r.tsr"
            query_file.write_bytes(query)
            subprocess.run(["openssl", "ts", "-reply", "-config", str(self.folder / "ts.cnf"),
                            "-queryfile", str(query_file), "-out", str(reply_file)],
                           check=True, capture_output=True)
            self.queries += 1
            return reply_file.read_bytes()


    def forge(self, message: bytes, gen_time: dt.datetime) -> bytes:
        """A TimeStampResp over SHA-256(message) with any genTime, signed with this TSA's key:
        what an insider who made his own CA can produce (`openssl cms -sign` of a TSTInfo built
        here, as an auditor did to show the gap)."""
        tst = _seq(_int(1), _oid("1.3.6.1.4.1.55555.1"),
                   _seq(_seq(_oid("2.16.840.1.101.3.4.2.1"), b"\x05\x00"),
                        _tlv(0x04, hashlib.sha256(message).digest())),
                   _int(secrets.randbits(63)),
                   _tlv(0x18, gen_time.astimezone(dt.timezone.utc).strftime("%Y%m%d%H%M%SZ").encode()))
        with tempfile.TemporaryDirectory() as work:
            (Path(work) / "tst").write_bytes(tst)
            subprocess.run(["openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER",
                            "-econtent_type", "1.2.840.113549.1.9.16.1.4", "-signer", str(self.folder / "tsa.pem"),
                            "-inkey", str(self.folder / "tsa.key"), "-md", "sha256", "-nosmimecap",
                            "-in", str(Path(work) / "tst"), "-out", str(Path(work) / "cms")],
                           check=True, capture_output=True)
            token = (Path(work) / "cms").read_bytes()
        return _seq(_seq(_int(0)), token)


def _tlv(tag: int, body: bytes) -> bytes:
    size = len(body)
    length = bytes([size]) if size < 128 else (
        bytes([0x80 | ((size.bit_length() + 7) // 8)]) + size.to_bytes((size.bit_length() + 7) // 8, "big"))
    return bytes([tag]) + length + body


def _seq(*parts: bytes) -> bytes:
    return _tlv(0x30, b"".join(parts))


def _int(value: int) -> bytes:
    return _tlv(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _oid(dotted: str) -> bytes:
    numbers = [int(part) for part in dotted.split(".")]
    body = bytes([40 * numbers[0] + numbers[1]])
    for number in numbers[2:]:
        chunk = [number & 0x7F]
        number >>= 7
        while number:
            chunk.append(0x80 | (number & 0x7F))
            number >>= 7
        body += bytes(reversed(chunk))
    return _tlv(0x06, body)


class TsaServer:
    """HTTP front of one Authority (`url`), as `pengaduan stempel` talks to a real TSA."""

    def __init__(self, authority: Authority):
        self.authority = authority
        self.broken = False   # answer with garbage instead of a token
        self.endless = False  # answer with bytes that never end (a wrong URL's big download)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                query = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if server.endless:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.end_headers()
                    try:
                        while True:
                            self.wfile.write(b"\0" * 65536)
                    except OSError:   # the client hung up
                        return
                if server.broken or self.headers.get("Content-Type") != "application/timestamp-query":
                    body, kind = b"bukan token", "text/plain"
                else:
                    body, kind = server.authority.reply(query), "application/timestamp-reply"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/tsr"

    def __enter__(self) -> TsaServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
