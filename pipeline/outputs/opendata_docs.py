"""The documentation of the open data, in Indonesian: every file and the meaning of each field.

The /data/ page shows `documentation(policy)`; a test makes sure every column written by
`opendata` has its documentation here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from pipeline.outputs.opendata import csv_columns
from pipeline.records.policy import Policy

FIELD_DOCS = {
    "id": "Nomor pengaduan: ADU-TTTTBBHH-XXXX (tahun, bulan dan tanggal diterima + 4 karakter).",
    "judul": "Judul singkat pengaduan (tanpa identitas pelapor).",
    "diterima": "Waktu pengaduan diterima melalui kanalnya (ISO 8601 dengan zona waktu).",
    "kanal": "Kanal pengaduan: email, instagram, facebook, whatsapp, telepon, langsung, rapat, "
             "kotak_saran, website atau lainnya.",
    "jenis": "Jenis umpan balik: keluhan, saran, kritik, pertanyaan atau apresiasi.",
    "unit": "Kode unit layanan yang diadukan (lihat services.json).",
    "ringkasan": "Ringkasan pengaduan yang sudah dianonimkan (Markdown).",
    "kerahasiaan": "Selalu `terbuka` bila diisi: pengaduan rahasia tidak pernah dimuat di data terbuka.",
    "status": "baru, diproses, dijawab (tanggapan sudah diberikan) atau selesai (tanggapan diberikan "
              "dan rencana tindak lanjut, bila ada, sudah dilaksanakan).",
    "lapor_tim.waktu": "Waktu pengaduan dilaporkan ke tim pengelola pengaduan, menurut berkas.",
    "rapat.waktu": "Waktu rapat internal tim yang membahas pengaduan, menurut berkas.",
    "diteruskan_ke": "Kode unit yang menerima distribusi pengaduan (dipisah `;` di CSV).",
    "rencana_tindak_lanjut.isi": "Rencana tindak lanjut yang disetujui Kepala Puskesmas (Markdown).",
    "rencana_tindak_lanjut.penanggung_jawab": "Kode unit penanggung jawab tindak lanjut.",
    "rencana_tindak_lanjut.target": "Tanggal target tindak lanjut (YYYY-MM-DD).",
    "rencana_tindak_lanjut.selesai": "Waktu tindak lanjut dilaksanakan (kosong: belum).",
    "rencana_tindak_lanjut.hasil": "Hasil tindak lanjut (Markdown).",
    "rencana_tindak_lanjut.status": "Keadaan tindak lanjut terhadap tanggal targetnya pada hari data dibuat: "
                                    "tepat_waktu, terlambat (selesai setelah target), lewat_batas (belum "
                                    "selesai dan target sudah lewat) atau berjalan (belum selesai, target "
                                    "belum lewat); kosong bila tidak ada target.",
    "tanggapan.isi": "Tanggapan Puskesmas kepada pelapor (Markdown).",
    "tanggapan.waktu": "Waktu tanggapan disampaikan, menurut berkas (bukti git ada di `bukti.dijawab`).",
    "tanggapan.kanal": "Cara tanggapan disampaikan (mis. telepon, whatsapp, papan_pengumuman).",
    "tanggapan.disetujui_oleh": "Jabatan yang menyetujui tanggapan (biasanya Kepala Puskesmas).",
    "tanggapan.disetujui_pada": "Waktu tanggapan disetujui.",
    "unit_nama": "Nama unit layanan menurut kebijakan Puskesmas.",
    "url": "Alamat halaman pengaduan di situs ini.",
    "bukti.dicatat": "Bukti git: waktu (author date) commit pertama yang memuat berkas pengaduan.",
    "bukti.dijawab": "Bukti git: waktu commit pertama yang memuat tanggapan.",
    "bukti.dipublikasikan": "Bukti git: waktu tanggapan masuk ke cabang utama (merge pull request), "
                            "yaitu saat diterbitkan di situs.",
    "tahap.*.batas": "Batas waktu tahap SOP (jam kerja dihitung pada hari kerja saja); kosong bila "
                     "tahap tidak punya batas.",
    "tahap.*.selesai": "Waktu tahap selesai menurut bukti git (kosong: belum).",
    "tahap.*.status": "tepat_waktu, terlambat, lewat_batas (belum selesai dan batas sudah lewat), "
                      "berjalan (belum selesai, batas belum lewat) atau belum_terverifikasi (waktunya "
                      "diragukan: tidak cocok dengan catatan lain atau belum dibuktikan stempel waktu "
                      "tepercaya); kosong bila tahap tidak dinilai.",
}
JSON_EXTRA_DOCS = {
    "tahapan[].tahap": "Kode tahap SOP dari kebijakan Puskesmas.",
    "tahapan[].nama": "Nama tahap SOP.",
    "tahapan[].batas_jam_kerja": "Batas tahap dalam jam kerja (null: tidak dinilai).",
    "tahapan[].batas": FIELD_DOCS["tahap.*.batas"],
    "tahapan[].selesai": FIELD_DOCS["tahap.*.selesai"],
    "tahapan[].status": FIELD_DOCS["tahap.*.status"],
}
OPEN311_REQUEST_DOCS = {
    "service_request_id": "Nomor pengaduan (sama dengan `id`).",
    "status": "`closed` bila sudah dijawab atau selesai, selain itu `open`.",
    "status_notes": "Status dan keadaan setiap tahap SOP, dalam bahasa Indonesia.",
    "service_name": "Nama unit layanan.",
    "service_code": "Kode unit layanan (lihat services.json).",
    "description": "Ringkasan pengaduan sebagai teks biasa, paling banyak 4.000 karakter.",
    "agency_responsible": "Puskesmas yang menangani.",
    "service_notice": "Tidak dipakai (selalu kosong).",
    "requested_datetime": "Waktu pengaduan diterima.",
    "updated_datetime": "Waktu bukti git terakhir (dicatat, dijawab atau dipublikasikan).",
    "expected_datetime": "Batas waktu umpan balik kepada pelapor menurut SOP.",
}
OPEN311_SERVICE_DOCS = {
    "service_code": "Kode unit layanan.",
    "service_name": "Nama unit layanan.",
    "description": "Keterangan layanan.",
    "metadata": "Selalu false: tidak ada kolom tambahan.",
    "type": "Selalu `blackbox`: pengaduan tidak dapat dikirim lewat API ini (berkas statis).",
    "keywords": "Kata kunci, dipisah koma.",
    "group": "Nama Puskesmas.",
}


def column_doc(column: str) -> str | None:
    """The Indonesian documentation of one CSV column (or JSON field path)."""
    if column in FIELD_DOCS:
        return FIELD_DOCS[column]
    match = re.fullmatch(r"tahap\.[a-z0-9_]+\.(batas|selesai|status)", column)
    return FIELD_DOCS[f"tahap.*.{match.group(1)}"] if match else None


def code_html(text: str) -> Markup:
    """Documentation text with `names` shown as code (never as raw backticks); the rest escaped."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:          # an unpaired backtick: show the text as it is
        return Markup(escape(text))
    return Markup("".join(str(escape(part)) if index % 2 == 0 else f"<code>{escape(part)}</code>"
                          for index, part in enumerate(parts)))


def name_html(name: str) -> Markup:
    """A field's name that a narrow column breaks only after `.` and `_` (never mid-word)."""
    return Markup(re.sub(r"([._])", r"\1<wbr>", str(escape(name))))


@dataclass
class FileDoc:
    name: str
    title: str
    about: str
    fields: list   # [(name, doc)]

    @property
    def about_html(self) -> Markup:
        return code_html(self.about)

    @property
    def fields_html(self) -> list:
        return [(name_html(name), code_html(doc)) for name, doc in self.fields]


def documentation(policy: Policy) -> list[FileDoc]:
    """What the /data/ page shows: every file and the meaning of each of its fields."""
    columns = [(column, column_doc(column) or "") for column in csv_columns(policy)]
    json_fields = [(column, doc) for column, doc in columns if not column.startswith("tahap.")]
    json_fields += list(JSON_EXTRA_DOCS.items())
    return [
        FileDoc("complaints.json", "Pengaduan (JSON)",
                "Objek dengan `puskesmas`, `dibuat` (waktu data dibuat), `ref`, `zona_waktu`, `jumlah` dan "
                "`pengaduan`: daftar pengaduan terbuka, terlama dahulu. Kolom bertingkat ditulis bersarang "
                "(mis. `tanggapan.isi` adalah `{\"tanggapan\": {\"isi\": ...}}`); kolom yang kosong tidak ditulis.",
                json_fields),
        FileDoc("complaints.csv", "Pengaduan (CSV)",
                "UTF-8, dipisah koma, satu baris per pengaduan, baris pertama nama kolom. Daftar dipisah `;`.",
                columns),
        FileDoc("requests.json", "Open311 GeoReport v2: requests",
                "Daftar permintaan layanan sesuai GeoReport v2 (GET requests), terbaru dahulu. Berkas statis: "
                "parameter pencarian API tidak didukung.", list(OPEN311_REQUEST_DOCS.items())),
        FileDoc("services.json", "Open311 GeoReport v2: services",
                "Daftar layanan (GET services): satu per unit Puskesmas.", list(OPEN311_SERVICE_DOCS.items())),
    ]
