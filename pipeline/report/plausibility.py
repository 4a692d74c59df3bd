"""Plausibility flags: reasons to doubt the time git shows for a step.

A commit's dates are written by the committer's own computer: anyone can set them. Each flag
below names one sign that a time was set rather than lived. A flagged stage keeps its status for
the staff (with the reason), but the public never sees it as on time: its time is "not verified".
The tolerance is `bukti.toleransi_menit` of the policy (default 60 minutes).

The vocabulary (codes are stable: `deadlines --format json`, the workbook and integrations use
them; the texts are for people):
"""
from __future__ import annotations

from datetime import datetime, timedelta

FLAGS = {
    "before_received": "waktunya lebih awal daripada `diterima` pengaduan",
    "before_previous_step": "waktunya lebih awal daripada langkah yang harus mendahuluinya",
    "future": "tanggal commit-nya di masa depan (sesudah waktu penilaian)",
    "author_before_committer": "tanggal penulis (author date) jauh lebih awal daripada tanggal commit: "
                               "mungkin dimundurkan",
    "claimed_before_proven": "waktu yang diklaim jauh lebih awal daripada stempel waktu tepercaya",
    "history_backwards": "tanggal commit mundur dibanding commit sebelumnya di riwayat",
    "invalid_proof": "ada stempel waktu yang tidak sah (diubah, dari CA lain, atau tidak dapat "
                     "diverifikasi)",
    "unknown_ca": "stempel waktunya dari CA yang tidak dikenal (hanya tercatat di repositori, bukan TSA "
                  "publik yang dipin dan tidak diberikan auditor): tidak membuktikan apa pun",
    "removed_proof": "stempel waktu yang pernah disimpan untuk langkah ini kemudian dihapus atau diganti "
                     "di cabang stempel",
    "not_proven": "belum dibuktikan stempel waktu tepercaya (kebijakan mewajibkannya)",
}
__doc__ += "\n".join(f"- `{code}`: {text}" for code, text in FLAGS.items()) + "\n"


def describe(flags: list[str]) -> str:
    """The flags of one stage in words (Indonesian), for staff messages."""
    return "; ".join(FLAGS[flag] for flag in flags)


def stage_flags(*, claimed: datetime | None, proven: datetime | None, times, received: datetime,
                previous: datetime | None, now: datetime, tolerance: timedelta,
                invalid_proof: bool = False, require_proof: bool = False,
                unknown_ca: bool = False, brought=None, removed_proof: bool = False) -> list[str]:
    """The flags of one stage. `claimed`: the time git shows (author date, or the merge's
    committer date for publication); `proven`: the earliest valid timestamp of a version holding
    the step; `times`: the CommitTimes of the commit that shows it; `previous`: the time of the
    step before it in the SOP; `brought`: the CommitTimes of the first-parent commit that brought
    the step onto the ref (parent_committed: the latest date of the line before it)."""
    flags = []
    if claimed is not None and claimed < received - tolerance:
        flags.append("before_received")
    if claimed is not None and previous is not None and claimed < previous - tolerance:
        flags.append("before_previous_step")
    if dated_after(times, now, tolerance):
        flags.append("future")
    vouched = proven is not None and claimed is not None and abs(proven - claimed) <= tolerance
    if times is not None and times.committed - times.authored > tolerance and not vouched:
        flags.append("author_before_committer")  # (a timestamp close to the claim vouches for it)
    if proven is not None and claimed is not None and proven - claimed > tolerance:
        flags.append("claimed_before_proven")
    if _went_back(times, tolerance) or _went_back(brought, tolerance):
        flags.append("history_backwards")
    if invalid_proof:
        flags.append("invalid_proof")
    if unknown_ca:
        flags.append("unknown_ca")
    if removed_proof:
        flags.append("removed_proof")
    if require_proof and claimed is not None and proven is None:
        flags.append("not_proven")
    return flags


def dated_after(times, now: datetime, tolerance: timedelta) -> bool:
    """The commit is dated after "now" (the flag `future`): all that "now" decides of the flags."""
    return times is not None and latest_date(times) > now + tolerance


def latest_date(times) -> datetime:
    """The later of a commit's author and committer dates."""
    return max(times.authored, times.committed)


def _went_back(times, tolerance: timedelta) -> bool:
    """The commit is dated before the latest commit of the line it was made on."""
    return times is not None and times.parent_committed is not None and \
        times.committed < times.parent_committed - tolerance
