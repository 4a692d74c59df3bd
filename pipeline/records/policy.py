"""The Puskesmas policy (`puskesmas.yaml`): who we are, our channels, units, calendar, SOP stages."""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.records import schemas
from pipeline.records.osreasons import os_reason
from pipeline.records.losttext import lost_text
from pipeline.records.problems import Problem
from pipeline.records.source import (POLICY_HINTS, SourceError, decode_text, outside_problem, parse_yaml,
                                     read_small_file, read_text)

POLICY_FILE = "puskesmas.yaml"
WEEKDAYS = ["senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"]


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    evidence: str                 # recorded_at, responded_at or published_at
    limit_hours: float | None     # working hours after diterima; None: tracked, no deadline
    source: str = ""


@dataclass(frozen=True)
class Identity:
    """`puskesmas:` of the policy: who we are, as printed on the site, the board and the data."""
    name: str                         # nama
    address: str                      # alamat
    city: str = ""                    # kota
    health_office: str = ""           # dinas: the city health office it reports to
    head: str = ""                    # kepala: the Kepala Puskesmas, as printed on the SOP
    website: str | None = None        # website
    logo: str | None = None           # logo: a path under content/
    main_colour: str | None = None    # warna.utama
    accent_colour: str | None = None  # warna.aksen

    def fields(self) -> dict[str, str]:
        """The filled-in text fields under their Indonesian names (nama, alamat, kota, dinas,
        kepala, website, logo): what the templates and the open data's publisher show."""
        named = (("nama", self.name), ("alamat", self.address), ("kota", self.city),
                 ("dinas", self.health_office), ("kepala", self.head), ("website", self.website),
                 ("logo", self.logo))
        return {key: value for key, value in named if value}


@dataclass(frozen=True)
class Sop:
    """One SOP document of `sop:` (the board and the how-to page cite it)."""
    number: str                       # nomor
    title: str                        # judul
    revision: str = ""                # revisi
    issued: str = ""                  # terbit (YYYY-MM-DD)
    channels: tuple[str, ...] = ()    # kanal: the channels it governs


@dataclass(frozen=True)
class Editor:
    """editor: where the web editor /admin/ finds the (private) repository and how staff sign in."""
    service: str = "github"                      # layanan: github or forgejo (Decap's Gitea backend has no editorial workflow)
    repository: str = "ganti-pemilik/ganti-repositori"   # repositori: OWNER/NAME
    branch: str = "main"                         # cabang
    server: str | None = None                    # alamat_layanan: Forgejo server
    oauth: str | None = None                     # alamat_oauth: the Dinas's sign-in service (GitHub)
    app_id: str | None = None                    # app_id: Forgejo OAuth2 client id (PKCE)


@dataclass(frozen=True)
class TimestampAuthority:
    """One TSA of `bukti.tsa` (RFC 3161), for `pengaduan stempel` and the verification of tokens."""
    url: str                          # url
    ca: str                           # ca: path of its CA certificate (PEM) in the repository
    name: str = ""                    # nama


@dataclass
class Policy:
    identity: Identity
    timezone_name: str                # zona_waktu, e.g. Asia/Jakarta
    tz: ZoneInfo
    weekdays: frozenset[int]          # 0 = Monday
    national_holidays: bool
    extra_holidays: dict[date, str] = field(default_factory=dict)   # date -> keterangan
    extra_workdays: dict[date, str] = field(default_factory=dict)
    channels: dict[str, dict] = field(default_factory=dict)         # kanal id -> contact details as written
    units: dict[str, str] = field(default_factory=dict)             # unit id -> name
    stages: list[Stage] = field(default_factory=list)
    sops: list[Sop] = field(default_factory=list)
    editor: Editor = field(default_factory=Editor)
    # bukti: how the times of steps are proven (README, "Evidence")
    tolerance: timedelta = timedelta(minutes=60)                     # toleransi_menit: before a step is flagged
    require_stamps: bool = False                                     # wajib_stempel: only stamped steps count
    timestamp_authorities: list[TimestampAuthority] = field(default_factory=list)   # tsa

    @property
    def name(self) -> str:
        return self.identity.name

    @property
    def website_url(self) -> str | None:
        """`kanal.website.url` as written, or None."""
        return (self.channels.get("website") or {}).get("url")

    def unit_name(self, unit_id: str) -> str:
        return self.units.get(unit_id, unit_id)



def load_policy(repo: Path, files: dict | None = None) -> tuple[Policy | None, list[Problem]]:
    """The repository's policy, or None with the problems that stop it from being used.
    `files`: a commit's files ({name: bytes}) instead of the folder's."""
    path = repo / POLICY_FILE
    if (POLICY_FILE not in files) if files is not None else not os.path.lexists(path):
        return None, [Problem(POLICY_FILE, 1, 1, "berkas kebijakan puskesmas.yaml tidak ada.",
                              "Salin puskesmas.yaml dari templat, atau buat repositori baru dengan "
                              "`pengaduan init`.")]
    outside = outside_problem(path, POLICY_FILE, repo, "repositori ini") if files is None else None
    if outside:   # (the policy is published: a link could bring in any file of the machine)
        return None, [outside]
    try:
        text = (decode_text(files[POLICY_FILE], POLICY_FILE, hints=POLICY_HINTS) if files is not None
                else read_text(path, POLICY_FILE, hints=POLICY_HINTS))
        document = parse_yaml(text, POLICY_FILE)
    except SourceError as err:
        return None, [err.problem]
    if not isinstance(document.data, dict):
        return None, [Problem(POLICY_FILE, 1, 1, "puskesmas.yaml harus berisi kumpulan kolom.",
                              "Lihat contoh puskesmas.yaml di templat.")]
    problems = schemas.validate(document, "policy.schema.json", POLICY_FILE)
    problems += _check_unique_ids(document, "unit") + _check_unique_ids(document, "tahapan")
    problems += lost_text(text, POLICY_FILE)   # (`utama: #0b5d3b` is a comment: no colour)
    if problems:
        return None, problems
    return _build(document.data), []


def _check_unique_ids(document, section: str) -> list[Problem]:
    seen: set = set()
    problems = []
    for index, entry in enumerate(document.data.get(section) or []):
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        if entry_id is not None and entry_id in seen:
            line, column = document.position((section, index, "id"))
            problems.append(Problem(POLICY_FILE, line, column, f"id {section} `{entry_id}` dipakai dua kali.",
                                    f"Beri setiap {section} id yang berbeda.", f"{section}[{index}].id"))
        seen.add(entry_id)
    return problems


def check_ca_files(repo: Path) -> list[Problem]:
    """Each `bukti.tsa[].ca` of the folder's policy names a PEM certificate that exists in the
    repository (`pengaduan check`): said with its line and field, not first by `deadlines` or
    the build when they read a token. (Not part of `load_policy`: a policy read from a ref's copy
    has no CA files beside it.)"""
    try:
        document = parse_yaml(read_text(repo / POLICY_FILE, POLICY_FILE, hints=POLICY_HINTS), POLICY_FILE)
    except (SourceError, OSError):
        return []   # load_policy says what is wrong with the file itself
    if not isinstance(document.data, dict) or not isinstance(document.data.get("bukti"), dict):
        return []
    problems = []
    for index, entry in enumerate((document.data.get("bukti") or {}).get("tsa") or []):
        ca = entry.get("ca") if isinstance(entry, dict) else None
        if not isinstance(ca, str):
            continue
        field_path = f"bukti.tsa[{index}].ca"
        line, column = document.position(("bukti", "tsa", index, "ca"))
        path = Path(ca) if Path(ca).is_absolute() else repo / ca
        try:
            data = read_small_file(path, CA_MAX_BYTES)
        except OSError as err:
            why = "tidak ada di repositori" if err.errno == errno.ENOENT else f"tidak dapat dibaca ({os_reason(err)})"
            problems.append(Problem(POLICY_FILE, line, column, f"sertifikat CA TSA `{ca}` {why}.",
                                    "Unduh sertifikat CA (PEM) dari situs TSA, simpan di repositori (mis. "
                                    "bukti/tsa/), lalu tulis path-nya di sini.", field_path))
            continue
        if b"-----BEGIN CERTIFICATE-----" not in data:
            problems.append(Problem(POLICY_FILE, line, column, f"`{ca}` bukan sertifikat PEM.",
                                    "Berkasnya harus diawali `-----BEGIN CERTIFICATE-----`: unduh sertifikat "
                                    "CA dari situs TSA dalam format PEM.", field_path))
        elif not _holds_certificate(data):
            problems.append(Problem(POLICY_FILE, line, column, f"`{ca}` berisi `-----BEGIN CERTIFICATE-----`, "
                                    "tetapi sertifikatnya rusak.", "Unduh ulang sertifikat CA dari situs TSA "
                                    "(format PEM) dan simpan tanpa mengubah isinya.", field_path))
    return problems


CA_MAX_BYTES = 1 << 20   # a CA bundle is some kilobytes


def _holds_certificate(data: bytes) -> bool:
    from cryptography import x509
    try:
        return bool(x509.load_pem_x509_certificates(data))
    except ValueError:
        return False


def _days(entries) -> dict:
    return {date.fromisoformat(entry["tanggal"]): entry.get("keterangan", "") for entry in entries or []}


def _build(data: dict) -> Policy:
    """The typed policy from `puskesmas.yaml` as written (already valid against its schema)."""
    identity = data["puskesmas"]
    colours = identity.get("warna") or {}
    proof = data.get("bukti") or {}
    return Policy(
        identity=Identity(identity["nama"], identity["alamat"], identity.get("kota", ""),
                          identity.get("dinas", ""), identity.get("kepala", ""), identity.get("website"),
                          identity.get("logo"), colours.get("utama"), colours.get("aksen")),
        timezone_name=data["zona_waktu"],
        tz=ZoneInfo(data["zona_waktu"]),
        weekdays=frozenset(WEEKDAYS.index(day) for day in data.get("hari_kerja", WEEKDAYS[:5])),
        national_holidays=data.get("libur_nasional", True),
        extra_holidays=_days(data.get("libur_tambahan")),
        extra_workdays=_days(data.get("hari_kerja_tambahan")),
        channels={channel: details or {} for channel, details in data["kanal"].items()},
        units={unit["id"]: unit["nama"] for unit in data["unit"]},
        stages=[Stage(stage["id"], stage["nama"], stage["bukti"], stage.get("batas_jam_kerja"),
                      stage.get("sumber", "")) for stage in data["tahapan"]],
        sops=[Sop(sop["nomor"], sop["judul"], sop.get("revisi", ""), sop.get("terbit", ""),
                  tuple(sop.get("kanal") or ())) for sop in data.get("sop") or []],
        editor=_editor(data.get("editor") or {}),
        tolerance=timedelta(minutes=proof.get("toleransi_menit", 60)),
        require_stamps=proof.get("wajib_stempel", False),
        timestamp_authorities=[TimestampAuthority(entry["url"], entry["ca"], entry.get("nama", ""))
                               for entry in proof.get("tsa") or []],
    )


def _editor(data: dict) -> Editor:
    default = Editor()
    return Editor(data.get("layanan", default.service), data.get("repositori", default.repository),
                  data.get("cabang", default.branch), data.get("alamat_layanan"), data.get("alamat_oauth"),
                  data.get("app_id"))
