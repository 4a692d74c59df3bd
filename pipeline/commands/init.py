"""`pengaduan init DIR`: a new Puskesmas repository from this template.

Asks for the Puskesmas's name, address, channels and units (in a terminal; every answer is also
an option, for scripts), writes and validates puskesmas.yaml, copies the template's tooling
(pipeline/, schema/, theme/, Pelican settings, workflows, guide, Makefile, pyproject), copies no
example complaint, generates the issue form from the policy, and makes the first commit.
It never overwrites anything: DIR must not exist or be empty.
"""
from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from pipeline.evidence import git
from pipeline.evidence.git import GitError
from pipeline.outputs.editor import ADMIN_DIR, generated_files
from pipeline.records.policy import POLICY_FILE, Policy, WEEKDAYS, load_policy
from pipeline.records.complaint import COMPLAINT_DIR
from pipeline.commands.intake import FORM_PATH, form_yaml
from pipeline.records.labels import CHANNEL_LABELS

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent.parent
# What a Puskesmas repository needs of the template (never content/complaints, tests or demos).
COPY = ["pipeline", "schema", "theme", "admin", "LICENSE", "pelicanconf.py", "publishconf.py", "pyproject.toml",
        "requirements", "Makefile", ".gitignore", ".github", "docs", "content/pages"]
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".DS_Store")
ZONES = ["Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"]
# Which field of a channel's entry in the policy a one-line detail goes to.
DETAIL_FIELD = {"email": "alamat", "instagram": "akun", "facebook": "akun", "whatsapp": "nomor",
                "telepon": "nomor", "langsung": "alamat", "rapat": "keterangan", "kotak_saran": "jadwal_buka",
                "website": "url", "lainnya": "keterangan"}


def add_arguments(parser):
    parser.add_argument("dir", type=Path, metavar="DIR", help="folder repositori baru (belum ada atau kosong)")
    parser.add_argument("--nama", help="nama Puskesmas, mis. 'Puskesmas Sukamaju'")
    parser.add_argument("--alamat", help="alamat Puskesmas")
    parser.add_argument("--kota", help="kota/kabupaten")
    parser.add_argument("--dinas", help="dinas kesehatan pembina")
    parser.add_argument("--kepala", help="nama Kepala Puskesmas")
    parser.add_argument("--website", help="alamat website (https://...)")
    parser.add_argument("--zona-waktu", choices=ZONES, default=None,
                        help="zona waktu (default Asia/Jakarta = WIB)")
    parser.add_argument("--hari-kerja", default=None, metavar="HARI,...",
                        help="hari kerja, mis. senin,selasa,rabu,kamis,jumat,sabtu (default senin-jumat)")
    parser.add_argument("--kanal", action="append", default=[], metavar="ID[=KETERANGAN]",
                        help="kanal pengaduan, boleh berulang, mis. --kanal whatsapp=0812-1111-2222 "
                             f"(id: {', '.join(DETAIL_FIELD)})")
    parser.add_argument("--unit", action="append", default=[], metavar="[ID=]NAMA",
                        help="unit layanan, boleh berulang, mis. --unit 'Poli Umum' atau --unit farmasi=Farmasi")
    parser.add_argument("--sop", default=None, metavar="NOMOR", help="nomor dokumen SOP pengaduan Puskesmas")
    parser.add_argument("--sop-judul", default="Pengelolaan Pengaduan dan Umpan Balik Pengguna Layanan",
                        metavar="JUDUL", help="judul SOP (default: %(default)s)")
    parser.add_argument("--no-commit", action="store_true", help="jangan jalankan git init/commit")
    parser.add_argument("--template", type=Path, default=TEMPLATE_ROOT, metavar="DIR",
                        help="folder templat (default: repositori tempat perintah ini dipasang)")


def slug(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return text if re.match(r"^[a-z]", text or "") else f"unit_{text}" if text else "unit"


def parse_units(values: list[str]) -> list[dict]:
    units, seen = [], {}
    for value in values:
        unit_id, _, name = value.partition("=") if "=" in value else (slug(value), "", value)
        unit_id, name = unit_id.strip(), name.strip()
        if not unit_id or not name:
            raise ValueError(f"unit '{value}' tidak lengkap; tulis 'Nama' atau 'id=Nama'.")
        if unit_id in seen:   # ("Poli Umum" and "poli umum": one unit, written twice)
            raise ValueError(f"unit '{value}' sama dengan '{seen[unit_id]}' (kode `{unit_id}`); tulis setiap unit "
                             "sekali, atau beri kode sendiri, mis. --unit poli_umum_2=Poli Umum Pustu.")
        seen[unit_id] = value
        units.append({"id": unit_id, "nama": name})
    return units


def parse_channels(values: list[str]) -> dict:
    channels = {}
    for value in values:
        channel, _, detail = value.partition("=")
        channel = channel.strip().lower()
        if channel not in DETAIL_FIELD:
            raise ValueError(f"kanal '{channel}' tidak dikenal; pilih dari: {', '.join(DETAIL_FIELD)}.")
        entry = {}
        if detail.strip():
            detail = detail.strip()
            key = "url" if detail.startswith(("http://", "https://")) and channel != "email" else DETAIL_FIELD[channel]
            entry[key] = detail
        channels[channel] = entry
    return channels


def policy_data(args) -> dict:
    zone = args.zona_waktu or "Asia/Jakarta"
    days = [day.strip().lower() for day in (args.hari_kerja or "senin,selasa,rabu,kamis,jumat").split(",") if day.strip()]
    bad = [day for day in days if day not in WEEKDAYS]
    if bad:
        raise ValueError(f"hari kerja tidak dikenal: {', '.join(bad)} (pakai {', '.join(WEEKDAYS)}).")
    identity = {"nama": args.nama, "alamat": args.alamat}
    for key in ("kota", "dinas", "kepala", "website"):
        if getattr(args, key):
            identity[key] = getattr(args, key)
    channels = parse_channels(args.kanal)
    source = args.sop or "SOP pengaduan"
    data = {"puskesmas": identity}
    if args.sop:
        data["sop"] = [{"nomor": args.sop, "judul": args.sop_judul, "kanal": list(channels)}]
    data.update({
        "zona_waktu": zone,
        "hari_kerja": days,
        "libur_nasional": True,
        "libur_tambahan": [],
        "hari_kerja_tambahan": [],
        "kanal": channels,
        "unit": parse_units(args.unit),
        "tahapan": [
            {"id": "lapor_tim", "nama": "Dilaporkan ke tim pengelola pengaduan", "bukti": "recorded_at",
             "batas_jam_kerja": 24, "sumber": f"{source}: lapor ke tim dalam 1x24 jam di hari kerja"},
            {"id": "umpan_balik", "nama": "Umpan balik kepada pelapor", "bukti": "responded_at",
             "batas_jam_kerja": 72, "sumber": f"{source}: umpan balik dalam 3x24 jam sejak pengaduan masuk"},
            {"id": "publikasi", "nama": "Dipublikasikan di website (respon pengaduan pelayanan)",
             "bukti": "published_at", "sumber": f"{source}: tanggapan dimuat di website"},
        ],
    })
    return data


def policy_yaml(data: dict) -> str:
    header = ("# Kebijakan Puskesmas: siapa kami, kanal pengaduan, unit, kalender kerja dan batas waktu SOP.\n"
              "# Divalidasi oleh schema/policy.schema.json (`pengaduan check`). Dibuat oleh `pengaduan init`.\n"
              "# Setelah mengubah kanal atau unit, jalankan `pengaduan intake --write-form`.\n")
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100) + EVIDENCE_BLOCK


# The `bukti:` block, commented out: what a new Puskesmas may turn on (README, "Evidence").
EVIDENCE_BLOCK = """
# Bukti waktu (lihat README, "Evidence" dan "Trusted timestamps"). Semua opsional.
# bukti:
#   toleransi_menit: 60      # selisih tanggal yang masih wajar sebelum suatu tahap ditandai
#   wajib_stempel: false     # true: langkah tanpa stempel waktu tepercaya dianggap belum terbukti
#   tsa:                     # TSA RFC 3161 untuk `pengaduan stempel`; sertifikat CA disimpan di repositori
#     - nama: FreeTSA        # (hanya CA TSA publik yang dipin program yang membuktikan waktu)
#       url: https://freetsa.org/tsr
#       ca: bukti/tsa/freetsa-cacert.pem
"""


def _ask(question: str, default: str = "") -> str:
    suffix = f" [{default}]" if default else ""
    try:
        answer = input(f"{question}{suffix}: ").strip()
    except EOFError:
        answer = ""
    return answer or default


def _interactive(args) -> None:
    """Fill what the options left out by asking (only in a terminal)."""
    args.nama = args.nama or _ask("Nama Puskesmas (mis. Puskesmas Sukamaju)")
    args.alamat = args.alamat or _ask("Alamat")
    args.kota = args.kota or _ask("Kota/kabupaten (boleh kosong)")
    args.kepala = args.kepala or _ask("Nama Kepala Puskesmas (boleh kosong)")
    args.zona_waktu = args.zona_waktu or _ask("Zona waktu (Asia/Jakarta, Asia/Makassar, Asia/Jayapura)",
                                              "Asia/Jakarta")
    args.hari_kerja = args.hari_kerja or _ask("Hari kerja", "senin,selasa,rabu,kamis,jumat")
    if not args.kanal:
        chosen = _ask(f"Kanal pengaduan, pisahkan dengan koma ({', '.join(DETAIL_FIELD)})",
                      "whatsapp,telepon,langsung,kotak_saran")
        for channel in [item.strip() for item in chosen.split(",") if item.strip()]:
            field = DETAIL_FIELD.get(channel, "keterangan")
            detail = _ask(f"  {CHANNEL_LABELS.get(channel, channel)}: {field} (boleh kosong)")
            args.kanal.append(f"{channel}={detail}" if detail else channel)
    if not args.unit:
        chosen = _ask("Unit layanan, pisahkan dengan koma",
                      "Pendaftaran,Poli Umum,Poli Gigi,KIA dan KB,Farmasi,Laboratorium")
        args.unit = [item.strip() for item in chosen.split(",") if item.strip()]


def run(args) -> int:
    target: Path = args.dir
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"pengaduan init: '{target}' sudah ada dan tidak kosong; pilih folder baru. "
              "(init tidak pernah menimpa berkas.)", file=sys.stderr)
        return 2
    template = args.template.resolve()
    missing = [name for name in ("pipeline", "schema", "theme", "pyproject.toml", "requirements") if not (template / name).exists()]
    if missing:
        print(f"pengaduan init: templat '{template}' tidak lengkap (tidak ada {', '.join(missing)}); "
              "jalankan dari clone repositori templat atau pakai --template.", file=sys.stderr)
        return 2
    if sys.stdin.isatty():
        _interactive(args)
    lacking = [option for option, value in (("--nama", args.nama), ("--alamat", args.alamat),
                                            ("--kanal", args.kanal), ("--unit", args.unit)) if not value]
    if lacking:
        print(f"pengaduan init: {', '.join(lacking)} wajib diisi.", file=sys.stderr)
        return 2
    try:
        data = policy_data(args)
    except ValueError as err:
        print(f"pengaduan init: {err}", file=sys.stderr)
        return 2
    text = policy_yaml(data)
    with tempfile.TemporaryDirectory(prefix="pengaduan-init-") as scratch:
        (Path(scratch) / POLICY_FILE).write_text(text, encoding="utf-8")
        policy, problems = load_policy(Path(scratch))
    if policy is None:
        for problem in problems:
            print(problem.as_text(), file=sys.stderr)
        print("pengaduan init: kebijakan tidak sah; tidak ada yang dibuat.", file=sys.stderr)
        return 1
    target.mkdir(parents=True, exist_ok=True)
    _copy_template(template, target)
    (target / POLICY_FILE).write_text(text, encoding="utf-8")
    (target / FORM_PATH).parent.mkdir(parents=True, exist_ok=True)
    (target / FORM_PATH).write_text(form_yaml(policy), encoding="utf-8")
    (target / ADMIN_DIR).mkdir(exist_ok=True)
    for name, editor_text in generated_files(policy).items():
        (target / ADMIN_DIR / name).write_text(editor_text, encoding="utf-8")
    complaints = target / COMPLAINT_DIR
    complaints.mkdir(parents=True, exist_ok=True)
    (complaints / "README.md").write_text(
        "# Berkas pengaduan\n\nSatu berkas per pengaduan: `<TAHUN>/<ID>.md`. Buat dengan formulir issue "
        "*Catat pengaduan* atau `pengaduan new`; lihat docs/panduan-petugas.md.\n", encoding="utf-8")
    (target / "README.md").write_text(_readme(policy), encoding="utf-8")
    if not args.no_commit:
        status = _commit(target, policy.name)
        if status:
            return status
    print(f"Repositori {policy.name} dibuat di {target}.")
    print("Langkah berikutnya (lihat docs/panduan-petugas.md, bagian 0):\n"
          "  1. Buat repositori PRIVAT di GitHub, lalu: git remote add origin URL && git push -u origin main\n"
          "  2. Ganti placeholder di .github/CODEOWNERS dengan akun Kepala Puskesmas.\n"
          "  3. Atur perlindungan cabang main dan GitHub Pages seperti di panduan.\n"
          "  4. Isi bagian `editor:` di puskesmas.yaml (repositori), lalu `pengaduan editor`: editor web /admin/.")
    return 0


def _copy_template(template: Path, target: Path) -> None:
    for name in COPY:
        source = template / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=IGNORE, dirs_exist_ok=True)
        elif source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _commit(target: Path, name: str) -> int:
    try:
        git.run(target, "init", "-q", "-b", "main")
        git.run(target, "add", "-A")
        identity = [] if git.succeeds(target, "var", "GIT_AUTHOR_IDENT") else [
            "-c", "user.name=Pengaduan Puskesmas", "-c", "user.email=pengaduan@localhost"]
        git.run(target, *identity, "commit", "-q", "-m", f"Mulai repositori pengaduan {name}")
    except GitError as err:
        print(f"pengaduan init: {err}", file=sys.stderr)
        return 1
    if identity:
        print("Catatan: identitas git belum diatur; commit pertama memakai 'Pengaduan Puskesmas'. "
              "Atur dengan: git config --global user.name 'Nama Anda'", file=sys.stderr)
    return 0


def _readme(policy: Policy) -> str:
    return f"""# Respon Pengaduan Pelayanan — {policy.name}

Repositori ini mencatat setiap pengaduan (keluhan, saran, kritik, pertanyaan, apresiasi) yang diterima
{policy.name} sebagai satu berkas di `content/complaints/`, memeriksanya otomatis, menjawabnya lewat
pull request yang disetujui Kepala Puskesmas, dan menerbitkan tanggapannya di website
"Respon Pengaduan Pelayanan". Riwayat git menjadi bukti kapan setiap langkah SOP dikerjakan.

**Repositori ini WAJIB PRIVAT**: berkas pengaduan menyimpan identitas dan kontak pelapor. Yang
diterbitkan di website hanya kolom publik (tanpa data pribadi).

- Panduan petugas langkah demi langkah: [docs/panduan-petugas.md](docs/panduan-petugas.md)
- Kebijakan (nama, kanal, unit, hari kerja, batas waktu SOP): `puskesmas.yaml`
- Perintah: `pengaduan check`, `pengaduan new`, `pengaduan deadlines`, `pengaduan build`

Memasang alat di komputer sendiri (Python 3.11+ dan git):

```sh
python3 -m venv .venv && .venv/bin/pip install --require-hashes -r requirements/build.txt
.venv/bin/pip install --require-hashes -r requirements/runtime.txt
.venv/bin/pip install --no-deps --no-build-isolation -e .
.venv/bin/pengaduan check
```
"""
