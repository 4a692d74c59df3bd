"""Open data: every public field of every public complaint, with the deadline evidence per stage.

Written into the site output by the build (`write_all`), under /data/:

    data/complaints.json   {"puskesmas", "dibuat", ..., "pengaduan": [record, ...]}
    data/complaints.csv    the same records, one row each, nested fields as dotted columns
    data/requests.json     Open311 GeoReport v2 "GET requests" (schema/open311-georeport-v2.schema.json)
    data/services.json     Open311 GeoReport v2 "GET services": one service per policy unit

What a record may hold comes from the ALLOWLIST `privacy.public_view` (the schema's
`x-visibility: public` marks); complaints marked `kerahasiaan: rahasia` get no record at all
(they are only counted in the recap). Nothing here reads the body of a file.

Every time is ISO 8601 with its offset, in the policy's time zone; times written without an
offset in a file (`2026-01-05 09:30`) are read in that zone. The fields of each file are
documented, in Indonesian, by `opendata_docs` (rendered on the /data/ page); a test makes
sure every column has its documentation.
"""
from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from pathlib import Path


from pipeline.outputs import markup
from pipeline.outputs.complaint_state import follow_up_state
from pipeline.outputs.csvcell import safe_cell
from pipeline.outputs.linefile import LineFile, PreviousChanged
from pipeline.records import schemas
from pipeline.records.labels import ENGINE_STATES, STATUS_LABELS, UNVERIFIED, stage_state_label
from pipeline.records.complaint import CLOSED_STATUSES, field_at
from pipeline.records.schemaref import follow_refs
from pipeline.records.timeutil import iso, local_iso, parse_waktu
from pipeline.records.policy import Policy

COMPLAINT_SCHEMA = "complaint.schema.json"
DATA_DIR = "data"
DESCRIPTION_LIMIT = 4000   # Open311: description is free text "limited to 4,000 characters"

EVIDENCE_FIELDS = (("dicatat", "recorded_at"), ("dijawab", "responded_at"),
                   ("dipublikasikan", "published_at"))


# --- the schema ---------------------------------------------------------------------------------

def _walk(visibility: str | None):
    """(path, schema, is_time) of every leaf field; with `visibility`, only fields whose every
    level has that mark (for "private": a field is private when it or any parent is)."""
    root = schemas.load_schema(COMPLAINT_SCHEMA)
    found = []

    def walk(node: dict, prefix: tuple, marks: tuple):
        for key, child in (node.get("properties") or {}).items():
            is_time = child.get("$ref") == "#/$defs/waktu"
            resolved = follow_refs(child, root)
            path, here = prefix + (key,), marks + (child.get("x-visibility"),)
            if resolved.get("properties"):
                walk(resolved, path, here)
            else:
                found.append((path, here, is_time))

    walk(root, (), ())
    if visibility == "public":
        return [(path, time) for path, marks, time in found if all(mark == "public" for mark in marks)]
    if visibility == "private":
        return [(path, time) for path, marks, time in found if "private" in marks]
    return [(path, time) for path, marks, time in found]


@lru_cache(maxsize=None)
def public_paths() -> tuple:
    """Every public leaf field of the complaint schema, in schema order: (path, is_time)."""
    return tuple(_walk("public"))


@lru_cache(maxsize=None)
def private_paths() -> tuple:
    """Every private leaf field (or leaf under a private object), in schema order."""
    return tuple(_walk("private"))


def _set(data: dict, path: tuple, value) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


# --- one complaint ------------------------------------------------------------------------------

def public_fields(complaint, tz) -> dict:
    """The allowlist projection of one complaint (privacy.public_view), in schema order, with
    every time normalised to ISO 8601 with offset in the policy's zone `tz`, and the status
    derived when the file does not declare it."""
    from pipeline.records.privacy import public_view  # the site's allowlist: one definition of "public"
    view = public_view(complaint)
    view["status"] = complaint.status
    ordered: dict = {}
    for path, is_time in public_paths():
        value = field_at(view, path)
        if value is None:
            continue
        if is_time and isinstance(value, str):
            try:
                value = local_iso(parse_waktu(value, tz), tz)
            except ValueError:
                pass
        _set(ordered, path, value)
    # Whatever else the allowlist kept (a public field this walk does not model) is kept as is.
    for key, value in view.items():
        ordered.setdefault(key, value)
    return ordered


def plan_state(complaint, tz, now) -> str | None:
    """How the follow-up stands against its target date on the day of `now` (the complaint
    page's words: complaint_state.follow_up_state); None without a follow-up target."""
    plan = complaint.data.get("rencana_tindak_lanjut") or {}
    if not plan.get("target"):
        return None
    done = plan.get("selesai")
    try:
        done = parse_waktu(done, tz) if isinstance(done, str) else done
    except ValueError:
        done = None
    return follow_up_state(plan["target"], done if hasattr(done, "astimezone") else None, now, tz)


def record(item, policy: Policy, base_url: str | None = None, now=None) -> dict:
    """One open-data record: public fields, derived status, evidence and stage results; `now`
    (the report's moment) judges a follow-up against its target date."""
    complaint, tz = item.complaint, policy.tz
    data = public_fields(complaint, tz)
    if isinstance(data.get("rencana_tindak_lanjut"), dict):
        data["rencana_tindak_lanjut"]["status"] = plan_state(complaint, tz, now)
    data["unit_nama"] = policy.unit_name(complaint.data["unit"])
    if base_url is not None:
        data["url"] = f"{base_url.rstrip('/')}/pengaduan/{complaint.id}/"
    data["bukti"] = {name: local_iso(getattr(item.evidence, attribute), tz)
                     for name, attribute in EVIDENCE_FIELDS}
    results = {result.stage.id: result for result in item.stages}
    stages = []
    for stage in policy.stages:
        result = results.get(stage.id)
        evidence = getattr(item.evidence, stage.evidence, None)
        stages.append({
            "tahap": stage.id,
            "nama": stage.name,
            "batas_jam_kerja": stage.limit_hours,
            "batas": iso(result.due_at.astimezone(tz)) if result else None,
            "selesai": local_iso(evidence, tz),
            "status": ((UNVERIFIED if result.flags else ENGINE_STATES[result.status])
                       if result else None),
        })
    data["tahapan"] = stages
    return data


def row_inputs(item) -> tuple:
    """What `record` and `open311_request` read of a report item beyond its complaint file, the
    policy, the address and the day: the evidence times and each stage's due time and state. Rows
    made from equal inputs are equal, so a build may reuse them (kept beside the two functions)."""
    evidence = item.evidence
    return ((evidence.recorded_at, evidence.responded_at, evidence.published_at),
            tuple((result.stage.id, result.due_at, result.status, bool(result.flags)) for result in item.stages))


def public_items(report) -> list:
    """The report's public complaints (never `kerahasiaan: rahasia`), oldest first."""
    return sorted((item for item in report.complaints if item.complaint.is_public),
                  key=lambda item: (item.complaint.received_at, item.complaint.id))


# --- complaints.json / complaints.csv -----------------------------------------------------------

def _publisher(policy: Policy) -> dict:
    fields = policy.identity.fields()
    return {key: fields[key] for key in ("nama", "alamat", "kota", "dinas") if key in fields}


def _json_head(report, policy: Policy, count: int) -> dict:
    """complaints.json without its list of records (which comes last)."""
    return {
        "puskesmas": _publisher(policy),
        "dibuat": iso(report.now.astimezone(policy.tz)),
        "ref": report.ref,
        "zona_waktu": policy.timezone_name,
        "keterangan": ("Semua kolom publik dari pengaduan yang tidak dirahasiakan, dengan bukti waktu "
                       "dari riwayat git per tahap SOP. Identitas pelapor dan catatan internal tidak "
                       "pernah dimuat; pengaduan rahasia hanya dihitung di halaman rekap."),
        "jumlah": count,
    }


def csv_columns(policy: Policy) -> list[str]:
    columns = [".".join(path) for path, _ in public_paths()]
    plan = [index for index, column in enumerate(columns) if column.startswith("rencana_tindak_lanjut.")]
    columns.insert(plan[-1] + 1 if plan else len(columns), "rencana_tindak_lanjut.status")
    columns += ["unit_nama", "url"] + [f"bukti.{name}" for name, _ in EVIDENCE_FIELDS]
    for stage in policy.stages:
        columns += [f"tahap.{stage.id}.batas", f"tahap.{stage.id}.selesai", f"tahap.{stage.id}.status"]
    return columns


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(_cell(item) for item in value)
    return str(value)


def csv_row(data: dict, prefix: str = "") -> dict:
    """A record flattened to dotted columns; `tahapan` becomes tahap.<id>.batas|selesai|status."""
    row = {}
    for key, value in data.items():
        if key == "tahapan" and not prefix:
            for stage in value:
                for field in ("batas", "selesai", "status"):
                    row[f"tahap.{stage['tahap']}.{field}"] = _cell(stage[field])
        elif isinstance(value, dict):
            row.update(csv_row(value, f"{prefix}{key}."))
        else:
            row[f"{prefix}{key}"] = _cell(value)
    return row


def csv_cells(data: dict, columns: list[str]) -> dict:
    row = csv_row(data)
    return {column: safe_cell(row.get(column, "")) for column in columns}


# --- Open311 GeoReport v2 -----------------------------------------------------------------------

def plain_text(text: str | None, limit: int = DESCRIPTION_LIMIT) -> str:
    """Markdown as plain text, at most `limit` (Open311: 4,000) characters."""
    return markup.plain_text(text, limit)


def _status_notes(item, tz=None, now=None) -> str:
    complaint = item.complaint
    notes = [f"{STATUS_LABELS.get(complaint.status, complaint.status)}."]
    plan = complaint.data.get("rencana_tindak_lanjut") or {}
    if complaint.status == "dijawab" and plan and not plan.get("selesai"):
        state = plan_state(complaint, tz, now) if tz is not None else None
        notes.append("Rencana tindak lanjut: " + stage_state_label(state).lower() + "." if state == "lewat_batas"
                     else f"Rencana tindak lanjut belum selesai: {stage_state_label(state).lower()}." if state
                     else "Rencana tindak lanjut belum selesai.")
    for result in item.stages:
        state = UNVERIFIED if result.flags else result.status
        notes.append(f"{result.stage.name}: {stage_state_label(state).lower()}.")
    return " ".join(notes)


def open311_request(item, policy: Policy, now=None) -> dict:
    complaint, tz = item.complaint, policy.tz
    evidence = item.evidence
    feedback = next((result for result in item.stages if result.stage.evidence == "responded_at"), None)
    moments = [complaint.received_at] + [moment for moment in (evidence.recorded_at, evidence.responded_at,
                                                               evidence.published_at) if moment]
    return {
        "service_request_id": complaint.id,
        "status": "closed" if complaint.status in CLOSED_STATUSES else "open",
        "status_notes": _status_notes(item, tz, now),
        "service_name": policy.unit_name(complaint.data["unit"]),
        "service_code": complaint.data["unit"],
        "description": plain_text(complaint.data.get("ringkasan")),
        "agency_responsible": policy.name,
        "service_notice": "",
        "requested_datetime": local_iso(complaint.received_at, tz),
        "updated_datetime": local_iso(max(moments), tz),
        "expected_datetime": iso(feedback.due_at.astimezone(tz)) if feedback else None,
    }


def services_json(policy: Policy) -> list[dict]:
    """GeoReport v2 GET services: one service per unit of the policy."""
    return [{
        "service_code": unit_id,
        "service_name": name,
        "description": f"Pengaduan, saran, kritik, pertanyaan dan apresiasi tentang {name} di {policy.name}.",
        "metadata": False,
        "type": "blackbox",
        "keywords": "pengaduan, saran, kritik, pertanyaan, apresiasi",
        "group": policy.name,
    } for unit_id, name in policy.units.items()]


# --- writing ------------------------------------------------------------------------------------

def _dump(data) -> str:
    """Compact JSON (Python's C encoder; no indentation to pay for in bytes and time), one list
    item per line so that a change shows as a one-line diff."""
    stream = io.StringIO()
    if isinstance(data, list):
        _stream_json(stream, data)
    elif isinstance(data, dict) and data and isinstance(list(data.values())[-1], list):
        *head, last = data
        _stream_json(stream, data[last], {name: data[name] for name in head}, last)
    else:
        stream.write(_compact(data) + "\n")
    return stream.getvalue()


def _compact(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _stream_json(handle, items, head: dict | None = None, key: str | None = None) -> None:
    """Write what `_dump` writes for a list (or for `head` with the list last under `key`), one
    item at a time: the same bytes without holding every record in memory."""
    _write_lines(handle, (_compact(item) for item in items), head, key)


LINE_FILES = ("complaints.json", "complaints.csv", "requests.json")   # one line per complaint


def write_all(output_dir, loaded, report, base_url: str | None = None, kept=None) -> list[Path]:
    """Write the four open-data files into `output_dir`/data/ and return their paths.

    `loaded` is the loader's result (its policy is used), `report` the deadline report of the same
    complaints (`deadlines.build_report`). Each complaint's JSON record, CSV row and Open311
    request are made once and written as they come (10,000 complaints would otherwise hold some
    100 MB of records); only the Open311 lines of new rows, written newest first, wait.

    `kept` (a build with a cache; see `plugin.recapdata.KeptRows`) may spare making them:
    `kept.key(item)` names a complaint's rows by their inputs (None: made), `kept.rows(key, make)`
    gives the rows kept under that key, else `make()`'s; `kept.previous` ({file name: path}) are
    the last build's files, in which `kept.place(key)` are the key's lines (offset, length) in
    each of the three line files: those lines are copied, not made (`linefile`); `kept.copied(key)`
    is told of each, and `kept.written(places, shas)` of this build's places and files.
    """
    policy = loaded.policy
    target = Path(output_dir) / DATA_DIR
    target.mkdir(parents=True, exist_ok=True)
    paths = [target / name for name in (*LINE_FILES, "services.json")]
    previous = dict(kept.previous) if kept is not None else {}
    try:
        places, shas = _write_line_files(paths[:3], report, policy, base_url, kept, previous)
    except PreviousChanged:   # the last build's file is not what its places say: make every line
        places, shas = _write_line_files(paths[:3], report, policy, base_url, kept, {})
    if kept is not None:
        kept.written(places, shas)
    paths[3].write_text(_dump(services_json(policy)), encoding="utf-8", newline="")
    return paths


def _write_line_files(paths: list[Path], report, policy: Policy, base_url, kept, previous: dict):
    """complaints.json, complaints.csv and requests.json; returns each key's places in them and
    the files' sha256 by name."""
    items = public_items(report)
    columns = csv_columns(policy)
    csv_line = _csv_liner(columns)

    def rows(item) -> tuple[str, str, str]:
        data = record(item, policy, base_url, report.now)
        return _compact(data), csv_line(csv_cells(data, columns)), _compact(open311_request(item, policy, report.now))

    files = [LineFile(path, previous.get(path.name)) for path in paths]
    try:
        json_file, csv_file, request_file = files
        copying = all(file.has_previous for file in files)
        prefix, _, suffix = _compact({**_json_head(report, policy, len(items)), "pengaduan": []}).rpartition("[]")
        json_file.text(prefix + "[")
        csv_file.text(csv_line(dict(zip(columns, columns))))
        lines, requests = [], []
        for number, item in enumerate(items):
            key = kept.key(item) if kept is not None else None
            old = kept.place(key) if copying and key is not None else None
            made = None
            if old is None:
                made = kept.rows(key, lambda item=item: rows(item)) if key is not None else rows(item)
            else:
                kept.copied(key)
            lines.append((key, json_file.line(",\n" if number else "\n", made and made[0], old and old[0]),
                          csv_file.line("", made and made[1], old and old[1])))
            requests.append((made and made[2], old and old[2]))
        json_file.text(("\n]" if items else "]") + suffix + "\n")
        request_file.text("[")
        placed = [request_file.line(",\n" if number else "\n", text, old)
                  for number, (text, old) in enumerate(reversed(requests))]
        request_file.text(("\n]" if requests else "]") + "\n")
        shas = {path.name: file.close() for path, file in zip(paths, files)}
    except BaseException:
        for file in files:
            file.discard()
        raise
    placed.reverse()
    places = {key: (json_place, csv_place, request_place)
              for (key, json_place, csv_place), request_place in zip(lines, placed) if key is not None}
    return places, shas


def _csv_liner(columns: list[str]):
    """One CSV row as its text, as `csv.DictWriter` writes it (kept as text, a reused row costs
    one write)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="raise")

    def line(cells: dict) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()
    return line


def _write_lines(handle, lines, head: dict | None = None, key: str | None = None) -> None:
    """`_stream_json` of items already encoded, one at a time."""
    prefix, suffix = "", ""
    if head is not None:
        prefix, _, suffix = _compact({**head, key: []}).rpartition("[]")
    handle.write(prefix + "[")
    first = True
    for line in lines:
        handle.write(("\n" if first else ",\n") + line)
        first = False
    handle.write(("]" if first else "\n]") + suffix + "\n")
