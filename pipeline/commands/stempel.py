"""`pengaduan stempel`: trusted timestamps (RFC 3161) for every complaint version not stamped yet.

Every version of every complaint file in the history of HEAD (blob ids) that has no valid token
of a TSA yet is listed; each TSA signs the SHA-256 of that list; the list and the tokens go on the
branch `pengaduan-stempel` (see pipeline/evidence/stamps.py for why a branch). Nothing is pushed
unless `--push`. The workflows run `pengaduan stempel --push` on every push to any branch.
"""
from __future__ import annotations

import sys
from pathlib import Path

from pipeline.commands.common import add_repo, policy_or_why
from pipeline.evidence.git import GitError
from pipeline.evidence.history import collect_evidence, resolve_ref
from pipeline.evidence.stamping import listing, push, request_token, run_files, run_name, store
from pipeline.evidence.stamps import BRANCH, Proofs, StampError, anchors, load_authority, read_tokens
from pipeline.records.policy import Policy


def add_arguments(parser):
    add_repo(parser)
    parser.add_argument("--tsa", action="append", default=[], metavar="URL",
                        help="alamat TSA RFC 3161 (boleh berulang); menggantikan bukti.tsa di puskesmas.yaml")
    parser.add_argument("--tsa-ca", type=Path, default=None, metavar="PEM",
                        help="sertifikat CA (PEM) untuk memverifikasi token dari --tsa")
    parser.add_argument("--push", action="store_true",
                        help=f"push cabang {BRANCH} ke origin setelah menstempel (default: tidak)")
    parser.add_argument("--remote", default="origin", help="remote tujuan --push (default: origin)")


def run(args) -> int:
    policy, code = policy_or_why(args.repo, "stempel")
    if policy is None:
        return code
    try:
        chosen = _authorities(args, policy)
        if not chosen:
            print("pengaduan stempel: belum ada TSA: tambahkan bukti.tsa (url dan ca) di puskesmas.yaml, "
                  "atau pakai --tsa URL --tsa-ca PEM. Tidak ada yang distempel.", file=sys.stderr)
            return 0
        if resolve_ref(args.repo, "HEAD") is None:
            print("Belum ada commit: tidak ada yang distempel.")
            return 0
        versions = {blob for found in collect_evidence(args.repo, "HEAD").values() for blob in found.versions}
        proofs = Proofs(read_tokens(args.repo, [anchor for authority, _ in chosen for anchor in anchors(authority)]))
        return _stamp(args, chosen, versions, proofs)
    except (GitError, StampError) as err:
        print(f"pengaduan stempel: {err}", file=sys.stderr)
        return 2


def _authorities(args, policy: Policy) -> list:
    """[(Authority, url)] to ask: --tsa with --tsa-ca (or the policy's CA of that URL), else the policy's."""
    configured = {entry.url: entry for entry in policy.timestamp_authorities}
    if not args.tsa:
        return [(load_authority(args.repo, entry.ca, entry.url, entry.name or None), entry.url)
                for entry in policy.timestamp_authorities]
    chosen = []
    for url in args.tsa:
        known = configured.get(url)
        if args.tsa_ca is not None:
            chosen.append((load_authority(args.repo, str(args.tsa_ca.resolve()), url, known.name or None if known else None), url))
        elif known is not None:
            chosen.append((load_authority(args.repo, known.ca, url, known.name or None), url))
        else:
            raise StampError(f"TSA {url} tidak ada di bukti.tsa puskesmas.yaml: sertakan --tsa-ca PEM "
                             "(sertifikat CA-nya) agar tokennya dapat diverifikasi.")
    return chosen


def _stamp(args, chosen: list, versions: set, proofs: Proofs) -> int:
    tokens, failures, stamped = [], [], set()
    groups: dict[frozenset, list] = {}
    for index, (authority, url) in enumerate(chosen):
        missing = frozenset(versions - proofs.stamped_by(authority))
        if missing:
            groups.setdefault(missing, []).append((index, authority, url))
    if not groups:
        print(f"Semua {len(versions)} versi pengaduan sudah distempel; tidak ada yang baru.")
        return 0
    files = {}
    for missing, members in groups.items():
        message = listing(missing)
        got = []
        for index, authority, url in members:
            try:
                got.append((authority, index, request_token(url, message, authority)))
            except StampError as err:
                failures.append(str(err))
        if got:
            files.update(run_files(run_name(message), message, got))
            stamped |= missing
            tokens += [authority.name for authority, _, _ in got]
    for failure in failures:
        print(f"pengaduan stempel: {failure}", file=sys.stderr)
    if not files:
        return 1
    summary = f"Stempel waktu {len(stamped)} versi pengaduan ({', '.join(dict.fromkeys(tokens))})"
    store(args.repo, files, summary)
    print(f"{len(stamped)} versi pengaduan distempel oleh {', '.join(dict.fromkeys(tokens))}; token "
          f"disimpan di cabang {BRANCH}" + ("." if args.push else " (belum di-push: pakai --push)."))
    if args.push:
        push(args.repo, files, summary, args.remote)
        print(f"Cabang {BRANCH} di-push ke {args.remote}.")
    return 1 if failures else 0
