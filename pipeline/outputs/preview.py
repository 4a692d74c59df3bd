"""What the head approves: the public view of a changed complaint as the site will show it, for a
pull-request comment. Rendered from the site's own view (`outputs.views.complaint_view`: the
public fields only, the status, the SOP timeline with its on-time / late marks) and the site's
Markdown renderer; the private fields a change touches are named, never shown.
"""
from __future__ import annotations

import re

from markupsafe import escape

from pipeline.outputs.markup import MarkdownRenderer
from pipeline.outputs.views import complaint_view
from pipeline.records.complaint import field_at
from pipeline.records.policy import Policy
from pipeline.records.privacy import field_paths

MARKER = "<!-- pengaduan-pratinjau -->"
BODY = "catatan kerja (isi berkas di bawah front matter)"


def private_changes(before: dict | None, before_body: str | None, after: dict, after_body: str) -> list[str]:
    """Dotted names of the private fields that differ between two versions of a complaint (a new
    file: those it fills), the most specific name only; the values are never returned."""
    before = before or {}
    changed = [path for path in field_paths("private")
               if field_at(before, path) != field_at(after, path)]
    specific = [".".join(path) for path in changed
                if not any(other != path and other[:len(path)] == path for other in changed)]
    if (before_body or "").strip() != (after_body or "").strip():
        specific.append(BODY)
    return specific


def _safe(html) -> str:
    # A public text must not mention (notify) anyone on the forge when shown in a comment.
    return str(html).replace("@", "&#64;")


# The characters Markdown (GitHub's) may read as markup inside a line: emphasis, code, links,
# autolinks (`https:`, `www.`), headings, tables, strikethrough, images and escapes. A backslash
# makes each one plain; `&`, `<` and `>` are HTML-escaped instead.
_MARKDOWN = re.compile(r"([\\`*_\[\]()#|~!:.])")


def _text(value) -> str:
    """Plain text, shown as the site shows it (the template escapes it, nothing is markup): no
    Markdown (`*`, `_`, `[..](..)`, `#`, `1.`, `|`), no HTML, and nobody mentioned."""
    return _safe(escape(_MARKDOWN.sub(r"\\\1", str(value or ""))))


def _timeline(rows: list[dict]) -> list[str]:
    lines = ["| Langkah SOP | Waktu | Batas | Keadaan |", "|---|---|---|---|"]
    for row in rows:
        limit = " ".join(part for part in (row.get("batas_teks"), row.get("batas_waktu_teks") and
                                           f"({row['batas_waktu_teks']})") if part)
        state = row.get("keadaan_teks") or ("selesai" if row.get("selesai") else "belum")
        note = f" — {row['keterangan']}" if row.get("keterangan") else ""
        lines.append(f"| {_text(row['nama'])} | {_text(row['waktu_teks']) or '—'} | {_text(limit) or '—'} "
                     f"| {_text(state)}{_text(note)} |")
    return lines


def public_view_markdown(complaint, policy: Policy, evidence=None, render_md=None) -> str:
    """One complaint's public page, as Markdown with the site's HTML for its texts."""
    if not complaint.is_public:
        return (f"### {_text(complaint.id)}: RAHASIA\n\nPelapor meminta kerahasiaan. Pengaduan ini **tidak "
                "akan dipublikasikan**: tidak ada halaman, daftar, umpan atau data terbuka; ia hanya "
                "dihitung di statistik dan rekap.")
    view = complaint_view(complaint, policy, render_md or MarkdownRenderer(), evidence)
    lines = [f"### {_text(view['judul'])}", "",
             f"`{view['id']}` · halaman `/{view['url']}` · diterima {_text(view['diterima_teks'])} · "
             f"kanal {_text(view['kanal']['label'])} · {_text(view['jenis']['label'])} · "
             f"unit {_text(view['unit']['label'])} · status **{_text(view['status']['label'])}**", "",
             "**Ringkasan**", "", _safe(view["ringkasan_html"]), ""]
    if view["diteruskan_ke"]:
        lines += [f"Diteruskan ke: {_text(', '.join(view['diteruskan_ke']))}", ""]
    response = view["tanggapan"]
    if response:
        given = " · ".join(part for part in (
            response["waktu_teks"] and f"disampaikan {response['waktu_teks']}",
            response["kanal"] and f"lewat {response['kanal']}",
            response["disetujui_oleh"] and f"disetujui oleh {response['disetujui_oleh']}",
            response["disetujui_teks"] and f"pada {response['disetujui_teks']}") if part)
        lines += ["**Tanggapan**", "", _safe(response["isi_html"]), "", _text(given), ""]
    else:
        lines += ["**Tanggapan**: belum ada.", ""]
    plan = view["rencana"]
    if plan:
        facts = " · ".join(part for part in (
            plan["penanggung_jawab"] and f"penanggung jawab {plan['penanggung_jawab']}",
            plan["target_teks"] and f"target {plan['target_teks']}",
            plan["selesai_teks"] and f"selesai {plan['selesai_teks']}") if part)
        lines += ["**Rencana tindak lanjut**", "", _safe(plan["isi_html"]), "", _text(facts), ""]
        if plan["hasil_html"]:
            lines += ["**Hasil tindak lanjut**", "", _safe(plan["hasil_html"]), ""]
    lines += _timeline(view["linimasa"])
    return "\n".join(lines)


def private_note(changed: list[str]) -> str:
    if not changed:
        return "Tidak ada kolom rahasia yang berubah."
    names = ", ".join(f"`{name}`" if name != BODY else name for name in changed)
    return (f"Kolom rahasia yang berubah (isinya tidak ditampilkan di sini dan tidak pernah "
            f"dipublikasikan): {names}.")


def comment(sections: list[str], head: str = "") -> str:
    """The whole pull-request comment: one section per changed complaint."""
    intro = ("## Pratinjau publik\n\nBeginilah pengaduan di pull request ini akan tampil di situs "
             "setelah Kepala Puskesmas menyetujui (menggabungkan) pull request ini. Yang tidak tampil di "
             "sini tidak akan dipublikasikan.")
    body = "\n\n---\n\n".join(sections) if sections else "Pull request ini tidak mengubah berkas pengaduan."
    footer = (f"<sub>Diperbarui otomatis oleh workflow pemeriksaan"
              f"{' pada commit ' + head[:7] if head else ''}, dengan kode yang sama dengan situs.</sub>")
    return f"{MARKER}\n{intro}\n\n{body}\n\n{footer}"
