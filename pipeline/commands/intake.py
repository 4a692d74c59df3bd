"""`pengaduan intake`: a complaint recorded through the issue form becomes a complaint file.

The form `.github/ISSUE_TEMPLATE/pengaduan.yml` is generated from the policy (its drop-downs
list the policy's channels and units): `pengaduan intake --write-form` after changing
puskesmas.yaml. When a staff member submits it, the workflow runs

    pengaduan intake --event "$GITHUB_EVENT_PATH" --open-pr

which reads the submitted issue, writes `content/complaints/<YYYY>/<id>.md` (validated like
`pengaduan check`), and with --open-pr, through the API: creates the branch `pengaduan/<id>`
with that file, opens a pull request that walks the officer through the SOP, and finally edits
the issue so that the reporter's identity no longer shows there ("[disembunyikan]"): it lives
only in the complaint file of the (private) repository.

Without --open-pr only the file is written (and the outputs id, path, branch are appended to
$GITHUB_OUTPUT), so the conversion can be tried on a saved event.
"""
from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path

import yaml

from pipeline.commands.forge import Forge, ForgeError, load_event, write_outputs
from pipeline.records.loader import load
from pipeline.records.labels import CHANNEL_LABELS, KIND_LABELS, channel_label
from pipeline.records.policy import Policy
from pipeline.records.complaint import COMPLAINT_DIR
from pipeline.records.timeutil import format_local, is_waktu, iso, parse_waktu, zone_label
from pipeline.commands.common import add_now, add_repo, now_or_clock, policy_or_why
from pipeline.commands.new import new_id, render

FORM_PATH = Path(".github") / "ISSUE_TEMPLATE" / "pengaduan.yml"
LABEL = "pengaduan"
MARKER = "<!-- pengaduan-intake: {id} -->"
MARKER_RE = re.compile(r"<!-- pengaduan-intake: (ADU-[0-9A-Z-]+) -->")
HIDDEN = "[disembunyikan]"
# Only the team's own issues become complaint files (an issue form applies its label for anyone).
TRUSTED = {"OWNER", "MEMBER", "COLLABORATOR"}
NO_RESPONSE = {"_no response_", "_tidak ada jawaban_", ""}
# Form field id -> label. The issue body shows labels, not ids: the parser maps them back.
LABELS = {
    "judul": "Judul singkat (publik)",
    "diterima": "Waktu diterima",
    "kanal": "Kanal",
    "jenis": "Jenis",
    "unit": "Unit terkait",
    "ringkasan": "Ringkasan untuk publik",
    "pelapor_nama": "Nama pelapor (RAHASIA)",
    "pelapor_kontak": "Kontak pelapor (RAHASIA)",
    "pelapor_alamat": "Alamat pelapor (RAHASIA)",
    "catatan": "Catatan internal (RAHASIA)",
    "kerahasiaan": "Kerahasiaan",
    "pernyataan": "Pernyataan",
}
PRIVATE = ("pelapor_nama", "pelapor_kontak", "pelapor_alamat", "catatan")
CONFIDENTIAL_OPTION = "Pelapor meminta pengaduannya dirahasiakan (tidak diterbitkan, hanya dihitung di rekap)"


def add_arguments(parser):
    add_repo(parser)
    parser.add_argument("--event", type=Path, metavar="FILE",
                        help="payload event `issues` (di Actions: $GITHUB_EVENT_PATH)")
    parser.add_argument("--open-pr", action="store_true",
                        help="buat cabang, commit dan pull request lewat API, lalu sembunyikan data "
                             "pribadi di issue (butuh GITHUB_TOKEN)")
    parser.add_argument("--label", default=LABEL, help=f"label issue formulir (default: {LABEL})")
    parser.add_argument("--write-form", action="store_true",
                        help=f"tulis ulang {FORM_PATH.as_posix()} dari puskesmas.yaml (kanal dan unit)")
    add_now(parser)


# --- the form ------------------------------------------------------------------------------

def form(policy: Policy) -> dict:
    """The GitHub issue form (also read by Gitea/Forgejo) for recording a complaint."""
    zone = zone_label(policy.tz)
    channels = [f"{channel_label(key, policy)} ({key})" for key in policy.channels]
    units = [f"{name} ({unit_id})" for unit_id, name in policy.units.items()]
    return {
        "name": "Catat pengaduan",
        "description": f"Catat pengaduan yang masuk ke {policy.name}; menjadi berkas pengaduan dan "
                       "pull request secara otomatis.",
        "title": "[Pengaduan] ",
        "labels": [LABEL],
        "body": [
            {"type": "markdown", "attributes": {"value": (
                "**PENTING — data pribadi.** Repositori ini menyimpan identitas pelapor, jadi harus "
                "**PRIVAT**. Jika repositori ini publik, JANGAN isi nama, kontak, alamat atau NIK "
                "pelapor di formulir ini.\n\n"
                "Setelah formulir dikirim, isinya dipindahkan ke berkas pengaduan dan pull request; "
                "kolom RAHASIA di issue ini diganti `[disembunyikan]`. (Riwayat suntingan issue masih "
                "menyimpan teks asli: hapus revisi itu lewat menu *diedit* bila perlu.)\n\n"
                "Judul dan ringkasan akan **diterbitkan** di website: tulis tanpa data pribadi.")}},
            {"type": "input", "id": "judul", "attributes": {
                "label": LABELS["judul"], "description": "3-140 karakter, tanpa nama atau kontak pelapor.",
                "placeholder": "Antrean pendaftaran pagi terlalu lama"},
             "validations": {"required": True}},
            {"type": "input", "id": "diterima", "attributes": {
                "label": LABELS["diterima"],
                "description": f"Kapan pengaduan masuk di kanalnya, waktu {zone}: YYYY-MM-DD HH:MM.",
                "placeholder": "2026-01-05 09:30"},
             "validations": {"required": True}},
            {"type": "dropdown", "id": "kanal", "attributes": {
                "label": LABELS["kanal"], "description": "Lewat mana pengaduan masuk.", "options": channels},
             "validations": {"required": True}},
            {"type": "dropdown", "id": "jenis", "attributes": {
                "label": LABELS["jenis"], "options": [f"{label} ({key})" for key, label in KIND_LABELS.items()]},
             "validations": {"required": True}},
            {"type": "dropdown", "id": "unit", "attributes": {
                "label": LABELS["unit"], "description": "Unit yang diadukan.", "options": units},
             "validations": {"required": True}},
            {"type": "textarea", "id": "ringkasan", "attributes": {
                "label": LABELS["ringkasan"],
                "description": "Ringkasan yang DITERBITKAN (10-4000 karakter), tanpa nama, nomor "
                               "telepon, alamat atau NIK."},
             "validations": {"required": True}},
            {"type": "input", "id": "pelapor_nama", "attributes": {
                "label": LABELS["pelapor_nama"], "description": "Tidak pernah diterbitkan."}},
            {"type": "input", "id": "pelapor_kontak", "attributes": {
                "label": LABELS["pelapor_kontak"], "description": "Nomor WhatsApp/telepon atau email."}},
            {"type": "input", "id": "pelapor_alamat", "attributes": {"label": LABELS["pelapor_alamat"]}},
            {"type": "textarea", "id": "catatan", "attributes": {
                "label": LABELS["catatan"],
                "description": "Kutipan pesan asli dan catatan petugas; disimpan di berkas, tidak diterbitkan."}},
            {"type": "checkboxes", "id": "kerahasiaan", "attributes": {
                "label": LABELS["kerahasiaan"], "options": [{"label": CONFIDENTIAL_OPTION}]}},
            {"type": "checkboxes", "id": "pernyataan", "attributes": {
                "label": LABELS["pernyataan"], "options": [{
                    "label": "Judul dan ringkasan tidak memuat nama, nomor telepon, alamat atau NIK pelapor.",
                    "required": True}]}},
        ],
    }


def form_yaml(policy: Policy) -> str:
    header = ("# Formulir pengaduan (GitHub issue form). DIBUAT dari puskesmas.yaml oleh\n"
              "# `pengaduan intake --write-form`: ubah kanal/unit di puskesmas.yaml, lalu jalankan lagi.\n")
    return header + yaml.safe_dump(form(policy), allow_unicode=True, sort_keys=False, width=100)


# --- reading a submitted form ------------------------------------------------------------------

def parse_body(body: str) -> dict[str, str]:
    """Field id -> submitted text. Only headings that are the form's own labels split fields, so
    a `###` inside a textarea stays part of its value."""
    by_label = {label: key for key, label in LABELS.items()}
    values: dict[str, list[str]] = {}
    current = None
    for line in (body or "").replace("\r\n", "\n").split("\n"):
        heading = line.strip()[4:].strip() if line.strip().startswith("### ") else None
        if heading in by_label:
            current = by_label[heading]
            values[current] = []
        elif current is not None:
            values[current].append(line)
    result = {}
    for key, lines in values.items():
        text = "\n".join(lines).strip()
        result[key] = "" if text.lower() in NO_RESPONSE else text
    return result


def _checked(text: str, option: str) -> bool:
    return any(re.match(r"^\s*[-*]\s*\[[xX]\]\s*" + re.escape(option), line) for line in text.split("\n"))


def _choice(text: str, options: dict[str, str]) -> str:
    """A drop-down answer "Poli Umum (poli_umum)" -> poli_umum; also accepts the id or the name."""
    found = re.search(r"\(([a-z][a-z0-9_]*)\)\s*$", text)
    if found:
        return found.group(1)
    lowered = text.strip().lower()
    for key, name in options.items():
        if lowered in (key, str(name).lower()):
            return key
    return text.strip()


def _waktu(text: str) -> str:
    """`2026-11-23 09.30` (Indonesian) or `2026-11-23 9:30` -> `2026-11-23 09:30`."""
    text = text.strip()
    found = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2})[.:](\d{2})", text)
    return f"{found.group(1)} {int(found.group(2)):02d}:{found.group(3)}" if found else text


def complaint_data(fields: dict[str, str], policy: Policy) -> tuple[dict, list[str]]:
    """The complaint's front matter from the form, and what is wrong with the answers."""
    errors = []
    data = {"id": None,
            "judul": fields.get("judul", "").strip(),
            "diterima": _waktu(fields.get("diterima", "")),
            "kanal": _choice(fields.get("kanal", ""), {key: channel_label(key, policy)
                                                      for key in {**CHANNEL_LABELS, **policy.channels}}),
            "jenis": _choice(fields.get("jenis", ""), KIND_LABELS),
            "unit": _choice(fields.get("unit", ""), policy.units),
            "ringkasan": fields.get("ringkasan", "").strip()}
    for key in ("judul", "diterima", "kanal", "jenis", "unit", "ringkasan"):
        if not data[key]:
            errors.append(f"kolom “{LABELS[key]}” kosong.")
    if data["diterima"] and not is_waktu(data["diterima"]):
        errors.append(f"“{LABELS['diterima']}” `{data['diterima']}` bukan waktu yang sah; tulis mis. "
                      "`2026-01-05 09:30`.")
    if data["unit"] and data["unit"] not in policy.units:
        errors.append(f"unit `{data['unit']}` tidak ada di puskesmas.yaml.")
    if data["kanal"] and data["kanal"] not in policy.channels:
        errors.append(f"kanal `{data['kanal']}` tidak ada di puskesmas.yaml.")
    if _checked(fields.get("kerahasiaan", ""), CONFIDENTIAL_OPTION):
        data["kerahasiaan"] = "rahasia"
    reporter = {key: fields.get(f"pelapor_{key}", "").strip() for key in ("nama", "kontak", "alamat")}
    reporter = {key: value for key, value in reporter.items() if value}
    if reporter:
        data["pelapor"] = reporter
    return data, errors


def redact(body: str) -> str:
    """The issue body with every filled private field replaced by "[disembunyikan]"."""
    private = {LABELS[key] for key in PRIVATE}
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in (body or "").replace("\r\n", "\n").split("\n"):
        heading = line.strip()[4:].strip() if line.strip().startswith("### ") else None
        if heading in LABELS.values():
            sections.append((heading, [line]))
        else:
            sections[-1][1].append(line)
    out: list[str] = []
    for heading, lines in sections:
        value = "\n".join(lines[1:]).strip()
        if heading in private and value.lower() not in NO_RESPONSE:
            lines = [lines[0], "", HIDDEN, ""]
        out += lines
    return "\n".join(out).rstrip("\n") + "\n"


# --- the command -------------------------------------------------------------------------------

def run(args) -> int:
    policy = policy_or_why(args.repo, "intake")
    if policy is None:
        return 1
    if args.write_form:
        target = args.repo / FORM_PATH
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(form_yaml(policy), encoding="utf-8")
        print(target.as_posix())
        return 0
    if args.event is None:
        print("pengaduan intake: sebutkan --event FILE (payload event issues) atau --write-form.",
              file=sys.stderr)
        return 2
    event = load_event(args.event)
    issue = event.get("issue") or {}
    labels = {label.get("name") for label in issue.get("labels") or []}
    if args.label not in labels:
        print(f"Issue #{issue.get('number')} tidak berlabel `{args.label}`: bukan formulir pengaduan.",
              file=sys.stderr)
        write_outputs({"skipped": "true"})
        return 0
    association = issue.get("author_association")
    if association and association not in TRUSTED:
        print(f"Issue #{issue.get('number')} dibuat oleh bukan anggota tim ({association}): tidak dicatat "
              "otomatis. Catat dengan `pengaduan new` bila memang pengaduan.", file=sys.stderr)
        write_outputs({"skipped": "true"})
        return 0
    done_before = MARKER_RE.search(issue.get("body") or "")
    if done_before:
        print(f"Issue #{issue['number']} sudah dicatat sebagai {done_before.group(1)}; tidak ada yang dikerjakan.",
              file=sys.stderr)
        write_outputs({"skipped": "true", "id": done_before.group(1)})
        return 0
    forge = Forge.from_env() if args.open_pr else None
    if args.open_pr and forge is None:
        print("pengaduan intake --open-pr: GITHUB_TOKEN dan GITHUB_REPOSITORY wajib ada.", file=sys.stderr)
        return 2
    now = now_or_clock(args.now)
    fields = parse_body(issue.get("body") or "")
    data, errors = complaint_data(fields, policy)
    if errors:
        return _refuse(forge, issue, errors)
    received = parse_waktu(data["diterima"], policy.tz).astimezone(policy.tz)
    data["diterima"] = iso(received)
    path = _write(args.repo, data, received, _notes(issue, fields, policy))
    relpath = path.relative_to(args.repo).as_posix()
    loaded = load(args.repo, [path], now)
    shown = [problem.as_text() for problem in loaded.problems]
    for line in shown:
        print(line, file=sys.stderr)
    if not loaded.ok:
        path.unlink()
        return _refuse(forge, issue, [problem.message + (f" Saran: {problem.hint}" if problem.hint else "")
                                      for problem in loaded.errors])
    branch = f"pengaduan/{data['id']}"
    print(relpath)
    outputs = {"id": data["id"], "path": relpath, "branch": branch, "skipped": "false"}
    if forge is None:
        write_outputs(outputs)
        return 0
    status = _open_pull_request(forge, args.repo, event, issue, data, path, relpath, branch, shown, outputs)
    write_outputs(outputs)
    return status


def _write(repo: Path, data: dict, received: datetime, notes: str) -> Path:
    folder = repo / COMPLAINT_DIR / f"{received:%Y}"
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(20):
        data["id"] = new_id(received)
        path = folder / f"{data['id']}.md"
        try:
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(render(data).rstrip("\n") + "\n\n" + notes)
            return path
        except FileExistsError:
            continue
    raise RuntimeError("tidak menemukan id yang belum dipakai")


def _notes(issue: dict, fields: dict, policy: Policy) -> str:
    created = issue.get("created_at")
    when = ""
    if created:
        moment = datetime.fromisoformat(created.replace("Z", "+00:00"))
        when = f" pada {format_local(moment, policy.tz)}"
    login = (issue.get("user") or {}).get("login", "?")
    lines = [f"Dicatat dari formulir issue #{issue.get('number')} oleh @{login}{when}."]
    if fields.get("catatan"):
        lines += ["", fields["catatan"].strip()]
    return "\n".join(lines) + "\n"


def _refuse(forge, issue: dict, errors: list[str]) -> int:
    text = ("Formulir ini belum dapat dicatat sebagai pengaduan:\n\n" + "\n".join(f"- {e}" for e in errors)
            + "\n\nSunting issue ini (menu ··· → *Edit*) untuk memperbaikinya; pencatatan dicoba lagi "
              "otomatis setelah disimpan.")
    print(text, file=sys.stderr)
    if forge is not None and issue.get("number"):
        try:
            forge.comment(issue["number"], text)
        except ForgeError as err:
            print(f"komentar gagal: {err}", file=sys.stderr)
    write_outputs({"skipped": "false", "error": "true"})
    return 1


def _open_pull_request(forge: Forge, repo: Path, event: dict, issue: dict, data: dict, path: Path, relpath: str,
                       branch: str, problems: list[str], outputs: dict) -> int:
    number = issue["number"]
    base = (event.get("repository") or {}).get("default_branch") or forge.default_branch()
    try:
        sha = forge.branch_sha(base)
        forge.create_branch(branch, base, sha)
        forge.create_file(relpath, path.read_bytes(),
                          f"Catat pengaduan {data['id']} dari formulir #{number}", branch)
    except ForgeError as err:
        print(f"pengaduan intake: cabang/berkas tidak dapat dibuat: {err}", file=sys.stderr)
        return 1
    template = repo / ".github" / "PULL_REQUEST_TEMPLATE.md"
    checklist = template.read_text(encoding="utf-8") if template.is_file() else ""
    warnings = ("\n\n**Peringatan pemeriksaan:**\n" + "\n".join(f"- {line}" for line in problems)
                if problems else "")
    body = (f"Pengaduan `{data['id']}` dicatat otomatis dari formulir #{number} oleh "
            f"@{(issue.get('user') or {}).get('login', '?')}.\n\nCloses #{number}{warnings}\n\n{checklist}")
    pull = None
    try:
        pull = forge.create_pull(f"Pengaduan {data['id']}: {data['judul']}", branch, base, body)
        outputs.update({"pull_request": pull.get("number"), "url": pull.get("html_url", "")})
    except ForgeError as err:
        print(f"pengaduan intake: pull request tidak dapat dibuat ({err}). Berkas sudah ada di cabang "
              f"{branch}; buat pull request-nya dari halaman repositori. (Di Settings → Actions → General, "
              "izinkan GitHub Actions membuat pull request.)", file=sys.stderr)
    # The data is now in the repository: take the reporter's identity off the issue.
    where = f"PR #{pull['number']}" if pull else f"cabang `{branch}`"
    redacted = (redact(issue.get("body") or "").rstrip("\n") + "\n\n---\n"
                + MARKER.format(id=data["id"]) + "\n"
                + f"_Tercatat sebagai `{data['id']}` ({where}). Data pribadi pelapor disimpan hanya di "
                  "berkas pengaduan dan telah dihapus dari issue ini._\n")
    try:
        forge.update_issue(number, title=f"[Pengaduan] {data['judul']} ({data['id']})", body=redacted)
        forge.comment(number, f"Tercatat sebagai `{data['id']}` di {where}. Lanjutkan langkah SOP di "
                              "pull request tersebut (lihat docs/panduan-petugas.md).")
    except ForgeError as err:
        print(f"pengaduan intake: issue tidak dapat disunting ({err}); HAPUS data pribadi dari issue "
              f"#{number} secara manual.", file=sys.stderr)
        return 1
    print(f"Pengaduan {data['id']}: {where}; data pribadi disembunyikan dari issue #{number}.", file=sys.stderr)
    return 0 if pull else 1
