"""Validation of complaint records: the schema, then the rules a schema cannot say."""
from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from pathlib import PurePosixPath

from pipeline.records import schemas
from pipeline.records.policy import Policy
from pipeline.records.problems import Problem
from pipeline.records.reportertext import reporter_in_public_text
from pipeline.records.complaint import CLOSED_STATUSES, Complaint, field_at
from pipeline.records.source import dotted
from pipeline.records.timeutil import is_waktu, iso, parse_waktu, zone_label

COMPLAINT_SCHEMA = "complaint.schema.json"

# The SOP's order of steps: each declared time must not precede the one before it.
STEP_ORDER = [
    (("diterima",), "diterima"),
    (("lapor_tim", "waktu"), "dilaporkan ke tim"),
    (("rapat", "waktu"), "rapat tim"),
    (("tanggapan", "disetujui_pada"), "disetujui kepala puskesmas"),
    (("tanggapan", "waktu"), "tanggapan diberikan"),
]
AFTER_RECEIPT = [(("rencana_tindak_lanjut", "selesai"), "tindak lanjut selesai")]


def validate_complaint(complaint: Complaint, policy: Policy, now: datetime) -> list[Problem]:
    """Every problem of one record. Sets `received_at` when the record is valid."""
    return with_time_checks(complaint, policy, now, checks_without_time(complaint, policy))


def checks_without_time(complaint: Complaint, policy: Policy) -> tuple[list[Problem], list[Problem], datetime | None]:
    """The problems that do not depend on "now": those said before the times in the future, and
    those said after them; and the latest time the file declares (the site build's cache keeps
    them with the record, so a rebuild looks at a file's times only when one is after "now")."""
    before = schemas.validate(complaint.document, COMPLAINT_SCHEMA, complaint.shown)
    before += _check_identity(complaint, policy)
    before += _check_policy_references(complaint, policy)
    after = _check_order(complaint, policy) + _check_zones(complaint, policy) + _check_closed_has_response(complaint)
    after += reporter_in_public_text(complaint, policy)
    return before, after, max((moment for _, _, moment in _declared(complaint, policy) if moment), default=None)


def with_time_checks(complaint: Complaint, policy: Policy, now: datetime,
                     found: tuple[list[Problem], list[Problem], datetime | None]) -> list[Problem]:
    """`checks_without_time`'s problems with the times in the future (after `now`) between them.
    Sets `received_at` when the record is valid."""
    before, after, latest = found
    future = _check_future(complaint, policy, now) if latest is not None and latest > now else []
    problems = before + future + after
    if not any(problem.is_error for problem in problems):
        complaint.received_at = parse_waktu(complaint.data["diterima"], policy.tz)
    return problems


def _at(complaint: Complaint, path: tuple, message: str, hint: str, severity="error") -> Problem:
    line, column = complaint.position(*path)
    return Problem(complaint.shown, line, column, message, hint, dotted(path), severity)


def _id_pattern() -> re.Pattern:
    return re.compile(schemas.load_schema(COMPLAINT_SCHEMA)["properties"]["id"]["pattern"])


def _check_identity(complaint: Complaint, policy: Policy) -> list[Problem]:
    complaint_id, received = complaint.data.get("id"), complaint.data.get("diterima")
    if not isinstance(complaint_id, str) or not _id_pattern().search(complaint_id):
        return []  # the schema's problem says how to write an id; a file name cannot fix it
    problems = []
    name = PurePosixPath(complaint.shown)
    if name.stem != complaint_id:
        problems.append(_at(complaint, ("id",),
                            f"id `{complaint_id}` tidak sama dengan nama berkas `{name.name}`.",
                            f"Ganti nama berkas menjadi `{complaint_id}.md`, kecuali berkas dengan nama itu sudah ada "
                            "(maka berkas ini salinannya: beri id baru dengan `pengaduan new`, atau hapus salinan "
                            "ini); atau perbaiki id-nya."))
    id_date = complaint_id[4:12]
    if len(id_date) == 8 and id_date.isdigit():
        year = id_date[:4]
        if name.parent.name != year:
            problems.append(_at(complaint, ("id",),
                                f"berkas berada di folder `{name.parent.name}`, bukan folder tahun `{year}`.",
                                f"Pindahkan berkas ke content/complaints/{year}/."))
        if is_waktu(received):
            local = parse_waktu(received, policy.tz).astimezone(policy.tz)
            local_day = local.strftime("%Y%m%d")
            if local_day != id_date:
                right_id = f"{complaint_id[:4]}{local_day}{complaint_id[12:]}"
                problems.append(_at(complaint, ("id",),
                                    f"tanggal di id ({_day(id_date)}) berbeda dengan tanggal "
                                    f"`diterima` ({_day(local_day)} {zone_label(policy.tz, local)}).",
                                    f"Id memuat tanggal pengaduan diterima. Bila `diterima` benar, "
                                    f"ganti id menjadi `{right_id}` dan nama berkas menjadi "
                                    f"`{right_id}.md`" + (f" di folder content/complaints/{local_day[:4]}/"
                                                           if local_day[:4] != year else "")
                                    + "; bila id benar, perbaiki `diterima`."))
    return problems


def _unknown_unit(complaint, path, unit, policy: Policy) -> Problem:
    guess = difflib.get_close_matches(str(unit), list(policy.units), n=1, cutoff=0.5)
    hint = (f"Mungkin maksud Anda `{guess[0]}`? " if guess else "") + \
        f"Unit di puskesmas.yaml: {', '.join(policy.units)}."
    return _at(complaint, path, f"unit `{unit}` tidak ada di puskesmas.yaml.",
               hint + " Bila unit ini memang ada, tambahkan di bagian `unit` puskesmas.yaml.")


def _day(yyyymmdd: str) -> str:
    return f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}"


def _check_policy_references(complaint: Complaint, policy: Policy) -> list[Problem]:
    data, problems = complaint.data, []
    unit = data.get("unit")
    if isinstance(unit, str) and unit not in policy.units:
        problems.append(_unknown_unit(complaint, ("unit",), unit, policy))
    forwarded = data.get("diteruskan_ke")
    for index, unit in enumerate(forwarded if isinstance(forwarded, list) else []):
        if isinstance(unit, str) and unit not in policy.units:
            problems.append(_unknown_unit(complaint, ("diteruskan_ke", index), unit, policy))
    plan = data.get("rencana_tindak_lanjut")
    owner = plan.get("penanggung_jawab") if isinstance(plan, dict) else None
    if isinstance(owner, str) and owner not in policy.units:
        problems.append(_unknown_unit(complaint, ("rencana_tindak_lanjut", "penanggung_jawab"), owner, policy))
    channel = data.get("kanal")
    if isinstance(channel, str) and channel in schemas.load_schema(COMPLAINT_SCHEMA)["$defs"]["kanal"]["enum"] \
            and channel not in policy.channels:
        problems.append(_at(complaint, ("kanal",),
                            f"kanal `{channel}` tidak dibuka oleh puskesmas ini (lihat puskesmas.yaml).",
                            f"Kanal yang tersedia: {', '.join(policy.channels)}. Bila kanal ini memang "
                            "dibuka, tambahkan di bagian `kanal` puskesmas.yaml."))
    return problems


def _declared(complaint: Complaint, policy: Policy) -> list:
    return [(path, label, complaint.declared_time(path, policy.tz)) for path, label in STEP_ORDER + AFTER_RECEIPT]


def _check_future(complaint: Complaint, policy: Policy, now: datetime) -> list[Problem]:
    return [_at(complaint, path, f"waktu `{label}` ({iso(moment.astimezone(policy.tz))}) ada di masa depan.",
                "Periksa tanggal, jam dan zona waktunya (WIB +07:00, WITA +08:00, WIT +09:00).")
            for path, label, moment in _declared(complaint, policy) if moment and moment > now]


def _check_order(complaint: Complaint, policy: Policy) -> list[Problem]:
    problems = []
    declared = _declared(complaint, policy)
    previous = None
    for path, label, moment in declared[:len(STEP_ORDER)]:
        if moment is None:
            continue
        if previous and moment < previous[2]:
            problems.append(_at(complaint, path,
                                f"waktu `{label}` lebih awal daripada `{previous[1]}` "
                                f"({iso(previous[2].astimezone(policy.tz))}).",
                                "Urutan SOP: diterima, dilaporkan ke tim, rapat, disetujui, tanggapan. "
                                "Periksa tanggal dan jamnya."))
        previous = (path, label, moment)
    received = declared[0][2]
    for path, label, moment in declared[len(STEP_ORDER):]:
        if received and moment and moment < received:
            problems.append(_at(complaint, path, f"waktu `{label}` lebih awal daripada `diterima`.",
                                "Periksa tanggal dan jamnya."))
    return problems + _check_plan_target(complaint, received, policy)


def _check_zones(complaint: Complaint, policy: Policy) -> list[Problem]:
    """A time written with another zone than the Puskesmas's: most often a wall-clock time saved
    in the zone of a computer set wrongly (09:30 typed, `+00:00` saved: 7 hours off in WIB)."""
    problems = []
    for path, _ in STEP_ORDER + AFTER_RECEIPT:
        value = field_at(complaint.data, path)
        if not is_waktu(value):
            continue
        written = parse_waktu(value, policy.tz)
        local = written.astimezone(policy.tz)
        if written.utcoffset() == local.utcoffset() or not _OFFSET.search(value):
            continue
        zone = zone_label(policy.tz, local)
        own = iso(local)[-6:]
        same_clock = iso(written.replace(tzinfo=None).replace(tzinfo=policy.tz))
        name = ".".join(path)
        offset = _OFFSET.search(value).group()
        problems.append(_at(complaint, path,
                            f"`{name}` ditulis dengan zona waktu `{offset}`{' (UTC)' if offset == 'Z' else ''}, bukan zona "
                            f"Puskesmas ({zone}, {own} menurut `zona_waktu` di puskesmas.yaml).",
                            f"Bila jam yang tertulis adalah jam {zone}, tulis `{name}: {same_clock}`; bila "
                            f"zonanya memang benar, tulis waktu yang sama dalam {zone}: `{name}: {iso(local)}`.",
                            "warning"))
    return problems


_OFFSET = re.compile(r"(Z|[+-]\d{2}:\d{2})$")


def _check_plan_target(complaint: Complaint, received: datetime | None, policy: Policy) -> list[Problem]:
    """A follow-up plan cannot be due before the complaint arrived (a typo in the year, usually)."""
    target = field_at(complaint.data, ("rencana_tindak_lanjut", "target"))   # the section may be text
    if received is None or not isinstance(target, str):
        return []
    try:
        day = date.fromisoformat(target)
    except ValueError:
        return []  # not a date: the schema already says so
    received_day = received.astimezone(policy.tz).date()
    if day >= received_day:
        return []
    return [_at(complaint, ("rencana_tindak_lanjut", "target"),
                f"target rencana tindak lanjut ({target}) lebih awal daripada tanggal diterima ({received_day}).",
                "Tulis tanggal target yang sama dengan atau sesudah tanggal pengaduan diterima; periksa tahunnya.")]


def _check_closed_has_response(complaint: Complaint) -> list[Problem]:
    status = complaint.data.get("status")
    if status in CLOSED_STATUSES and not complaint.data.get("tanggapan"):
        return [_at(complaint, ("status",), f"status `{status}` tetapi belum ada `tanggapan`.",
                    "Tambahkan `tanggapan:` dengan `isi:` jawaban kepada pelapor, atau ubah status "
                    "menjadi `diproses`.")]
    return []


def check_unique_ids(complaints: list[Complaint]) -> list[Problem]:
    """Ids must be unique across the repository, whatever folder the files are in.

    Every file of a clash is reported (each naming the others): which one should change is for
    people to decide, not for the order of the file names.
    """
    first: dict = {}     # id -> the first file that has it
    shared: dict = {}    # id -> every file that has it, when more than one does (rare: no list a file)
    for complaint in complaints:
        data = complaint.data
        complaint_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(complaint_id, str):
            continue
        earlier = first.setdefault(complaint_id, complaint)
        if earlier is complaint:
            continue
        sharing = shared.setdefault(complaint_id, [earlier])
        if all(other.shown != complaint.shown for other in sharing):
            sharing.append(complaint)  # (the same file read twice is not a clash)
    problems = []
    for complaint_id in first if shared else ():   # (in the order the ids first came)
        sharing = shared.get(complaint_id, ())
        if len(sharing) < 2:
            continue
        for complaint in sharing:
            others = ", ".join(other.shown for other in sharing if other is not complaint)
            problems.append(_at(complaint, ("id",), f"id `{complaint_id}` dipakai juga oleh {others}.",
                                "Setiap pengaduan perlu id sendiri. Bila keduanya pengaduan yang sama, "
                                "hapus salah satu berkas; bila berbeda, buat id baru untuk salah "
                                "satunya dengan `pengaduan new` lalu pindahkan isinya."))
    return problems
