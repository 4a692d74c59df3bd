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

import sys
from datetime import datetime
from pathlib import Path


from pipeline.commands.forge import EventError, Forge, ForgeError, load_event, write_outputs
from pipeline.records.loader import load
from pipeline.records.policy import Policy
from pipeline.records.timeutil import format_local, iso, parse_waktu
from pipeline.commands.common import add_now, add_repo, now_or_clock, policy_or_why
from pipeline.commands.new import BODY, NotCreated, create
from pipeline.commands.issue_form import (CONFIDENTIAL_UNREADABLE, FORM_PATH, HIDDEN, LABEL, LABELS, MARKER,
                                          MARKER_RE, TRUSTED, UNREADABLE, _choice, complaint_data,
                                          confidentiality, form_yaml, parse_body, redact)

__all__ = ["FORM_PATH", "HIDDEN", "LABELS", "_choice", "form_yaml", "parse_body", "redact"]
PULL_MARKER = "<!-- pengaduan-intake-issue: {number} -->"
KEPT_BY_GITHUB = (
    "GitHub tetap menyimpan teks asli issue di riwayat suntingannya (menu *diedit*), judul lama di "
    "catatan *mengubah judul*, dan salinannya di email notifikasi yang sudah terkirim. Bila judul "
    "atau teks asli memuat data pribadi, admin repositori menghapus issue ini seluruhnya: kolom "
    "kanan issue → *Delete issue* (hanya admin; berkas pengaduan dan pull request tidak ikut terhapus).")

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


# --- the command -------------------------------------------------------------------------------

def run(args) -> int:
    policy, code = policy_or_why(args.repo, "intake")
    if policy is None:
        return code
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
    try:
        event = load_event(args.event)
    except EventError as err:
        print(f"pengaduan intake: {err} Saran: jalankan dari workflow issues, yang menyimpan payload-nya "
              "di $GITHUB_EVENT_PATH.", file=sys.stderr)
        return 2
    forge = Forge.from_env() if args.open_pr else None
    if args.open_pr and forge is None:
        print("pengaduan intake --open-pr: GITHUB_TOKEN dan GITHUB_REPOSITORY wajib ada.", file=sys.stderr)
        return 2
    issue = event.get("issue") or {}
    skipped = _skip_reason(None, issue, args.label)  # the event's copy first: no API call for others' issues
    if skipped:
        print(skipped[0], file=sys.stderr)
        write_outputs({"skipped": "true", **skipped[1]})
        return 0
    refusal = _public_repository(forge, event)
    if refusal:
        return _refuse(forge, issue, [refusal], headline="Formulir ini TIDAK dicatat:")
    if forge is not None and issue.get("number"):
        try:  # the event's copy may be stale (`opened` and `labeled` arrive for one issue): re-read
            issue = forge.issue(issue["number"])
        except ForgeError as err:
            print(f"pengaduan intake: issue #{issue.get('number')} tidak dapat dibaca ulang ({err}).",
                  file=sys.stderr)
            return 1
    skipped = _skip_reason(forge, issue, args.label)
    if skipped:
        print(skipped[0], file=sys.stderr)
        write_outputs({"skipped": "true", **skipped[1]})
        return 0
    now = now_or_clock(args.now)
    fields = parse_body(issue.get("body") or "")
    if fields is None:
        return _refuse(forge, issue, [
            "teks issue tidak lagi tersusun seperti formulir “Catat pengaduan” (judul kolom `### ...` "
            "hilang, berubah atau berpindah urutan), jadi isinya tidak dapat dibaca dengan pasti."])
    data, errors = complaint_data(fields, policy)
    if errors:
        return _refuse(forge, issue, errors)
    notices = [] if confidentiality(fields.get("kerahasiaan", UNREADABLE))[1] else [CONFIDENTIAL_UNREADABLE]
    for notice in notices:
        print(notice, file=sys.stderr)
    received = parse_waktu(data["diterima"], policy.tz).astimezone(policy.tz)
    data["diterima"] = iso(received)
    try:
        path = _write(args.repo, data, _notes(issue, fields, policy))
    except FileExistsError:
        print("pengaduan intake: tidak menemukan id yang belum dipakai; coba lagi.", file=sys.stderr)
        return 1
    except NotCreated as err:
        print(f"pengaduan intake: {err}", file=sys.stderr)
        return 1
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
    status = _open_pull_request(forge, args.repo, event, issue, data, path, relpath, branch,
                                notices + shown, outputs)
    write_outputs(outputs)
    return status


def _write(repo: Path, data: dict, notes: str) -> Path:
    """The complaint's file, written as `pengaduan new` writes one (its id set in `data`)."""
    path = create(repo, data, notes=BODY.rstrip("\n") + "\n\n" + notes)
    data["id"] = path.stem
    return path


def _notes(issue: dict, fields: dict, policy: Policy) -> str:
    created = issue.get("created_at")
    try:
        moment = datetime.fromisoformat(created.replace("Z", "+00:00")) if created else None
    except ValueError:
        moment = None   # (not a time GitHub writes: left out)
    when = f" pada {format_local(moment, policy.tz)}" if moment and moment.tzinfo else ""
    login = (issue.get("user") or {}).get("login", "?")
    lines = [f"Dicatat dari formulir issue #{issue.get('number')} oleh @{login}{when}."]
    if fields.get("catatan"):
        lines += ["", fields["catatan"].strip()]
    return "\n".join(lines) + "\n"


def _public_repository(forge, event: dict) -> str | None:
    """Why the form may not be recorded here: the repository is public (or may be)."""
    repository = event.get("repository") or {}
    private = repository.get("private")
    if forge is not None:
        try:
            private = forge.repository_info().get("private")
        except ForgeError as err:
            return f"sifat repositori (privat atau publik) tidak dapat dibaca ({err})."
    if private is True:
        return None
    what = "PUBLIK" if private is False else "mungkin publik (tidak tercatat privat)"
    return (f"repositori ini {what}. Berkas pengaduan memuat identitas pelapor, jadi hanya dicatat di "
            "repositori PRIVAT (Settings → General → Danger Zone → Change visibility → Private). "
            "Issue ini dapat dibaca siapa saja: admin repositori sebaiknya menghapusnya seluruhnya "
            "(kolom kanan issue → *Delete issue*) dan mencatat ulang pengaduannya setelah repositori privat.")


def _skip_reason(forge, issue: dict, label: str) -> tuple[str, dict] | None:
    """Why this issue makes no complaint: not the form, not the team's, or recorded already."""
    number = issue.get("number")
    if label not in {item.get("name") for item in issue.get("labels") or []}:
        return f"Issue #{number} tidak berlabel `{label}`: bukan formulir pengaduan.", {}
    association = issue.get("author_association")
    if association and association not in TRUSTED:
        return (f"Issue #{number} dibuat oleh bukan anggota tim ({association}): tidak dicatat otomatis. "
                "Catat dengan `pengaduan new` bila memang pengaduan.", {})
    done_before = MARKER_RE.search(issue.get("body") or "")
    if done_before:
        return (f"Issue #{number} sudah dicatat sebagai {done_before.group(1)}; tidak ada yang dikerjakan.",
                {"id": done_before.group(1)})
    if forge is not None:  # recorded, but the issue was not edited afterwards (a run that stopped)
        marker = PULL_MARKER.format(number=number)
        for pull in forge.open_pulls():
            if marker in (pull.get("body") or ""):
                return (f"Issue #{number} sudah punya pull request #{pull.get('number')}; tidak ada yang "
                        "dikerjakan.", {})
    return None


def _refuse(forge, issue: dict, errors: list[str],
            headline: str = "Formulir ini belum dapat dicatat sebagai pengaduan:") -> int:
    fixable = headline.startswith("Formulir ini belum")
    text = (headline + "\n\n" + "\n".join(f"- {e}" for e in errors)
            + ("\n\nSunting issue ini (menu ··· → *Edit*) untuk memperbaikinya; pencatatan dicoba lagi "
               "otomatis setelah disimpan." if fixable else ""))
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
            f"@{(issue.get('user') or {}).get('login', '?')}.\n\nCloses #{number}{warnings}\n\n{checklist}"
            f"\n\n{PULL_MARKER.format(number=number)}\n")
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
                + f"_Tercatat sebagai `{data['id']}` ({where}). Data pribadi pelapor disimpan di berkas "
                  f"pengaduan dan disembunyikan dari teks issue ini. {KEPT_BY_GITHUB}_\n")
    try:
        forge.update_issue(number, title=f"[Pengaduan] {data['judul']} ({data['id']})", body=redacted)
        forge.comment(number, f"Tercatat sebagai `{data['id']}` di {where}. Lanjutkan langkah SOP di "
                              "pull request tersebut (lihat docs/panduan-petugas.md).\n\n"
                              f"Data pribadi disembunyikan dari teks issue. {KEPT_BY_GITHUB}")
    except ForgeError as err:
        print(f"pengaduan intake: issue tidak dapat disunting ({err}); HAPUS data pribadi dari issue "
              f"#{number} secara manual.", file=sys.stderr)
        return 1
    print(f"Pengaduan {data['id']}: {where}; data pribadi disembunyikan dari teks issue #{number} (riwayat "
          "suntingannya di GitHub masih menyimpannya: hapus issue bila perlu).", file=sys.stderr)
    return 0 if pull else 1
