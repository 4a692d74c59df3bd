"""The web editor at /admin/ (Decap CMS, vendored in admin/vendor/decap-cms/): its configuration,
generated from the complaint schema and the policy, and its copy into the built site.

The form follows the SOP: the complaint, the reporter (private), then one section per step. Every
field of `schema/complaint.schema.json` is in it, in the order of a hand-written file; private
fields are labelled "RAHASIA: tidak dipublikasikan". `admin/pengaduan-cms.js` (ours) gives the
editor its Indonesian interface and, before each save, the complaint id and the
removal of empty optional fields, so what the editor writes passes `pengaduan check` as it is.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from pipeline.records.labels import KIND_LABELS, STATUS_LABELS, channel_label
from pipeline.records.policy import Policy
from pipeline.records.schemaref import follow_refs
from pipeline.records.schemas import load_schema

ADMIN_DIR = "admin"
CONFIG_FILE = "config.yml"
INDEX_FILE = "index.html"
DECAP_SCRIPT = "vendor/decap-cms/decap-cms.js"
COLLECTION = "pengaduan"
PATH_TEMPLATE = "{{fields.diterima | date('YYYY')}}/{{slug}}"
PRIVATE = "RAHASIA: tidak dipublikasikan"
# A time is typed, shown and kept as the Puskesmas's wall-clock time, without a zone, whatever the
# zone of the computer: admin/pengaduan-cms.js adds the policy's offset (WIB +07:00, ...) when
# saving, and makes "Sekarang" the time now in the Puskesmas. (With a zone in this format, Decap
# would save and show times in the browser's zone: 09:30 typed on a computer set to UTC saved as
# 09:30+00:00, 7 hours off in WIB.)
WALL_CLOCK = "YYYY-MM-DDTHH:mm:ss"
DATETIME = {"widget": "datetime", "format": WALL_CLOCK, "date_format": "DD-MM-YYYY", "time_format": "HH:mm"}
TIME_HINT = ("Tanggal dan jam setempat Puskesmas; disimpan dengan zona waktu Puskesmas. Tombol "
             "\"Sekarang\" mengisi waktu saat ini.")
GENERATED = ("# DIBUAT OTOMATIS oleh `pengaduan editor` dari schema/complaint.schema.json dan\n"
             "# puskesmas.yaml. Jangan diubah tangan: ubah skema atau kebijakan, lalu jalankan\n"
             "# `pengaduan editor` lagi (tes gagal bila berkas ini usang).\n")

# Labels and hints of our own (Indonesian), by field path. A schema field missing here still gets
# a form field (labelled with its name), and tests/test_editor.py fails until it has a label.
LABELS = {
    "id": "Nomor pengaduan",
    "judul": "Judul (publik)",
    "diterima": "Waktu pengaduan diterima",
    "kanal": "Kanal pengaduan",
    "jenis": "Jenis",
    "unit": "Unit yang diadukan",
    "ringkasan": "Ringkasan untuk publik",
    "kerahasiaan": "Kerahasiaan",
    "status": "Langkah 7 — Publikasi: status pengaduan",
    "pelapor": "Pelapor",
    "pelapor.nama": "Nama pelapor",
    "pelapor.kontak": "Kontak pelapor (telepon atau email)",
    "pelapor.alamat": "Alamat pelapor",
    "pelapor.anonim": "Pelapor tidak menyebut nama (anonim)",
    "pelapor.catatan": "Catatan tentang pelapor",
    "lapor_tim": "Langkah 1 — Lapor ke tim pengelola pengaduan",
    "lapor_tim.waktu": "Waktu dilaporkan ke tim",
    "lapor_tim.petugas": "Petugas yang melapor",
    "rapat": "Langkah 2 — Rapat tim",
    "rapat.waktu": "Waktu rapat",
    "rapat.peserta": "Peserta rapat",
    "rapat.catatan": "Notulen rapat",
    "diteruskan_ke": "Langkah 3 — Distribusi: diteruskan ke unit",
    "rencana_tindak_lanjut": "Langkah 4 — Rencana tindak lanjut",
    "rencana_tindak_lanjut.isi": "Rencana (publik)",
    "rencana_tindak_lanjut.penanggung_jawab": "Unit penanggung jawab",
    "rencana_tindak_lanjut.target": "Target selesai",
    "rencana_tindak_lanjut.selesai": "Waktu rencana selesai dikerjakan",
    "rencana_tindak_lanjut.hasil": "Hasil tindak lanjut (publik)",
    "tanggapan": "Langkah 5 dan 6 — Tanggapan dan umpan balik kepada pelapor",
    "tanggapan.isi": "Isi tanggapan (publik)",
    "tanggapan.disetujui_oleh": "Disetujui oleh",
    "tanggapan.disetujui_pada": "Waktu disetujui",
    "tanggapan.waktu": "Umpan balik: waktu tanggapan disampaikan kepada pelapor",
    "tanggapan.kanal": "Umpan balik: cara menyampaikan",
    "tanggapan.petugas": "Umpan balik: petugas yang menyampaikan",
    "catatan_internal": "Catatan internal tim",
    "privasi_diperiksa": "Potongan teks publik yang sudah diperiksa (bukan data pribadi)",
    "body": "Catatan kerja",
}
HINTS = {
    "id": "Diisi otomatis saat pertama disimpan.",
    "judul": "3-140 karakter, tanpa nama atau kontak pelapor.",
    "diterima": "Kapan pengaduan masuk lewat kanalnya (bukan saat mengetik). Batas waktu SOP dihitung dari sini.",
    "ringkasan": "10-4000 karakter, tanpa nama, nomor telepon, alamat atau NIK pelapor. Boleh Markdown.",
    "kerahasiaan": ("Terbuka: dipublikasikan tanpa identitas pelapor. Rahasia: pelapor meminta "
                    "kerahasiaan; pengaduan hanya dihitung di rekap, tidak punya halaman."),
    "pelapor.kontak": "Mis. 08xx-xxxx-xxxx (nomor HP) atau alamat email.",   # (no real-looking number: the page is published)
    "pelapor.anonim": "Nyalakan bila pelapor memang tidak menyebut nama (mis. kertas kotak saran).",
    "lapor_tim.waktu": "Isi saat melapor ke tim (batas 1x24 jam hari kerja). " + TIME_HINT,
    "rapat.peserta": "Satu nama atau jabatan per baris.",
    "rencana_tindak_lanjut.isi": "Wajib bila bagian ini diisi. Boleh Markdown.",
    "rencana_tindak_lanjut.target": "Tanggal target (tidak boleh sebelum tanggal pengaduan diterima).",
    "tanggapan.isi": ("Wajib bila bagian ini diisi. Tanggapan disetujui Kepala Puskesmas dengan "
                      "menerbitkan (menggabungkan) pull request. Boleh Markdown."),
    "tanggapan.waktu": "Batas umpan balik 3x24 jam hari kerja sejak pengaduan diterima. " + TIME_HINT,
    "privasi_diperiksa": ("Tulis persis potongan teks yang tampak seperti data pribadi tetapi boleh "
                          "terbit (mis. nomor WhatsApp Puskesmas), satu per baris."),
    "body": "Catatan kerja internal tim di bawah isian.",
}
# The SOP steps: each is one section of the form, with what the step means as its hint.
STEPS = {
    "lapor_tim": "Petugas melaporkan pengaduan kepada tim pengelola pengaduan paling lambat 1x24 jam hari kerja.",
    "rapat": "Tim membahas pengaduan dalam rapat internal; notulen dan peserta tidak dipublikasikan.",
    "diteruskan_ke": "Pengaduan diteruskan kepada unit terkait (boleh lebih dari satu).",
    "rencana_tindak_lanjut": "Rencana perbaikan yang disepakati dengan Kepala Puskesmas, dan hasilnya.",
    "tanggapan": ("Tanggapan disetujui Kepala Puskesmas, lalu disampaikan kepada pelapor paling lambat "
                  "3x24 jam hari kerja sejak pengaduan diterima."),
    "status": ("Simpan, lalu ubah status alur menjadi \"Diperiksa Kepala\". Kepala Puskesmas membaca "
               "pratinjau publik di pull request dan menerbitkan; situs diperbarui otomatis. Kosongkan "
               "status agar dihitung dari isian (baru, diproses, dijawab)."),
}
ORDER = ["id", "judul", "diterima", "kanal", "jenis", "unit", "ringkasan", "kerahasiaan", "pelapor",
         "lapor_tim", "rapat", "diteruskan_ke", "rencana_tindak_lanjut", "tanggapan", "status",
         "catatan_internal", "privasi_diperiksa"]


def _label(path: str, private: bool) -> str:
    label = LABELS.get(path, path.rsplit(".", 1)[-1])
    return f"{label} ({PRIVATE})" if private else label


def _options(values, labels) -> list[dict]:
    return [{"label": labels(value), "value": value} for value in values]


def _widget(path: str, node: dict, root: dict, policy: Policy) -> dict:
    """The Decap widget of one schema field (without its name, label and hint)."""
    name = path.rsplit(".", 1)[-1]
    if path == "id":
        return {"widget": "hidden"}
    if node.get("format") == "waktu":
        return dict(DATETIME)
    if node.get("format") == "date":
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD-MM-YYYY",
                "time_format": False}
    if path == "kanal":
        return {"widget": "select", "options": _options(policy.channels, lambda c: channel_label(c, policy))}
    if node.get("pattern") == "^[a-z][a-z0-9_]*$" or (node.get("type") == "array" and name == "diteruskan_ke"):
        options = _options(policy.units, policy.unit_name)
        return {"widget": "select", "options": options, **({"multiple": True} if node.get("type") == "array" else {})}
    if "enum" in node:
        labels = {"jenis": KIND_LABELS, "status": STATUS_LABELS,
                  "kerahasiaan": {"terbuka": "Terbuka (dipublikasikan tanpa identitas pelapor)",
                                  "rahasia": "Rahasia (tidak dipublikasikan, hanya dihitung)"}}.get(name)
        return {"widget": "select", "options": _options(node["enum"], lambda v: (labels or {}).get(v) or channel_label(v))}
    if node.get("type") == "boolean":
        return {"widget": "boolean"}
    if node.get("type") == "array":
        return {"widget": "list", "field": {"label": "Isi", "name": "isi", "widget": "string"}}
    if node.get("type") == "object":
        return {"widget": "object", "collapsed": False}
    long_text = name in ("ringkasan", "isi", "hasil", "catatan") or path == "catatan_internal"
    return {"widget": "text" if long_text else "string"}


def _field(path: str, node: dict, root: dict, policy: Policy, required: bool, private: bool) -> dict:
    node = follow_refs(node, root)
    private = private or node.get("x-visibility") == "private"
    field = {"label": _label(path, private), "name": path.rsplit(".", 1)[-1]}
    field.update(_widget(path, node, root, policy))
    field["required"] = required and path != "id"
    if path in HINTS or path in STEPS:
        field["hint"] = HINTS.get(path) or STEPS[path]
    elif private and node.get("type") == "object":
        field["hint"] = "Seluruh bagian ini RAHASIA: tidak pernah dipublikasikan."
    if "minLength" in node and field["widget"] in ("string", "text"):
        top = node.get("maxLength")
        field["pattern"] = [f"^[\\s\\S]{{{node['minLength']},{top or ''}}}$",
                            f"harus {node['minLength']}-{top} karakter" if top else
                            f"paling sedikit {node['minLength']} karakter"]
    if path == "kerahasiaan":
        field["default"] = "terbuka"
    if field["widget"] == "object":
        needed = set(node.get("required", []))
        field["fields"] = [_field(f"{path}.{key}", child, root, policy, False, private)
                           for key, child in node["properties"].items()]
        for sub in field["fields"]:
            if sub["name"] in needed and "hint" not in sub:
                sub["hint"] = "Wajib bila bagian ini diisi."
    return field


def complaint_fields(policy: Policy, schema: dict | None = None) -> list[dict]:
    """The form's fields: the schema's, in the order of a hand-written file, with the SOP steps."""
    root = schema or load_schema("complaint.schema.json")
    properties = root["properties"]
    keys = [key for key in ORDER if key in properties] + [key for key in properties if key not in ORDER]
    required = set(root.get("required", []))
    fields = []
    for key in keys:
        fields.append(_field(key, properties[key], root, policy, key in required, False))
    fields.append({"label": _label("body", True), "name": "body", "widget": "text", "required": False,
                   "hint": HINTS["body"]})
    return fields


def _backend(policy: Policy) -> dict:
    editor = policy.editor
    backend = {"name": editor.service, "repo": editor.repository, "branch": editor.branch,
               "squash_merges": False,
               "commit_messages": {
                   "create": "Catat pengaduan {{slug}}",
                   "update": "Perbarui pengaduan {{slug}}",
                   "delete": "Hapus pengaduan {{slug}}",
                   "uploadMedia": "Unggah berkas {{path}}",
                   "deleteMedia": "Hapus berkas {{path}}",
                   "openAuthoring": "{{message}}"}}
    if editor.server:
        backend["base_url"] = editor.server.rstrip("/")
        if editor.service == "forgejo":
            backend["api_root"] = f"{editor.server.rstrip('/')}/api/v1"
    if editor.oauth:
        backend["base_url"] = editor.oauth.rstrip("/")
    if editor.app_id:
        backend["app_id"] = editor.app_id
    return backend


def config(policy: Policy, schema: dict | None = None, local_backend: str | None = None) -> dict:
    """The Decap CMS configuration (admin/config.yml) as data."""
    result = {
        "backend": _backend(policy),
        "publish_mode": "editorial_workflow",
        "local_backend": {"url": local_backend} if local_backend else True,
        "locale": "id",
        "site_url": policy.identity.website or policy.website_url or "",
        "media_folder": "content/lampiran",
        "public_folder": "/lampiran",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [{
            "name": COLLECTION,
            "label": "Pengaduan",
            "label_singular": "pengaduan",
            "description": (f"Pengaduan {policy.name}: satu isian per pengaduan. Menyimpan membuka atau "
                            "memperbarui pull request pengaduan itu; Kepala Puskesmas menerbitkannya."),
            "folder": "content/complaints",
            # <year received>/<id>.md; admin/pengaduan-cms.js keeps Decap CMS from lower-casing
            # the id and this template (which would break its filter).
            "path": PATH_TEMPLATE,
            "slug": "{{fields.id}}",
            "identifier_field": "judul",
            "summary": "{{id}} — {{judul}}",
            "extension": "md",
            "format": "yaml-frontmatter",
            "create": True,
            "editor": {"preview": False},   # the public view is in the pull request's comment
            "delete": False,
            "sortable_fields": ["diterima", "judul", "unit"],
            "view_filters": [{"label": f"Status: {label}", "field": "status", "pattern": value}
                             for value, label in STATUS_LABELS.items()],
            "fields": complaint_fields(policy, schema),
        }],
    }
    if not result["site_url"]:
        del result["site_url"]
    return result


def config_text(policy: Policy, schema: dict | None = None, local_backend: str | None = None) -> str:
    body = yaml.safe_dump(config(policy, schema, local_backend), sort_keys=False, allow_unicode=True,
                          width=100, default_flow_style=False)
    return GENERATED + body


# Decap CMS's grey text and a few badges fall below WCAG AA contrast (axe-core, serious): darker
# colours for those parts, matched by the component names Decap puts into its class names. Field
# labels (grey on grey, or white on blue while active) become large bold text, which needs 3:1,
# and are no longer in capitals: easier to read for staff too.
CONTRAST_CSS = """
    p, [class*="grayText"], [class*="AppHeaderButton"], [class*="AppHeaderSiteLink"],
    [class*="WorkflowTopDescription"], [class*="ColumnCount"], [class*="CardDateContainer"],
    a[href$="#/workflow"], a[href="#/"], [class*="[object"] { color: #3f4654 !important; }
    .Toastify__toast--success { background: #116329 !important; color: #fff !important; }
    .Toastify__toast--error { background: #a40e26 !important; color: #fff !important; }
    .Toastify__toast--info { background: #0b4f8a !important; color: #fff !important; }
    .Toastify__toast--warning { background: #7a4d00 !important; color: #fff !important; }
    [class*="textBadgeDanger"] { color: #b00030 !important; }
    [class*="StatusButton"] { color: #0a5561 !important; }
    *, *::before, *::after { transition: none !important; }   /* no colours caught half-way */
    label[for], label[for] > span { font-size: 19px !important; font-weight: 700 !important;
      text-transform: none !important; letter-spacing: 0 !important; }
    [class*="StyledDropdownButton"]:not([class*="grayText"]):not([class*="StatusButton"]) {
      background-color: #4f5766 !important; color: #fff !important; }
    @media (max-width: 799px) {   /* Decap's editor is 800 px wide at least: let it fit a phone */
      [class*="EditorContainer"], [class*="ToolbarContainer"], [class*="EditorToolbar"] {
        min-width: 0 !important; }
      [class*="ToolbarContainer"], [class*="EditorToolbar"] { height: auto !important; flex-wrap: wrap; }
    }
  """.strip("\n")


def index_html(policy: Policy) -> str:
    """The editor's page: our settings, the vendored Decap CMS, then our additions."""
    fields = complaint_fields(policy)
    sections = {field["name"]: [sub["name"] for sub in field["fields"]]
                for field in fields if field["widget"] == "object"}
    settings = json.dumps({"zona_waktu": policy.timezone_name, "path_template": PATH_TEMPLATE,
                           "urutan": sections, "waktu": time_paths(fields)}, ensure_ascii=False)
    return f"""<!doctype html>
<!-- DIBUAT OTOMATIS oleh `pengaduan editor`. -->
<html lang="id">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Editor pengaduan — {_escape(policy.name)}</title>
  <link href="{CONFIG_FILE}" type="text/yaml" rel="cms-config-url">
  <style>{CONTRAST_CSS}</style>
</head>
<body>
  <noscript>Editor pengaduan memerlukan JavaScript.</noscript>
  <script>window.PENGADUAN = {settings};</script>
  <script src="{DECAP_SCRIPT}"></script>
  <script src="pengaduan-cms.js"></script>
</body>
</html>
"""


def time_paths(fields: list[dict], prefix: tuple = ()) -> list[list[str]]:
    """The paths of the form's times (the fields kept as wall-clock times), e.g. ["lapor_tim", "waktu"]."""
    found = []
    for field in fields:
        path = (*prefix, field["name"])
        if field.get("format") == WALL_CLOCK:
            found.append(list(path))
        found += time_paths(field.get("fields", []), path)
    return found


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def generated_files(policy: Policy, local_backend: str | None = None) -> dict[str, str]:
    """admin/ file name -> the text `pengaduan editor` writes."""
    return {CONFIG_FILE: config_text(policy, local_backend=local_backend), INDEX_FILE: index_html(policy)}


def copy_into_site(repo: Path, output: Path) -> bool:
    """Copy admin/ into the built site; False (and nothing copied) when the repository has none."""
    source = repo / ADMIN_DIR
    if not (source / CONFIG_FILE).is_file() or not (source / DECAP_SCRIPT).is_file():
        return False
    shutil.copytree(source, output / ADMIN_DIR, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.map"))
    return True
