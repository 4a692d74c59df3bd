"""The sentences of a complaint page that depend on how far the complaint got.

Every word comes from the one status vocabulary (`pipeline.records.labels`); every sentence is
chosen from the complaint's own marks (the timeline made by `views.timeline` from the deadline
evidence) and from the build's "now", so that nothing on a page contradicts another part of it:
no "being handled" above "late", no "not published" on a published page, a follow-up whose
target date has passed marked late.
"""
from __future__ import annotations

from datetime import date, datetime

from pipeline.outputs.text import tanggal_iso
from pipeline.records.labels import (PROGRESS_MEANINGS, STAGE_STATES, STATUS_LABELS, STATUS_MEANINGS,
                                     stage_state)

OVERDUE = "lewat_batas"


def mark(state: str | None) -> dict | None:
    """{"id", "label"} of a stage state, for a badge; None for none."""
    state = stage_state(state)
    return {"id": state, "label": STAGE_STATES[state]} if state else None


def status(code: str) -> dict:
    return {"id": code, "label": STATUS_LABELS.get(code, code), "arti": STATUS_MEANINGS.get(code, "")}


def _target_date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def target_passed(target, now: datetime | None, tz) -> bool | None:
    """Whether a follow-up's target day has passed on the day of `now` (None: no valid target, or
    no "now"). It is all that "now" changes in a complaint's page and open-data rows
    (`follow_up_state`), so the build cache keys them by it, not by the day."""
    day = _target_date(target) if target else None
    if day is None or now is None:
        return None
    return now.astimezone(tz).date() > day


def follow_up_state(target, done_at: datetime | None, now: datetime | None, tz) -> str | None:
    """How a follow-up stands against its target date (a whole day: due at its end)."""
    day = _target_date(target) if target else None
    if day is None:
        return None
    if done_at is not None:
        return "tepat_waktu" if done_at.astimezone(tz).date() <= day else "terlambat"
    passed = target_passed(target, now, tz)
    return None if passed is None else OVERDUE if passed else "berjalan"


def not_done_text(row: dict, answered: bool) -> str:
    """What a timeline step without a time says."""
    if row["selesai"]:
        return "Sudah"
    if row.get("evidence") == "published_at" and not answered:
        return "Menunggu tanggapan"
    return "Belum"


def no_response_text(rows: list[dict], response_evidence: str = "responded_at") -> str:
    """The sentence under "Tanggapan Puskesmas" while there is no response."""
    row = next((r for r in rows if r.get("evidence") == response_evidence), None)
    due = (row or {}).get("batas_waktu_teks")
    state = (row or {}).get("keadaan")
    if state == OVERDUE:
        return (f"Belum ada tanggapan, padahal batas waktunya ({due}) sudah lewat."
                if due else "Belum ada tanggapan, padahal batas waktunya sudah lewat.")
    if state == "berjalan" and due:
        return f"Belum ada tanggapan. Tanggapan paling lambat {due}."
    return "Belum ada tanggapan."


def progress(code: str, rows: list[dict], answered: bool, plan: dict | None) -> str:
    """How far the complaint got (a PROGRESS_MEANINGS key), from its timeline first and its
    file's status second: a complaint whose file still says "baru" but whose timeline shows it
    reported to the team is "dilaporkan", never "not reported yet"."""
    if answered:
        if plan:
            follow_up = next((r for r in rows if r["id"] == "tindak_lanjut"), None)
            return "selesai" if follow_up is not None and follow_up["selesai"] else "tindak_lanjut_berjalan"
        return "selesai" if code == "selesai" else "dijawab"
    reported = any(r["selesai"] for r in rows if r.get("evidence") == "recorded_at")
    if not reported:
        return "diterima"
    return "diproses" if code in ("diproses", "dijawab", "selesai") else "dilaporkan"


def describe(view: dict, plan: dict | None, now: datetime | None, tz) -> None:
    """Adds to a complaint view: the overall mark, the sentence for a missing response, each
    timeline step's words, and the follow-up's state."""
    rows = view["linimasa"]
    answered = bool(view.get("tanggapan"))
    if view.get("rencana") is not None and plan:
        rencana = view["rencana"]
        row = next((r for r in rows if r["id"] == "tindak_lanjut"), None)
        state = follow_up_state(plan.get("target"), row["waktu"] if row else None, now, tz)
        target = tanggal_iso(plan["target"]) if plan.get("target") else ""
        if row is not None:
            row["keadaan"], row["keadaan_teks"] = state, STAGE_STATES.get(state, "") if state else ""
            row["batas_teks"] = target     # shown as "Target: …"
        rencana["keadaan"] = mark(state)
        if rencana.get("selesai_teks"):
            rencana["pelaksanaan_teks"] = f"Selesai {rencana['selesai_teks']}"
        elif state == OVERDUE:
            rencana["pelaksanaan_teks"] = f"Belum selesai; target {target} sudah lewat"
        else:
            rencana["pelaksanaan_teks"] = "Belum selesai"
    for row in rows:
        row["tanpa_waktu"] = not_done_text(row, answered)
    view["status"]["arti"] = PROGRESS_MEANINGS[progress(view["status"]["id"], rows, answered, plan)]
    view["keadaan"] = mark(OVERDUE) if any(r.get("keadaan") == OVERDUE for r in rows) else None
    view["belum_tanggapan"] = "" if answered else no_response_text(rows)
