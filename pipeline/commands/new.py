"""`pengaduan new`: scaffold a complaint file with a fresh id; never overwrites a file.

The values come from the options, or, in a terminal, from questions for the ones left out. They
are checked exactly as `pengaduan check` would check the file (schema and rules) BEFORE anything
is written: a wrong option is a usage error (exit 2) and leaves no file behind.
"""
from __future__ import annotations

import difflib
import os
import secrets
import sys
from datetime import datetime, timezone
from pathlib import Path

import yaml

from pipeline.records.labels import KIND_LABELS, channel_label
from pipeline.records.policy import Policy
from pipeline.records.privacy import find_personal_data
from pipeline.records.complaint import COMPLAINT_DIR, Complaint, read_complaint, shown_path
from pipeline.records.schemas import load_schema
from pipeline.records.osreasons import os_reason
from pipeline.records.source import SourceError, inside, parse_yaml
from pipeline.records.timeutil import is_waktu, iso, parse_waktu
from pipeline.records.validation import COMPLAINT_SCHEMA, validate_complaint
from pipeline.commands.common import add_repo, policy_or_why

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ATTEMPTS = 20
FIELDS = [  # (option, field, question)
    ("judul", "judul", "Judul singkat (tanpa nama pelapor)"),
    ("diterima", "diterima", "Waktu diterima (YYYY-MM-DD HH:MM, kosong = sekarang)"),
    ("kanal", "kanal", "Kanal"),
    ("jenis", "jenis", "Jenis"),
    ("unit", "unit", "Unit terkait"),
    ("ringkasan", "ringkasan", "Ringkasan untuk publik (tanpa data pribadi)"),
]
OPTIONAL = [  # asked in a terminal too; empty answers are left out
    ("pelapor_nama", "Nama pelapor (rahasia; boleh kosong)"),
    ("pelapor_kontak", "Kontak pelapor (rahasia; boleh kosong)"),
]
METAVARS = {"judul": "TEKS", "diterima": "WAKTU", "kanal": "KANAL", "jenis": "JENIS", "unit": "UNIT",
            "ringkasan": "TEKS"}  # what --help shows after each option
BODY = "Catatan kerja internal (tidak dipublikasikan).\n"
PUBLIC_TEXT = ("judul", "ringkasan")   # published: warned about personal data as they are typed
YES, NO = ("y", "ya", "yes"), ("t", "tidak", "n", "no", "")


def add_arguments(parser):
    add_repo(parser)
    for option, _, question in FIELDS:
        parser.add_argument(f"--{option}", help=question, metavar=METAVARS[option])
    parser.add_argument("--pelapor-nama", metavar="NAMA", help="nama pelapor (rahasia, tidak dipublikasikan)")
    parser.add_argument("--pelapor-kontak", metavar="KONTAK",
                        help="kontak pelapor (rahasia, tidak dipublikasikan)")
    parser.add_argument("--rahasia", action="store_true",
                        help="pelapor meminta kerahasiaan: hanya dihitung di rekap")


def new_id(received: datetime) -> str:
    """ADU-YYYYMMDD-XXXX: 20 random bits a day, so concurrent pull requests need no coordination."""
    return f"ADU-{received:%Y%m%d}-" + "".join(secrets.choice(CROCKFORD) for _ in range(4))


def run(args) -> int:
    policy, code = policy_or_why(args.repo, "new")
    if policy is None:
        return code
    values = _collect(args, policy)
    if values is None:
        return 2
    data = complaint_data(values, policy, pelapor_nama=values.pop("pelapor_nama", None),
                          pelapor_kontak=values.pop("pelapor_kontak", None), rahasia=args.rahasia)
    problems = check_data(data, args.repo, policy)
    if problems:
        for problem in problems:
            option = "--" + problem.field.replace(".", "-").replace("_", "-") if problem.field else ""
            print(f"pengaduan new: {option + ': ' if option else ''}{problem.message}"
                  + (f" Saran: {problem.hint}" if problem.hint else ""), file=sys.stderr)
        print("Berkas tidak dibuat.", file=sys.stderr)
        return 2
    try:
        path = create(args.repo, data)
    except FileExistsError:
        print(f"pengaduan new: tidak menemukan id yang belum dipakai setelah {ATTEMPTS} percobaan; "
              "coba lagi.", file=sys.stderr)
        return 1
    except NotCreated as err:
        print(f"pengaduan new: {err}", file=sys.stderr)
        return 1
    return _report(path, args.repo, policy)


def complaint_data(values: dict, policy: Policy, pelapor_nama: str | None = None,
                   pelapor_kontak: str | None = None, rahasia: bool = False) -> dict:
    """The front matter of a new complaint (id still None); `diterima` with the policy's offset."""
    received = parse_waktu(values["diterima"], policy.tz).astimezone(policy.tz)
    data = {"id": None, **values, "diterima": iso(received)}
    pelapor = {key: value for key, value in (("nama", pelapor_nama), ("kontak", pelapor_kontak)) if value}
    if pelapor:
        data["pelapor"] = pelapor
    if rahasia:
        data["kerahasiaan"] = "rahasia"
    return data


def _with_id(data: dict, complaint_id: str) -> dict:
    return {**data, "id": complaint_id}


def _received(data: dict) -> datetime:
    return datetime.fromisoformat(data["diterima"])


def check_data(data: dict, repo: Path, policy: Policy) -> list:
    """The problems `pengaduan check` would report for this data once written (id aside)."""
    received = _received(data)
    complaint_id = f"ADU-{received:%Y%m%d}-0000"
    shown = f"{COMPLAINT_DIR.as_posix()}/{received:%Y}/{complaint_id}.md"
    document = parse_yaml(front_matter(_with_id(data, complaint_id)), shown, first_line=2)
    complaint = Complaint(path=repo / shown, shown=shown, document=document, body=BODY)
    return [problem for problem in validate_complaint(complaint, policy, datetime.now(timezone.utc))
            if problem.is_error]


class NotCreated(Exception):
    """Why no complaint file could be written, and how to fix it, for staff (Indonesian)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message, hint)
        self.message, self.hint = message, hint

    def __str__(self) -> str:
        return f"{self.message} Berkas tidak dibuat. Saran: {self.hint}"


def create(repo: Path, data: dict, make_id=new_id, attempts: int = ATTEMPTS, notes: str = BODY) -> Path:
    """Write the complaint under a fresh id and return its path; never overwrites a file.

    `make_id(received)` gives candidate ids; a file that already exists (opened with mode "x")
    makes us try the next one. Raises FileExistsError when every attempt clashed, NotCreated when
    its folder leads out of the repository or cannot be made. `notes`: the private working notes.
    """
    received = _received(data)
    folder = _year_folder(Path(repo), received)
    for _ in range(attempts):  # a clash is a one-in-a-million event; try again with a new id
        complaint_id = make_id(received)
        path = folder / f"{complaint_id}.md"
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(render(_with_id(data, complaint_id), notes))
        except FileExistsError:
            continue
        except OSError as err:
            raise NotCreated(f"berkas {shown_path(path, repo)} tidak dapat ditulis ({os_reason(err, writing=True)}).",
                             "Periksa izin menulis folder itu.") from None
        return path
    raise FileExistsError(folder)


def _year_folder(repo: Path, received: datetime) -> Path:
    """content/complaints/<YYYY>, made when missing; never through a link out of the repository
    (`content` linked to /tmp would have put the file there)."""
    folder = repo / COMPLAINT_DIR / f"{received:%Y}"
    shown = shown_path(folder, repo)
    if not inside(folder, repo):
        raise NotCreated(f"folder {shown} menuju ke luar repositori lewat tautan (symlink), ke "
                         f"{os.path.realpath(folder)}.",
                         "Ganti tautan itu dengan folder biasa di dalam repositori.")
    relative = folder.relative_to(repo)
    for above in [*reversed(relative.parents[:-1]), relative]:   # content, content/complaints, the year's
        if (repo / above).exists() and not (repo / above).is_dir():
            raise NotCreated(f"{above.as_posix()} adalah berkas, bukan folder" +
                             (f", jadi {shown} tidak dapat dibuat." if above != relative else "."),
                             f"Pindahkan atau ganti nama berkas {above.as_posix()}.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise NotCreated(f"folder {shown} tidak dapat dibuat ({os_reason(err, writing=True)}).",
                         "Periksa bahwa folder di atasnya dapat ditulisi.") from None
    return folder


def _collect(args, policy: Policy) -> dict | None:
    """The values of the options; in a terminal, questions for the missing ones."""
    interactive = sys.stdin.isatty()
    schema = load_schema(COMPLAINT_SCHEMA)
    choices = {"kanal": {channel: channel_label(channel, policy) for channel in policy.channels},
               "unit": dict(policy.units),
               "jenis": {kind: KIND_LABELS.get(kind, kind) for kind in schema["properties"]["jenis"]["enum"]}}
    values: dict = {}
    for option, field, question in FIELDS:
        value = getattr(args, option)
        if value is None and interactive:
            value = _ask_until_valid(question, field, choices.get(field), schema)
            if value is None:
                return None
        elif value:
            value = _option_value(option, field, value, choices.get(field))
        if field == "diterima" and not value:
            value = iso(datetime.now(timezone.utc).astimezone(policy.tz).replace(microsecond=0))
        if not value:
            print(f"pengaduan new: --{option} wajib diisi ({question}). Tanpa terminal, semua "
                  f"kolom wajib harus diberikan sebagai opsi: --judul, --kanal, --jenis, --unit, "
                  "--ringkasan (dan --diterima bila bukan sekarang).", file=sys.stderr)
            return None
        values[field] = value
    for field, question in OPTIONAL:
        value = getattr(args, field)
        if value is None and interactive:
            value = _ask(question)
            if value is None:
                return None
        values[field] = value or None
    if interactive and not args.rahasia:
        args.rahasia = _ask_yes_no("Pelapor meminta kerahasiaan? Bila ya, pengaduan tidak dipublikasikan "
                                   "sama sekali, hanya dihitung di rekap (y/T)")
        if args.rahasia is None:
            return None
    if not is_waktu(values["diterima"]):
        print(f"pengaduan new: --diterima '{values['diterima']}' bukan waktu yang sah; "
              "tulis mis. '2026-01-05 09:30' atau 2026-01-05T09:30:00+07:00.", file=sys.stderr)
        return None
    return values


def _option_value(option: str, field: str, value: str, choices: dict[str, str] | None) -> str:
    """A value given as an option, taken as an answer typed in a terminal would be: a choice by its
    id or its name in any case (`WhatsApp`, `Poli Umum`), and a warning about personal data in a
    public text. A choice that matches nothing is kept: the check then says what is wrong, with
    a suggestion, and nothing is written."""
    if choices is not None:
        chosen, _ = match_choice(value, choices)
        return chosen or value
    if field in PUBLIC_TEXT and (warning := personal_data_warning(value)):
        print(f"pengaduan new: --{option}:{warning.removeprefix('  ').removeprefix('Peringatan:')} "
              "(Berkas tetap dibuat; perbaiki teksnya sebelum pull request digabung.)", file=sys.stderr)
    return value


def _ask(question: str, choices: list[str] | None = None) -> str | None:
    suffix = f" [{', '.join(choices)}]" if choices else ""
    try:
        return input(f"{question}{suffix}: ").strip()
    except EOFError:
        print("\nDibatalkan: tidak ada jawaban.", file=sys.stderr)
        return None


def _ask_yes_no(question: str) -> bool | None:
    while True:
        answer = _ask(question)
        if answer is None:
            return None
        if answer.lower() in YES + NO:
            return answer.lower() in YES
        print("  Jawab y (ya) atau t (tidak).", file=sys.stderr)


def match_choice(answer: str, choices: dict[str, str]) -> tuple[str | None, str | None]:
    """(the id chosen, None), or (None, a suggestion or None): an id or a label, in any case."""
    wanted = " ".join(answer.split()).casefold()
    for choice, label in choices.items():
        if wanted in (choice.casefold(), label.casefold(), choice.replace("_", " ").casefold()):
            return choice, None
    names = {choice.casefold(): choice for choice in choices}
    names.update({label.casefold(): choice for choice, label in choices.items()})
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
    return None, (names[close[0]] if close else None)


def personal_data_warning(text: str) -> str | None:
    """What in a public text looks like personal data, said as the officer types it."""
    findings = find_personal_data(text)
    if not findings:
        return None
    found = "; ".join(f"{finding.kind}: \"{finding.text}\"" for finding in findings)
    return (f"  Peringatan: teks ini dipublikasikan dan tampak memuat data pribadi ({found}). "
            "Tulis tanpa nama, nomor telepon, alamat atau NIK pelapor.")


def _ask_until_valid(question: str, field: str, choices: dict[str, str] | None, schema: dict) -> str | None:
    """Ask again (with the reason) until the answer can be used; None when input ends."""
    limits = schema["properties"].get(field, {})
    kept = None   # a public text with a personal-data warning, kept when the next answer is empty
    while True:
        answer = _ask(question, list(choices) if choices else None)
        if answer is None:
            return None
        if field == "diterima":
            if not answer or is_waktu(answer):
                return answer
            print("  Bukan waktu yang sah; tulis mis. 2026-01-05 09:30.", file=sys.stderr)
        elif choices is not None:
            chosen, suggestion = match_choice(answer, choices)
            if chosen:
                return chosen
            hint = f"Mungkin maksud Anda `{suggestion}`? " if suggestion else ""
            print(f"  {hint}Pilih salah satu: {', '.join(choices)}.", file=sys.stderr)
        elif not answer and kept:
            return kept
        elif len(answer) < limits.get("minLength", 1):
            print(f"  Terlalu pendek: minimal {limits.get('minLength', 1)} karakter.", file=sys.stderr)
        elif len(answer) > limits.get("maxLength", len(answer)):
            print(f"  Terlalu panjang: maksimal {limits['maxLength']} karakter.", file=sys.stderr)
        elif field in PUBLIC_TEXT and answer != kept and (warning := personal_data_warning(answer)):
            print(warning + " Ketik ulang, atau tekan Enter untuk tetap memakai teks tadi.", file=sys.stderr)
            kept = answer
        else:
            return answer


def front_matter(data: dict) -> str:
    """The YAML of `data`: plain where our reader reads it back the same, else double-quoted."""
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    try:
        same = parse_yaml(front, "baru").data == data
    except SourceError:
        same = False
    if not same:  # e.g. text our faithful reader would take for a number
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100,
                               default_style='"')
    return front


def render(data: dict, notes: str = BODY) -> str:
    """The file's text: front matter between `---` lines, then the private working notes."""
    return f"---\n{front_matter(data)}---\n\n{notes}"


def _report(path: Path, repo: Path, policy: Policy) -> int:
    """Print the new file's path; read it back as `pengaduan check` would, to be sure."""
    try:
        complaint = read_complaint(path, repo)
        problems = validate_complaint(complaint, policy, datetime.now(timezone.utc))
    except SourceError as err:
        problems = [err.problem]
    print(path.as_posix())
    for problem in problems:
        print(problem.as_text(), file=sys.stderr)
    if any(problem.is_error for problem in problems):
        return 1
    if sys.stdin.isatty() or sys.stderr.isatty():   # a person at a terminal, not a script
        print(next_steps(path.relative_to(repo), complaint.id), file=sys.stderr)
    return 0


def next_steps(path: Path, complaint_id: str) -> str:
    """What the officer does next: put the file on its own branch and open a pull request."""
    shown = path.as_posix()
    return ("Langkah berikutnya (lihat docs/panduan-petugas.md, Lampiran):\n"
            f"  git switch -c pengaduan/{complaint_id}\n"
            f"  git add {shown}\n"
            f"  git commit -m \"Catat pengaduan {complaint_id}\"\n"
            f"  git push -u origin pengaduan/{complaint_id}\n"
            "  lalu buka pull request; setiap langkah SOP berikutnya dicatat di berkas yang sama "
            "(atau di editor web /admin/) dan di-commit di cabang itu.")
