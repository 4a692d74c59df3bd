"""`pengaduan new`: scaffold a complaint file with a fresh id; never overwrites a file."""
from __future__ import annotations

import secrets
import sys
from datetime import datetime, timezone

import yaml

from ..policy import load_policy
from ..records import COMPLAINT_DIR, read_complaint
from ..source import SourceError
from ..timeutil import is_waktu, iso, parse_waktu
from ..validation import validate_complaint
from .common import add_repo

HELP = "buat berkas pengaduan baru dengan id baru"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FIELDS = [  # (option, field, question)
    ("judul", "judul", "Judul singkat (tanpa nama pelapor)"),
    ("diterima", "diterima", "Waktu diterima (YYYY-MM-DD HH:MM, kosong = sekarang)"),
    ("kanal", "kanal", "Kanal"),
    ("jenis", "jenis", "Jenis (keluhan, saran, kritik, pertanyaan, apresiasi)"),
    ("unit", "unit", "Unit terkait"),
    ("ringkasan", "ringkasan", "Ringkasan untuk publik (tanpa data pribadi)"),
]


def add_arguments(parser):
    add_repo(parser)
    for option, _, question in FIELDS:
        parser.add_argument(f"--{option}", help=question)
    parser.add_argument("--pelapor-nama", help="nama pelapor (rahasia, tidak dipublikasikan)")
    parser.add_argument("--pelapor-kontak", help="kontak pelapor (rahasia, tidak dipublikasikan)")
    parser.add_argument("--rahasia", action="store_true",
                        help="pelapor meminta kerahasiaan: hanya dihitung di rekap")


def new_id(received: datetime) -> str:
    """ADU-YYYYMMDD-XXXX: 20 random bits a day, so concurrent pull requests need no coordination."""
    return f"ADU-{received:%Y%m%d}-" + "".join(secrets.choice(CROCKFORD) for _ in range(4))


def _ask(question: str, choices: list[str] | None = None) -> str:
    suffix = f" [{', '.join(choices)}]" if choices else ""
    try:
        return input(f"{question}{suffix}: ").strip()
    except EOFError:
        return ""


def run(args) -> int:
    policy, problems = load_policy(args.repo)
    if policy is None:
        for problem in problems:
            print(problem.as_text(), file=sys.stderr)
        return 1
    values = _collect(args, policy)
    if values is None:
        return 2
    received = parse_waktu(values["diterima"], policy.tz).astimezone(policy.tz)
    values["diterima"] = iso(received)
    data = {"id": None, **values}
    if args.pelapor_nama or args.pelapor_kontak:
        data["pelapor"] = {key: value for key, value in
                           (("nama", args.pelapor_nama), ("kontak", args.pelapor_kontak)) if value}
    if args.rahasia:
        data["kerahasiaan"] = "rahasia"
    folder = args.repo / COMPLAINT_DIR / f"{received:%Y}"
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(20):  # a clash is a one-in-a-million event; try again with a new id
        data["id"] = new_id(received)
        path = folder / f"{data['id']}.md"
        try:
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(render(data))
            break
        except FileExistsError:
            continue
    else:
        print("Tidak menemukan id yang belum dipakai; coba lagi.", file=sys.stderr)
        return 1
    return _report(path, args.repo, policy)


def _collect(args, policy) -> dict | None:
    interactive = sys.stdin.isatty()
    values, choices = {}, {"kanal": list(policy.channels), "unit": list(policy.units),
                           "jenis": ["keluhan", "saran", "kritik", "pertanyaan", "apresiasi"]}
    for option, field, question in FIELDS:
        value = getattr(args, option)
        if value is None and interactive:
            value = _ask(question, choices.get(field))
        if field == "diterima" and not value:
            value = iso(datetime.now(timezone.utc).astimezone(policy.tz).replace(microsecond=0))
        if not value:
            print(f"pengaduan new: --{option} wajib diisi ({question}).", file=sys.stderr)
            return None
        values[field] = value
    if not is_waktu(values["diterima"]):
        print(f"pengaduan new: --diterima '{values['diterima']}' bukan waktu yang sah; "
              "tulis mis. '2026-01-05 09:30' atau 2026-01-05T09:30:00+07:00.", file=sys.stderr)
        return None
    return values


def render(data: dict) -> str:
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{front}---\n\nCatatan kerja internal (tidak dipublikasikan).\n"


def _report(path, repo, policy) -> int:
    """Print the new file's path, and any problem the staff member must still fix in it."""
    try:
        complaint = read_complaint(path, repo)
        problems = validate_complaint(complaint, policy, datetime.now(timezone.utc))
    except SourceError as err:
        problems = [err.problem]
    print(path.as_posix())
    for problem in problems:
        print(problem.as_text(), file=sys.stderr)
    return 1 if any(problem.is_error for problem in problems) else 0
