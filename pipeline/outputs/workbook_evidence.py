"""The "Bukti waktu" sheet of the accreditation workbook: per complaint and SOP stage, the time
git claims, the time a trusted timestamp proves, the TSA and the plausibility flags; then every
timestamp token with whether it verified (what `pengaduan bukti` prints, for surveyors)."""
from __future__ import annotations

from pipeline.records.policy import Policy
from pipeline.records.timeutil import zone_label
from pipeline.report.figures import JUDGEMENTS
from pipeline.report.plausibility import describe

HEADERS = ["ID", "Tahap", "Penilaian", "Diklaim git ({zone})", "Terbukti stempel waktu ({zone})", "TSA",
           "Tanda", "Alasan"]
TOKEN_HEADERS = ["Token", "TSA", "Waktu token ({zone})", "Versi", "Sah", "Alasan"]


def add_evidence_sheet(book, report, items, policy: Policy, *, title: str, hidden: str, include_private: bool,
                       append, naive_local, head) -> None:
    """Write the sheet into `book` (helpers from workbook.py: append, naive_local, head)."""
    from openpyxl.styles import Font

    tz = policy.tz
    zone = zone_label(tz)
    sheet = book.create_sheet(title[:31])
    head(sheet, len(HEADERS))
    for cell in append(sheet, [header.format(zone=zone) for header in HEADERS]):
        cell.font = Font(bold=True)
    for item in items:
        shown_id = item.complaint.id if include_private or item.complaint.is_public else hidden
        for result in item.stages:
            cells = append(sheet, [
                shown_id, result.stage.name, JUDGEMENTS.get(result.status, result.status),
                naive_local(result.claimed_at, tz), naive_local(result.proven_at, tz), result.proof_tsa,
                ", ".join(result.flags) or None, describe(result.flags) or None])
            for cell in cells[3:5]:
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
    tokens = report.proofs.tokens if report.proofs is not None else []
    append(sheet, [])
    append(sheet, ["Stempel waktu (RFC 3161) di cabang pengaduan-stempel: "
                   + (f"{len(tokens)} token, {sum(1 for token in tokens if not token.valid)} tidak sah."
                      if tokens else "belum ada.")])[0].font = Font(bold=True)
    if tokens:
        for cell in append(sheet, [header.format(zone=zone) for header in TOKEN_HEADERS]):
            cell.font = Font(bold=True)
        for token in tokens:
            cells = append(sheet, [token.path, token.tsa, naive_local(token.gen_time, tz), len(token.blobs),
                                   "ya" if token.valid else "TIDAK", token.reason or None])
            cells[2].number_format = "yyyy-mm-dd hh:mm:ss"
    for letter, width in zip("ABCDEFGH", (24, 34, 16, 20, 20, 18, 28, 60)):
        sheet.column_dimensions[letter].width = width
