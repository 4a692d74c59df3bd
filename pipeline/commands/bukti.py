"""`pengaduan bukti`: for auditors (surveyors, Dinas Kesehatan, Ombudsman).

Verifies every trusted timestamp on the stamp branch offline and lists, per complaint and SOP
stage, the time git claims, the time a token proves, the TSA, and the plausibility flags. Exit 1
when a token is invalid (tampered, over other content, from another CA, outside its
certificate's validity); 2 when git or a CA file cannot be read.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.commands.common import add_now, add_repo, add_tsa_ca, now_or_clock
from pipeline.evidence.git import GitError
from pipeline.evidence.known_tsas import colons
from pipeline.evidence.stamps import BRANCH, TRUST_WORDS, authorities
from pipeline.evidence.trust_log import trust_changes
from pipeline.records.labels import stage_state_label
from pipeline.records.timeutil import format_local, local_iso
from pipeline.report.deadlines import Report, build_report
from pipeline.report.plausibility import describe


def add_arguments(parser):
    add_repo(parser)
    parser.add_argument("--ref", default="HEAD", help="cabang atau commit yang diperiksa (default: HEAD)")
    add_now(parser)
    add_tsa_ca(parser)
    parser.add_argument("--format", choices=["text", "json"], default="text", help="bentuk keluaran")


def run(args) -> int:
    try:
        report, problems = build_report(args.repo, args.ref, now_or_clock(args.now), extra_ca=args.tsa_ca)
    except GitError as err:
        print(f"pengaduan bukti: {err}", file=sys.stderr)
        return 2
    for problem in problems:
        if problem.is_error:
            print(problem.as_text(), file=sys.stderr)
    if report is None:
        return 1
    tokens = report.proofs.tokens if report.proofs is not None else []
    try:
        cas = authorities(args.repo, report.policy, args.tsa_ca)
    except GitError as err:
        print(f"pengaduan bukti: {err}", file=sys.stderr)
        return 2
    changes = trust_changes(args.repo, args.ref, [entry.ca for entry in report.policy.timestamp_authorities])
    print(render_json(report, tokens, cas, changes) if args.format == "json"
          else render_text(report, tokens, cas, changes))
    return 1 if any(not token.valid or token.removed for token in tokens) else 0


def stage_rows(report: Report):
    """(complaint, StageResult) of every judged stage, newest complaint first."""
    for item in report.complaints:
        for result in item.stages:
            yield item.complaint, result


def render_text(report: Report, tokens: list, cas: list = (), changes: list = ()) -> str:
    tz = report.now.tzinfo
    valid = sum(1 for token in tokens if token.valid)
    lines = [f"Bukti waktu langkah SOP (ref {report.ref}, per {format_local(report.now, tz)})", ""]
    lines.append("CA TSA yang dipakai memeriksa token (hanya yang dipin program atau diberikan auditor "
                 "yang membuktikan waktu):" if cas else "Tidak ada CA TSA (bukti.tsa atau --tsa-ca).")
    for ca in cas:
        lines.append(f"  {'✔' if ca.trusted else '✖'} {ca.subject}  SHA-256 {colons(ca.fingerprint)}  "
                     f"[{TRUST_WORDS[ca.trust]}]  dari {ca.ca_path}")
    if changes:
        lines.append("Perubahan berkas CA dan blok bukti puskesmas.yaml (siapa, kapan):")
    for change in changes:
        lines.append(f"  {change.sha[:10]}  {change.author}  penulis {change.authored}  commit {change.committed}  "
                     f"{', '.join(change.paths)}  \"{change.subject}\"")
    lines.append("")
    if not tokens:
        lines.append(f"Belum ada stempel waktu (cabang {BRANCH} tidak ada atau kosong): semua waktu "
                     "hanya klaim git. Jalankan `pengaduan stempel`.")
    else:
        lines.append(f"Stempel waktu di cabang {BRANCH}: {len(tokens)} token, {valid} sah, "
                     f"{len(tokens) - valid} TIDAK SAH.")
    removed = sum(1 for token in tokens if token.removed)
    if removed:
        lines.append(f"  ✖ {removed} token DIHAPUS atau diganti dari cabang {BRANCH} oleh commit biasa "
                     "(dibaca dari riwayatnya): periksa siapa yang menghapusnya (`git log "
                     f"{BRANCH} -- stempel`).")
    for token in tokens:
        gone = "  DIHAPUS dari cabang" if token.removed else ""
        if token.valid:
            lines.append(f"  ✔ {token.path}  {token.tsa}  {format_local(token.gen_time, tz, exact=True)}  "
                         f"{len(token.blobs)} versi{gone}")
        else:
            lines.append(f"  ✖ {token.path}  TIDAK SAH: {token.reason}{gone}")
    lines.append("")
    for complaint, result in stage_rows(report):
        claimed = format_local(result.claimed_at, tz, exact=True) if result.claimed_at else "belum"
        proven = (f"{format_local(result.proven_at, tz, exact=True)} ({result.proof_tsa})"
                  if result.proven_at else "belum ada")
        flags = f"⚠ {', '.join(result.flags)}: {describe(result.flags)}" if result.flags else "tanpa tanda"
        lines.append(f"{complaint.id}  {result.stage.id:<12} klaim git {claimed:<28} stempel {proven}  "
                     f"[{stage_state_label(result.status).lower()}]  {flags}")
    return "\n".join(lines)


def render_json(report: Report, tokens: list, cas: list = (), changes: list = ()) -> str:
    tz = report.now.tzinfo
    return json.dumps({
        "ref": report.ref,
        "now": local_iso(report.now, tz),
        "cas": [{"subject": ca.subject, "sha256": ca.fingerprint, "trust": ca.trust, "path": ca.ca_path}
                for ca in cas],
        "ca_changes": [{"commit": change.sha, "author": change.author, "authored": change.authored,
                        "committed": change.committed, "paths": change.paths, "subject": change.subject}
                       for change in changes],
        "tokens": [{"path": token.path, "stamp": token.stamp, "valid": token.valid, "tsa": token.tsa,
                    "gen_time": local_iso(token.gen_time, tz), "versions": len(token.blobs),
                    "unknown_ca": token.unknown_ca, "ca_sha256": token.ca, "removed": token.removed,
                    "reason": token.reason or None} for token in tokens],
        "stages": [{"id": complaint.id, "path": complaint.shown, "stage": result.stage.id,
                    "claimed_at": local_iso(result.claimed_at, tz), "proven_at": local_iso(result.proven_at, tz),
                    "tsa": result.proof_tsa, "status": result.status, "flags": result.flags}
                   for complaint, result in stage_rows(report)],
        "summary": {"tokens": len(tokens), "valid": sum(1 for token in tokens if token.valid),
                    "invalid": sum(1 for token in tokens if not token.valid),
                    "removed": sum(1 for token in tokens if token.removed),
                    "flagged": report.flagged()},
    }, ensure_ascii=False, indent=2)
