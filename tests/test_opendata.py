"""Open data (complaints.json, complaints.csv, Open311 requests.json and services.json) and the
canary test: private fields never reach a public file, a recap or board page, or the spreadsheet
without --include-private.

Uses the sample repository of test_recap.py (every number there is worked out by hand).
"""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openpyxl import load_workbook

from gitrepo import ROOT
import opendata_oracle
from recap_render import render_page, site_defaults
from test_recap import (A, B, C, D, E, NOW, SECRET_SUMMARY, SECRET_TITLE, build_sample, private_fields)

from pipeline.outputs import opendata, opendata_docs, recap_pages
from pipeline.report import deadlines, figures
from pipeline.cli import main as cli_main
from pipeline.records.loader import load

BASE = "https://pkm.example.go.id"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    repo, canaries_a, canaries_c = build_sample(root / "repo")
    now = datetime.fromisoformat(NOW)
    loaded = load(repo.path, now=now)
    assert loaded.ok
    report = deadlines.build_report(loaded.root, "HEAD", now, loaded=loaded)[0]
    output = root / "output"
    written = opendata.write_all(output, loaded, report, base_url=BASE)
    return {"repo": repo, "loaded": loaded, "report": report, "output": output, "written": written,
            "canaries": canaries_a + canaries_c, "canaries_a": canaries_a, "canaries_c": canaries_c}


def read(built, name):
    return (built["output"] / "data" / name).read_text(encoding="utf-8")


def schema(name: str, ref: str | None = None) -> Draft202012Validator:
    document = json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    if ref:
        document = {"$ref": ref, "$defs": document["$defs"]}
    return Draft202012Validator(document, format_checker=FormatChecker())


def test_files_written(built):
    assert sorted(path.name for path in built["written"]) == [
        "complaints.csv", "complaints.json", "requests.json", "services.json"]


def test_files_are_streamed_byte_for_byte_as_the_documents(built, tmp_path):
    # write_all streams one record at a time; what it writes is exactly the documents' JSON/CSV,
    # with records and without (no public complaint at all).
    loaded, report = built["loaded"], built["report"]
    empty = type(report)(ref=report.ref, now=report.now, timezone=report.timezone, complaints=[])
    for case, source in (("full", report), ("empty", empty)):
        opendata.write_all(tmp_path / case, loaded, source, base_url=BASE)
        data = tmp_path / case / "data"
        policy = loaded.policy
        expected = {
            "complaints.json": opendata._dump(opendata_oracle.complaints_json(source, policy, BASE)),
            "complaints.csv": opendata_oracle.complaints_csv(source, policy, BASE),
            "requests.json": opendata._dump(opendata_oracle.requests_json(source, policy)),
        }
        for name, text in expected.items():
            assert (data / name).read_bytes() == text.encode("utf-8"), (case, name)
    assert json.loads((tmp_path / "empty" / "data" / "complaints.json").read_text())["pengaduan"] == []


def test_complaints_json(built):
    data = json.loads(read(built, "complaints.json"))
    assert list(schema("opendata-complaint.schema.json").iter_errors(data)) == []
    assert data["jumlah"] == 4 and data["puskesmas"]["nama"] == "Puskesmas Arjuno"
    assert data["dibuat"] == "2026-02-20T12:00:00+07:00"
    records = {item["id"]: item for item in data["pengaduan"]}
    assert list(records) == [E, A, B, D]                      # oldest first; C is confidential
    a = records[A]
    assert a["diterima"] == "2026-01-05T08:00:00+07:00"        # "2026-01-05 08:00" read in WIB
    assert a["lapor_tim"] == {"waktu": "2026-01-05T08:45:00+07:00"}   # its officer is private
    assert a["tanggapan"]["waktu"] == "2026-01-06T10:00:00+07:00" and "petugas" not in a["tanggapan"]
    assert a["status"] == "selesai" and a["unit_nama"] == "Pendaftaran dan Rekam Medis"
    assert a["url"] == f"{BASE}/pengaduan/{A}/"
    assert a["bukti"] == {"dicatat": "2026-01-05T09:00:00+07:00", "dijawab": "2026-01-06T10:00:00+07:00",
                          "dipublikasikan": "2026-01-06T10:00:00+07:00"}
    stages = {stage["tahap"]: stage for stage in a["tahapan"]}
    assert stages["lapor_tim"] == {"tahap": "lapor_tim", "nama": "Dilaporkan ke tim pengelola pengaduan",
                                   "batas_jam_kerja": 24, "batas": "2026-01-06T08:00:00+07:00",
                                   "selesai": "2026-01-05T09:00:00+07:00", "status": "tepat_waktu"}
    assert stages["publikasi"]["batas"] is None and stages["publikasi"]["status"] is None
    assert stages["publikasi"]["selesai"] == "2026-01-06T10:00:00+07:00"
    b = {stage["tahap"]: stage for stage in records[B]["tahapan"]}
    assert (b["lapor_tim"]["status"], b["umpan_balik"]["status"]) == ("terlambat", "terlambat")
    assert b["umpan_balik"]["batas"] == "2026-01-12T10:00:00+07:00"
    assert b["publikasi"]["selesai"] == "2026-01-13T09:00:00+07:00"    # the merge
    assert records[B]["status"] == "dijawab"
    d = {stage["tahap"]: stage for stage in records[D]["tahapan"]}
    assert d["umpan_balik"] == {"tahap": "umpan_balik", "nama": "Umpan balik kepada pelapor", "batas_jam_kerja": 72,
                                "batas": "2026-02-24T14:00:00+07:00", "selesai": None, "status": "berjalan"}
    assert records[D]["bukti"]["dijawab"] is None and records[D]["status"] == "baru"


def test_opendata_schema_can_fail():
    validator = schema("opendata-complaint.schema.json")
    broken = {"puskesmas": {"nama": "x"}, "dibuat": "2026-02-20 12:00", "ref": "HEAD", "zona_waktu": "Asia/Jakarta",
              "jumlah": 0, "pengaduan": [{"id": A, "pelapor": {"nama": "x"}}]}
    messages = [error.message for error in validator.iter_errors(broken)]
    assert any("does not match" in message for message in messages)          # a time without offset
    assert any("'pelapor' was unexpected" in message for message in messages)


def test_complaints_csv(built):
    text = read(built, "complaints.csv")
    assert text.startswith("id,judul,diterima,")
    assert (built["output"] / "data" / "complaints.csv").read_bytes().count(b"\r\n") >= 5   # RFC 4180
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["id"] for row in rows] == [E, A, B, D]
    assert list(rows[0]) == opendata.csv_columns(built["loaded"].policy)
    a, b = rows[1], rows[2]
    assert a["diterima"] == "2026-01-05T08:00:00+07:00" and a["lapor_tim.waktu"] == "2026-01-05T08:45:00+07:00"
    assert a["rencana_tindak_lanjut.selesai"] == "2026-01-20T10:00:00+07:00"
    assert a["rencana_tindak_lanjut.status"] == "tepat_waktu" and b["rencana_tindak_lanjut.status"] == "berjalan"
    assert rows[0]["rencana_tindak_lanjut.status"] == rows[3]["rencana_tindak_lanjut.status"] == ""   # no plan
    assert a["tahap.lapor_tim.status"] == "tepat_waktu" and a["tahap.umpan_balik.status"] == "tepat_waktu"
    assert b["tahap.umpan_balik.batas"] == "2026-01-12T10:00:00+07:00"
    assert b["tahap.umpan_balik.selesai"] == "2026-01-12T11:00:00+07:00"
    assert b["tahap.umpan_balik.status"] == "terlambat" and b["bukti.dipublikasikan"] == "2026-01-13T09:00:00+07:00"
    assert rows[3]["tahap.umpan_balik.status"] == "berjalan" and rows[3]["bukti.dijawab"] == ""
    assert not any(column.startswith(("pelapor", "catatan_internal")) or column.endswith("petugas")
                   for column in rows[0])


def test_every_column_is_documented(built):
    policy = built["loaded"].policy
    for column in opendata.csv_columns(policy):
        assert opendata_docs.column_doc(column), f"column {column} has no documentation on /data/"
    documented = {doc.name: dict(doc.fields) for doc in opendata_docs.documentation(policy)}
    assert set(documented) == {"complaints.json", "complaints.csv", "requests.json", "services.json"}
    requests = json.loads(read(built, "requests.json"))
    assert set(requests[0]) <= set(documented["requests.json"])
    assert set(json.loads(read(built, "services.json"))[0]) <= set(documented["services.json"])


def test_open311_requests(built):
    requests = json.loads(read(built, "requests.json"))
    assert list(schema("open311-georeport-v2.schema.json").iter_errors(requests)) == []
    by_id = {item["service_request_id"]: item for item in requests}
    assert [item["service_request_id"] for item in requests] == [D, B, A, E]    # newest first, no C
    a, b, d = by_id[A], by_id[B], by_id[D]
    assert (a["status"], b["status"], d["status"], by_id[E]["status"]) == ("closed", "closed", "open", "closed")
    assert a["service_code"] == "pendaftaran" and a["service_name"] == "Pendaftaran dan Rekam Medis"
    assert a["agency_responsible"] == "Puskesmas Arjuno"
    assert a["requested_datetime"] == "2026-01-05T08:00:00+07:00"
    assert a["expected_datetime"] == "2026-01-08T08:00:00+07:00"              # feedback: 3x24 working hours
    assert a["updated_datetime"] == "2026-01-06T10:00:00+07:00"
    assert b["expected_datetime"] == "2026-01-12T10:00:00+07:00"
    assert b["updated_datetime"] == "2026-01-13T09:00:00+07:00"               # published by the merge
    assert d["expected_datetime"] == "2026-02-24T14:00:00+07:00"
    assert d["status_notes"] == ("Baru. Dilaporkan ke tim pengelola pengaduan: tepat waktu. "
                                 "Umpan balik kepada pelapor: belum jatuh tempo.")
    # the follow-up judged against its target date on the data's day (28 Feb, after 20 Feb: not due yet)
    assert b["status_notes"].startswith("Dijawab. Rencana tindak lanjut belum selesai: belum jatuh tempo.")
    assert a["description"] == "Antrean di loket pendaftaran terlalu lama pada pagi hari."


def test_open311_services(built):
    services = json.loads(read(built, "services.json"))
    assert list(schema("open311-georeport-v2.schema.json", "#/$defs/services").iter_errors(services)) == []
    policy = built["loaded"].policy
    assert [service["service_code"] for service in services] == list(policy.units)
    assert services[0]["service_name"] == "Pendaftaran dan Rekam Medis" and services[0]["metadata"] is False


def test_open311_schema_can_fail():
    validator = schema("open311-georeport-v2.schema.json")
    good = {"service_request_id": A, "status": "open", "service_code": "farmasi",
            "requested_datetime": "2026-01-05T08:00:00+07:00"}
    assert validator.is_valid([good])
    for change in ({"status": "dijawab"}, {"requested_datetime": "2026-01-05T08:00:00"},
                   {"expected_datetime": "2026-01-05 08:00"}, {"description": "x" * 4001},
                   {"pelapor": "x"}, {"lat": 95}):
        assert not validator.is_valid([{**good, **change}]), change
    services = schema("open311-georeport-v2.schema.json", "#/$defs/services")
    assert not services.is_valid([{"service_code": "x", "service_name": "X", "metadata": False, "type": "instant"}])


def test_description_is_plain_text_within_4000_characters():
    text = "Antrean **sangat** lama\ndi loket.\n\n- satu\n- dua\n\n<script>alert(1)</script>Akhir"
    assert opendata.plain_text(text) == "Antrean sangat lama di loket.\n\n- satu\n- dua\n\nAkhir"
    long = opendata.plain_text("kata " * 1500)
    assert len(long) == 4000 and long.endswith("…")


# --- the canary test ------------------------------------------------------------------------------

def test_every_private_field_carries_a_canary(built):
    # The planting covers every private text field of the schema (a new one is covered too).
    text_fields = [path for path, node in private_fields() if node.get("type") != "boolean"]
    assert len(built["canaries_a"]) == len(text_fields) + 1            # + the file's body
    assert {"KENARIAPELAPOR_NAMA", "KENARIAPELAPOR_KONTAK", "KENARIACATATAN_INTERNAL",
            "KENARIATANGGAPAN_PETUGAS", "KENARIABADANBERKAS"} <= set(built["canaries_a"])
    text = (built["repo"].path / "content/complaints/2026" / f"{A}.md").read_text(encoding="utf-8")
    assert all(canary in text for canary in built["canaries_a"])     # they really are in the file


def rendered_pages(built) -> dict:
    loaded, report = built["loaded"], built["report"]
    site = site_defaults(loaded.policy)
    return {page.save_as: render_page(page, site) for page in
            recap_pages.site_pages(report, loaded.policy, site=site)}


def workbook_text(path) -> str:
    book = load_workbook(path)
    parts = list(book.sheetnames) + [str(book.properties.title)]
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            parts += [str(value) for value in row if value is not None]
    return "\n".join(parts)


def test_canaries_never_reach_public_outputs(built, tmp_path, capsys):
    outputs = {path.name: read(built, path.name) for path in built["written"]}
    outputs.update(rendered_pages(built))
    assert "papan/2026-01/index.html" in outputs and "rekap/index.html" in outputs
    public_book = tmp_path / "publik.xlsx"
    assert cli_main(["recap", "--repo", str(built["repo"].path), "--now", NOW, "--format", "xlsx",
                     "--output", str(public_book), "--from", "2025-01-01", "--to", "2026-12-31"]) == 0
    outputs["publik.xlsx"] = workbook_text(public_book)
    for canary in ("--format", "text"), ("--format", "json"), ("--format", "csv"):
        assert cli_main(["recap", "--repo", str(built["repo"].path), "--now", NOW, *canary]) == 0
        outputs[" ".join(canary)] = capsys.readouterr().out
    for name, text in outputs.items():
        leaked = [canary for canary in built["canaries"] if canary in text]
        assert leaked == [], f"{name} leaks {leaked}"
        assert "KENARI" not in text, name
        # The confidential complaint: counted, never named.
        assert C not in text and SECRET_TITLE not in text and SECRET_SUMMARY not in text, name
    assert A in outputs["complaints.json"] and A in outputs["publik.xlsx"]   # the public one is there


def test_canaries_do_appear_with_include_private(built, tmp_path):
    private_book = tmp_path / "pribadi.xlsx"
    assert cli_main(["recap", "--repo", str(built["repo"].path), "--now", NOW, "--format", "xlsx",
                     "--output", str(private_book), "--include-private"]) == 0
    text = workbook_text(private_book)
    missing = [canary for canary in built["canaries"] if canary not in text]
    assert missing == []
    assert C in text and SECRET_TITLE in text and "MEMUAT DATA PRIBADI" in text


# --- in the built site ---------------------------------------------------------------------------

def test_the_site_build_writes_recap_board_and_open_data(built, tmp_path):
    from site_helpers import build, output_files
    output = tmp_path / "situs"
    build(built["repo"].path, output, "--now", NOW)      # the last --now wins over the helper's own
    files = output_files(output)
    for name in ("rekap/index.html", "rekap/2026/index.html", "rekap/2025/index.html", "papan/index.html",
                 "papan/2026-01/index.html", "data/index.html", "data/complaints.json", "data/complaints.csv",
                 "data/requests.json", "data/services.json", "tema/print-board.css"):
        assert name in files, name
    for name, data in files.items():
        for canary in built["canaries"]:
            assert canary.encode() not in data, (name, canary)
        assert C.encode() not in data and SECRET_TITLE.encode() not in data, name
    recap_page = files["rekap/index.html"].decode()
    # git evidence; the public complaints only (the disclosure rule)
    assert "Tepat waktu: <strong>67% (2 dari 3)</strong>" in recap_page \
        and "Tepat waktu: <strong>50% (1 dari 2)</strong>" in recap_page
    board = files["papan/2026-01/index.html"].decode()
    assert "Januari 2026" in board
    # the build's board shows the complaints' views as its pages do; the same entries as a board
    # made apart from the build, each view made anew
    entries = re.findall(r'<article class="papan-entri">.*?</article>', board, re.S)
    assert len(entries) == 2 and A in entries[0] and B in entries[1]
    assert entries == re.findall(r'<article class="papan-entri">.*?</article>',
                                 rendered_pages(built)["papan/2026-01/index.html"], re.S)
    requests = json.loads(files["data/requests.json"])
    assert list(schema("open311-georeport-v2.schema.json").iter_errors(requests)) == []
    assert [item["service_request_id"] for item in requests] == [D, B, A, E]
