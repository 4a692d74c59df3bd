"""Recap figures, the recap and board pages and `pengaduan recap`, on a real git repository.

The sample repository (`build_sample`) has five complaints whose every number is worked out by
hand below, from the rule "N hours that elapse only on working days" (5-16 January and 3-20
February 2026 hold no Indonesian holiday; 16-17 February do, but no clock runs through them).

    A  ADU-20260105-AAAA  Mon 5 Jan 08:00   whatsapp keluhan  pendaftaran  terbuka
       recorded Mon 09:00 (1 h, met), answered on main Tue 6 Jan 10:00 (26 h, met; published by
       that commit), plan carried out -> selesai
    B  ADU-20260107-BBBB  Wed 7 Jan 10:00   email    saran    farmasi      terbuka
       on branch: recorded Thu 8 Jan 11:00 (25 h, breached: due Thu 10:00), answered Mon 12 Jan
       11:00 (due Mon 10:00: 14+24+24+10; 73 working h, breached), merged Tue 13 Jan 09:00
       (published: 95 working h); plan not carried out -> dijawab
    C  ADU-20260203-CCCC  Tue 3 Feb 09:00   whatsapp keluhan  pendaftaran  RAHASIA
       recorded 10:00 (met); no answer, feedback due Fri 6 Feb 09:00 -> overdue; lapor_tim -> diproses
    D  ADU-20260219-DDDD  Thu 19 Feb 14:00  telepon  pertanyaan poli_umum  terbuka
       recorded 15:00 (met); feedback due Tue 24 Feb 14:00 -> pending at "now" -> baru
    E  ADU-20251210-EEEE  Wed 10 Dec 2025 09:00  email apresiasi poli_gigi  terbuka (year 2025)
       recorded 10:00, answered Thu 11 Dec 09:00 (24 h, met) -> selesai

"Now" is Friday 20 February 2026 12:00 WIB.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gitrepo import ROOT, GitRepo, complaint_path, complaint_text
from recap_render import render_page, site_defaults

from pipeline.outputs import recap_pages
from pipeline.outputs import text as wording
from pipeline.report import figures as recap_figures
from pipeline.plugin.sitereport import site_report
from pipeline.report import deadlines
from pipeline.cli import main as cli_main
from pipeline.records.loader import load

NOW = "2026-02-20T12:00:00+07:00"
A, B, C, D, E = ("ADU-20260105-AAAA", "ADU-20260107-BBBB", "ADU-20260203-CCCC", "ADU-20260219-DDDD",
                 "ADU-20251210-EEEE")
SECRET_TITLE = "Dugaan pungutan liar di loket"
SECRET_SUMMARY = "Ringkasan rahasia tentang pungutan di loket yang tidak boleh tampil."


def _walk_private(schema: dict, root: dict, prefix=(), private=False):
    """Every leaf field path under a private mark (independent of the code under test)."""
    for key, child in (schema.get("properties") or {}).items():
        node = child
        if "$ref" in node:
            target = root
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = {**target, **node}
        here = private or child.get("x-visibility") == "private"
        if node.get("properties"):
            yield from _walk_private(node, root, prefix + (key,), here)
        elif here:
            yield prefix + (key,), node


def private_fields() -> list[tuple]:
    schema = json.loads((ROOT / "schema" / "complaint.schema.json").read_text(encoding="utf-8"))
    return list(_walk_private(schema, schema))


def canaries(tag: str) -> tuple[dict, list[str]]:
    """Every private field of the schema filled with a canary value; returns (fields, canaries)."""
    fields: dict = {}
    planted = []
    for path, node in private_fields():
        value = f"KENARI{tag}{'_'.join(path).upper()}"
        kind = node.get("type")
        if kind == "boolean":
            continue  # nothing to find in a boolean
        target = fields
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = [value] if kind == "array" else value
        planted.append(value)
    return fields, planted


def merge(base: dict, extra: dict) -> dict:
    result = dict(base)
    for key, value in extra.items():
        result[key] = merge(result[key], value) if isinstance(value, dict) and isinstance(result.get(key), dict) \
            else value
    return result


def body_canary(tag: str) -> str:
    return f"KENARI{tag}BADANBERKAS"


def write_complaint(repo: GitRepo, complaint_id: str, diterima: str, body: str = "", **fields) -> dict:
    text = complaint_text(complaint_id, diterima, **fields) + body
    return {complaint_path(complaint_id): text}


PLAN_DONE = {"isi": "Membuka loket kedua pada jam sibuk.", "penanggung_jawab": "pendaftaran",
             "target": "2026-01-31", "selesai": "2026-01-20 10:00", "hasil": "Loket kedua dibuka."}
PLAN_OPEN = {"isi": "Menambah stok obat program.", "penanggung_jawab": "farmasi", "target": "2026-02-28"}
ANSWER = {"isi": "Kami menambah petugas loket pada jam sibuk mulai pekan depan.", "waktu": "2026-01-06 10:00",
          "kanal": "whatsapp", "disetujui_oleh": "Kepala Puskesmas", "disetujui_pada": "2026-01-06 09:30"}


def build_sample(path: Path) -> tuple[GitRepo, list[str], list[str]]:
    """The sample repository; returns it with the canaries planted in A (public) and C (rahasia)."""
    repo = GitRepo(path)
    private_a, planted_a = canaries("A")
    private_c, planted_c = canaries("C")
    # A private field of the response is planted with the response (a `tanggapan` without `isi`
    # is invalid, and its presence is what git evidence reads as "answered").
    response_a = private_a.pop("tanggapan")
    planted_c.remove(private_c.pop("tanggapan")["petugas"])
    # E, in 2025.
    e = dict(kanal="email", jenis="apresiasi", unit="poli_gigi", judul="Terima kasih poli gigi")
    repo.commit(f"Record {E}", "2025-12-10T10:00:00+07:00", files=write_complaint(repo, E, "2025-12-10 09:00", **e))
    repo.commit(f"Respond {E}", "2025-12-11T09:00:00+07:00", files=write_complaint(
        repo, E, "2025-12-10 09:00", tanggapan={"isi": "Terima kasih atas apresiasinya."}, **e))
    # A: on main, with every private field holding a canary.
    a_fields = merge(dict(lapor_tim={"waktu": "2026-01-05 08:45"}, rapat={"waktu": "2026-01-05 13:00"},
                          rencana_tindak_lanjut=PLAN_DONE), private_a)
    repo.commit(f"Record {A}", "2026-01-05T09:00:00+07:00",
                files=write_complaint(repo, A, "2026-01-05 08:00", body_canary("A"), **a_fields))
    repo.commit(f"Respond {A}", "2026-01-06T10:00:00+07:00", files=write_complaint(
        repo, A, "2026-01-05 08:00", body_canary("A"), **merge(a_fields, {"tanggapan": {**ANSWER, **response_a}})))
    # B: recorded and answered on a branch, merged (published) later.
    b = dict(kanal="email", jenis="saran", unit="farmasi", rencana_tindak_lanjut=PLAN_OPEN)
    repo.branch("pengaduan/b")
    repo.commit(f"Record {B}", "2026-01-08T11:00:00+07:00", files=write_complaint(repo, B, "2026-01-07 10:00", **b))
    repo.commit(f"Respond {B}", "2026-01-12T11:00:00+07:00", files=write_complaint(
        repo, B, "2026-01-07 10:00", tanggapan={"isi": "Stok obat program sedang kami tambah."}, **b))
    repo.checkout("main")
    repo.merge("pengaduan/b", "2026-01-13T09:00:00+07:00")
    # C: confidential, with canaries.
    c_fields = merge(dict(judul=SECRET_TITLE, ringkasan=SECRET_SUMMARY, kerahasiaan="rahasia",
                          lapor_tim={"waktu": "2026-02-03 09:30"}), private_c)
    repo.commit(f"Record {C}", "2026-02-03T10:00:00+07:00",
                files=write_complaint(repo, C, "2026-02-03 09:00", body_canary("C"), **c_fields))
    # D: still within its feedback deadline.
    repo.commit(f"Record {D}", "2026-02-19T15:00:00+07:00", files=write_complaint(
        repo, D, "2026-02-19 14:00", kanal="telepon", jenis="pertanyaan", unit="poli_umum"))
    return repo, planted_a + [body_canary("A")], planted_c + [body_canary("C")]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("rekap") / "repo")


@pytest.fixture(scope="module")
def loaded(sample):
    result = load(sample[0].path, now=datetime.fromisoformat(NOW))
    assert result.ok, [problem.as_text() for problem in result.errors]
    return result


@pytest.fixture(scope="module")
def report(loaded):
    return deadlines.build_report(loaded.root, "HEAD", datetime.fromisoformat(NOW), loaded=loaded)[0]


@pytest.fixture(scope="module")
def figures(report, loaded):
    return recap_figures.compute(report, 2026, policy=loaded.policy)


def counts(rows) -> dict:
    return {row.key: row.n for row in rows}


# --- the figures ----------------------------------------------------------------------------------

def test_share_text_and_rounding():
    assert recap_figures.Share(1, 2).text == "50% (1 dari 2)"
    assert recap_figures.Share(1, 3).text == "33% (1 dari 3)"
    assert recap_figures.Share(2, 3).text == "67% (2 dari 3)"
    assert recap_figures.Share(1, 8).text == "13% (1 dari 8)"      # 12.5 rounds half up
    assert recap_figures.Share(0, 0).text == "– (0 dari 0)"
    assert wording.decimal_text(49.5) == "49,5" and wording.decimal_text(1.0) == "1"
    assert wording.duration_text(73.5) == "3 hari 1 jam 30 menit"


def test_counts_of_the_year(figures):
    assert (figures.total, figures.public, figures.confidential) == (4, 3, 1)
    assert (figures.start, figures.end, figures.year) == (date(2026, 1, 1), date(2026, 12, 31), 2026)
    assert counts(figures.months) == {"2026-01": 2, "2026-02": 2, **{f"2026-{m:02d}": 0 for m in range(3, 13)}}
    assert [row.label for row in figures.months][:2] == ["Januari", "Februari"]
    channels = counts(figures.channels)
    assert (channels["whatsapp"], channels["email"], channels["telepon"], channels["instagram"]) == (2, 1, 1, 0)
    assert sum(channels.values()) == 4
    units = counts(figures.units)
    assert (units["pendaftaran"], units["farmasi"], units["poli_umum"], units["poli_gigi"]) == (2, 1, 1, 0)
    assert counts(figures.kinds) == {"keluhan": 2, "saran": 1, "kritik": 0, "pertanyaan": 1, "apresiasi": 0}
    assert counts(figures.statuses) == {"baru": 1, "diproses": 1, "dijawab": 1, "selesai": 1}
    whatsapp = next(row for row in figures.channels if row.key == "whatsapp")
    assert whatsapp.share.text == "50% (2 dari 4)"
    assert next(row for row in figures.months if row.key == "2026-03").share.text == "0% (0 dari 4)"


def test_follow_up_shares(figures):
    assert figures.answered.text == "50% (2 dari 4)"        # A and B
    assert figures.with_plan.text == "50% (2 dari 4)"       # A and B
    assert figures.plan_done.text == "50% (1 dari 2)"       # A's plan carried out, B's not


def test_stage_figures_from_git_evidence(figures):
    stages = {stage.id: stage for stage in figures.stages}
    assert figures.evidence is True
    report_stage = stages["lapor_tim"]
    assert report_stage.counts == {"met": 3, "breached": 1, "overdue": 0, "pending": 0, "unverified": 0}
    assert report_stage.on_time.text == "75% (3 dari 4)"
    assert report_stage.measured == 4
    assert report_stage.median_working_hours == pytest.approx(1.0)    # 1, 1, 1, 25
    feedback = stages["umpan_balik"]
    assert feedback.counts == {"met": 1, "breached": 1, "overdue": 1, "pending": 1, "unverified": 0}
    assert feedback.on_time.text == "33% (1 dari 3)"                  # pending D is not judged yet
    assert feedback.measured == 2
    assert feedback.median_working_hours == pytest.approx((26 + 73) / 2)
    assert feedback.median_hours == pytest.approx((26 + 121) / 2)      # B: 5 days 1 hour
    published = stages["publikasi"]
    assert published.on_time is None and published.counts == {}
    assert published.median_working_hours == pytest.approx((26 + 95) / 2)   # A by its commit, B by the merge
    assert published.median_hours == pytest.approx((26 + 143) / 2)


def test_declared_times_do_not_count(tmp_path):
    # The file claims the team was told at once; git recorded it two working days later.
    repo = GitRepo(tmp_path / "repo")
    repo.commit("Record", "2026-01-07T10:00:00+07:00", files=write_complaint(
        repo, "ADU-20260105-FFFF", "2026-01-05 08:00", lapor_tim={"waktu": "2026-01-05 08:30"}))
    now = datetime.fromisoformat(NOW)
    loaded = load(repo.path, now=now)
    report = deadlines.build_report(loaded.root, "HEAD", now, loaded=loaded)[0]
    figures = recap_figures.compute(report, 2026, policy=loaded.policy)
    stage = figures.stages[0]
    assert stage.counts["breached"] == 1 and stage.on_time.text == "0% (0 dari 1)"
    assert stage.median_working_hours == pytest.approx(50.0)


def test_other_year_and_period(report, loaded):
    policy = loaded.policy
    older = recap_figures.compute(report, 2025, policy=policy)
    assert older.total == 1 and counts(older.kinds)["apresiasi"] == 1
    assert older.stages[0].on_time.text == "100% (1 dari 1)"
    assert older.years == [2026, 2025]
    january = recap_figures.compute(report, policy=policy, start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert january.total == 2 and january.year is None
    assert [row.key for row in january.months] == ["2026-01"]
    spanning = recap_figures.compute(report, policy=policy, start=date(2025, 12, 1), end=date(2026, 1, 31))
    assert spanning.total == 3 and [row.label for row in spanning.months] == ["Desember 2025", "Januari 2026"]


def test_figures_come_from_the_report_only(loaded):
    # Counts without the report could disagree with it (other files, another "now"): refused.
    # Counts without stage figures come from a report that judged nothing (next test).
    with pytest.raises(TypeError):
        recap_figures.compute(loaded, 2026, policy=loaded.policy)


def test_default_year_is_the_year_of_now(report, loaded):
    assert recap_figures.compute(report, policy=loaded.policy).year == 2026


def test_without_git_the_site_still_gets_counts(tmp_path, loaded):
    plain = tmp_path / "plain"
    (plain / "content").mkdir(parents=True)
    for name in ("puskesmas.yaml",):
        (plain / name).write_text((loaded.root / name).read_text(encoding="utf-8"), encoding="utf-8")
    import shutil
    shutil.copytree(loaded.root / "content" / "complaints", plain / "content" / "complaints")
    now = datetime.fromisoformat(NOW)
    result = load(plain, now=now)
    # not a repository: nothing proven, nothing judged (as the site shows it), no crash
    report = deadlines.build_report(result.root, "HEAD", now, loaded=result, unproven=True)[0]
    figures = recap_figures.compute(report, 2026, policy=result.policy)
    assert figures.total == 4 and figures.evidence is False
    assert not report.judged and figures.stages == []


def test_site_report_uses_the_sites_now(sample, loaded, tmp_path):
    # No PENGADUAN_NOW: the committer date of the built commit (D's record), so builds repeat.
    report = site_report(loaded, {})
    assert report.now == datetime.fromisoformat("2026-02-19T15:00:00+07:00") and report.ref == "HEAD"
    assert report.judged
    fixed = site_report(loaded, {"PENGADUAN_NOW": datetime.fromisoformat(NOW), "PENGADUAN_REF": "main"})
    assert fixed.now == datetime.fromisoformat(NOW) and fixed.ref == "main"


def test_site_report_outside_git_judges_nothing(loaded, tmp_path):
    # A site built from a plain copy (no history) must not call every stage "lewat batas".
    plain = tmp_path / "salinan"
    shutil.copytree(loaded.root, plain, ignore=shutil.ignore_patterns(".git"))
    result = load(plain, now=datetime.fromisoformat(NOW))
    report = site_report(result, {"PENGADUAN_NOW": datetime.fromisoformat(NOW)})
    assert not report.judged and len(report.complaints) == len(result.complaints) > 0
    assert all(item.stages == [] for item in report.complaints)
    assert deadlines.stage_marks(report, result.policy) == {}
    figures = recap_figures.compute(report, 2026, policy=result.policy)
    assert figures.total > 0 and figures.stages == [] and figures.evidence is False


# --- the pages ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pages(report, loaded):
    site = site_defaults(loaded.policy)
    built = {page.save_as: (page, render_page(page, site)) for page in
             recap_pages.site_pages(report, loaded.policy, site=site)}
    return built


def row(html: str, label: str) -> list[str]:
    """The cells of the table row headed `label`."""
    match = re.search(r'<tr><th scope="row">' + re.escape(label) + r"</th>(.*?)</tr>", html)
    assert match, f"no row {label!r}"
    return [re.sub(r"<svg .*?</svg>", "", cell)
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))]


def test_recap_pages_per_year(pages):
    assert {"rekap/index.html", "rekap/2026/index.html", "rekap/2025/index.html"} <= set(pages)
    assert pages["rekap/index.html"][1] == pages["rekap/2026/index.html"][1]   # the current year
    older = pages["rekap/2025/index.html"][1]
    assert "<h1>Rekap Pengaduan 2025</h1>" in older
    assert row(older, "Jumlah pengaduan") == ["1"]
    html = pages["rekap/2026/index.html"][1]
    assert 'href="/rekap/2025/"' in html and 'href="/rekap/2026/" aria-current="page"' in html


def test_recap_page_numbers(pages):
    html = pages["rekap/2026/index.html"][1]
    assert row(html, "Jumlah pengaduan") == ["4"]
    assert row(html, "Dirahasiakan (hanya dihitung)") == ["25% (1 dari 4)"]
    # the disclosure rule: the confidential complaint (C) is in the year's total only; every
    # breakdown below counts the three public complaints (the `recap` command counts all four)
    assert row(html, "Ditanggapi") == ["67% (2 dari 3)"]
    assert row(html, "Rencana tindak lanjut terlaksana") == ["50% (1 dari 2)"]
    assert row(html, "Januari") == ["2", "67% (2 dari 3)"]
    assert row(html, "Maret") == ["0", "0% (0 dari 3)"]
    assert row(html, "WhatsApp") == ["1", "33% (1 dari 3)"]
    assert row(html, "Email") == ["1", "33% (1 dari 3)"]
    assert row(html, "Farmasi") == ["1", "33% (1 dari 3)"]
    assert row(html, "Keluhan") == ["1", "33% (1 dari 3)"]
    assert row(html, "Baru") == ["1", "33% (1 dari 3)"]
    assert stage_card(html, "Dilaporkan ke tim pengelola pengaduan") == (
        "Dilaporkan ke tim pengelola pengaduan Batas: 1x24 jam hari kerja Tepat waktu: 67% (2 dari 3) "
        "Tepat waktu: 2 Selesai terlambat: 1 Terlambat, belum selesai: 0 Belum jatuh tempo: 0 "
        "Waktu belum terverifikasi: 0 "
        "Lama umumnya sejak pengaduan diterima: 1 jam (1 jam bila dihitung pada hari kerja saja), dari 3 pengaduan "
        "yang sudah sampai langkah ini dengan waktu yang tidak diragukan.")
    assert stage_card(html, "Umpan balik kepada pelapor") == (
        "Umpan balik kepada pelapor Batas: 3x24 jam hari kerja Tepat waktu: 50% (1 dari 2) "
        "Tepat waktu: 1 Selesai terlambat: 1 Terlambat, belum selesai: 0 Belum jatuh tempo: 1 "
        "Waktu belum terverifikasi: 0 "
        "Lama umumnya sejak pengaduan diterima: 3 hari 1 jam 30 menit (49,5 jam bila dihitung pada hari kerja "
        "saja), dari 2 pengaduan yang sudah sampai langkah ini dengan waktu yang tidak diragukan.")
    # "jam kerja" would read as office hours; the zone by its Indonesian name
    assert "jam kerja pada hari kerja" not in html and "hari kerja saja: hari libur tidak dihitung" in html
    assert "(waktu WIB)" in html and "Asia/Jakarta" not in html


def stage_card(html: str, name: str) -> str:
    """The text of the recap's card of one SOP stage."""
    match = re.search(r'<section class="tahap"[^>]*>\s*<h3[^>]*>' + re.escape(name) + r"</h3>(.*?)</section>",
                      html, re.S)
    assert match, f"no stage {name!r}"
    return " ".join(re.sub(r"<[^>]+>", " ", name + match.group(1)).split())


def test_recap_page_bars_are_drawn_in_html_with_the_same_numbers(pages):
    html = pages["rekap/2026/index.html"][1]
    assert html.count("<title>") == 1 and "<script" not in html and "<text" not in html   # no text in SVG
    bars = re.findall(r'<svg class="batang" aria-hidden="true"[^>]*>(.*?)</svg>', html, re.S)
    assert len(bars) == 2 + html.count('<td class="angka">')   # two stages, and every row of every count table
    whatsapp = re.search(r"<th scope=\"row\">WhatsApp</th>.*?<svg[^>]*>(.*?)</svg>", html, re.S).group(1)
    assert '<rect width="100" height="10"/>' in whatsapp          # the longest row fills its cell
    email = re.search(r"<th scope=\"row\">Email</th>.*?<svg[^>]*>(.*?)</svg>", html, re.S).group(1)
    assert '<rect width="100" height="10"/>' in email              # public rows only: 1 of the longest 1
    feedback = re.search(r"<h3[^>]*>Umpan balik kepada pelapor</h3>.*?<svg[^>]*>(.*?)</svg>", html, re.S).group(1)
    segments = re.findall(r'class="b-(\w+)" x="([\d.]+)" width="([\d.]+)"', feedback)
    assert [name for name, _, _ in segments] == ["tepat_waktu", "terlambat", "berjalan"]   # public ones only
    assert [width for _, _, width in segments] == ["33.33"] * 3 and segments[0][1] == "0"


def lightness(hex_colour: str) -> float:
    """CIE L* of an sRGB colour."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 116 * (y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116) - 16


def test_stage_colours_differ_in_lightness_not_only_in_hue():
    css = (Path(__file__).resolve().parent.parent / "theme" / "templates" / "situs.css").read_text()
    colours = {name: re.search(rf"--{name}:(#[0-9a-f]{{6}})", css).group(1) for name in ("tepat", "telat", "lewat", "jalan")}
    values = sorted(lightness(colour) for colour in colours.values())
    assert all(b - a >= 15 for a, b in zip(values, values[1:])), (colours, values)


def test_confidential_complaint_is_counted_but_never_named(pages, sample):
    for name, (page, html) in pages.items():
        assert C not in html, name
        assert SECRET_TITLE not in html and SECRET_SUMMARY not in html, name


def test_board_pages(pages):
    assert {"papan/index.html", "papan/2026-01/index.html", "papan/2025-12/index.html"} <= set(pages)
    assert "papan/2026-02/index.html" not in pages       # no public response published in February
    page, html = pages["papan/2026-01/index.html"]
    # A published 6 January by its own commit, B on 13 January by the merge; oldest first.
    assert html.index(A) < html.index(B)
    assert "Pengumuman Tanggapan atas Pengaduan" in html and "Januari 2026" in html
    assert "SOP/60/35.73.402.07/2023" in html and "SOP.PJ.KMP.KP.003" in html   # the SOPs' document numbers
    assert 'class="kepala"' not in html and "Menu utama" not in html            # not the site's menu
    assert re.findall(r"<nav[^>]*>", html) == ['<nav class="layar" aria-label="Papan pengumuman">']  # screen only
    assert 'href="/tema/print-board.css"' in html
    assert "Kami menambah petugas loket" in html and "selesai 20 Januari 2026" in html
    assert "dr. Edy Dwitanto" in html
    listing = pages["papan/index.html"][1]
    assert listing.index("Januari 2026") < listing.index("Desember 2025")


def test_board_stylesheet_prints_on_a4():
    css = (ROOT / "theme" / "static" / "css" / "print-board.css").read_text(encoding="utf-8")
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    assert re.search(r"\.layar[^{]*\{\s*display:\s*none", css[css.index("@media print"):])
    assert "break-inside: avoid" in css


def test_data_page_documents_every_field(pages, loaded):
    from pipeline.outputs import opendata
    html = pages["data/index.html"][1].replace("<wbr>", "")     # names break after . and _
    for column in opendata.csv_columns(loaded.policy):
        assert f"<code>{column}</code>" in html
    for name in ("complaints.json", "complaints.csv", "requests.json", "services.json"):
        assert f'href="/data/{name}"' in html


# --- pengaduan recap ------------------------------------------------------------------------------

def run(capsys, *args) -> tuple[int, str, str]:
    code = cli_main(["recap", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_text(sample, capsys):
    code, out, err = run(capsys, "--repo", str(sample[0].path), "--now", NOW)
    assert code == 0, err
    assert "Periode 1 Januari 2026 s.d. 31 Desember 2026" in out
    assert "Jumlah pengaduan: 4 (terbuka 3, rahasia 1)" in out
    assert "Ditanggapi: 50% (2 dari 4)" in out
    assert re.search(r"WhatsApp\s+2\s+50% \(2 dari 4\)", out)
    assert ("tepat waktu 33% (1 dari 3); tepat waktu 1; selesai terlambat 1; terlambat, belum selesai 1; "
            "belum jatuh tempo 1") in out
    assert "49,5 jam kerja" in out
    assert C not in out and SECRET_TITLE not in out


def test_cli_json_and_csv(sample, capsys):
    code, out, err = run(capsys, "--repo", str(sample[0].path), "--now", NOW, "--format", "json",
                         "--from", "2026-01", "--to", "2026-01")
    assert code == 0, err
    data = json.loads(out)
    assert data["periode"] == {"mulai": "2026-01-01", "sampai": "2026-01-31", "tahun": None}
    assert data["jumlah"] == 2 and data["ditanggapi"] == {"jumlah": 2, "dari": 2, "persen": 100}
    stages = {stage["tahap"]: stage for stage in data["tahapan"]}
    assert stages["lapor_tim"]["persen_tepat_waktu"] == {"jumlah": 1, "dari": 2, "persen": 50}
    assert stages["umpan_balik"]["median_jam_kerja"] == pytest.approx(49.5)
    code, out, err = run(capsys, "--repo", str(sample[0].path), "--now", NOW, "--format", "csv")
    assert code == 0, err
    rows = {(r["tabel"], r["kunci"]): r for r in csv.DictReader(io.StringIO(out))}
    assert (rows[("kanal", "whatsapp")]["jumlah"], rows[("kanal", "whatsapp")]["dari"],
            rows[("kanal", "whatsapp")]["persen"]) == ("2", "4", "50")
    assert rows[("tahap.umpan_balik", "tepat_waktu")]["persen"] == "33"
    assert rows[("ringkasan", "rahasia")]["jumlah"] == "1"


def test_cli_periods(sample, capsys):
    repo = str(sample[0].path)
    code, out, _ = run(capsys, "--repo", repo, "--now", NOW, "--format", "json", "--from", "2025-12-10",
                       "--to", "2025-12-10")
    assert code == 0 and json.loads(out)["jumlah"] == 1
    code, out, _ = run(capsys, "--repo", repo, "--now", NOW, "--format", "json", "--from", "2026-02-01")
    assert json.loads(out)["periode"]["sampai"] == "2026-02-20" and json.loads(out)["jumlah"] == 2
    code, out, _ = run(capsys, "--repo", repo, "--now", NOW, "--format", "json", "--to", "2026-01-06")
    assert json.loads(out)["periode"]["mulai"] == "2026-01-01" and json.loads(out)["jumlah"] == 1
    code, _, err = run(capsys, "--repo", repo, "--now", NOW, "--from", "2026-03-01", "--to", "2026-02-01")
    assert code == 2 and "sesudah --to" in err
    with pytest.raises(SystemExit):
        cli_main(["recap", "--repo", repo, "--from", "2026-13"])
    assert "bukan tanggal" in capsys.readouterr().err


def sheet_rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def complaints_sheet(path: Path) -> tuple[list, list[dict]]:
    book = load_workbook(path)
    rows = sheet_rows(book.worksheets[0])
    header = list(rows[2])
    return book, [dict(zip(header, values)) for values in rows[3:]]


def test_cli_xlsx_public(sample, tmp_path, capsys):
    target = tmp_path / "rekap-2026.xlsx"
    code, out, err = run(capsys, "--repo", str(sample[0].path), "--now", NOW, "--format", "xlsx",
                         "--output", str(target))
    assert code == 0, err
    assert "4 pengaduan" in out
    book, rows = complaints_sheet(target)
    assert book.sheetnames == ["Pengaduan", "Rekap", "Bukti waktu", "Keterangan"]
    assert "MEMUAT DATA PRIBADI" not in " ".join(str(c) for s in book for r in sheet_rows(s) for c in r if c)
    assert [r["ID"] for r in rows] == [A, B, "(dirahasiakan)", D]
    first = rows[0]
    assert (first["Kanal"], first["Unit"], first["Jenis"], first["Status"]) == (
        "WhatsApp", "Pendaftaran dan Rekam Medis", "Keluhan", "Selesai")
    assert first["Diterima (WIB)"] == datetime(2026, 1, 5, 8, 0)
    assert first["Dicatat, bukti git (WIB)"] == datetime(2026, 1, 5, 9, 0)
    assert first["Dijawab, bukti git (WIB)"] == datetime(2026, 1, 6, 10, 0)
    assert first["Dipublikasikan, bukti git (WIB)"] == datetime(2026, 1, 6, 10, 0)
    assert first["Dilaporkan ke tim pengelola pengaduan: penilaian"] == "tepat waktu"
    assert first["Rencana tindak lanjut"] == PLAN_DONE["isi"]
    assert first["Tindak lanjut selesai (WIB)"] == datetime(2026, 1, 20, 10, 0)
    second = rows[1]
    assert second["Umpan balik kepada pelapor: batas (WIB)"] == datetime(2026, 1, 12, 10, 0)
    assert second["Umpan balik kepada pelapor: penilaian"] == "selesai terlambat"
    assert second["Dipublikasikan, bukti git (WIB)"] == datetime(2026, 1, 13, 9, 0)
    assert second["Tindak lanjut selesai (WIB)"] is None
    secret = rows[2]
    assert (secret["Judul"], secret["Ringkasan"], secret["Kerahasiaan"], secret["Unit"]) == (
        "(dirahasiakan)", "(dirahasiakan)", "rahasia", "Pendaftaran dan Rekam Medis")
    assert secret["Umpan balik kepada pelapor: penilaian"] == "terlambat, belum selesai"
    assert rows[3]["Umpan balik kepada pelapor: penilaian"] == "belum jatuh tempo"
    totals = {(r[0], r[1]): r for r in sheet_rows(book["Rekap"])[3:]}
    assert totals[("kanal", "whatsapp")][3:6] == (2, 4, 0.5)
    assert totals[("unit", "farmasi")][3:6] == (1, 4, 0.25)
    assert totals[("bulan", "2026-02")][3:6] == (2, 4, 0.5)
    assert totals[("tahap.lapor_tim", "tepat_waktu")][3:6] == (3, 4, 0.75)
    assert totals[("tahap.umpan_balik", "median_jam_kerja")][6] == pytest.approx(49.5)


def test_cli_xlsx_with_private_data_says_so(sample, tmp_path, capsys):
    target = tmp_path / "pribadi.xlsx"
    code, out, err = run(capsys, "--repo", str(sample[0].path), "--now", NOW, "--format", "xlsx",
                         "--output", str(target), "--include-private")
    assert code == 0, err
    assert "MEMUAT DATA PRIBADI" in out
    book, rows = complaints_sheet(target)
    assert all("MEMUAT DATA PRIBADI" in name for name in book.sheetnames)
    assert all(sheet["A2"].value.startswith("MEMUAT DATA PRIBADI") for sheet in book)
    assert [r["ID"] for r in rows] == [A, B, C, D]
    assert rows[2]["Judul"] == SECRET_TITLE


def test_cli_xlsx_refuses_to_overwrite_and_needs_output(sample, tmp_path, capsys):
    target = tmp_path / "ada.xlsx"
    target.write_bytes(b"jangan ditimpa")
    code, _, err = run(capsys, "--repo", str(sample[0].path), "--now", NOW, "--format", "xlsx",
                       "--output", str(target))
    assert code == 2 and "sudah ada dan tidak akan ditimpa" in err
    assert target.read_bytes() == b"jangan ditimpa"
    code, _, err = run(capsys, "--repo", str(sample[0].path), "--format", "xlsx")
    assert code == 2 and "perlu --output" in err
    code, _, err = run(capsys, "--repo", str(sample[0].path), "--include-private")
    assert code == 2 and "hanya untuk --format xlsx" in err
    text_target = tmp_path / "rekap.txt"
    code, _, _ = run(capsys, "--repo", str(sample[0].path), "--now", NOW, "--output", str(text_target))
    assert code == 0 and "Jumlah pengaduan: 4" in text_target.read_text(encoding="utf-8")
    code, _, err = run(capsys, "--repo", str(sample[0].path), "--now", NOW, "--output", str(text_target))
    assert code == 2 and "tidak akan ditimpa" in err


def test_cli_unknown_ref(sample, capsys):
    code, _, err = run(capsys, "--repo", str(sample[0].path), "--ref", "tidak-ada")
    assert code == 2 and "tidak ditemukan" in err


def test_spreadsheet_texts_are_never_formulas(tmp_path, capsys):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("Record", "2026-01-05T09:00:00+07:00", files=write_complaint(
        repo, "ADU-20260105-GGGG", "2026-01-05 08:00", judul='=HYPERLINK("http://x.example","klik")'))
    target = tmp_path / "r.xlsx"
    code, _, err = run(capsys, "--repo", str(repo.path), "--now", NOW, "--format", "xlsx", "--output", str(target))
    assert code == 0, err
    cell = next(c for r in load_workbook(target).worksheets[0].iter_rows() for c in r
                if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.data_type == "s"


# --- in a real browser: accessibility and printing on A4 ------------------------------------------

@pytest.fixture(scope="module")
def rendered_site(pages, tmp_path_factory):
    """The recap, board and data pages written out with the site's stylesheet and the board's."""
    from jinja2 import Environment, FileSystemLoader
    root = tmp_path_factory.mktemp("halaman")
    for name, (page, html) in pages.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    css = Environment(loader=FileSystemLoader(str(ROOT / "theme" / "templates"))).get_template("situs.css")
    (root / "tema").mkdir()
    (root / "tema" / "situs.css").write_text(css.render(SITE={"utama": "#0b5d3b", "aksen": "#8a4b00"}),
                                             encoding="utf-8")
    assert recap_pages.write_assets(root) == [root / "tema" / "print-board.css", root / "tema" / "cari.js"]
    return root


def test_pages_in_chromium_pass_axe_and_the_board_prints_on_a4(rendered_site, tmp_path):
    import os
    sync_api = pytest.importorskip("playwright.sync_api")
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    from site_helpers import CHROMIUM, CHROMIUM_ARGS, Served
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_api.sync_playwright() as playwright, Served(rendered_site) as served:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 360, "height": 740})
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("requestfailed", lambda request: errors.append(request.url))
            page.on("response", lambda response: response.status >= 400 and errors.append(response.url))
            for name in ("rekap/2026/index.html", "papan/2026-01/index.html", "data/index.html"):
                page.goto(f"{served.url}{name}")
                violations = [f"{v['id']}: {v['help']}" for v in axe_module.Axe().run(page).response["violations"]
                              if v.get("impact") in ("serious", "critical")]
                assert violations == [], (name, violations)
                # small screens: nothing but the wide tables (which scroll in their box) overflows
                assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1, name
            assert errors == []
            page.goto(f"{served.url}papan/2026-01/index.html")
            page.emulate_media(media="print")
            hidden = page.evaluate("[...document.querySelectorAll('nav, .lompat')]"
                                   ".map(e => getComputedStyle(e).display)")
            assert hidden == ["none", "none"]                       # no navigation on paper
            pdf = page.pdf(prefer_css_page_size=True)
        finally:
            browser.close()
    boxes = re.findall(rb"MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes)   # A4
    assert len(boxes) == 1                                          # two responses and the signature: one sheet


def test_hostile_text_is_inert_on_the_board_and_in_open_data(tmp_path):
    from pipeline.outputs import opendata
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    repo = GitRepo(tmp_path / "repo")
    fields = dict(judul=f"Judul {payload}"[:140], ringkasan=f"Ringkasan {payload}",
                  tanggapan={"isi": f"Tanggapan {payload}"},
                  rencana_tindak_lanjut={"isi": f"Rencana {payload}"})
    repo.commit("Record", "2026-01-05T09:00:00+07:00", files=write_complaint(
        repo, "ADU-20260105-HHHH", "2026-01-05 08:00", **fields))
    now = datetime.fromisoformat(NOW)
    loaded = load(repo.path, now=now)
    assert loaded.ok, [problem.as_text() for problem in loaded.errors]
    report = deadlines.build_report(loaded.root, "HEAD", now, loaded=loaded)[0]
    site = site_defaults(loaded.policy)
    html = {page.save_as: render_page(page, site) for page in recap_pages.site_pages(report, loaded.policy, site=site)}
    board = html["papan/2026-01/index.html"]
    assert "Ringkasan" in board and "Tanggapan" in board
    assert "&lt;script&gt;" in board                          # shown as text, never as markup
    for name, text in html.items():
        lowered = text.lower()
        assert "<script" not in lowered and "<img" not in lowered, name
        assert not re.search(r"<[^>]*\son\w+\s*=", lowered), name            # no event handler attribute
        assert not re.search(r"(href|src)\s*=\s*[\"']?\s*javascript:", lowered), name
    opendata.write_all(tmp_path / "out", loaded, report)
    [request] = json.loads((tmp_path / "out" / "data" / "requests.json").read_text(encoding="utf-8"))
    assert "<" not in request["description"] and "alert(1)" not in request["description"]
    assert request["description"].startswith("Ringkasan")


# --- one vocabulary for the staff too ------------------------------------------------------------

# "terlambat" only as "selesai terlambat" or "terlambat, belum selesai" (records.labels.STAGE_STATES)
OTHER_WORDS = re.compile(r"lewat tenggat|lewat batas|menunggu|berjalan|(?<!selesai )terlambat(?!, belum selesai)",
                         re.IGNORECASE)


def test_staff_outputs_speak_the_one_stage_vocabulary(sample, report, loaded, figures, tmp_path, capsys):
    from pipeline.commands import deadlines as deadlines_command
    from pipeline.commands import watch
    from pipeline.outputs import recap_tables, workbook
    from pipeline.records.labels import STAGE_STATES

    texts = {"deadlines text": deadlines_command.render_text(report),
             "deadlines markdown": deadlines_command.render_markdown(report),
             "deadlines github": deadlines_command.render_github(report)}
    late = watch.Entry(id=B, title="Contoh", path="content/complaints/2026/x.md", stage="umpan_balik",
                       stage_name="Umpan balik kepada pelapor", due_at=report.now, where=["main"])
    texts["watch"] = watch.render([late], [], report.now, loaded.policy)
    texts["watch, nothing"] = watch.render([], [], report.now, loaded.policy)
    rows = recap_tables.figure_rows(figures)
    texts["recap rows"] = "\n".join(row["label"] for row in rows)
    code, out, _ = run(capsys, "--repo", str(sample[0].path), "--now", NOW)
    texts["recap text"] = out
    target = tmp_path / "rekap.xlsx"
    run(capsys, "--repo", str(sample[0].path), "--now", NOW, "--format", "xlsx", "--output", str(target))
    book = load_workbook(target)
    texts["workbook"] = "\n".join(str(cell.value) for sheet in book.worksheets for line in sheet.iter_rows()
                                  for cell in line if isinstance(cell.value, str)
                                  and cell.value not in STAGE_STATES)       # a code, not a word
    for name, text in texts.items():
        found = OTHER_WORDS.search(text)
        assert not found, (name, text[max(0, found.start() - 80):found.end() + 40])
    for word in ("TERLAMBAT, BELUM SELESAI", "SELESAI TERLAMBAT"):
        assert word in texts["deadlines text"]
    assert STAGE_STATES["lewat_batas"] in texts["watch"]
    assert all(STAGE_STATES[code] in texts["recap rows"] for code in STAGE_STATES)
    assert all(STAGE_STATES[code].lower() in texts["workbook"].lower() for code in STAGE_STATES)


def test_a_rows_bar_has_no_track_of_a_whole():
    """A row's bar is its count against the largest row's: over a grey track it read as a share
    of 100% ("16% (3 dari 19)" drawn full; found by hand)."""
    from pipeline.outputs.charts import bar
    assert 'class="b-latar"' not in bar(3, 3) and 'width="50"' in bar(3, 6)
