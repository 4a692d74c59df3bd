"""`pengaduan deadlines`: every SOP stage of every complaint, judged by git history."""
from __future__ import annotations

import json

from pipeline.report.deadlines import Report, to_json
from pipeline.report.plausibility import describe
from pipeline.records.timeutil import format_local
from pipeline.records.labels import ENGINE_STATES, STAGE_STATES
from pipeline.commands.common import add_now, add_ref, add_repo, add_tsa_ca, report_or_why

# The one vocabulary (records.labels.STAGE_STATES); a late step in capitals, for the eye.
LABELS = {engine: (STAGE_STATES[code].upper() if engine in ("breached", "overdue") else STAGE_STATES[code].lower())
          for engine, code in ENGINE_STATES.items()}
MARKS = {"met": "✔", "breached": "✖", "overdue": "‼", "pending": "…"}


def add_arguments(parser):
    add_repo(parser)
    add_ref(parser)
    add_now(parser)
    parser.add_argument("--format", choices=["text", "json", "markdown", "github"], default="text",
                        help="bentuk keluaran (markdown: untuk komentar PR / ringkasan workflow)")
    parser.add_argument("--fail-on", choices=["breached", "overdue", "never"], default="never",
                        help="keluar dengan kode 1 bila ada tahap yang selesai terlambat / terlambat, belum selesai")
    add_tsa_ca(parser)


def run(args) -> int:
    report, code = report_or_why(args, "deadlines", "dilewati")
    if report is None:
        return code
    print(RENDERERS[args.format](report))
    summary = report.summary()
    if args.fail_on == "breached" and summary["breached"]:
        return 1
    if args.fail_on == "overdue" and summary["overdue"]:
        return 1
    if args.fail_on != "never" and report.skipped:
        return 1  # an invalid file may hide a late step: nothing can be vouched for
    return 0


def _summary_line(report: Report) -> str:
    counts = report.summary()
    soon = [item.complaint.id for item in report.complaints if item.due_soon]
    line = "; ".join(f"{counts[key]} {LABELS[key].lower()}" for key in LABELS)
    text = f"Ringkasan tahap: {line}." + (f" Jatuh tempo s.d. hari kerja berikutnya: {', '.join(soon)}."
                                          if soon else "")
    if report.flagged():
        text += (f" {report.flagged()} tahap WAKTUNYA BELUM TERVERIFIKASI (lihat tanda ⚠): periksa "
                 "commit-nya; jangan dilaporkan sebagai tepat waktu.")
    if report.skipped:
        text += (f" TIDAK DINILAI karena berkasnya tidak sah ({len(report.skipped)}): "
                 f"{', '.join(report.skipped)}; perbaiki dengan `pengaduan check`.")
    return text


def render_text(report: Report) -> str:
    tz = report.now.tzinfo
    lines = [f"Tenggat SOP (ref {report.ref}, per {format_local(report.now, tz)})", ""]
    for item in report.complaints:
        complaint = item.complaint
        lines.append(f"{complaint.id}  diterima {format_local(complaint.received_at, tz)}  "
                     f"[{complaint.data['kanal']}]  {complaint.data['judul']}")
        for result in item.stages:
            done = format_local(result.done_at, tz, exact=True) if result.done_at else "belum"
            soon = "  (jatuh tempo hari kerja berikutnya)" if result.due_soon else ""
            lines.append(f"  {MARKS[result.status]} {result.stage.id:<12} batas {format_local(result.due_at, tz):<30} "
                         f"selesai {done:<30} {LABELS[result.status]}{soon}")
            lines += _proof_lines(result, tz)
        if item.evidence.published_at:
            lines.append(f"    dipublikasikan {format_local(item.evidence.published_at, tz)}")
        lines += [f"    ! {warning}" for warning in item.warnings]
    lines += ["", _summary_line(report)]
    return "\n".join(lines)


def _proof_lines(result, tz) -> list[str]:
    lines = []
    if result.proven_at:
        lines.append(f"      dibuktikan stempel waktu {format_local(result.proven_at, tz, exact=True)}"
                     f" ({result.proof_tsa}); diklaim git {format_local(result.claimed_at, tz, exact=True)}")
    if result.flags:
        lines.append(f"      ⚠ waktu belum terverifikasi [{', '.join(result.flags)}]: {describe(result.flags)}")
    return lines


def _flag_cell(result) -> str:
    text = f" ⚠ **belum terverifikasi** ({', '.join(result.flags)})" if result.flags else ""
    return text + (" 🔏 stempel" if result.proven_at else "")


def render_markdown(report: Report) -> str:
    tz = report.now.tzinfo
    stage_ids = [result.stage.id for result in report.complaints[0].stages] if report.complaints else []
    lines = [f"### Tenggat SOP pengaduan (ref `{report.ref}`, per {format_local(report.now, tz)})", "",
             "| ID | Diterima | Judul | " + " | ".join(stage_ids) + " | Dipublikasikan |",
             "|---|---|---|" + "---|" * len(stage_ids) + "---|"]
    for item in report.complaints:
        cells = []
        for result in item.stages:
            label = LABELS[result.status]
            label = f"**{label}**" if result.status in ("breached", "overdue") else label
            done = format_local(result.done_at, tz, short=True, exact=True) if result.done_at else "belum"
            cells.append(f"{MARKS[result.status]} {label} (batas {format_local(result.due_at, tz, short=True)}; "
                         f"{done}){_flag_cell(result)}")
        published = format_local(item.evidence.published_at, tz, short=True) if item.evidence.published_at else "—"
        title = item.complaint.data["judul"].replace("|", "\\|")
        lines.append(f"| `{item.complaint.id}` | {format_local(item.complaint.received_at, tz, short=True)} | "
                     f"{title} | " + " | ".join(cells) + f" | {published} |")
    warnings = [(item.complaint.id, warning) for item in report.complaints for warning in item.warnings]
    warnings += [(item.complaint.id, f"tahap {result.stage.id}: waktu belum terverifikasi: {describe(result.flags)}.")
                 for item in report.complaints for result in item.stages if result.flags]
    if warnings:
        lines += ["", "**Peringatan:**"] + [f"- `{cid}`: {warning}" for cid, warning in warnings]
    lines += ["", _summary_line(report)]
    return "\n".join(lines)


def render_github(report: Report) -> str:
    tz = report.now.tzinfo
    lines = []
    for item in report.complaints:
        line = item.complaint.position("diterima")[0]
        for result in item.stages:
            if result.status in ("breached", "overdue"):
                kind = "error" if result.status == "overdue" else "warning"
                lines.append(f"::{kind} file={item.complaint.shown},line={line},title=Tenggat {result.stage.id}::"
                             f"{item.complaint.id}: tahap {result.stage.id} {LABELS[result.status]} "
                             f"(batas {format_local(result.due_at, tz)}).")
        lines += [f"::warning file={item.complaint.shown},line={line},title=Waktu belum terverifikasi::"
                  f"{item.complaint.id}: tahap {result.stage.id}: {describe(result.flags)} "
                  f"({', '.join(result.flags)})." for result in item.stages if result.flags]
        lines += [f"::warning file={item.complaint.shown},line={line},title=Bukti git::{warning}"
                  for warning in item.warnings]
    lines.append(_summary_line(report))
    return "\n".join(lines)


def render_json(report: Report) -> str:
    return json.dumps(to_json(report), ensure_ascii=False, indent=2)


RENDERERS = {"text": render_text, "markdown": render_markdown, "github": render_github, "json": render_json}
