"""The recap figures in machine-readable forms: JSON (`to_json`) and one tidy table (`figure_rows`:
the CSV of `pengaduan recap` and the spreadsheet's totals)."""
from __future__ import annotations

from pipeline.records.labels import STAGE_STATES
from pipeline.records.timeutil import iso
from pipeline.report.figures import UNVERIFIED_KEY, Figures, Share, percent


def to_json(figures: Figures) -> dict:
    def counts(rows):
        return [{"kunci": row.key, "label": row.label, "jumlah": row.n, "persen": row.share.percent}
                for row in rows]

    def share(value: Share | None):
        return None if value is None else {"jumlah": value.n, "dari": value.total, "persen": value.percent}

    return {
        "puskesmas": figures.puskesmas,
        "periode": {"mulai": figures.start.isoformat(), "sampai": figures.end.isoformat(),
                    "tahun": figures.year},
        "per": iso(figures.now), "ref": figures.ref, "zona_waktu": figures.timezone,
        "bukti_git": figures.evidence,
        "jumlah": figures.total, "terbuka": figures.public, "rahasia": figures.confidential,
        "ditanggapi": share(figures.answered),
        "rencana_tindak_lanjut": share(figures.with_plan),
        "rencana_tindak_lanjut_terlaksana": share(figures.plan_done),
        "per_bulan": counts(figures.months), "per_kanal": counts(figures.channels),
        "per_unit": counts(figures.units), "per_jenis": counts(figures.kinds),
        "per_status": counts(figures.statuses),
        "tahapan": [{
            "tahap": stage.id, "nama": stage.name, "batas_jam_kerja": stage.limit_hours,
            "tepat_waktu": stage.counts.get("met"), "terlambat": stage.counts.get("breached"),
            "lewat_batas": stage.counts.get("overdue"), "berjalan": stage.counts.get("pending"),
            "belum_terverifikasi": stage.counts.get(UNVERIFIED_KEY),
            "persen_tepat_waktu": share(stage.on_time),
            "diukur": stage.measured,
            "median_jam_kerja": _round(stage.median_working_hours),
            "median_jam_kalender": _round(stage.median_hours),
        } for stage in figures.stages],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


CSV_COLUMNS = ["tabel", "kunci", "label", "jumlah", "dari", "persen", "nilai"]


def figure_rows(figures: Figures) -> list[dict]:
    """The figures as one tidy table (CSV and the spreadsheet's totals)."""
    rows = []

    def add(table, key, label, n=None, total=None, value=None):
        rows.append({"tabel": table, "kunci": key, "label": label, "jumlah": n, "dari": total,
                     "persen": percent(n, total) if n is not None and total else None, "nilai": value})

    add("ringkasan", "pengaduan", "Jumlah pengaduan", figures.total)
    add("ringkasan", "terbuka", "Terbuka (tidak dirahasiakan)", figures.public, figures.total)
    add("ringkasan", "rahasia", "Rahasia (hanya dihitung)", figures.confidential, figures.total)
    add("ringkasan", "ditanggapi", "Ditanggapi", figures.answered.n, figures.answered.total)
    add("ringkasan", "rencana_tindak_lanjut", "Memiliki rencana tindak lanjut", figures.with_plan.n,
        figures.with_plan.total)
    add("ringkasan", "rencana_tindak_lanjut_terlaksana", "Rencana tindak lanjut terlaksana",
        figures.plan_done.n, figures.plan_done.total)
    for table, counts in (("bulan", figures.months), ("kanal", figures.channels), ("unit", figures.units),
                          ("jenis", figures.kinds), ("status", figures.statuses)):
        for row in counts:
            add(table, row.key, row.label, row.n, figures.total)
    for stage in figures.stages:
        table = f"tahap.{stage.id}"
        if stage.judged:
            judged = stage.on_time.total
            add(table, "tepat_waktu", STAGE_STATES["tepat_waktu"], stage.counts["met"], judged)
            add(table, "terlambat", STAGE_STATES["terlambat"], stage.counts["breached"], judged)
            add(table, "lewat_batas", STAGE_STATES["lewat_batas"], stage.counts["overdue"], judged)
            add(table, "berjalan", STAGE_STATES["berjalan"], stage.counts["pending"])
            add(table, "belum_terverifikasi", "Waktu belum terverifikasi (ada tanda kejanggalan)",
                stage.counts[UNVERIFIED_KEY], judged)
        add(table, "diukur", "Pengaduan dengan waktu tahap ini yang tidak diragukan", stage.measured, figures.total)
        add(table, "median_jam_kerja", "Median waktu sejak diterima (jam kerja)",
            value=_round(stage.median_working_hours))
        add(table, "median_jam_kalender", "Median waktu sejak diterima (jam kalender)",
            value=_round(stage.median_hours))
    return rows
