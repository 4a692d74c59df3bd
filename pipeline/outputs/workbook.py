"""The accreditation evidence spreadsheet (.xlsx): every complaint of a period, the totals and the
definitions of the figures (`pengaduan recap --format xlsx`)."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pipeline.outputs.recap_tables import figure_rows
from pipeline.records.complaint import declared_time, field_at
from pipeline.outputs.workbook_evidence import add_evidence_sheet
from pipeline.records.labels import (KIND_LABELS, STATE_MEANINGS, STATE_WORDS, STATUS_LABELS, UNVERIFIED,
                                     channel_label)
from pipeline.records.timeutil import date_text, format_local, zone_label
from pipeline.report.deadlines import Report
from pipeline.report.figures import JUDGEMENTS, Figures, compute, select
from pipeline.records.policy import Policy

PRIVATE_BANNER = "MEMUAT DATA PRIBADI"


PRIVATE_LABELS = {
    "pelapor.nama": "Nama pelapor", "pelapor.kontak": "Kontak pelapor", "pelapor.alamat": "Alamat pelapor",
    "pelapor.anonim": "Pelapor anonim", "pelapor.catatan": "Catatan tentang pelapor",
    "lapor_tim.petugas": "Petugas yang melapor ke tim", "rapat.peserta": "Peserta rapat",
    "rapat.catatan": "Notulen rapat", "tanggapan.petugas": "Petugas yang menyampaikan tanggapan",
    "catatan_internal": "Catatan internal", "privasi_diperiksa": "Fragmen teks yang sudah diperiksa",
}
HIDDEN = "(dirahasiakan)"


def _naive_local(moment: datetime | None, tz):
    """Excel has no time zones: the wall time in the policy's zone (the header names the zone)."""
    return moment.astimezone(tz).replace(tzinfo=None) if moment else None


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _append(sheet, values: list) -> list:
    """Write the next row; its texts stay texts ("=..." typed by a reporter is never a formula).

    Returns the row's cells. The row counter is kept on the sheet object: openpyxl's max_row
    scans every cell, which made writing n rows cost n^2.
    """
    row = getattr(sheet, "_pengaduan_rows", 0) + 1
    sheet._pengaduan_rows = row
    cells = []
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if cell.data_type == "f":
            cell.data_type = "s"
        cells.append(cell)
    return cells


def workbook_columns(policy: Policy, include_private: bool) -> list[tuple]:
    """(header, getter(item, public, tz) -> value, kind, identifying) for the complaints sheet.

    kind is "time" (a datetime cell) or "text". `identifying` columns are blanked as
    "(dirahasiakan)" on rows of confidential complaints unless private data is included.
    """
    from pipeline.outputs.opendata import private_paths
    tz = policy.tz
    zone = zone_label(tz)

    def data(path):
        return lambda item, public: field_at(public, path)

    def declared(path):
        return lambda item, public: declared_time(public, path, tz)

    columns = [
        ("ID", lambda item, public: item.complaint.id, "text", True),
        ("Judul", data(("judul",)), "text", True),
        ("Kerahasiaan", lambda item, public: item.complaint.data.get("kerahasiaan", "terbuka"), "text", False),
        ("Kanal", lambda item, public: channel_label(item.complaint.data["kanal"], policy), "text", False),
        ("Unit", lambda item, public: policy.unit_name(item.complaint.data["unit"]), "text", False),
        ("Jenis", lambda item, public: KIND_LABELS.get(item.complaint.data["jenis"]), "text", False),
        ("Status", lambda item, public: STATUS_LABELS.get(item.complaint.status), "text", False),
        (f"Diterima ({zone})", lambda item, public: item.complaint.received_at, "time", False),
        (f"Dicatat, bukti git ({zone})", lambda item, public: item.evidence.recorded_at, "time", False),
        (f"Dijawab, bukti git ({zone})", lambda item, public: item.evidence.responded_at, "time", False),
        (f"Dipublikasikan, bukti git ({zone})", lambda item, public: item.evidence.published_at, "time", False),
    ]
    for stage in policy.stages:
        if stage.limit_hours is None:
            continue
        columns += [
            (f"{stage.name}: batas ({zone})", _stage_getter(stage.id, "due_at"), "time", False),
            (f"{stage.name}: penilaian", _stage_getter(stage.id, "status"), "text", False),
        ]
    columns += [
        ("Ringkasan", data(("ringkasan",)), "text", True),
        ("Diteruskan ke", lambda item, public: "; ".join(policy.unit_name(unit) for unit in
                                                         public.get("diteruskan_ke") or []) or None, "text", False),
        ("Rencana tindak lanjut", data(("rencana_tindak_lanjut", "isi")), "text", True),
        ("Penanggung jawab tindak lanjut",
         lambda item, public: policy.unit_name(field_at(public, ("rencana_tindak_lanjut", "penanggung_jawab")))
         if field_at(public, ("rencana_tindak_lanjut", "penanggung_jawab")) else None, "text", False),
        ("Target tindak lanjut", data(("rencana_tindak_lanjut", "target")), "text", False),
        (f"Tindak lanjut selesai ({zone})", declared(("rencana_tindak_lanjut", "selesai")), "time", False),
        ("Hasil tindak lanjut", data(("rencana_tindak_lanjut", "hasil")), "text", True),
        ("Tanggapan", data(("tanggapan", "isi")), "text", True),
        (f"Tanggapan disampaikan, menurut berkas ({zone})", declared(("tanggapan", "waktu")), "time", False),
        ("Tanggapan melalui", lambda item, public: channel_label(field_at(public, ("tanggapan", "kanal")), policy)
         if field_at(public, ("tanggapan", "kanal")) else None, "text", False),
        ("Disetujui oleh", data(("tanggapan", "disetujui_oleh")), "text", False),
        (f"Disetujui pada ({zone})", declared(("tanggapan", "disetujui_pada")), "time", False),
    ]
    if include_private:
        for path, _ in private_paths():
            dotted = ".".join(path)
            columns.append((f"{PRIVATE_LABELS.get(dotted, dotted)} [PRIBADI]",
                            (lambda path: lambda item, public: field_at(item.complaint.data, path))(path),
                            "text", True))
        columns.append(("Catatan kerja (isi berkas) [PRIBADI]",
                        lambda item, public: item.complaint.body or None, "text", True))
    return columns


def _stage_getter(stage_id: str, attribute: str):
    def get(item, public):
        for result in item.stages:
            if result.stage.id == stage_id:
                value = getattr(result, attribute)
                if attribute != "status":
                    return value
                return JUDGEMENTS.get(value, value) + (" (waktu belum terverifikasi)" if result.flags else "")
        return None
    return get


def uncounted_text(count: int) -> str:
    return (f"PERHATIAN: {count} berkas pengaduan tidak sah dan TIDAK DIHITUNG dalam lembar ini; perbaiki "
            "dengan `pengaduan check`, lalu buat lembar ini lagi.")


def write_workbook(path, report: Report, policy: Policy, start: date, end: date,
                   include_private: bool = False, uncounted: int = 0) -> Figures:
    """The accreditation evidence as an .xlsx file (the file must not exist yet).

    Sheet "Pengaduan": every complaint received in the period, one row each. Without
    `include_private` only public fields are written, and confidential complaints are counted rows
    whose identifying text (id, title, summary, response, plan) reads "(dirahasiakan)". With it,
    every field is written, the sheet titles and a banner row on every sheet say
    "MEMUAT DATA PRIBADI". Sheet "Rekap": totals per channel, unit, month, type, status and SOP
    stage. Sheet "Keterangan": how the figures are defined. `uncounted`: invalid complaint files
    left out, said in a red row under the title of every sheet (the workbook is short by them).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from pipeline.records.privacy import public_view

    path = Path(path)
    tz = policy.tz
    figures = compute(report, policy=policy, start=start, end=end)
    items = select(report, policy, start, end)
    book = Workbook()
    bold = Font(bold=True)
    banner_font = Font(bold=True, color="FFFFFF", size=12)
    banner_fill = PatternFill("solid", fgColor="A11D1D")
    suffix = f" {PRIVATE_BANNER}" if include_private else ""
    title = (f"Rekap Pengaduan {policy.name}, {date_text(start)} s.d. {date_text(end)} "
             f"(ref {report.ref}, per {format_local(report.now, tz)})")
    banner = (f"{PRIVATE_BANNER}: berkas ini memuat identitas pelapor dan catatan internal. Jangan dibagikan; "
              "simpan sesuai ketentuan kerahasiaan." if include_private else
              "Hanya kolom publik. Pengaduan rahasia dihitung, tetapi judul, nomor dan isinya ditulis "
              f"\"{HIDDEN}\".")

    def head(sheet, columns_count: int) -> None:
        _append(sheet, [title])[0].font = Font(bold=True, size=12)
        cell = _append(sheet, [banner])[0]
        if include_private:
            cell.font, cell.fill = banner_font, banner_fill
            for column in range(2, max(2, columns_count) + 1):
                sheet.cell(row=2, column=column).fill = banner_fill
        else:
            cell.font = Font(italic=True)
        if uncounted:
            warning = _append(sheet, [uncounted_text(uncounted)])[0]
            warning.font, warning.fill = banner_font, banner_fill

    # Sheet 1: every complaint of the period.
    sheet = book.active
    sheet.title = ("Pengaduan" + suffix)[:31]
    columns = workbook_columns(policy, include_private)
    head(sheet, len(columns) + 1)
    for cell in _append(sheet, ["No"] + [header for header, *_ in columns]):
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, item in enumerate(items, start=1):
        public = public_view(item.complaint)
        hide = not include_private and not item.complaint.is_public
        row = [number]
        for header, getter, kind, identifying in columns:
            if hide and identifying:
                row.append(HIDDEN)
                continue
            value = getter(item, public)
            row.append(_naive_local(value, tz) if kind == "time" else _text(value))
        for cell, (header, getter, kind, identifying) in zip(_append(sheet, row)[1:], columns):
            if kind == "time":
                cell.number_format = "yyyy-mm-dd hh:mm"
    header_row = 4 if uncounted else 3
    for index, (header, getter, kind, identifying) in enumerate(columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = \
            18 if kind == "time" else (48 if identifying else 20)
    sheet.column_dimensions["A"].width = 5
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    if items:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns) + 1)}{header_row + len(items)}"

    # Sheet 2: totals.
    totals = book.create_sheet(("Rekap" + suffix)[:31])
    head(totals, 7)
    for cell in _append(totals, ["Tabel", "Kunci", "Uraian", "Jumlah", "Dari", "Persen", "Nilai"]):
        cell.font = bold
    for row in figure_rows(figures):
        cells = _append(totals, [row["tabel"], row["kunci"], row["label"], row["jumlah"], row["dari"],
                                 None if row["persen"] is None else row["persen"] / 100, row["nilai"]])
        cells[5].number_format = "0%"
    for letter, width in zip("ABCDEFG", (18, 30, 44, 10, 10, 10, 10)):
        totals.column_dimensions[letter].width = width

    # Sheet 3: claimed and proven times, flags and timestamp tokens.
    add_evidence_sheet(book, report, items, policy, title="Bukti waktu" + suffix, hidden=HIDDEN,
                       include_private=include_private, append=_append, naive_local=_naive_local, head=head)

    # Sheet 4: definitions.
    notes = book.create_sheet(("Keterangan" + suffix)[:31])
    head(notes, 1)
    for line in DEFINITIONS:
        _append(notes, [line])
    notes.column_dimensions["A"].width = 120
    book.properties.title = (PRIVATE_BANNER + " - " if include_private else "") + title
    book.properties.creator = "pengaduan recap"
    with path.open("xb") as handle:   # never overwrite: the caller checked, "x" makes sure
        book.save(handle)
    return figures


DEFINITIONS = [
    "Periode: pengaduan dihitung menurut tanggal diterima, dalam zona waktu Puskesmas.",
    "Waktu dicatat, dijawab dan dipublikasikan adalah bukti dari riwayat git, bukan waktu yang ditulis di berkas: "
    "dicatat = commit pertama berkas pengaduan; dijawab = commit pertama yang memuat tanggapan; "
    "dipublikasikan = commit yang membawa tanggapan ke cabang utama (merge pull request).",
    "Batas tahap dihitung dalam jam kerja pada hari kerja saja (libur nasional, cuti bersama dan libur "
    "daerah tidak dihitung).",
    "Penilaian tahap: " + "; ".join(f"{STATE_WORDS[code].lower()} ({meaning})"
                                    for code, meaning in STATE_MEANINGS.items()) + ".",
    f"Persentase tepat waktu = {STATE_WORDS['tepat_waktu'].lower()} / ("
    + " + ".join(STATE_WORDS[code].lower() for code in ("tepat_waktu", "terlambat", "lewat_batas", UNVERIFIED))
    + f"); tahap yang {STATE_WORDS['berjalan'].lower()} belum dinilai.",
    "Median waktu: dari diterima sampai waktu tahap itu (stempel waktu tepercaya bila ada, selain itu bukti "
    "git), untuk pengaduan yang sudah punya waktu tanpa tanda kejanggalan.",
    "Ditanggapi: pengaduan yang sudah memiliki tanggapan. Rencana tindak lanjut terlaksana: dari pengaduan "
    "dengan rencana tindak lanjut, yang sudah diisi waktu selesainya.",
    "Persentase dibulatkan ke bilangan bulat terdekat (setengah ke atas).",
    "Lembar \"Bukti waktu\": untuk setiap tahap, waktu yang diklaim riwayat git (author date) dan waktu yang "
    "dibuktikan stempel waktu tepercaya RFC 3161 (token TSA yang diverifikasi; bila ada, penilaian memakai "
    "waktu ini), serta tanda kewajaran: before_received (sebelum diterima), before_previous_step (sebelum "
    "langkah sebelumnya), future (di masa depan), author_before_committer (author date jauh sebelum "
    "tanggal commit), claimed_before_proven (klaim jauh sebelum stempel), history_backwards (tanggal "
    "mundur di riwayat), invalid_proof (ada token tidak sah), unknown_ca (stempel dari CA yang tidak "
    "dikenal), not_proven (wajib stempel, tetapi belum "
    "ada). Tahap bertanda ditulis \"waktu belum terverifikasi\".",
    "Pengaduan rahasia ikut dihitung. Tanpa --include-private, nomor, judul, ringkasan, tanggapan dan isi "
    f"rencana tindak lanjutnya ditulis \"{HIDDEN}\".",
]
